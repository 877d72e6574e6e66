#pragma once
// Builds an Event straight from a record's BinXML structure, with the semantics parse_event_element
// (event_element.cpp) applies to the same event rendered as XML, so detection, `scan` and the golden tests
// see the same Event from an .evtx record as from its wevtutil export:
// - the first <System>, <EventData> / <UserData> and System child of each name count, like pugixml's
//   child(); an element's value is its first text node that is not only whitespace (pugixml drops
//   whitespace-only text), with CR LF and CR turned into LF; attribute values have tab, CR and LF as spaces;
// - EventData/Data with a Name attribute are named fields, without one classic inserts, Binary the bytes;
//   UserData's first child is flattened to dotted names of its leaf elements;
// - what the elements hold goes into RawEventFields, and assemble_event() (assemble_event.h) makes the Event
//   with the rules and error messages the XML reader's events get.
// What EvtRender does and XML cannot show is done as [MS-EVEN6] 3.1.4.7 says: an element or attribute
// that directly holds an optional substitution whose value is NULL is left out (with everything in it), and
// an element holding an array value is repeated once per item.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "events/event.h"
#include "events/raw_event_fields.h"
#include "evtx/binxml.h"

namespace rdpmend::events::evtx {

class EventBuilder final : public BinXmlSink {
 public:
  EventBuilder();

  // Starts a record. `header_record_id` is the record header's id, used when the XML has no EventRecordID.
  void reset(std::uint64_t header_record_id);

  // The event, or false with the reason it is not one.
  bool finish(Event& out, std::string& error);

  void start_element(const Name& name) override;
  void attribute(const Name& name) override;
  void close_start_tag() override;
  void end_element() override;
  void text(std::string_view utf8) override;
  void cdata(std::string_view utf8) override;
  void substitution(const Value& value, bool optional) override;

  // A record's text may not expand past this (a template can reference one large value many times).
  static constexpr std::size_t kMaxTextBytes = 8 * 1024 * 1024;

 private:
  enum class Role : std::uint8_t {
    kIgnore,
    kRoot,
    kSystem,
    kEventData,
    kUserData,
    kUserDataRoot,
    kUserDataNode,
    kRenderingInfo,
    kMessage,
    kData,
    kBinary,
    // System children, in the order of kSystemRoles
    kProvider,
    kEventID,
    kVersion,
    kLevel,
    kTask,
    kOpcode,
    kKeywords,
    kTimeCreated,
    kEventRecordID,
    kCorrelation,
    kExecution,
    kChannel,
    kComputer,
    kSecurity,
  };
  // The System children whose text is the field itself (kept in system_text_, by role).
  static bool is_system_text(Role role);
  static constexpr int kSystemRoleCount = 14;

  // One open element. Text arrives in segments split by child elements and CDATA sections; the first
  // segment that is not only whitespace becomes the element's value.
  struct Frame {
    Role role = Role::kIgnore;
    bool collect = false;    // the element's value is used
    bool has_child = false;  // an element child was seen
    bool omitted = false;    // it holds an optional substitution whose value is NULL
    std::size_t event_data_mark = 0, user_data_mark = 0;  // fields before it, dropped with it if omitted
    bool value_set = false;
    std::string segment;
    std::string value;
    std::string path;  // UserData: the dotted name
    std::size_t segment_parts = 0;
    // An array value in the segment: its items and where it sits in the segment's text.
    bool segment_array = false;
    std::size_t segment_array_pos = 0;
    bool value_array = false;
    std::size_t value_array_pos = 0;
    std::vector<std::string> items;
    // Binary: a single binary value, kept as bytes.
    bool segment_bytes = false;
    bool value_bytes = false;
    std::span<const std::uint8_t> bytes;
  };

  // An attribute the event model reads.
  struct Slot {
    std::string text;
    bool present = false;
    std::optional<std::uint64_t> filetime;  // TimeCreated/@SystemTime given as one FILETIME value
  };
  enum SlotId : std::uint8_t {
    kSlotXmlns,
    kSlotProviderName,
    kSlotProviderGuid,
    kSlotEventSourceName,
    kSlotQualifiers,
    kSlotSystemTime,
    kSlotActivityId,
    kSlotProcessId,
    kSlotThreadId,
    kSlotUserId,
    kSlotDataName,
    kSlotCount,
  };

  Role role_for(const Frame* parent, const Name& name);
  Frame* top();
  void flush_segment(Frame& f);
  void finish_attribute();
  void attribute_part();
  void complete(Frame& f);
  void drop(Frame& f);
  void append_value_text(std::string& out, const Value& value);
  void values_of(Frame& f, std::vector<std::string>& out);
  bool budget(std::size_t bytes);

  static constexpr std::size_t kMaxFrames = 64;
  std::vector<Frame> frames_;
  std::size_t depth_ = 0;
  bool in_tag_ = false;
  bool unbalanced_ = false;
  bool overflow_ = false;
  std::size_t text_bytes_ = 0;
  std::uint64_t header_record_id_ = 0;

  int roots_ = 0;
  bool root_is_event_ = false;
  bool system_seen_ = false, event_data_seen_ = false, user_data_seen_ = false, rendering_seen_ = false;
  bool message_seen_ = false, user_data_root_seen_ = false;
  std::uint32_t system_seen_mask_ = 0;
  std::string system_text_[kSystemRoleCount];

  Slot slots_[kSlotCount];
  Slot* attr_ = nullptr;    // the attribute being read, when it is one the model reads
  bool attr_omit_ = false;  // it holds an optional substitution whose value is NULL
  std::size_t attr_parts_ = 0;

  std::vector<EventField> event_data_;
  std::vector<EventField> user_data_;
  bool any_named_ = false, any_unnamed_ = false;
  RawBinary binary_;
  std::string user_data_element_;
  std::string message_;

  std::vector<std::span<const std::uint8_t>> array_scratch_;
  std::vector<std::string> values_scratch_;
};

}  // namespace rdpmend::events::evtx
