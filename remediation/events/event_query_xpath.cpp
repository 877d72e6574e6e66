#include "events/event_log_reader.h"

namespace rdpmend::events {

std::string event_query_xpath(std::optional<std::chrono::seconds> since) {
  if (!since) return "*";
  // timediff() is in milliseconds; the Event Log XPath subset accepts it on @SystemTime.
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*since).count();
  return "*[System[TimeCreated[timediff(@SystemTime) <= " + std::to_string(ms) + "]]]";
}

}  // namespace rdpmend::events
