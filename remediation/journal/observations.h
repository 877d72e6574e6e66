#pragma once
// Observations: the aggregated events seen, the findings, and the event bookmarks that say how far the
// event sources were read.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "journal/time.h"

namespace rdpmend::journal {

struct Connection;

struct EventsSeen {
  std::string symptom;
  std::string channel;
  std::int64_t count = 0;  // added to the stored count
  TimePoint first_seen;
  TimePoint last_seen;
};

struct Finding {
  std::int64_t id = 0;  // set when read back
  std::string host;
  std::string finding;  // finding id, e.g. rdp-key-file-acl-drift
  std::string target;
  std::string severity;
  std::string evidence;  // JSON
  TimePoint seen_at;
};

struct Bookmark {
  std::string channel;
  std::string bookmark;  // EvtCreateBookmark XML, or a log offset as text
};

// What one pass over new events produced. Recorded in one transaction: the bookmarks move only together with
// what was decided from the events they cover.
struct Observations {
  std::vector<EventsSeen> events;
  std::vector<Finding> findings;
  std::vector<Bookmark> bookmarks;
};

class ObservationLog {
 public:
  explicit ObservationLog(Connection& connection) : c_(&connection) {}

  Status record(const Observations& observations);
  Result<std::vector<EventsSeen>> events_seen();
  Result<std::vector<Finding>> findings_since(TimePoint since);

  Status save_bookmark(const Bookmark& bookmark);
  Result<std::optional<std::string>> load_bookmark(std::string_view channel);

 private:
  Connection* c_;  // owned by the Journal, which outlives this part of it
};

}  // namespace rdpmend::journal
