#include "journal/connection.h"

#include <sqlite3.h>

namespace rdpmend::journal {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

std::int64_t to_ms(TimePoint t) {
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_ms(std::int64_t ms) {
  return TimePoint(duration_cast<Clock::duration>(milliseconds(ms)));
}

std::optional<TimePoint> optional_time(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return from_ms(column.getInt64());
}

std::string text(const SQLite::Column& column) {
  if (column.isNull()) return {};
  return std::string(static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(column.getBytes()));
}

Error sqlite_error(std::string what, const std::string& path, int code, const std::string& message) {
  const int primary = code & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    return Error{std::move(what), path,
                 "the database is corrupt (" + message +
                     "); no change will be made until it is repaired or moved away"};
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return Error{
        std::move(what), path,
        "the database is locked by another connection (" + message + "); no change will be made while it is"};
  return Error{std::move(what), path, message};
}

}  // namespace rdpmend::journal
