#include "events/disconnect_reasons.h"

#include <gtest/gtest.h>

namespace rdpmend::events {
namespace {

TEST(DisconnectReasons, Names0x904AsSocketClosed) {
  auto text = describe_disconnect_reason(2308);
  EXPECT_EQ(text.rfind("0x904 (2308) disconnectReasonAtClientWinsockFDCLOSE: socket closed", 0), 0u) << text;
}

TEST(DisconnectReasons, MarksCommunityNamesAsUndocumented) {
  EXPECT_NE(describe_disconnect_reason(0x907).find("not documented by Microsoft"), std::string::npos);
}

TEST(DisconnectReasons, SaysUnknownForUnlistedCodes) {
  EXPECT_EQ(describe_disconnect_reason(0x1104), "0x1104 (4356) unknown disconnect reason");
}

TEST(DisconnectReasons, NamesExtendedReason7AsServerDenied) {
  EXPECT_EQ(describe_extended_disconnect_reason(7),
            "7 exDiscReasonServerDeniedConnection: the server denied the connection");
  EXPECT_NE(describe_extended_disconnect_reason(5000).find("protocol error"), std::string::npos);
}

}  // namespace
}  // namespace rdpmend::events
