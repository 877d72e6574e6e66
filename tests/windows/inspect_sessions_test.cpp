// remediation/inspect/windows/sessions: the sessions a TermService restart would end, from
// WTSEnumerateSessionsW and WTSQuerySessionInformationW(WTSUserName). Wine implements both (dlls/wtsapi32),
// so this runs for real under Wine: the count is a value, not unknown, and never more than the sessions
// Windows lists besides session 0 (what session_count.h counts is tested portably in
// tests/unit/inspect/session_count_test.cpp).

#include "inspect/windows/sessions.h"

#include <windows.h>

#include <wtsapi32.h>

#include <gtest/gtest.h>

#include <cstdio>

namespace rdpmend::inspect::windows {
namespace {

DWORD listed_user_sessions() {
  PWTS_SESSION_INFOW raw = nullptr;
  DWORD count = 0;
  if (!WTSEnumerateSessionsW(WTS_CURRENT_SERVER_HANDLE, 0, 1, &raw, &count)) return 0;
  DWORD listed = 0;
  for (DWORD i = 0; i < count; ++i)
    if (raw[i].SessionId != 0 && raw[i].State != WTSListen) ++listed;
  WTSFreeMemory(raw);
  return listed;
}

TEST(WtsSessionInspector, CountsTheSessionsWithoutError) {
  auto counted = make_session_inspector()->count();
  ASSERT_TRUE(counted) << counted.error().message();
  ASSERT_TRUE(counted.value().has_value());
  const auto& sessions = *counted.value();
  EXPECT_GE(sessions.active, 0);
  EXPECT_GE(sessions.disconnected, 0);
  EXPECT_LE(sessions.total(), static_cast<int>(listed_user_sessions()));
  std::printf("sessions: %d active, %d disconnected of %lu listed\n", sessions.active, sessions.disconnected,
              static_cast<unsigned long>(listed_user_sessions()));
}

}  // namespace
}  // namespace rdpmend::inspect::windows
