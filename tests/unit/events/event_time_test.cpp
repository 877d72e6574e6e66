#include "events/event_time.h"

#include <gtest/gtest.h>

namespace rdpmend::events {
namespace {

TEST(EventTime, ParsesEvtRenderIsoWithSevenDigits) {
  auto t = parse_event_time("2023-07-12T12:01:05.5944806Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_event_time(*t), "2023-07-12T12:01:05.5944806Z");
}

TEST(EventTime, ParsesPythonEvtxSpaceSeparatedMicroseconds) {
  auto t = parse_event_time("2018-07-06 18:45:47.017820");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_event_time(*t), "2018-07-06T18:45:47.0178200Z");
}

TEST(EventTime, AppliesOffsetToUtc) {
  auto t = parse_event_time("2020-01-01T01:30:00+02:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_event_time(*t), "2019-12-31T23:30:00.0000000Z");
}

TEST(EventTime, RejectsMalformedTimes) {
  for (const char* bad : {"", "2023-13-01T00:00:00Z", "2023-02-30T00:00:00Z", "yesterday",
                          "2023-07-12T12:01:05.Z", "2023-07-12T25:00:00Z", "2023-07-12T12:01:05Zjunk"})
    EXPECT_FALSE(parse_event_time(bad)) << bad;
}

}  // namespace
}  // namespace rdpmend::events
