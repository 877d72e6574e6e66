// The Windows channels the agent subscribes to come from the detection catalog.

#include "agent/event_channels.h"

#include <gtest/gtest.h>

namespace rdpmend::agent {
namespace {

TEST(EventChannels, HostChannelsFromTheCatalogWithSystemFilteredToItsProviders) {
  auto watched = windows_watched_channels();
  std::map<std::string, std::string> by_path;
  for (const auto& w : watched) by_path[w.path] = w.xpath;
  ASSERT_TRUE(by_path.count("System"));
  EXPECT_TRUE(by_path.count("Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"));
  EXPECT_TRUE(by_path.count("Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational"));
  EXPECT_FALSE(by_path.count("Security")) << "audit events are not host listener failures";
  EXPECT_FALSE(by_path.count("Microsoft-Windows-TerminalServices-RDPClient/Operational")) << "the client's";
  EXPECT_FALSE(by_path.count("xrdp"));
  const auto& system = by_path["System"];
  EXPECT_NE(system.find("@Name='Schannel'"), std::string::npos) << system;
  EXPECT_NE(system.find("@EventSourceName='TermService'"), std::string::npos) << system;
  EXPECT_EQ(by_path["Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational"], "*");
}

TEST(EventChannels, ProviderFilterLeavesOutWhatXPathCannotQuote) {
  EXPECT_EQ(provider_xpath({}), "*");
  EXPECT_EQ(provider_xpath({"A"}), "*[System[Provider[@Name='A' or @EventSourceName='A']]]");
  EXPECT_EQ(provider_xpath({"it's"}), "*");
}

}  // namespace
}  // namespace rdpmend::agent
