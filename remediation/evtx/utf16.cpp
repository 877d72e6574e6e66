#include "evtx/utf16.h"

#include "events/text_decoder.h"

namespace rdpmend::events::evtx {

void append_code_point(std::string& out, char32_t c) {
  // Input can name any number (a character reference, an unpaired surrogate): those UTF-8 cannot hold
  // become U+FFFD; the encoding itself is the XML reader's.
  append_utf8(out, c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) ? char32_t{0xFFFD} : c);
}

std::size_t append_utf16le(std::string& out, std::span<const std::uint8_t> bytes, bool stop_at_nul) {
  const std::uint8_t* p = bytes.data();
  const std::size_t units = bytes.size() / 2;
  // ASCII run first: most names and values are plain ASCII, so copy them in one go.
  std::size_t i = 0;
  while (i < units && p[2 * i + 1] == 0 && p[2 * i] < 0x80 && p[2 * i] != 0) ++i;
  if (i > 0) {
    std::size_t old = out.size();
    out.resize(old + i);
    char* dst = out.data() + old;
    for (std::size_t k = 0; k < i; ++k) dst[k] = static_cast<char>(p[2 * k]);
  }
  for (; i < units; ++i) {
    char32_t u = static_cast<char32_t>(p[2 * i] | (p[2 * i + 1] << 8));
    if (u == 0 && stop_at_nul) return 2 * (i + 1);
    if (u < 0x80) {
      out.push_back(static_cast<char>(u));
      continue;
    }
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
      char32_t lo = static_cast<char32_t>(p[2 * i + 2] | (p[2 * i + 3] << 8));
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        append_code_point(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        ++i;
        continue;
      }
    }
    append_code_point(out, u);  // an unpaired surrogate becomes U+FFFD there
  }
  return 2 * units;
}

void append_windows_1252(std::string& out, std::span<const std::uint8_t> bytes, bool stop_at_nul) {
  // 0x80..0x9F differ from Latin-1; 0 marks the five bytes Windows-1252 leaves undefined.
  static constexpr char16_t kHigh[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                         0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                         0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                         0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  for (std::uint8_t b : bytes) {
    if (b == 0 && stop_at_nul) return;
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
    } else if (b < 0xA0) {
      char16_t c = kHigh[b - 0x80];
      append_code_point(out, c ? c : 0xFFFD);
    } else {
      append_code_point(out, b);
    }
  }
}

}  // namespace rdpmend::events::evtx
