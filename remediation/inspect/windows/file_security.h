#pragma once
// Who can use a file or folder on Windows: its security descriptor read as SDDL without following a link
// (the handle is opened with FILE_FLAG_OPEN_REPARSE_POINT, so a junction or symlink is described, never its
// target), and whether the RDP service's account (NETWORK SERVICE) can read it, judged from the DACL with the
// documented evaluation (inspect/sddl.h check_access). Reads only.

#include <string>
#include <vector>

#include "common/result.h"
#include "inspect/host_state.h"

namespace rdpmend::inspect::windows {

// The SIDs a NETWORK SERVICE svchost token holds: NETWORK SERVICE, Everyone, BUILTIN\Users, SERVICE,
// Authenticated Users, This Organization, LOCAL, CONSOLE LOGON, and NT SERVICE\TermService when this system
// knows that account (LookupAccountNameW) [the group list is inferred from `whoami /groups` in such a
// service; verify on a lab host].
const std::vector<std::string>& network_service_sids();

// exists / is_link / sddl / owner / group / readable_by_service (GENERIC_READ for `service_sids`). An absent
// file is exists=false without an error; anything unreadable goes to `error` and leaves the rest unset.
FileState inspect_file_security(const std::wstring& path, const std::vector<std::string>& service_sids);

// %ProgramData% (FOLDERID_ProgramData), e.g. C:\ProgramData.
Result<std::wstring> program_data_folder();
// %ProgramData%\Microsoft\Crypto\RSA\MachineKeys (CryptoAPI machine keys) and ...\Crypto\Keys (CNG).
Result<std::wstring> rsa_machine_keys_folder();
Result<std::wstring> cng_machine_keys_folder();

}  // namespace rdpmend::inspect::windows
