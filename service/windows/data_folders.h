#pragma once
// The agent's folders under %ProgramData%\RdpMend (the journal, its logs): readable and writable by SYSTEM
// and Administrators only. A folder under ProgramData inherits "Users: create files" from it, which would let
// any user plant files where the agent reads and writes as SYSTEM (Wazuh's CVE-2024-35177 is this mistake).
// The MSI asks for the same DACL with MsiLockPermissionsEx; `rdpmend service configure` (run by the MSI)
// applies it here as well, so it holds where that table is ignored (Wine) or a folder was made by hand.

#include <string>
#include <vector>

#include "common/result.h"

namespace rdpmend::service {

// Owner Administrators, protected DACL: SYSTEM and Administrators full control, inherited by what is made
// inside later. Files already inside keep their own DACL (the journal has its own protected one).
inline constexpr const char* kDataFolderSddl = "O:BAG:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";

// Creates each folder that is missing (parents first) and sets kDataFolderSddl on it, through a handle that
// never follows a link: a junction or symlink in place of a folder is refused and left as it is.
Status secure_data_folders(const std::vector<std::wstring>& folders);

}  // namespace rdpmend::service
