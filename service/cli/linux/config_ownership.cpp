#include "cli/config_file.h"
#include "file_ownership.h"

namespace rdpmend::cli {

// The same file holds the [policy] table, so the rule is the policy module's (policies/file_ownership.h).
Result<Ok> check_config_ownership(const std::string& path) {
  if (auto refused = policy::refuse_untrusted_file(path)) return Error{"read configuration", path, *refused};
  return Ok{};
}

}  // namespace rdpmend::cli
