#include "inspect/windows/sessions.h"

#include <windows.h>

#include <wtsapi32.h>

#include <memory>
#include <vector>

#include "inspect/session_count.h"
#include "platform/windows/win_text.h"

namespace rdpmend::inspect::windows {
namespace {

struct WtsFreeDeleter {
  void operator()(void* p) const noexcept {
    if (p) WTSFreeMemory(p);
  }
};
template <typename T>
using WtsPtr = std::unique_ptr<T, WtsFreeDeleter>;

// The user signed in to a session; empty when nobody is, or when it cannot be read (then the session is
// not one a user could lose: a listener or a session being torn down).
std::string user_of(DWORD session) {
  LPWSTR raw = nullptr;
  DWORD bytes = 0;
  if (!WTSQuerySessionInformationW(WTS_CURRENT_SERVER_HANDLE, session, WTSUserName, &raw, &bytes)) return {};
  WtsPtr<wchar_t> name(raw);
  return name ? win::narrow(name.get()) : std::string();
}

class WtsSessions final : public SessionInspector {
 public:
  Result<std::optional<SessionCounts>> count() override {
    PWTS_SESSION_INFOW raw = nullptr;
    DWORD count = 0;
    if (!WTSEnumerateSessionsW(WTS_CURRENT_SERVER_HANDLE, 0, 1, &raw, &count))
      return Error{"count the sessions", "WTSEnumerateSessionsW", win::error_text(GetLastError())};
    WtsPtr<WTS_SESSION_INFOW> sessions(raw);
    std::vector<WtsSession> seen;
    for (DWORD i = 0; i < count; ++i) {
      const auto& s = sessions.get()[i];
      WtsSession session;
      session.id = s.SessionId;
      session.state = static_cast<WtsState>(s.State);
      // Listeners and session 0 are never counted: their user is not asked for.
      if (s.SessionId != 0 && s.State != WTSListen) session.user = user_of(s.SessionId);
      seen.push_back(std::move(session));
    }
    return std::optional<SessionCounts>(count_windows_sessions(seen));
  }
};

}  // namespace

std::unique_ptr<SessionInspector> make_session_inspector() {
  return std::make_unique<WtsSessions>();
}

}  // namespace rdpmend::inspect::windows
