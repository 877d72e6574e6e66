#pragma once
// Detection: events in, symptoms out. Each event is checked against the catalog; matches are
// aggregated per symptom (count, first and last time, a bounded list of the latest evidence) and
// kept in a bounded timeline. The same record seen twice (overlapping exports) counts once.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "events/catalog.h"
#include "events/event.h"

namespace rdpmend::events {

struct Evidence {
  std::string channel;
  std::string provider;
  std::uint16_t event_id = 0;
  std::uint64_t record_id = 0;
  std::optional<TimePoint> time;
  std::string computer;
  std::string source;
  std::uint64_t source_line = 0;
  std::vector<std::pair<std::string, std::string>> details;  // label -> decoded value
};

struct SymptomReport {
  const SymptomDefinition* definition = nullptr;
  std::uint64_t count = 0;
  std::optional<TimePoint> first_seen;
  std::optional<TimePoint> last_seen;
  std::vector<Evidence> evidence;  // the latest ones, oldest first
};

struct TimelineEntry {
  Evidence evidence;
  bool is_symptom = false;
  std::string id;  // symptom id or context label
  std::string summary;
};

struct DetectorOptions {
  std::size_t max_evidence = 10;
  std::size_t max_timeline = 500;
};

class Detector {
 public:
  explicit Detector(const Catalog& catalog, DetectorOptions options = {});

  // True when the event matched a symptom rule or a context entry.
  bool add(const Event& event);

  // Most severe first, then by id.
  std::vector<SymptomReport> symptoms() const;
  // Oldest first; only the latest max_timeline entries are kept.
  std::vector<TimelineEntry> timeline() const;

  std::uint64_t events_seen() const { return events_seen_; }
  std::uint64_t events_matched() const { return events_matched_; }
  std::uint64_t duplicates() const { return duplicates_; }
  std::uint64_t timeline_dropped() const { return timeline_dropped_; }

 private:
  struct ByTime {
    bool operator()(const TimelineEntry& a, const TimelineEntry& b) const;
  };

  Evidence make_evidence(const Event& event, const Matcher& matcher) const;
  void add_timeline(TimelineEntry entry);

  const Catalog& catalog_;
  DetectorOptions options_;
  std::vector<SymptomReport> reports_;  // parallel to catalog_.symptoms
  std::multiset<TimelineEntry, ByTime> timeline_;
  std::unordered_set<std::string> seen_records_;
  std::uint64_t events_seen_ = 0;
  std::uint64_t events_matched_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t timeline_dropped_ = 0;
};

}  // namespace rdpmend::events
