#pragma once
// Small byte/text conversions used by the event readers: hex, Base64, UTF-16LE.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdpmend::util {

// Upper-case hex, the way EvtRender writes <Binary>.
std::string to_hex(const std::vector<std::uint8_t>& bytes);

std::optional<std::vector<std::uint8_t>> from_hex(std::string_view text);
std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text);

// <Binary> is upper-case hex in EvtRender output and Base64 in python-evtx output. Text made only of
// hex digits with an even length is read as hex. Whitespace is ignored.
std::optional<std::vector<std::uint8_t>> decode_hex_or_base64(std::string_view text);

// UTF-16LE bytes -> UTF-8, stopping at the first NUL; nullopt if the bytes are not valid UTF-16.
std::optional<std::string> utf16le_to_utf8(const std::vector<std::uint8_t>& bytes);

// Appends the UTF-8 encoding of a valid code point.
void append_utf8(std::string& out, char32_t code_point);

std::string to_lower_ascii(std::string_view text);

// ASCII case-insensitive tests of `text` against a pattern already in lower case (the detection catalog
// lowers its values once at load), without building a lowered copy of `text` per event.
bool equals_lowered(std::string_view text, std::string_view lowered);
bool starts_with_lowered(std::string_view text, std::string_view lowered);
bool contains_lowered(std::string_view text, std::string_view lowered);

}  // namespace rdpmend::util
