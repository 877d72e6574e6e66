// The .evtx reader's building blocks: CRC-32, UTF-16 and Windows-1252 text, and the text of each BinXML
// value type as EvtRender writes it.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "events/event_time.h"
#include "evtx/binxml_values.h"
#include "evtx/crc32.h"
#include "evtx/utf16.h"

namespace rdpmend::events::evtx {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::string render(std::uint8_t type, const Bytes& bytes) {
  std::string out;
  append_value(out, type, bytes);
  return out;
}

Bytes le(std::uint64_t v, int size) {
  Bytes out;
  for (int i = 0; i < size; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  return out;
}

TEST(EvtxCrc32, MatchesTheStandardCheckValue) {
  const std::string text = "123456789";
  Bytes bytes(text.begin(), text.end());
  EXPECT_EQ(crc32(bytes), 0xCBF43926u);  // the CRC-32/ISO-HDLC check value
  EXPECT_EQ(crc32({}), 0u);
}

TEST(EvtxCrc32, ContinuesAcrossPiecesAndAllLengths) {
  Bytes bytes(1000);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + 3);
  for (std::size_t split : {0, 1, 7, 8, 9, 500, 999, 1000}) {
    std::uint32_t whole = crc32(bytes);
    std::uint32_t pieces = crc32(std::span(bytes).subspan(split), crc32(std::span(bytes).first(split)));
    EXPECT_EQ(pieces, whole) << split;
  }
  // Byte-at-a-time reference for the slicing-by-8 tables.
  std::uint32_t crc = 0xFFFFFFFFu;
  for (auto b : bytes) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
  }
  EXPECT_EQ(crc32(bytes), ~crc);
}

TEST(EvtxText, DecodesUtf16IncludingSurrogatesAndBrokenPairs) {
  std::string out;
  // "aé€" + U+1F600 (a surrogate pair) + an unpaired high surrogate + "z"
  Bytes bytes = {'a', 0, 0xE9, 0, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE, 0x3D, 0xD8, 'z', 0};
  append_utf16le(out, bytes, false);
  EXPECT_EQ(out, "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBDz");
}

TEST(EvtxText, StopsAtNulOnlyWhenAsked) {
  Bytes bytes = {'a', 0, 0, 0, 'b', 0};
  std::string cut, whole;
  EXPECT_EQ(append_utf16le(cut, bytes, true), 4u);
  EXPECT_EQ(cut, "a");
  append_utf16le(whole, bytes, false);
  EXPECT_EQ(whole, std::string("a\0b", 3));
}

TEST(EvtxText, ReadsAnsiStringsAsWindows1252) {
  std::string out;
  Bytes bytes = {'A', 0x80, 0xE9, 0x81, 0, 'x'};
  append_windows_1252(out, bytes, true);
  EXPECT_EQ(out, "A\xE2\x82\xAC\xC3\xA9\xEF\xBF\xBD");  // €, é, undefined 0x81 -> U+FFFD; stops at NUL
}

TEST(EvtxValues, RendersIntegersInDecimal) {
  EXPECT_EQ(render(kInt8Type, le(0xFF, 1)), "-1");
  EXPECT_EQ(render(kUInt8Type, le(0xFF, 1)), "255");
  EXPECT_EQ(render(kInt16Type, le(0xFFFE, 2)), "-2");
  EXPECT_EQ(render(kUInt16Type, le(4625, 2)), "4625");
  EXPECT_EQ(render(kInt32Type, le(0xFFFFFFFD, 4)), "-3");
  EXPECT_EQ(render(kUInt32Type, le(3221226528u, 4)), "3221226528");
  EXPECT_EQ(render(kInt64Type, le(0xFFFFFFFFFFFFFFFCull, 8)), "-4");
  EXPECT_EQ(render(kUInt64Type, le(0xFFFFFFFFFFFFFFFFull, 8)), "18446744073709551615");
}

TEST(EvtxValues, RendersHexTypesWithoutPaddingLikeEvtRender) {
  EXPECT_EQ(render(kHexInt32Type, le(0xC000006D, 4)), "0xc000006d");
  EXPECT_EQ(render(kHexInt64Type, le(0x3E7, 8)), "0x3e7");
  EXPECT_EQ(render(kHexInt64Type, le(0, 8)), "0x0");
  EXPECT_EQ(render(kSizeTType, le(0x1310, 8)), "0x1310");
  EXPECT_EQ(render(kSizeTType, le(0x1310, 4)), "0x1310");
}

