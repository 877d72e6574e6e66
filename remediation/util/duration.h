#pragma once
// Durations as users type them: "90s", "30m", "24h", "7d" (one number, one unit).

#include <chrono>
#include <optional>
#include <string_view>

namespace rdpmend::util {

std::optional<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace rdpmend::util
