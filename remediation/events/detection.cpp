#include "events/detection.h"

#include <algorithm>
#include <charconv>
#include <tuple>

#include "events/disconnect_reasons.h"
#include "events/event_time.h"

namespace rdpmend::events {
namespace {

bool earlier(const Evidence& a, const Evidence& b) {
  // Events without a time sort first; ties are broken by record id.
  return std::make_tuple(a.time.has_value(), a.time.value_or(TimePoint{}), a.record_id) <
         std::make_tuple(b.time.has_value(), b.time.value_or(TimePoint{}), b.record_id);
}

std::string decode(const DetailSpec& spec, const std::string& value) {
  if (spec.decode.empty()) return value;
  std::uint32_t code = 0;
  std::string_view text = value;
  int base = 10;
  if (text.starts_with("0x") || text.starts_with("0X")) {
    text.remove_prefix(2);
    base = 16;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), code, base);
  if (ec != std::errc() || end != text.data() + text.size()) return value;
  if (spec.decode == "disconnect-reason") return describe_disconnect_reason(code);
  if (spec.decode == "extended-disconnect-reason") return describe_extended_disconnect_reason(code);
  if (spec.decode == "termservice-cert-event") return describe_termservice_cert_event(code);
  return value;
}

// Log lines are long; evidence keeps a bounded excerpt.
constexpr std::size_t kMaxDetailLength = 400;

}  // namespace

bool Detector::ByTime::operator()(const TimelineEntry& a, const TimelineEntry& b) const {
  return earlier(a.evidence, b.evidence);
}

Detector::Detector(const Catalog& catalog, DetectorOptions options) : catalog_(catalog), options_(options) {
  for (const auto& def : catalog_.symptoms) reports_.push_back(SymptomReport{&def, 0, {}, {}, {}});
}

Evidence Detector::make_evidence(const Event& event, const Matcher& matcher) const {
  Evidence e{event.channel,   event.provider_name, event.event_id,
             event.record_id, event.time_created,  event.computer,
             event.source,    event.source_line,   {}};
  for (const auto& spec : matcher.details) {
    auto value = field_value(event, spec.field);
    if (!value || value->empty()) continue;
    std::string text = decode(spec, *value);
    if (text.size() > kMaxDetailLength) text = text.substr(0, kMaxDetailLength) + "...";
    e.details.emplace_back(spec.label, std::move(text));
  }
  return e;
}

void Detector::add_timeline(TimelineEntry entry) {
  timeline_.insert(std::move(entry));
  if (timeline_.size() > options_.max_timeline) {
    timeline_.erase(timeline_.begin());
    ++timeline_dropped_;
  }
}

bool Detector::add(const Event& event) {
  ++events_seen_;
  bool matched_symptom = false;
  const ContextRule* context = nullptr;
  // Each symptom once, with the first rule that matched it (its details describe the evidence).
  std::vector<std::pair<std::size_t, const Matcher*>> hits;
  for (const auto& rule : catalog_.rules) {
    if (!rule.match.matches(event)) continue;
    for (std::size_t i = 0; i < catalog_.symptoms.size(); ++i)
      if (catalog_.symptoms[i].id == rule.symptom &&
          std::none_of(hits.begin(), hits.end(), [i](const auto& h) { return h.first == i; }))
        hits.emplace_back(i, &rule.match);
  }
  if (hits.empty()) {
    for (const auto& c : catalog_.context)
      if (c.match.matches(event)) {
        context = &c;
        break;
      }
    if (!context) return false;
  }

  // A record exported twice (overlapping exports) is one event. Records without an id (log lines)
  // are never merged.
  if (event.record_id != 0) {
    std::string key = event.computer + '\n' + event.channel + '\n' + std::to_string(event.record_id) + '\n' +
                      std::to_string(event.event_id);
    if (!seen_records_.insert(std::move(key)).second) {
      ++duplicates_;
      return true;
    }
  }
  ++events_matched_;

  for (const auto& [index, matcher] : hits) {
    matched_symptom = true;
    Evidence ev = make_evidence(event, *matcher);
    auto& report = reports_[index];
    ++report.count;
    if (ev.time) {
      if (!report.first_seen || *ev.time < *report.first_seen) report.first_seen = ev.time;
      if (!report.last_seen || *ev.time > *report.last_seen) report.last_seen = ev.time;
    }
    auto pos = std::upper_bound(report.evidence.begin(), report.evidence.end(), ev, earlier);
    report.evidence.insert(pos, ev);
    if (report.evidence.size() > options_.max_evidence) report.evidence.erase(report.evidence.begin());
    add_timeline(TimelineEntry{std::move(ev), true, report.definition->id, report.definition->summary});
  }
  if (!matched_symptom && context)
    add_timeline(
        TimelineEntry{make_evidence(event, context->match), false, context->label, context->summary});
  return true;
}

std::vector<SymptomReport> Detector::symptoms() const {
  std::vector<SymptomReport> out;
  for (const auto& r : reports_)
    if (r.count > 0) out.push_back(r);
  std::sort(out.begin(), out.end(), [](const SymptomReport& a, const SymptomReport& b) {
    if (a.definition->severity != b.definition->severity)
      return a.definition->severity > b.definition->severity;
    return a.definition->id < b.definition->id;
  });
  return out;
}

std::vector<TimelineEntry> Detector::timeline() const {
  return {timeline_.begin(), timeline_.end()};
}

}  // namespace rdpmend::events
