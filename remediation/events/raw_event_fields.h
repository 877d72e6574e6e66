#pragma once
// What a reader found in one rendered event, as text, before any rule is applied: the XML element parser
// (event_element.cpp, also behind the Windows API reader) and the .evtx record builder
// (evtx/event_builder.cpp) fill it, and assemble_event() turns it into an Event. Empty text means "absent"
// for every optional value.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "events/event.h"

namespace rdpmend::events {

// A value and where it was read: an offset into the reader's input, so that an error can point at it (the
// XML reader turns it into a line and column); 0 where the reader has no positions.
struct RawText {
  std::string text;
  std::size_t at = 0;
};

// Where an element was seen; nullopt when it was not there.
using RawElement = std::optional<std::size_t>;

// What the <Binary> elements gave (add_binary_text / add_binary_bytes in assemble_event.h fill it).
struct RawBinary {
  std::vector<std::uint8_t> bytes;  // the last good one
  RawElement bad;                   // the first that is neither hex nor Base64
};

struct RawEventFields {
  bool root_is_event = false;  // the document element is <Event>
  std::size_t root_at = 0;
  std::string event_namespace;  // <Event>'s default namespace, its own or an enclosing <Events>'s

  RawElement system;
  RawElement provider;
  RawText provider_name;  // at: <Provider>
  std::string provider_guid;
  std::string event_source_name;
  RawElement event_id_element;
  RawText event_id;    // at: <EventID>
  RawText qualifiers;  // EventID/@Qualifiers; at: <EventID>
  RawText version, level, task, opcode, keywords;
  RawText system_time;                         // TimeCreated/@SystemTime
  std::optional<TimePoint> system_time_value;  // the same given as a time (an .evtx FILETIME value)
  RawText record_id;
  std::uint64_t default_record_id = 0;  // when record_id is empty: the .evtx record header's id
  std::string activity_id;
  RawText process_id, thread_id;  // Execution/@ProcessID, @ThreadID; at: <Execution>
  std::string channel;
  std::string computer;
  std::string user_sid;

  enum class Section { kNone, kEventData, kUserData };
  Section section = Section::kNone;  // the first of <EventData> / <UserData>
  std::vector<EventField> data;      // in order; classic inserts have no name
  bool named_data = false;           // a <Data> had a Name attribute (even an empty one)
  bool unnamed_data = false;         // a <Data> had none
  RawBinary binary;
  std::string user_data_element;
  std::string message;  // RenderingInfo/Message
};

}  // namespace rdpmend::events
