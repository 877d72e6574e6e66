// libFuzzer target: arbitrary bytes as the configuration file (/etc/rdpmend/rdpmend.toml). The loader steers
// a root process: its [xrdp] and [policy] tables must turn any input into a value or a clear error, never a
// crash, and the policy built from it must stay within the table's ranges.

#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/config_file.h"
#include "policy.h"
#include "policy_sources.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto config = rdpmend::cli::parse_config_text(text, "/fuzz/rdpmend.toml");
  if (config) {
    auto policy = rdpmend::policy::load_policy(rdpmend::cli::policy_sources_for(config.value()));
    (void)policy;
  }
  return 0;
}
