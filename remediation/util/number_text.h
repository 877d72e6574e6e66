#pragma once
// Unsigned numbers read from text, strictly: every reader of numbers in outside text (event fields, SDDL)
// starts from this and adds its own leniency (whitespace, "0x") around it.

#include <charconv>
#include <concepts>
#include <optional>
#include <string_view>

namespace rdpmend::util {

// All of `text` as a number of type T in `base`: digits only (no sign, space or prefix), in T's range.
template <std::unsigned_integral T>
std::optional<T> parse_number(std::string_view text, int base = 10) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace rdpmend::util
