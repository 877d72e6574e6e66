#include "inspect/session_count.h"

#include <gtest/gtest.h>

#include "inspect/host_state_json.h"
#include "test_snapshot.h"

namespace rdpmend::inspect {
namespace {

// A Windows Server with the services session, the RDP listener, the console at its sign-in screen, one
// user connected and one disconnected: two sessions a TermService restart would end.
TEST(WindowsSessions, CountsOnlySessionsWithAUserSignedIn) {
  const std::vector<WtsSession> sessions = {
      {0, WtsState::kDisconnected, ""},     // services (session 0 is "disconnected" on real hosts)
      {65536, WtsState::kListen, ""},       // RDP-Tcp listener
      {1, WtsState::kConnected, ""},        // the console, nobody signed in
      {2, WtsState::kActive, "alice"},      // an RDP user
      {3, WtsState::kDisconnected, "bob"},  // a user who closed the client
      {4, WtsState::kDown, "carol"},        // a session being torn down
      {5, WtsState::kConnected, "dave"},    // a user being signed in
  };
  const auto counts = count_windows_sessions(sessions);
  EXPECT_EQ(counts.active, 2);
  EXPECT_EQ(counts.disconnected, 1);
  EXPECT_EQ(counts.total(), 3);
  EXPECT_EQ(count_windows_sessions({{0, WtsState::kActive, "SYSTEM"}}), SessionCounts{});
}

// xrdp 0.9: xrdp and xrdp-sesman fork one process per connection and per session; their own forks (a
// session's helpers before exec) and processes of the same name elsewhere are not sessions.
TEST(XrdpSessions, SessionsAreSesmanForksAndConnectionsAreXrdpForks) {
  const std::vector<ProcessEntry> table = {
      {1, 0, "init"},
      {100, 1, "xrdp-sesman"},    // the daemon
      {200, 1, "xrdp"},           // the daemon
      {101, 100, "xrdp-sesman"},  // session 1
      {102, 100, "xrdp-sesman"},  // session 2
      {103, 101, "xrdp-sesman"},  // session 1's helper, not yet exec'd
      {104, 101, "Xvnc"},
      {201, 200, "xrdp"},  // the client of session 1
      {300, 1, "bash"},
      {301, 300, "xrdp"},  // a copy run by hand: not the daemon's fork
  };
  const auto counts = count_xrdp_sessions(table);
  EXPECT_EQ(counts.active, 1);
  EXPECT_EQ(counts.disconnected, 1);
}

TEST(XrdpSessions, AClientAtTheSignInScreenIsActiveAndNoDaemonIsNoSession) {
  EXPECT_EQ(count_xrdp_sessions({{200, 1, "xrdp"}, {201, 200, "xrdp"}}), (SessionCounts{1, 0}));
  EXPECT_EQ(count_xrdp_sessions({{1, 0, "init"}, {50, 1, "sshd"}}), SessionCounts{});
}

// In the snapshot as "sessions": {"active": N, "disconnected": M}; absent or null is unknown.
TEST(HostStateJson, SessionsRoundTripAndUnknownStaysUnknown) {
  auto state = ::rdpmend::test::healthy_windows_host();
  state.sessions.reset();
  auto unknown = host_state_to_json(state);
  EXPECT_TRUE(unknown["sessions"].is_null());
  auto back = host_state_from_json(nlohmann::json::parse(unknown.dump()), "test");
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_FALSE(back.value().sessions);

  state.sessions = SessionCounts{2, 1};
  auto known = host_state_to_json(state);
  EXPECT_EQ(known["sessions"]["active"], 2);
  EXPECT_EQ(known["sessions"]["disconnected"], 1);
  back = host_state_from_json(nlohmann::json::parse(known.dump()), "test");
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back.value().sessions, (SessionCounts{2, 1}));

  auto negative = nlohmann::json::parse(known.dump());
  negative["sessions"]["active"] = -1;
  auto refused = host_state_from_json(negative, "test");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("/sessions"), std::string::npos) << refused.error().message();
}

}  // namespace
}  // namespace rdpmend::inspect
