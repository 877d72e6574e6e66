#include "file_ownership.h"

namespace rdpmend::policy {

// On Windows a settings file only serves development runs; the service's policy comes from the registry
// (HKLM\SOFTWARE\RdpMend and Group Policy), whose ACLs protect it.
std::optional<std::string> refuse_untrusted_file(const std::string&) {
  return std::nullopt;
}

}  // namespace rdpmend::policy
