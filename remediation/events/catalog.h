#pragma once
// The detection catalog: data that maps events to symptom ids. Compiled in from
// policies/catalog/detection.json and overridable by path. A catalog file is input like any other:
// it is validated whole (unknown keys, unknown symptoms, bad types) before it is used.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "events/event.h"

namespace rdpmend::events {

enum class Severity { kInfo, kWarning, kError, kCritical };
std::string_view severity_name(Severity s);
// The inverse of severity_name; nullopt for any other text.
std::optional<Severity> parse_severity(std::string_view name);
// The severity named at `key` of a catalog object (either catalog's); util::JsonFailure (util/strict_json.h)
// when it is missing or not a severity.
Severity severity_at(const nlohmann::json& object, const char* key, const std::string& where);

struct SymptomDefinition {
  std::string id;
  Severity severity = Severity::kWarning;
  bool remediable = false;
  std::string summary;
  std::string doc;
};

// A condition on one field. Field references: "Name" (a named field), "#N" (the Nth field, 1-based, as
// %N in a classic message), "@message" (log line / rendered message), "@binary_utf16" (Binary read as
// UTF-16LE text), "@binary_hex", "@binary_last_dword", "@event_id", "@message_id".
struct Condition {
  enum class Op { kEquals, kIn, kNotIn, kContains, kStartsWith, kAll, kAny };
  Op op = Op::kEquals;
  std::string field;
  std::vector<std::string> values;  // lower-cased: comparisons ignore ASCII case
  std::vector<Condition> children;  // for kAll / kAny
};

struct DetailSpec {
  std::string field;
  std::string label;
  std::string decode;  // "", "disconnect-reason", "extended-disconnect-reason", "termservice-cert-event"
};

struct Matcher {
  std::vector<std::string> channels;     // lower-cased
  std::vector<std::string> providers;    // lower-cased; matched against provider name or event source name
  std::vector<std::uint16_t> event_ids;  // empty = any
  std::vector<Condition> where;          // all must hold
  std::vector<DetailSpec> details;

  bool matches(const Event& event) const;
};

struct DetectionRule {
  std::string symptom;
  Matcher match;
};

struct ContextRule {
  std::string label;
  std::string summary;
  Matcher match;
};

// How the Windows agent subscribes to the rules' channels: client-side and audit channels (and xrdp's log,
// which is not a channel) are not where a host's listener failures are logged, and a busy channel is read
// through its rules' providers only.
struct ChannelWatch {
  std::vector<std::string> not_watched;
  std::vector<std::string> by_provider;
};

struct Catalog {
  ChannelWatch watch;
  std::vector<SymptomDefinition> symptoms;
  std::vector<DetectionRule> rules;
  std::vector<ContextRule> context;

  const SymptomDefinition* symptom(std::string_view id) const;
};

// The symptom an event is (the first matching rule's), or null.
const SymptomDefinition* classify(const Catalog& catalog, const Event& event);

Result<Catalog> parse_catalog(std::string_view json_text, const std::string& origin);
Result<Catalog> load_catalog_file(const std::filesystem::path& path);
const Catalog& default_catalog();

// Reads a field reference (see Condition) from an event; nullopt if the event has no such value.
std::optional<std::string> field_value(const Event& event, std::string_view field);

}  // namespace rdpmend::events
