#include "events/assemble_event.h"

#include <concepts>
#include <optional>
#include <utility>

#include "events/event_time.h"
#include "util/encoding.h"
#include "util/number_text.h"

namespace rdpmend::events {
namespace {

bool is_xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// A number as rendered events write it: surrounding whitespace allowed, "0x" before hex, all of it a
// number in range.
template <std::unsigned_integral T>
std::optional<T> event_number(std::string_view text, int base = 10) {
  while (!text.empty() && is_xml_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_xml_space(text.back())) text.remove_suffix(1);
  if (base == 16 && text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    text.remove_prefix(2);
  return util::parse_number<T>(text, base);
}

AssembleError not_a_number(const char* what, const RawText& value) {
  return {std::string(what) + " '" + value.text.substr(0, 40) + "' is not a number in range", value.at};
}

// An optional number: empty text leaves `out` as it is.
template <typename T>
std::optional<AssembleError> read_number(const RawText& value, const char* what, T& out) {
  if (value.text.empty()) return std::nullopt;
  auto number = event_number<T>(value.text);
  if (!number) return not_a_number(what, value);
  out = *number;
  return std::nullopt;
}

template <typename T>
std::optional<AssembleError> read_number(const RawText& value, const char* what, std::optional<T>& out) {
  T number{};
  if (auto e = read_number(value, what, number)) return e;
  if (!value.text.empty()) out = number;
  return std::nullopt;
}

}  // namespace

void add_binary_text(RawBinary& binary, std::string_view text, std::size_t at) {
  if (auto bytes = util::decode_hex_or_base64(text))
    binary.bytes = std::move(*bytes);
  else if (!binary.bad)
    binary.bad = at;
}

void add_binary_bytes(RawBinary& binary, std::span<const std::uint8_t> bytes) {
  binary.bytes.assign(bytes.begin(), bytes.end());
}

Result<Event, AssembleError> assemble_event(RawEventFields&& raw) {
  if (!raw.root_is_event) return AssembleError{"expected an <Event> element", 0};
  if (!raw.event_namespace.empty() && raw.event_namespace != kEventNamespace)
    return AssembleError{"wrong namespace '" + raw.event_namespace.substr(0, 200) + "' (expected " +
                             std::string(kEventNamespace) + ")",
                         raw.root_at};
  if (!raw.system) return AssembleError{"no <System> element", raw.root_at};

  Event ev;
  if (!raw.provider) return AssembleError{"no <Provider> element", *raw.system};
  ev.provider_name = std::move(raw.provider_name.text);
  ev.provider_guid = std::move(raw.provider_guid);
  ev.event_source_name = std::move(raw.event_source_name);
  if (ev.provider_name.empty() && !ev.event_source_name.empty()) ev.provider_name = ev.event_source_name;
  if (ev.provider_name.empty()) return AssembleError{"<Provider> has no Name", raw.provider_name.at};

  if (!raw.event_id_element) return AssembleError{"no <EventID> element", *raw.system};
  auto raw_id = event_number<std::uint32_t>(raw.event_id.text);
  if (!raw_id) return not_a_number("EventID", raw.event_id);
  if (auto e = read_number(raw.qualifiers, "Qualifiers", ev.qualifiers)) return *e;
  // A classic message id (e.g. 0xC0000421) carries severity and facility in its upper 16 bits.
  ev.event_id = static_cast<std::uint16_t>(*raw_id & 0xFFFF);
  if (!ev.qualifiers && *raw_id > 0xFFFF) ev.qualifiers = static_cast<std::uint16_t>(*raw_id >> 16);

  if (auto e = read_number(raw.version, "Version", ev.version)) return *e;
  if (auto e = read_number(raw.level, "Level", ev.level)) return *e;
  if (auto e = read_number(raw.task, "Task", ev.task)) return *e;
  if (auto e = read_number(raw.opcode, "Opcode", ev.opcode)) return *e;
  if (!raw.keywords.text.empty()) {
    auto keywords = event_number<std::uint64_t>(raw.keywords.text, 16);
    if (!keywords)
      return AssembleError{"Keywords '" + raw.keywords.text.substr(0, 40) + "' is not a hexadecimal number",
                           raw.keywords.at};
    ev.keywords = *keywords;
  }
  if (raw.system_time_value) {
    ev.time_created = raw.system_time_value;
  } else if (!raw.system_time.text.empty()) {
    ev.time_created = parse_event_time(raw.system_time.text);
    if (!ev.time_created)
      return AssembleError{
          "TimeCreated/@SystemTime '" + raw.system_time.text.substr(0, 60) + "' is not a UTC time",
          raw.system_time.at};
  }
  // EvtRender always shows EventRecordID (it is the record header's id); a record whose template lacks it
  // still has the header's.
  ev.record_id = raw.default_record_id;
  if (auto e = read_number(raw.record_id, "EventRecordID", ev.record_id)) return *e;
  ev.activity_id = std::move(raw.activity_id);
  if (auto e = read_number(raw.process_id, "ProcessID", ev.process_id)) return *e;
  if (auto e = read_number(raw.thread_id, "ThreadID", ev.thread_id)) return *e;
  ev.channel = std::move(raw.channel);
  ev.computer = std::move(raw.computer);
  ev.user_sid = std::move(raw.user_sid);

  switch (raw.section) {
    case RawEventFields::Section::kEventData:
      if (raw.binary.bad) return AssembleError{"<Binary> is neither hexadecimal nor Base64", *raw.binary.bad};
      ev.binary = std::move(raw.binary.bytes);
      // Classic ReportEvent sources write unnamed inserts, or only binary data.
      ev.shape = (raw.unnamed_data && !raw.named_data) || (!raw.named_data && !ev.binary.empty())
                     ? DataShape::kClassic
                     : DataShape::kEventData;
      ev.data = std::move(raw.data);
      break;
    case RawEventFields::Section::kUserData:
      ev.shape = DataShape::kUserData;
      ev.user_data_element = std::move(raw.user_data_element);
      ev.data = std::move(raw.data);
      break;
    case RawEventFields::Section::kNone:
      break;
  }
  ev.message = std::move(raw.message);
  return ev;
}

}  // namespace rdpmend::events
