#include "events/detection.h"

#include <gtest/gtest.h>

#include "events/event_time.h"

namespace rdpmend::events {
namespace {

Event schannel_at(const char* time, std::uint64_t record, const std::string& computer = "HOST") {
  Event e;
  e.provider_name = "Schannel";
  e.channel = "System";
  e.event_id = 36870;
  e.record_id = record;
  e.computer = computer;
  e.time_created = parse_event_time(time);
  e.data = {{"Type", "server"}, {"ErrorCode", "0x8009030d"}, {"ErrorStatus", "10001"}};
  return e;
}

TEST(Detection, AggregatesCountFirstAndLastSeen) {
  Detector d(default_catalog());
  EXPECT_TRUE(d.add(schannel_at("2026-01-02T10:00:00Z", 3)));
  EXPECT_TRUE(d.add(schannel_at("2026-01-01T10:00:00Z", 1)));
  EXPECT_TRUE(d.add(schannel_at("2026-01-03T10:00:00Z", 7)));
  auto s = d.symptoms();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].definition->id, "tls-credential-key-unreadable");
  EXPECT_EQ(s[0].count, 3u);
  EXPECT_EQ(format_event_time(*s[0].first_seen), "2026-01-01T10:00:00.0000000Z");
  EXPECT_EQ(format_event_time(*s[0].last_seen), "2026-01-03T10:00:00.0000000Z");
  ASSERT_EQ(s[0].evidence.size(), 3u);
  EXPECT_EQ(s[0].evidence.front().record_id, 1u);  // oldest first
  ASSERT_EQ(s[0].evidence.back().details.size(), 2u);
  EXPECT_EQ(s[0].evidence.back().details[0], (std::pair<std::string, std::string>{"error", "0x8009030d"}));
}

TEST(Detection, KeepsOnlyTheLatestEvidence) {
  Detector d(default_catalog(), DetectorOptions{3, 100});
  for (int i = 1; i <= 10; ++i) {
    std::string t = "2026-01-01T10:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "Z";
    d.add(schannel_at(t.c_str(), static_cast<std::uint64_t>(i)));
  }
  auto s = d.symptoms();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].count, 10u);
  ASSERT_EQ(s[0].evidence.size(), 3u);
  EXPECT_EQ(s[0].evidence[0].record_id, 8u);
  EXPECT_EQ(s[0].evidence[2].record_id, 10u);
}

TEST(Detection, CountsARecordExportedTwiceOnce) {
  Detector d(default_catalog());
  d.add(schannel_at("2026-01-01T10:00:00Z", 42));
  d.add(schannel_at("2026-01-01T10:00:00Z", 42));
  d.add(schannel_at("2026-01-01T10:00:00Z", 42, "OTHERHOST"));  // another host's record 42 is another event
  EXPECT_EQ(d.symptoms()[0].count, 2u);
  EXPECT_EQ(d.duplicates(), 1u);
}

TEST(Detection, BoundsTheTimelineToTheLatestEntries) {
  Detector d(default_catalog(), DetectorOptions{10, 5});
  for (int i = 1; i <= 20; ++i) {
    std::string t = "2026-01-01T10:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "Z";
    d.add(schannel_at(t.c_str(), static_cast<std::uint64_t>(i)));
  }
  auto tl = d.timeline();
  ASSERT_EQ(tl.size(), 5u);
  EXPECT_EQ(tl.front().evidence.record_id, 16u);
  EXPECT_EQ(tl.back().evidence.record_id, 20u);
  EXPECT_EQ(d.timeline_dropped(), 15u);
}

TEST(Detection, ContextEventsGoToTheTimelineOnly) {
  Detector d(default_catalog());
  Event e;
  e.provider_name = "Microsoft-Windows-TerminalServices-LocalSessionManager";
  e.channel = "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational";
  e.event_id = 21;
  e.record_id = 5;
  EXPECT_TRUE(d.add(e));
  EXPECT_TRUE(d.symptoms().empty());
  ASSERT_EQ(d.timeline().size(), 1u);
  EXPECT_FALSE(d.timeline()[0].is_symptom);
  EXPECT_EQ(d.timeline()[0].id, "session-event");
}

TEST(Detection, IgnoresUnrelatedEvents) {
  Detector d(default_catalog());
  Event e;
  e.provider_name = "Microsoft-Windows-Kernel-General";
  e.channel = "System";
  e.event_id = 1;
  EXPECT_FALSE(d.add(e));
  EXPECT_EQ(d.events_seen(), 1u);
  EXPECT_EQ(d.events_matched(), 0u);
}

TEST(Detection, DecodesClientDisconnectReason0x904) {
  Detector d(default_catalog());
  Event e;
  e.provider_name = "Microsoft-Windows-TerminalServices-ClientActiveXCore";
  e.channel = "Microsoft-Windows-TerminalServices-RDPClient/Operational";
  e.event_id = 1026;
  e.data = {{"Name", "Disconnect Reason"}, {"Value", "2308"}, {"CustomLevel", "Info"}};
  d.add(e);
  auto s = d.symptoms();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].definition->id, "rdp-client-disconnect");
  ASSERT_EQ(s[0].evidence[0].details.size(), 1u);
  EXPECT_EQ(
      s[0].evidence[0].details[0].second.rfind("0x904 (2308) disconnectReasonAtClientWinsockFDCLOSE", 0), 0u);
}

TEST(Detection, NormalClientDisconnectIsContextNotSymptom) {
  Detector d(default_catalog());
  Event e;
  e.provider_name = "Microsoft-Windows-TerminalServices-ClientActiveXCore";
  e.channel = "Microsoft-Windows-TerminalServices-RDPClient/Operational";
  e.event_id = 1026;
  e.data = {{"Name", "Disconnect Reason"}, {"Value", "1"}};
  EXPECT_TRUE(d.add(e));
  EXPECT_TRUE(d.symptoms().empty());
}

}  // namespace
}  // namespace rdpmend::events
