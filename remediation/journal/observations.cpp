#include "journal/observations.h"

#include "journal/connection.h"

namespace rdpmend::journal {

Status ObservationLog::record(const Observations& observations) {
  return guarded("record observations", c_->path, [&]() -> Status {
    SQLite::Database& db = *c_->db;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement seen(db,
                           "INSERT INTO events_seen (symptom, channel, seen_count, first_seen, last_seen) "
                           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (symptom, channel) DO UPDATE SET "
                           "seen_count = seen_count + excluded.seen_count, "
                           "first_seen = MIN(first_seen, excluded.first_seen), "
                           "last_seen = MAX(last_seen, excluded.last_seen)");
    for (const auto& e : observations.events) {
      seen.bind(1, e.symptom);
      seen.bind(2, e.channel);
      seen.bind(3, e.count);
      seen.bind(4, to_ms(e.first_seen));
      seen.bind(5, to_ms(e.last_seen));
      seen.exec();
      seen.reset();
    }
    SQLite::Statement finding(db,
                              "INSERT INTO findings (host, finding, target, severity, evidence, seen_at) "
                              "VALUES (?, ?, ?, ?, ?, ?)");
    for (const auto& f : observations.findings) {
      finding.bind(1, f.host);
      finding.bind(2, f.finding);
      finding.bind(3, f.target);
      finding.bind(4, f.severity);
      finding.bind(5, f.evidence.empty() ? std::string("{}") : f.evidence);
      finding.bind(6, to_ms(f.seen_at));
      finding.exec();
      finding.reset();
    }
    SQLite::Statement bookmark(db,
                               "INSERT INTO bookmarks (channel, bookmark, updated_at) VALUES (?, ?, ?) "
                               "ON CONFLICT (channel) DO UPDATE SET bookmark = excluded.bookmark, "
                               "updated_at = excluded.updated_at");
    for (const auto& b : observations.bookmarks) {
      bookmark.bind(1, b.channel);
      bookmark.bind(2, b.bookmark);
      bookmark.bind(3, to_ms(c_->now()));
      bookmark.exec();
      bookmark.reset();
    }
    transaction.commit();
    return Ok{};
  });
}

Result<std::vector<EventsSeen>> ObservationLog::events_seen() {
  return guarded("read the events seen", c_->path, [&]() -> Result<std::vector<EventsSeen>> {
    SQLite::Statement query(*c_->db,
                            "SELECT symptom, channel, seen_count, first_seen, last_seen FROM events_seen "
                            "ORDER BY symptom, channel");
    std::vector<EventsSeen> rows;
    while (query.executeStep())
      rows.push_back({text(query.getColumn(0)), text(query.getColumn(1)), query.getColumn(2).getInt64(),
                      from_ms(query.getColumn(3).getInt64()), from_ms(query.getColumn(4).getInt64())});
    return rows;
  });
}

Result<std::vector<Finding>> ObservationLog::findings_since(TimePoint since) {
  return guarded("read the findings", c_->path, [&]() -> Result<std::vector<Finding>> {
    SQLite::Statement query(*c_->db,
                            "SELECT id, host, finding, target, severity, evidence, seen_at FROM findings "
                            "WHERE seen_at >= ? ORDER BY seen_at, id");
    query.bind(1, to_ms(since));
    std::vector<Finding> rows;
    while (query.executeStep())
      rows.push_back({query.getColumn(0).getInt64(), text(query.getColumn(1)), text(query.getColumn(2)),
                      text(query.getColumn(3)), text(query.getColumn(4)), text(query.getColumn(5)),
                      from_ms(query.getColumn(6).getInt64())});
    return rows;
  });
}

Status ObservationLog::save_bookmark(const Bookmark& bookmark) {
  Observations observations;
  observations.bookmarks.push_back(bookmark);
  return record(observations);
}

Result<std::optional<std::string>> ObservationLog::load_bookmark(std::string_view channel) {
  return guarded("load an event bookmark", c_->path, [&]() -> Result<std::optional<std::string>> {
    SQLite::Statement query(*c_->db, "SELECT bookmark FROM bookmarks WHERE channel = ?");
    query.bind(1, std::string(channel));
    if (!query.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(text(query.getColumn(0)));
  });
}

}  // namespace rdpmend::journal
