#include "actions/windows/administrator.h"

#include <windows.h>

#include "platform/windows/win_text.h"

namespace rdpmend::actions::windows {

Result<bool> calling_thread_is_administrator() {
  BYTE sid[SECURITY_MAX_SID_SIZE];
  DWORD size = sizeof sid;
  if (!CreateWellKnownSid(WinBuiltinAdministratorsSid, nullptr, sid, &size))
    return Error{"build the BUILTIN\\Administrators SID", "S-1-5-32-544", win::error_text(GetLastError())};
  BOOL member = FALSE;
  if (!CheckTokenMembership(nullptr, sid, &member))
    return Error{"check the caller's token for BUILTIN\\Administrators", "S-1-5-32-544",
                 win::error_text(GetLastError())};
  return member != FALSE;
}

Status require_administrator(const WindowsActionConfig& config, std::string_view action) {
  auto admin = config.is_administrator ? config.is_administrator() : calling_thread_is_administrator();
  if (!admin) {
    Error e = admin.error();
    e.what = std::string(action) + ": " + e.what;
    return e;
  }
  if (!admin.value())
    return Error{std::string(action), "BUILTIN\\Administrators",
                 "changing the host needs Administrator rights: the caller's token does not hold an enabled "
                 "BUILTIN\\Administrators (run from an elevated prompt, or let the RdpMend service do it)"};
  return Ok{};
}

}  // namespace rdpmend::actions::windows
