#include "events/event.h"

namespace rdpmend::events {

const std::string* Event::field(std::string_view name) const {
  for (const auto& f : data)
    if (f.name == name) return &f.value;
  return nullptr;
}

std::string_view level_name(std::uint8_t level) {
  switch (level) {
    case 0:
      return "LogAlways";
    case 1:
      return "Critical";
    case 2:
      return "Error";
    case 3:
      return "Warning";
    case 4:
      return "Information";
    case 5:
      return "Verbose";
    default:
      return "Level";
  }
}

}  // namespace rdpmend::events
