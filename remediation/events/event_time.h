#pragma once
// Event timestamps as Windows renders them: ISO 8601 UTC with up to 7 fractional digits
// ("2023-07-12T12:01:05.5944806Z", EvtRender/wevtutil) or space-separated ("2018-07-06 18:45:47.017820",
// python-evtx and some pasted renderings).

#include <optional>
#include <string>
#include <string_view>

#include "events/event.h"

namespace rdpmend::events {

std::optional<TimePoint> parse_event_time(std::string_view text);

// ISO 8601 UTC with 7 fractional digits, the way EvtRender writes it.
std::string format_event_time(TimePoint time);

}  // namespace rdpmend::events
