#include "events/event_json.h"

#include <cstdio>

#include "events/event_time.h"
#include "util/encoding.h"

namespace rdpmend::events {
namespace {

std::string_view shape_name(DataShape shape) {
  switch (shape) {
    case DataShape::kNone:
      return "none";
    case DataShape::kEventData:
      return "event-data";
    case DataShape::kUserData:
      return "user-data";
    case DataShape::kClassic:
      return "classic";
    case DataShape::kLogLine:
      return "log-line";
  }
  return "none";
}

// The two top bits of a classic message id: 0 success, 1 informational, 2 warning, 3 error.
std::string_view message_severity(std::uint16_t qualifiers) {
  static constexpr std::string_view kNames[] = {"success", "informational", "warning", "error"};
  return kNames[qualifiers >> 14];
}

nlohmann::ordered_json time_json(const std::optional<TimePoint>& t) {
  return t ? nlohmann::ordered_json(format_event_time(*t)) : nlohmann::ordered_json(nullptr);
}

}  // namespace

nlohmann::ordered_json event_to_json(const Event& e) {
  nlohmann::ordered_json j;
  j["provider"] = e.provider_name;
  j["provider_guid"] = e.provider_guid;
  j["event_source"] = e.event_source_name;
  j["event_id"] = e.event_id;
  if (e.qualifiers) {
    j["qualifiers"] = *e.qualifiers;
    char id[16];
    std::snprintf(id, sizeof id, "0x%04X%04X", static_cast<unsigned>(*e.qualifiers),
                  static_cast<unsigned>(e.event_id));
    j["message_id"] = id;
    j["message_severity"] = message_severity(*e.qualifiers);
  } else {
    j["qualifiers"] = nullptr;
  }
  j["version"] = e.version;
  j["level"] = e.level;
  j["level_name"] = level_name(e.level);
  j["task"] = e.task;
  j["opcode"] = e.opcode;
  char keywords[24];
  std::snprintf(keywords, sizeof keywords, "0x%016llX", static_cast<unsigned long long>(e.keywords));
  j["keywords"] = keywords;
  j["time"] = time_json(e.time_created);
  j["record_id"] = e.record_id;
  j["activity_id"] = e.activity_id;
  j["channel"] = e.channel;
  j["computer"] = e.computer;
  j["user_sid"] = e.user_sid;
  j["process_id"] = e.process_id ? nlohmann::ordered_json(*e.process_id) : nlohmann::ordered_json(nullptr);
  j["thread_id"] = e.thread_id ? nlohmann::ordered_json(*e.thread_id) : nlohmann::ordered_json(nullptr);
  j["shape"] = shape_name(e.shape);
  if (!e.user_data_element.empty()) j["user_data_element"] = e.user_data_element;
  auto data = nlohmann::ordered_json::array();
  for (const auto& f : e.data) data.push_back({{"name", f.name}, {"value", f.value}});
  j["data"] = std::move(data);
  j["binary"] = util::to_hex(e.binary);
  if (!e.message.empty()) j["message"] = e.message;
  return j;
}

nlohmann::ordered_json evidence_to_json(const Evidence& ev) {
  nlohmann::ordered_json j;
  j["channel"] = ev.channel;
  j["provider"] = ev.provider;
  j["event_id"] = ev.event_id;
  j["record_id"] = ev.record_id;
  j["time"] = time_json(ev.time);
  j["computer"] = ev.computer;
  j["source"] = ev.source;
  j["line"] = ev.source_line;
  nlohmann::ordered_json details = nlohmann::ordered_json::object();
  for (const auto& [label, value] : ev.details) details[label] = value;
  j["details"] = std::move(details);
  return j;
}

nlohmann::ordered_json symptom_to_json(const SymptomReport& r) {
  nlohmann::ordered_json j;
  j["id"] = r.definition->id;
  j["severity"] = severity_name(r.definition->severity);
  j["remediable"] = r.definition->remediable;
  j["summary"] = r.definition->summary;
  j["count"] = r.count;
  j["first_seen"] = time_json(r.first_seen);
  j["last_seen"] = time_json(r.last_seen);
  auto evidence = nlohmann::ordered_json::array();
  for (const auto& e : r.evidence) evidence.push_back(evidence_to_json(e));
  j["evidence"] = std::move(evidence);
  j["doc"] = r.definition->doc;
  return j;
}

nlohmann::ordered_json timeline_entry_to_json(const TimelineEntry& t) {
  nlohmann::ordered_json j = evidence_to_json(t.evidence);
  j["kind"] = t.is_symptom ? "symptom" : "context";
  j["id"] = t.id;
  j["summary"] = t.summary;
  return j;
}

nlohmann::ordered_json read_error_to_json(const ReadError& e) {
  return {{"file", e.file}, {"line", e.line}, {"column", e.column}, {"message", e.message}};
}

}  // namespace rdpmend::events
