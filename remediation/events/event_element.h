#pragma once
// One rendered <Event> element (UTF-8) -> Event, with pugixml: the element of an exported file (event_xml.h
// cuts a file into them) or of EvtRender's output (the Windows API reader). The rules are assemble_event's.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "events/event.h"

namespace rdpmend::events {

// `inherited_namespace` is the default namespace declared by an enclosing <Events> element, if any. Errors
// carry an offset into `xml`.
struct FragmentError {
  std::size_t offset = 0;
  std::string message;
};
using FragmentResult = std::variant<Event, FragmentError>;
FragmentResult parse_event_element(std::string_view xml, std::string_view inherited_namespace = {});

}  // namespace rdpmend::events
