#include "util/printable.h"

#include <cstdint>

namespace rdpmend::util {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void append_byte_escape(std::string& out, std::uint8_t byte) {
  out += "\\x";
  out.push_back(kHexDigits[byte >> 4]);
  out.push_back(kHexDigits[byte & 0xF]);
}

bool in_range(std::uint8_t byte, std::uint8_t low, std::uint8_t high) {
  return byte >= low && byte <= high;
}

// The length of the valid UTF-8 sequence of two or more bytes at `pos`, or 0. The second byte's range
// depends on the lead byte: that is what rules out overlong forms (E0 80..9F, F0 80..8F), the UTF-16
// surrogates (ED A0..BF) and code points past U+10FFFF (F4 90..BF), as RFC 3629 section 4 writes it.
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[pos + i]); };
  const std::uint8_t lead = byte(0);
  std::size_t length = 0;
  std::uint8_t second_low = 0x80, second_high = 0xBF;
  if (in_range(lead, 0xC2, 0xDF)) {
    length = 2;
  } else if (in_range(lead, 0xE0, 0xEF)) {
    length = 3;
    if (lead == 0xE0) second_low = 0xA0;
    if (lead == 0xED) second_high = 0x9F;
  } else if (in_range(lead, 0xF0, 0xF4)) {
    length = 4;
    if (lead == 0xF0) second_low = 0x90;
    if (lead == 0xF4) second_high = 0x8F;
  } else {
    return 0;  // ASCII is not asked about; 80..C1 and F5..FF never start a sequence
  }
  if (pos + length > text.size() || !in_range(byte(1), second_low, second_high)) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (!in_range(byte(i), 0x80, 0xBF)) return 0;
  return length;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<std::uint8_t>(text[pos]);
    if (byte < 0x80) {
      if (byte < 0x20 || byte == 0x7F)
        append_byte_escape(out, byte);
      else
        out.push_back(static_cast<char>(byte));
      ++pos;
      continue;
    }
    const std::size_t length = utf8_sequence_length(text, pos);
    if (length == 0) {
      append_byte_escape(out, byte);  // and go on at the next byte: each bad byte is shown once
      ++pos;
      continue;
    }
    const auto second = static_cast<std::uint8_t>(text[pos + 1]);
    if (byte == 0xC2 && second <= 0x9F) {  // U+0080..U+009F, the C1 controls
      out += "\\u00";
      out.push_back(kHexDigits[second >> 4]);
      out.push_back(kHexDigits[second & 0xF]);
    } else {
      out.append(text.substr(pos, length));
    }
    pos += length;
  }
  return out;
}

}  // namespace rdpmend::util
