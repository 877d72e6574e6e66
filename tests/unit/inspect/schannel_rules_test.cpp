// What Schannel's server switches mean for the listener, on every platform (a Windows snapshot is judged the
// same on Linux): TLS 1.2 is on unless turned off, TLS 1.3 counts only when turned on, and an old protocol
// never makes up for them.
#include "inspect/schannel_rules.h"

#include <gtest/gtest.h>

namespace rdpmend::inspect {
namespace {

std::vector<SchannelProtocol> all_absent() {
  std::vector<SchannelProtocol> server;
  for (const char* name : kSchannelProtocols) server.push_back({name, std::nullopt, std::nullopt});
  return server;
}

TEST(SchannelRules, TheOsDefaultOffersTls12) {
  EXPECT_TRUE(offers_current_tls(all_absent()));
  EXPECT_TRUE(tls12_restore_commands(all_absent()).empty());
}

TEST(SchannelRules, Tls12OffOrDisabledByDefaultOffersNothingCurrent) {
  auto off = all_absent();
  off[2].enabled = false;
  off[0].enabled = true;
  off[1].enabled = true;
  EXPECT_FALSE(offers_current_tls(off));
  EXPECT_EQ(tls12_restore_commands(off).size(), 4u);
  auto by_default = all_absent();
  by_default[2].disabled_by_default = true;
  EXPECT_FALSE(offers_current_tls(by_default));
}

TEST(SchannelRules, Tls13CountsOnlyWhenTurnedOn) {
  auto server = all_absent();
  server[2].enabled = false;
  EXPECT_FALSE(offers_current_tls(server));  // TLS 1.3 absent: its default depends on the Windows version
  server[3].enabled = true;
  EXPECT_TRUE(offers_current_tls(server));
  server[3].disabled_by_default = true;
  EXPECT_FALSE(offers_current_tls(server));
}

TEST(SchannelRules, AnUnreadableStateHasNoVerdict) {
  SchannelState state;
  state.server = all_absent();
  state.server[2].enabled = false;
  state.error = "access denied";
  judge_schannel(state);
  EXPECT_FALSE(state.offers_current_tls.has_value());
  EXPECT_TRUE(state.restore_commands.empty());
  state.error.clear();
  judge_schannel(state);
  EXPECT_EQ(state.offers_current_tls, false);
  EXPECT_FALSE(state.restore_commands.empty());
}

}  // namespace
}  // namespace rdpmend::inspect
