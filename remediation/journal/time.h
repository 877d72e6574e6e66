#pragma once
// The journal's clock: times are stored as UTC milliseconds since 1970-01-01.

#include <chrono>

namespace rdpmend::journal {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

}  // namespace rdpmend::journal
