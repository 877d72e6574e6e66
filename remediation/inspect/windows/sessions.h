#pragma once
// The Windows session inspector (port: inspect/sessions.h): WTSEnumerateSessionsW on this server and each
// session's WTSUserName, counted by count_windows_sessions (inspect/session_count.h).

#include <memory>

#include "inspect/sessions.h"

namespace rdpmend::inspect::windows {

std::unique_ptr<SessionInspector> make_session_inspector();

}  // namespace rdpmend::inspect::windows
