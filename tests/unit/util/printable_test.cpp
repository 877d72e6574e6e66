#include "util/printable.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace rdpmend::util {
namespace {

using namespace std::string_view_literals;

TEST(Printable, WritesEscapeAsBackslashX1b) {
  EXPECT_EQ(printable("key \x1b[2Jgone"), "key \\x1b[2Jgone");
  EXPECT_EQ(printable("\x1b]0;owned\x07"), "\\x1b]0;owned\\x07");  // OSC: retitle the window
}

TEST(Printable, EscapesEveryC0ControlAndDel) {
  EXPECT_EQ(printable("a\0b"sv), "a\\x00b");
  EXPECT_EQ(printable("line\nforged: ERROR"), "line\\x0aforged: ERROR");
  EXPECT_EQ(printable("\r\t\b\x1f\x7f"), "\\x0d\\x09\\x08\\x1f\\x7f");
  for (int c = 0; c < 0x20; ++c) {
    std::string one(1, static_cast<char>(c));
    char expected[5];
    std::snprintf(expected, sizeof expected, "\\x%02x", c);
    EXPECT_EQ(printable(one), expected);
  }
}

TEST(Printable, EscapesC1ControlsEncodedInUtf8) {
  EXPECT_EQ(printable("\xC2\x9B"
                      "2J"),
            "\\u009b2J");  // CSI, the 8-bit form of ESC [
  EXPECT_EQ(printable("\xC2\x80\xC2\x85\xC2\x9F"), "\\u0080\\u0085\\u009f");
  EXPECT_EQ(printable("\xC2\xA0\xC2\xA9"), "\xC2\xA0\xC2\xA9");  // U+00A0 and U+00A9 are text
}

TEST(Printable, EscapesBytesThatAreNotUtf8) {
  EXPECT_EQ(printable("\x9B"
                      "2J"),
            "\\x9b2J");  // a raw 8-bit CSI byte is a stray continuation byte in UTF-8
  EXPECT_EQ(printable("caf\xE9!"), "caf\\xe9!");  // Latin-1
  EXPECT_EQ(printable("\xF5\xFE\xFF"), "\\xf5\\xfe\\xff");
}

TEST(Printable, EscapesOverlongEncodings) {
  EXPECT_EQ(printable("\xC0\xAF"), "\\xc0\\xaf");  // '/' in two bytes
  EXPECT_EQ(printable("\xC1\x9B"), "\\xc1\\x9b");  // ESC-ish in two bytes
  EXPECT_EQ(printable("\xE0\x80\xAF"), "\\xe0\\x80\\xaf");
  EXPECT_EQ(printable("\xF0\x80\x80\xAF"), "\\xf0\\x80\\x80\\xaf");
}

TEST(Printable, EscapesSurrogatesAndCodePointsPastTheLastOne) {
  EXPECT_EQ(printable("\xED\xA0\x80"), "\\xed\\xa0\\x80");           // U+D800
  EXPECT_EQ(printable("\xED\xBF\xBF"), "\\xed\\xbf\\xbf");           // U+DFFF
  EXPECT_EQ(printable("\xF4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // U+110000
  EXPECT_EQ(printable("\xED\x9F\xBF"), "\xED\x9F\xBF");              // U+D7FF is valid
  EXPECT_EQ(printable("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF");      // U+10FFFF is valid
}

TEST(Printable, EscapesCutOffSequencesAndKeepsWhatFollows) {
  EXPECT_EQ(printable("ab\xE2\x82"), "ab\\xe2\\x82");
  EXPECT_EQ(printable("\xE2\x82x"), "\\xe2\\x82x");
  EXPECT_EQ(printable("\xF0\x9F\x96"), "\\xf0\\x9f\\x96");
  EXPECT_EQ(printable("\xC3"), "\\xc3");
}

TEST(Printable, KeepsValidTextUnchanged) {
  const std::string text =
      "Z\xC3\xBCrich \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x96\xA5 C:\\ProgramData\\RdpMend [x] 100%";
  EXPECT_EQ(printable(text), text);
  EXPECT_EQ(printable("\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80"),
            "\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80");  // U+0800, U+FFFF, U+10000
  EXPECT_EQ(printable(""), "");
}

TEST(Printable, ChangesNothingMoreWhenAppliedTwice) {
  const std::string once = printable("\x1b[31m\xC2\x9B\xFF\xED\xA0\x80 ok \xC3\xA9\n");
  EXPECT_EQ(printable(once), once);
}

}  // namespace
}  // namespace rdpmend::util
