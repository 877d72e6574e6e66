// The agent's live Windows event source (EvtSubscribe in pull mode):
// - under Wine, wevtapi is a stub: the source says so through its error callback, delivers nothing, and keeps
//   retrying with backoff instead of failing the agent;
// - on Windows, an event written to the Application log arrives with a bookmark that resumes after it
//   (SKIPPED under Wine).

#include "agent/windows/event_channel_source.h"

#include <windows.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "wine_detect.h"

namespace rdpmend::agent {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

struct Collected {
  std::vector<SourcedEvent> events;
  std::vector<std::string> errors;
  std::vector<std::string> gaps;
};

Collected follow(WatchedChannel channel, const std::string& bookmark, std::chrono::milliseconds for_at_most,
                 const std::function<void()>& after_start = nullptr, std::size_t stop_after = 1) {
  boost::asio::io_context io;
  auto source = make_event_channel_source(io, std::move(channel));
  Collected c;
  source->start(bookmark, EventSink{[&](SourcedEvent&& e) {
                                      c.events.push_back(std::move(e));
                                      if (c.events.size() >= stop_after) io.stop();
                                    },
                                    [](const std::string&) {},
                                    [&](const std::string& text) { c.errors.push_back(text); },
                                    [&](const std::string& text) { c.gaps.push_back(text); }});
  if (after_start) after_start();
  io.run_for(for_at_most);
  source->stop();
  return c;
}

TEST(AgentEventChannel, UnderWineTheStubIsReportedAndRetriedNotFatal) {
  if (!test_support::running_under_wine()) GTEST_SKIP() << "checks Wine's stub; Windows has the real API";
  auto c = follow({"System", "*"}, "", 1500ms);
  EXPECT_TRUE(c.events.empty());
  ASSERT_FALSE(c.errors.empty());
  EXPECT_THAT(c.errors.front(), HasSubstr("retrying in"));
}

TEST(AgentEventChannel, DeliversANewEventWithABookmarkThatResumesAfterIt) {
  RDPMEND_SKIP_UNDER_WINE("Wine stubs wevtapi (EvtSubscribe)");
  const std::wstring text = L"rdpmend agent event channel test " + std::to_wstring(GetTickCount64());
  auto write = [&] {
    HANDLE source = RegisterEventSourceW(nullptr, L"RdpMendTest");
    ASSERT_NE(source, nullptr);
    const wchar_t* strings[] = {text.c_str()};
    ReportEventW(source, EVENTLOG_INFORMATION_TYPE, 0, 1, nullptr, 1, 0, strings, nullptr);
    DeregisterEventSource(source);
  };
  auto c = follow({"Application", "*[System[Provider[@Name='RdpMendTest']]]"}, "", 20s, write);
  ASSERT_EQ(c.events.size(), 1u) << (c.errors.empty() ? "" : c.errors.front());
  EXPECT_EQ(c.events[0].channel, "windows:Application");
  EXPECT_THAT(c.events[0].bookmark, HasSubstr("RecordId="));
  // Resuming after that bookmark does not deliver the same event again.
  auto again = follow({"Application", "*[System[Provider[@Name='RdpMendTest']]]"}, c.events[0].bookmark, 2s);
  for (const auto& e : again.events) EXPECT_NE(e.event.record_id, c.events[0].event.record_id);
}

}  // namespace
}  // namespace rdpmend::agent
