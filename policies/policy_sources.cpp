#include "policy_sources.h"

namespace rdpmend::policy {

Policy load_policy(const SourceOptions& options) {
  auto read = read_policy_sources(options);
  return build_policy(read.sources, std::move(read.errors));
}

}  // namespace rdpmend::policy
