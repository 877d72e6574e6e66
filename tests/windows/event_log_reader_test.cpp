// remediation/events/windows/event_log_reader: EvtQuery + EvtNext + EvtRender into the XML parser.
// Wine only stubs wevtapi (EvtQuery returns NULL and sets no error), so:
// - the failure path runs for real everywhere: a query that fails must become one ReadError that names the
//   channel or file, never a crash, an exception or a silent empty success;
// - reading real events is checked on Windows only; under Wine those tests say SKIPPED and why.

#include "events/event_log_reader.h"

#include <windows.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wine_detect.h"

namespace rdpmend::events {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kWevtapiStubbed = "Wine stubs wevtapi (EvtQuery)";
// A channel no Windows has: EvtQuery fails on Windows (ERROR_EVT_CHANNEL_NOT_FOUND) and under Wine (stub).
const std::string kMissingChannel = "RdpMend-Test-NoSuchChannel/Operational";

struct Collected {
  ReadStats stats;
  std::vector<Event> events;
  std::vector<ReadError> errors;

  std::string first_error() const { return errors.empty() ? std::string("(none)") : errors.front().text(); }
};

Collected read_channel(const std::string& channel, std::optional<std::chrono::seconds> since) {
  Collected c;
  auto reader = make_event_log_reader();
  c.stats = reader->read_channel(
      channel, since, [&](Event&& e) { c.events.push_back(std::move(e)); },
      [&](ReadError&& e) { c.errors.push_back(std::move(e)); });
  return c;
}

Collected read_evtx(const std::filesystem::path& path) {
  Collected c;
  auto reader = make_event_log_reader();
  c.stats = reader->read_evtx_file(
      path, std::nullopt, [&](Event&& e) { c.events.push_back(std::move(e)); },
      [&](ReadError&& e) { c.errors.push_back(std::move(e)); });
  return c;
}

TEST(WindowsEventLogReader, IsAvailable) {
  EXPECT_TRUE(make_event_log_reader()->available());
}

TEST(WindowsEventLogReader, ReportsAReadErrorNamingTheChannelWhenEvtQueryFails) {
  auto c = read_channel(kMissingChannel, 1h);
  EXPECT_EQ(c.stats.events, 0u);
  EXPECT_EQ(c.stats.errors, 1u);
  EXPECT_TRUE(c.events.empty());
  ASSERT_EQ(c.errors.size(), 1u);
  const ReadError& e = c.errors.front();
  EXPECT_EQ(e.file, kMissingChannel);
  EXPECT_EQ(e.line, 0u);
  EXPECT_THAT(e.message, StartsWith("EvtQuery failed"));
  EXPECT_GT(e.message.size(), std::string("EvtQuery failed").size()) << "the reason is missing";
  EXPECT_THAT(e.text(), StartsWith(kMissingChannel + ": EvtQuery failed"));
}

TEST(WindowsEventLogReader, ReportsAReadErrorNamingTheFileWhenEvtQueryFails) {
  const std::filesystem::path missing = L"C:\\rdpmend-test\\no-such-log-\u00E9\u65E5.evtx";
  auto c = read_evtx(missing);
  EXPECT_EQ(c.stats.events, 0u);
  EXPECT_EQ(c.stats.errors, 1u);
  ASSERT_EQ(c.errors.size(), 1u);
  // Named in UTF-8, non-ASCII characters included.
  EXPECT_EQ(c.errors.front().file, "C:\\rdpmend-test\\no-such-log-\xC3\xA9\xE6\x97\xA5.evtx");
  EXPECT_THAT(c.errors.front().message, StartsWith("EvtQuery failed"));
}

TEST(WindowsEventLogReader, DoesNotReportAStaleLastErrorAsTheReason) {
  // Wine's stub returns NULL without touching the last error: whatever an earlier call left there is not the
  // reason.
  SetLastError(ERROR_INVALID_HANDLE);
  auto c = read_channel(kMissingChannel, std::nullopt);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_THAT(c.errors.front().message, Not(HasSubstr("(error 6)")));
  if (test_support::running_under_wine()) {
    EXPECT_EQ(c.errors.front().message,
              "EvtQuery failed without an error code (the event log API is not implemented here)");
    EXPECT_EQ(c.errors.front().kind, ReadErrorKind::kUnsupported);
  }
}

TEST(WindowsEventLogReader, ReadsTheLastHourOfTheSystemChannel) {
  RDPMEND_SKIP_UNDER_WINE(kWevtapiStubbed);
  const auto started = std::chrono::system_clock::now();
  auto c = read_channel("System", 1h);
  EXPECT_TRUE(c.errors.empty()) << c.errors.size() << " errors, first: " << c.first_error();
  EXPECT_GT(c.stats.events, 0u) << "no System event in the last hour";
  EXPECT_EQ(c.stats.events, c.events.size());
  for (const auto& e : c.events) {
    EXPECT_EQ(e.source, "System");
    EXPECT_EQ(e.channel, "System");
    ASSERT_TRUE(e.time_created);
    // The XPath filter keeps the last hour (a minute of slack for the clock between query and check).
    EXPECT_GE(*e.time_created, started - 1h - 1min);
  }
}

TEST(WindowsEventLogReader, NamesAMissingChannelWithTheWindowsReason) {
  RDPMEND_SKIP_UNDER_WINE(kWevtapiStubbed);
  auto c = read_channel(kMissingChannel, std::nullopt);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors.front().file, kMissingChannel);
  // ERROR_EVT_CHANNEL_NOT_FOUND, with the FormatMessageW text before it.
  EXPECT_THAT(c.errors.front().message, HasSubstr("(error 15007)"));
  EXPECT_EQ(c.errors.front().kind, ReadErrorKind::kInput);
}

}  // namespace
}  // namespace rdpmend::events
