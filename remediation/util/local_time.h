#pragma once
// The host's local wall clock, for the maintenance window: weekday (0 = Sunday) and minutes after midnight.

#include <chrono>

namespace rdpmend::util {

struct LocalTime {
  int weekday = 0;
  int minute = 0;
};

LocalTime local_time(std::chrono::system_clock::time_point at);

}  // namespace rdpmend::util
