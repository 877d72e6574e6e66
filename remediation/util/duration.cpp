#include "util/duration.h"

#include <charconv>
#include <cstdint>

namespace rdpmend::util {

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      return std::nullopt;
  }
  std::int64_t value = 0;
  auto number = text.substr(0, text.size() - 1);
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  // Ten years is more history than any event log keeps; larger values are typos.
  if (ec != std::errc() || end != number.data() + number.size() || value <= 0 || value > 3650 * 86400 / unit)
    return std::nullopt;
  return std::chrono::seconds(value * unit);
}

}  // namespace rdpmend::util
