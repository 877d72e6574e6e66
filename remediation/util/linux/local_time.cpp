#include <ctime>

#include "util/local_time.h"

namespace rdpmend::util {

LocalTime local_time(std::chrono::system_clock::time_point at) {
  std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_wday, tm.tm_hour * 60 + tm.tm_min};
}

}  // namespace rdpmend::util
