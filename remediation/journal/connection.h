#pragma once
// What the journal's parts share: the one SQLite connection, the file's path (every error names it) and the
// clock for recorded times; with the conversions between rows and values and the guard that turns SQLite's
// exceptions into Error values. Only the journal's own .cpp files include this.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "journal/time.h"

namespace rdpmend::journal {

struct Connection {
  std::string path;
  std::function<TimePoint()> clock;  // unset: system_clock
  std::unique_ptr<SQLite::Database> db;

  TimePoint now() const { return clock ? clock() : Clock::now(); }
};

std::int64_t to_ms(TimePoint t);
TimePoint from_ms(std::int64_t ms);
std::optional<TimePoint> optional_time(const SQLite::Column& column);
// A TEXT or BLOB column as bytes (NULL: empty).
std::string text(const SQLite::Column& column);

// SQLite's errors in words the agent can act on: corrupt and locked databases are named as such.
Error sqlite_error(std::string what, const std::string& path, int code, const std::string& message);

// Runs `body`, turning any exception into an Error value: nothing escapes to the caller.
template <typename Body>
auto guarded(const char* what, const std::string& path, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return sqlite_error(what, path, e.getErrorCode(), e.what());
  } catch (const std::exception& e) {
    return Error{what, path, e.what()};
  }
}

}  // namespace rdpmend::journal
