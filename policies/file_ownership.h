#pragma once
// Whether a settings file may steer this process. Linux (linux/): running as root, a file that anyone but
// root could change is refused, since it steers what a root process inspects and changes. Windows
// (windows/): settings come from the registry, whose ACLs protect them; a file is never refused.
// Reads the file's metadata only.

#include <optional>
#include <string>

namespace rdpmend::policy {

// nullopt when `path` is acceptable; else why it is refused (or why its owner cannot be checked).
std::optional<std::string> refuse_untrusted_file(const std::string& path);

}  // namespace rdpmend::policy
