// policies/maintenance_window: the text form and the open/closed test.

#include "maintenance_window.h"

#include <gtest/gtest.h>

namespace rdpmend::policy {
namespace {

constexpr int kSun = 0, kMon = 1, kFri = 5, kSat = 6;

MaintenanceWindow parse(std::string_view text) {
  auto parsed = parse_maintenance_window(text);
  if (auto* why = std::get_if<std::string>(&parsed)) ADD_FAILURE() << text << ": " << *why;
  return std::get_if<MaintenanceWindow>(&parsed) ? std::get<MaintenanceWindow>(parsed) : MaintenanceWindow{};
}

std::string refusal(std::string_view text) {
  auto parsed = parse_maintenance_window(text);
  auto* why = std::get_if<std::string>(&parsed);
  return why ? *why : std::string();
}

TEST(MaintenanceWindowTest, EmptyMeansAlwaysOpen) {
  auto w = parse("  ");
  EXPECT_TRUE(w.always());
  EXPECT_TRUE(w.contains(kMon, 12 * 60));
}

TEST(MaintenanceWindowTest, OpensOnlyOnItsDayAndSpan) {
  auto w = parse("Sat 02:00-04:00");
  ASSERT_EQ(w.spans.size(), 1u);
  EXPECT_TRUE(w.contains(kSat, 2 * 60));
  EXPECT_TRUE(w.contains(kSat, 3 * 60 + 59));
  EXPECT_FALSE(w.contains(kSat, 4 * 60));
  EXPECT_FALSE(w.contains(kSat, 60));
  EXPECT_FALSE(w.contains(kFri, 3 * 60));
}

TEST(MaintenanceWindowTest, SpanPastMidnightEndsTheNextDay) {
  auto w = parse("Mon-Fri 22:00-06:00");
  EXPECT_TRUE(w.contains(kFri, 23 * 60));
  EXPECT_TRUE(w.contains(kSat, 5 * 60));  // Friday's span
  EXPECT_FALSE(w.contains(kSat, 23 * 60));
  EXPECT_FALSE(w.contains(kMon, 5 * 60));  // Sunday night is not in the window
  EXPECT_TRUE(w.contains(kMon, 22 * 60));
}

TEST(MaintenanceWindowTest, ReadsListsRangesDailyAndWholeDays) {
  auto w = parse("sat,SUN 00:00-24:00; Wed 12:00-13:00");
  EXPECT_TRUE(w.contains(kSun, 23 * 60 + 59));
  EXPECT_TRUE(w.contains(3, 12 * 60 + 30));
  EXPECT_FALSE(w.contains(kMon, 12 * 60 + 30));
  auto daily = parse("Daily 01:00-02:00");
  for (int d = 0; d < 7; ++d) EXPECT_TRUE(daily.contains(d, 90));
  EXPECT_EQ(parse("* 01:00-02:00").spans[0].days, 0x7Fu);
  EXPECT_EQ(parse("Fri-Mon 01:00-02:00").spans[0].days, (1u << 5) | (1u << 6) | (1u << 0) | (1u << 1));
  EXPECT_EQ(parse("Sat 22:00-00:00").spans[0].end_minute, 1440);
}

TEST(MaintenanceWindowTest, RefusesMalformedTextAndSaysWhy) {
  EXPECT_NE(refusal("Sat").find("needs days and a time span"), std::string::npos);
  EXPECT_NE(refusal("Sam 02:00-04:00").find("'Sam' is not a day"), std::string::npos);
  EXPECT_NE(refusal("Sat 2:00-4:00").find("not a time span"), std::string::npos);
  EXPECT_NE(refusal("Sat 02:00-25:00").find("not a time span"), std::string::npos);
  EXPECT_NE(refusal("Sat 02:60-04:00").find("not a time span"), std::string::npos);
  EXPECT_NE(refusal("Sat 02:00").find("not a time span"), std::string::npos);
  EXPECT_NE(refusal("Sat 02:00-02:00").find("empty"), std::string::npos);
  EXPECT_NE(refusal("Sat 24:00-02:00").find("not a time span"), std::string::npos);
  EXPECT_NE(refusal("Sat 02:00-04:00;;Sun 01:00-02:00").find("empty entry"), std::string::npos);
  EXPECT_NE(refusal("Mon- 02:00-04:00").find("is not a day"), std::string::npos);
}

}  // namespace
}  // namespace rdpmend::policy
