#include "util/encoding.h"

#include <gtest/gtest.h>

#include "util/duration.h"

namespace rdpmend::util {
namespace {

TEST(Encoding, DecodesUpperHexAsWevtutilWritesIt) {
  auto b = decode_hex_or_base64("5400650072006D00");
  ASSERT_TRUE(b);
  EXPECT_EQ(utf16le_to_utf8(*b), "Term");
}

TEST(Encoding, DecodesDashSeparatedHexAsEvtxECmdWritesIt) {
  auto b = decode_hex_or_base64("53-00-74-00-00-00");
  ASSERT_TRUE(b);
  EXPECT_EQ(utf16le_to_utf8(*b), "St");
}

TEST(Encoding, DecodesBase64AsPythonEvtxWritesIt) {
  auto b = decode_hex_or_base64("VABlAHIAbQBTAGUAcgB2AGkAYwBlAC8ANAAAAA==");
  ASSERT_TRUE(b);
  EXPECT_EQ(utf16le_to_utf8(*b), "TermService/4");
}

TEST(Encoding, RejectsNeitherHexNorBase64) {
  EXPECT_FALSE(decode_hex_or_base64("not binary!"));
  EXPECT_FALSE(decode_hex_or_base64("ABC"));  // odd hex, bad base64 length
  EXPECT_FALSE(from_base64("QQ==QQ=="));      // data after padding
}

TEST(Encoding, RejectsLoneSurrogatesInUtf16) {
  EXPECT_FALSE(utf16le_to_utf8({0x00, 0xDC, 0x41, 0x00}));
  EXPECT_EQ(utf16le_to_utf8({0x3D, 0xD8, 0xA5, 0xDD}), "\xF0\x9F\x96\xA5");  // U+1F5A5
}

TEST(Encoding, ComparesAgainstALoweredPatternIgnoringAsciiCase) {
  EXPECT_TRUE(equals_lowered("TermService", "termservice"));
  EXPECT_FALSE(equals_lowered("TermService", "termservic"));
  EXPECT_FALSE(equals_lowered("TermServicf", "termservice"));
  EXPECT_TRUE(starts_with_lowered("Microsoft-Windows-Schannel", "microsoft-windows-"));
  EXPECT_FALSE(starts_with_lowered("Micro", "microsoft"));
  EXPECT_TRUE(contains_lowered("The RDP Listener FAILED", "listener failed"));
  EXPECT_FALSE(contains_lowered("The RDP Listener", "listener failed"));
  EXPECT_TRUE(contains_lowered("abc", ""));
  // Only ASCII folds: a non-ASCII byte must match exactly.
  EXPECT_FALSE(equals_lowered("\xC3\x89", "\xC3\xA9"));
}

TEST(Duration, ParsesUnits) {
  EXPECT_EQ(parse_duration("90s"), std::chrono::seconds(90));
  EXPECT_EQ(parse_duration("30m"), std::chrono::seconds(1800));
  EXPECT_EQ(parse_duration("24h"), std::chrono::seconds(86400));
  EXPECT_EQ(parse_duration("7d"), std::chrono::seconds(7 * 86400));
}

TEST(Duration, RejectsBadDurations) {
  for (const char* bad : {"", "h", "10", "-5m", "0s", "1.5h", "10y", "99999999999999d", "5 m"})
    EXPECT_FALSE(parse_duration(bad)) << bad;
}

}  // namespace
}  // namespace rdpmend::util
