#pragma once
// The event model: what a rendered Windows event (or a parsed xrdp log line) carries, nothing
// interpreted yet. Fields keep their order; classic events have unnamed fields.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rdpmend::events {

// Windows FILETIME resolution: 100 ns ticks.
using Ticks = std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>;
using TimePoint = std::chrono::time_point<std::chrono::system_clock, Ticks>;

enum class DataShape {
  kNone,       // no EventData / UserData
  kEventData,  // <EventData><Data Name="X">: manifest events
  kUserData,   // <UserData><EventXML xmlns="Event_NS"><X>: flattened to name/value
  kClassic,    // <EventData><Data> without names (+ <Binary>): classic ReportEvent sources
  kLogLine,    // a line of a text log (xrdp)
};

struct EventField {
  std::string name;  // empty for unnamed classic <Data>
  std::string value;
};

struct Event {
  std::string provider_name;
  std::string provider_guid;      // as written, braces kept; empty for classic sources
  std::string event_source_name;  // EventSourceName attribute (e.g. "TermService")
  std::uint16_t event_id = 0;     // masked to the real 16-bit id
  std::optional<std::uint16_t> qualifiers;
  std::uint8_t version = 0;
  std::uint8_t level = 0;
  std::uint16_t task = 0;
  std::uint8_t opcode = 0;
  std::uint64_t keywords = 0;
  std::optional<TimePoint> time_created;  // UTC
  std::uint64_t record_id = 0;
  std::string activity_id;
  std::string channel;
  std::string computer;
  std::string user_sid;
  std::optional<std::uint32_t> process_id;
  std::optional<std::uint32_t> thread_id;

  DataShape shape = DataShape::kNone;
  std::string user_data_element;  // the UserData child's name, e.g. "EventXML"
  std::vector<EventField> data;
  std::vector<std::uint8_t> binary;
  std::string message;  // RenderingInfo/Message, when the export has it (wevtutil /f:RenderedXml)

  // Where it was read from, for evidence and errors.
  std::string source;  // file path or channel name
  std::uint64_t source_line = 0;

  // The value of the first field with this name (case-sensitive, as Windows writes them).
  const std::string* field(std::string_view name) const;
};

// Level names as Event Viewer shows them (0 LogAlways, 1 Critical, 2 Error, 3 Warning, 4 Information, 5
// Verbose).
std::string_view level_name(std::uint8_t level);

}  // namespace rdpmend::events