TEST(EvtxValues, RendersFloatsBooleansBinaryAndGuids) {
  EXPECT_EQ(render(kReal32Type, le(0x3FC00000, 4)), "1.5");
  EXPECT_EQ(render(kReal64Type, le(0x3FD0000000000000ull, 8)), "0.25");
  EXPECT_EQ(render(kBoolType, le(1, 4)), "true");
  EXPECT_EQ(render(kBoolType, le(0, 4)), "false");
  EXPECT_EQ(render(kBoolType, le(2, 4)), "true");  // "irregular" booleans: anything but 0 is true
  EXPECT_EQ(render(kBinaryType, Bytes{0x59, 0xEF, 0x00}), "59EF00");
  Bytes guid = {0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49,
                0xA5, 0xBA, 0x3E, 0x3B, 0x03, 0x28, 0xC3, 0x0D};
  EXPECT_EQ(render(kGuidType, guid), "{54849625-5478-4994-A5BA-3E3B0328C30D}");
}

TEST(EvtxValues, RendersTimesAsIsoUtc) {
  EXPECT_EQ(render(kFileTimeType, le(133590384000000000ull + 1234567, 8)), "2024-05-01T12:00:00.1234567Z");
  Bytes st;
  for (int v : {2019, 7, 3, 24, 13, 7, 16, 464}) {
    st.push_back(static_cast<std::uint8_t>(v));
    st.push_back(static_cast<std::uint8_t>(v >> 8));
  }
  EXPECT_EQ(render(kSysTimeType, st), "2019-07-24T13:07:16.4640000Z");
  st[2] = 13;  // month 13: not a time, so its bytes are shown
  EXPECT_EQ(render(kSysTimeType, st).size(), 32u);
}

TEST(EvtxValues, RendersSids) {
  Bytes system = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
  EXPECT_EQ(render(kSidType, system), "S-1-5-18");
  Bytes domain = {1,    4,    0,    0,    0,    0,    0,    5,    21,   0,    0, 0,
                  0x4E, 0x0E, 0x79, 0x0D, 0x67, 0xE0, 0x5E, 0xB1, 0xF4, 0x01, 0, 0};
  EXPECT_EQ(render(kSidType, domain), "S-1-5-21-226037326-2975785063-500");
  Bytes big = {1, 0, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC};
  EXPECT_EQ(render(kSidType, big), "S-1-0x123456789ABC");
  EXPECT_EQ(render(kSidType, Bytes{1, 5, 0, 0}), "01050000");  // too short for its sub-authorities
}

TEST(EvtxValues, ShowsMisSizedValuesAsHexInsteadOfReadingPastThem) {
  EXPECT_EQ(render(kUInt32Type, Bytes{1, 2}), "0102");
  EXPECT_EQ(render(kGuidType, Bytes{1}), "01");
  EXPECT_EQ(render(kFileTimeType, Bytes{}), "");
  EXPECT_EQ(render(kEvtHandleType, Bytes{0xAB}), "AB");
}

TEST(EvtxValues, SplitsArraysIntoItems) {
  std::vector<std::span<const std::uint8_t>> items;
  Bytes strings = {'a', 0, 0, 0, 'b', 0, 'c', 0, 0, 0};
  split_array(0x81, strings, items);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(render(kStringType, Bytes(items[1].begin(), items[1].end())), "bc");

  Bytes unterminated = {'a', 0, 0, 0, 'b', 0};
  split_array(0x81, unterminated, items);
  EXPECT_EQ(items.size(), 2u);

  Bytes words = {1, 0, 2, 0, 3};  // a stray odd byte is kept as a (mis-sized) last item
  split_array(0x86, words, items);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[2].size(), 1u);

  Bytes sids = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1};
  split_array(0x93, sids, items);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(render(kSidType, Bytes(items[1].begin(), items[1].end())), "S-1-1");

  split_array(0x81, {}, items);
  EXPECT_TRUE(items.empty());
}

}  // namespace
}  // namespace rdpmend::events::evtx
