#pragma once
// The rules that make an Event of a rendered event's fields, written once for every reader (exported XML,
// the Windows event log API, .evtx records): which elements must be there, how numbers are read, the classic
// message id split into event id and qualifiers, the shape of the data. Nothing is read here.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "events/event.h"
#include "events/raw_event_fields.h"

namespace rdpmend::events {

inline constexpr std::string_view kEventNamespace = "http://schemas.microsoft.com/win/2004/08/events/event";

// Why the fields are not an event, and where (RawText::at of the value at fault).
struct AssembleError {
  std::string message;
  std::size_t at = 0;
};

Result<Event, AssembleError> assemble_event(RawEventFields&& raw);

// A <Binary> element's text: EvtRender writes hex, python-evtx Base64. The last good one is kept; the first
// bad one is remembered for assemble_event to refuse.
void add_binary_text(RawBinary& binary, std::string_view text, std::size_t at);
// A <Binary> given as bytes (an .evtx binary value), with no text round trip.
void add_binary_bytes(RawBinary& binary, std::span<const std::uint8_t> bytes);

}  // namespace rdpmend::events
