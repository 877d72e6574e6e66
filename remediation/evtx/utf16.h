#pragma once
// Text as .evtx stores it, appended to UTF-8 strings without intermediate copies: UTF-16LE (names, string
// values; an unpaired surrogate becomes U+FFFD) and the "ANSI" string type (Windows-1252, the code page
// libevtx assumes by default).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace rdpmend::events::evtx {

// Appends the UTF-16LE code units in `bytes` (an odd last byte is ignored). With `stop_at_nul`, stops at
// the first U+0000. Returns the number of bytes consumed (up to and including the NUL if one was found).
std::size_t append_utf16le(std::string& out, std::span<const std::uint8_t> bytes, bool stop_at_nul);

// Appends Windows-1252 bytes as UTF-8, stopping at the first NUL when `stop_at_nul`.
void append_windows_1252(std::string& out, std::span<const std::uint8_t> bytes, bool stop_at_nul);

// Appends one code point as UTF-8; one UTF-8 cannot hold (a surrogate, above U+10FFFF) becomes U+FFFD.
void append_code_point(std::string& out, char32_t c);

}  // namespace rdpmend::events::evtx
