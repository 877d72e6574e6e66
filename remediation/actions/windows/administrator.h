#pragma once
// "May this caller change the host?": the calling thread's effective token (its impersonation token, else
// the process token) holds BUILTIN\Administrators enabled. An unelevated administrator under UAC holds it
// for deny only, so the answer is no, as it must be: the changes need the elevated token (or LocalSystem,
// which holds the group).

#include <string_view>

#include "actions/windows/windows_actions.h"
#include "common/result.h"

namespace rdpmend::actions::windows {

// CheckTokenMembership(nullptr, S-1-5-32-544): true, false, or an Error with the OS text.
Result<bool> calling_thread_is_administrator();

// Every action's check starts here: Ok, or Error{action, "BUILTIN\Administrators", why}.
Status require_administrator(const WindowsActionConfig& config, std::string_view action);

}  // namespace rdpmend::actions::windows
