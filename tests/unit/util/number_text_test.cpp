#include "util/number_text.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace rdpmend::util {
namespace {

TEST(NumberText, ReadsAllOfTheTextInTheBase) {
  EXPECT_EQ(parse_number<std::uint32_t>("4294967295"), 4294967295u);
  EXPECT_EQ(parse_number<std::uint16_t>("ffff", 16), 0xFFFF);
  EXPECT_EQ(parse_number<std::uint16_t>("FfFf", 16), 0xFFFF);
  EXPECT_EQ(parse_number<std::uint8_t>("0"), 0);
}

TEST(NumberText, RefusesAnythingButDigitsInRange) {
  EXPECT_FALSE(parse_number<std::uint32_t>(""));
  EXPECT_FALSE(parse_number<std::uint32_t>("4294967296"));
  EXPECT_FALSE(parse_number<std::uint8_t>("256"));
  EXPECT_FALSE(parse_number<std::uint32_t>("-1"));
  EXPECT_FALSE(parse_number<std::uint32_t>("+1"));
  EXPECT_FALSE(parse_number<std::uint32_t>(" 1"));
  EXPECT_FALSE(parse_number<std::uint32_t>("1 "));
  EXPECT_FALSE(parse_number<std::uint32_t>("0x10", 16));  // the prefix is the caller's to strip
  EXPECT_FALSE(parse_number<std::uint32_t>("a"));
}

}  // namespace
}  // namespace rdpmend::util
