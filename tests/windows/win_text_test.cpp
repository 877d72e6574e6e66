// remediation/platform/windows/win_text: UTF-8 <-> UTF-16 through MultiByteToWideChar / WideCharToMultiByte,
// and error texts through FormatMessageW. Wine implements all three, so these run for real under Wine.

#include "platform/windows/win_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <string_view>

namespace rdpmend::win {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

// Reference encoders, written out from the Unicode standard, to check the Win32 conversions against.
std::string utf8_of(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

std::wstring utf16_of(char32_t cp) {
  if (cp < 0x10000) return std::wstring(1, static_cast<wchar_t>(cp));
  char32_t v = cp - 0x10000;
  return {static_cast<wchar_t>(0xD800 + (v >> 10)), static_cast<wchar_t>(0xDC00 + (v & 0x3FF))};
}

TEST(WinText, ConvertsEmptyStrings) {
  EXPECT_EQ(widen(""), L"");
  EXPECT_EQ(narrow(L""), "");
}

TEST(WinText, RoundTripsAscii) {
  EXPECT_EQ(widen("Remote Desktop"), L"Remote Desktop");
  EXPECT_EQ(narrow(L"Remote Desktop"), "Remote Desktop");
}

TEST(WinText, ConvertsMultilingualText) {
  // "Grüße, 日本語, Ελληνικά" as UTF-8 bytes and as UTF-16 code units.
  const std::string utf8 =
      "Gr\xC3\xBC\xC3\x9F"
      "e, \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E, \xCE\x95\xCE\xBB\xCE\xBB\xCE\xB7\xCE\xBD\xCE\xB9"
      "\xCE\xBA\xCE\xAC";
  const std::wstring utf16 =
      L"Gr\u00FC\u00DFe, \u65E5\u672C\u8A9E, \u0395\u03BB\u03BB\u03B7\u03BD\u03B9\u03BA\u03AC";
  EXPECT_EQ(widen(utf8), utf16);
  EXPECT_EQ(narrow(utf16), utf8);
}

TEST(WinText, EncodesNonBmpCharactersAsSurrogatePairs) {
  // U+1F600 (grinning face) and U+1D11E (musical G clef): 4 UTF-8 bytes, 2 UTF-16 code units each.
  const std::string utf8 = "\xF0\x9F\x98\x80 \xF0\x9D\x84\x9E";
  const std::wstring utf16 = {wchar_t(0xD83D), wchar_t(0xDE00), L' ', wchar_t(0xD834), wchar_t(0xDD1E)};
  std::wstring wide = widen(utf8);
  EXPECT_EQ(wide.size(), 5u);
  EXPECT_EQ(wide, utf16);
  EXPECT_EQ(narrow(utf16), utf8);
}

TEST(WinText, RoundTripsEveryEncodingBoundary) {
  for (char32_t cp :
       {0x01u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFDu, 0xFFFFu, 0x10000u, 0x10FFFFu}) {
    SCOPED_TRACE(::testing::Message() << "U+" << std::hex << static_cast<unsigned>(cp));
    EXPECT_EQ(widen(utf8_of(cp)), utf16_of(cp));
    EXPECT_EQ(narrow(utf16_of(cp)), utf8_of(cp));
  }
}

TEST(WinText, KeepsEmbeddedNulCharacters) {
  using namespace std::string_view_literals;
  EXPECT_EQ(widen("a\0b"sv), std::wstring(L"a\0b", 3));
  EXPECT_EQ(narrow(std::wstring_view(L"a\0b", 3)), std::string("a\0b", 3));
}

TEST(WinText, ReplacesInvalidUtf8WithTheReplacementCharacter) {
  // A truncated sequence and a stray continuation byte: no exception, no lost neighbours.
  EXPECT_EQ(widen("a\xC3"), L"a\uFFFD");
  EXPECT_EQ(widen("\x80z"), L"\uFFFDz");
}

TEST(WinText, ReplacesLoneSurrogatesWhenNarrowing) {
  EXPECT_EQ(narrow(std::wstring{L'x', wchar_t(0xD800)}), "x\xEF\xBF\xBD");
}

TEST(WinText, ErrorTextCarriesTheSystemMessageAndTheCode) {
  // The text Windows (or Wine) has for ERROR_ACCESS_DENIED, fetched here the plain way.
  wchar_t buffer[512] = {};
  DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
                           ERROR_ACCESS_DENIED, 0, buffer, static_cast<DWORD>(std::size(buffer)), nullptr);
  ASSERT_GT(n, 0u) << "FormatMessageW has no text for error 5 (error " << GetLastError() << ")";
  std::string system_text = narrow(std::wstring_view(buffer, n));
  while (!system_text.empty() &&
         (system_text.back() == '\n' || system_text.back() == '\r' || system_text.back() == ' '))
    system_text.pop_back();
  ASSERT_FALSE(system_text.empty());

  std::string text = error_text(ERROR_ACCESS_DENIED);
  EXPECT_EQ(text, system_text + " (error 5)");
  EXPECT_THAT(text, Not(HasSubstr("\n")));
}

TEST(WinText, ErrorTextFallsBackToTheCodeWhenWindowsHasNoText) {
  // Bit 29 marks application-defined codes: the system message table has none of them.
  EXPECT_EQ(error_text(0x20000001u), "error 536870913");
}

TEST(WinText, ErrorTextOfSuccessIsNotEmpty) {
  EXPECT_THAT(error_text(ERROR_SUCCESS), EndsWith("(error 0)"));
}

}  // namespace
}  // namespace rdpmend::win
