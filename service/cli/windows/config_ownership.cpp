#include "cli/config_file.h"

namespace rdpmend::cli {

// On Windows the TOML file only serves development runs; the service's settings come from the registry
// (HKLM\SOFTWARE\RdpMend and Group Policy), whose ACLs protect them.
Result<Ok> check_config_ownership(const std::string&) {
  return Ok{};
}

}  // namespace rdpmend::cli
