#include "events/xrdp_log.h"

#include <ctime>
#include <fstream>

namespace rdpmend::events {
namespace {

constexpr std::size_t kMaxLineBytes = 64 * 1024;

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

std::optional<TimePoint> local_to_utc(int y, int mo, int d, int h, int mi, int s) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  tm.tm_isdst = -1;
  std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::time_point_cast<Ticks>(std::chrono::system_clock::from_time_t(t));
}

}  // namespace

std::optional<Event> parse_xrdp_log_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // "[YYYYMMDD-HH:MM:SS] [LEVEL] text"
  int y, mo, d, h, mi, s;
  if (line.size() < 20 || line[0] != '[' || !digits(line, 1, 4, y) || !digits(line, 5, 2, mo) ||
      !digits(line, 7, 2, d) || line[9] != '-' || !digits(line, 10, 2, h) || line[12] != ':' ||
      !digits(line, 13, 2, mi) || line[15] != ':' || !digits(line, 16, 2, s) || line[18] != ']')
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::string_view rest = line.substr(19);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty() || rest.front() != '[') return std::nullopt;
  auto close = rest.find(']');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view level = rest.substr(1, close - 1);
  while (!level.empty() && level.back() == ' ') level.remove_suffix(1);
  std::string_view text = rest.substr(close + 1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);

  Event ev;
  ev.provider_name = "xrdp";
  ev.channel = std::string(kXrdpChannel);
  ev.shape = DataShape::kLogLine;
  if (level == "CORE")
    ev.level = 1;
  else if (level == "ERROR")
    ev.level = 2;
  else if (level == "WARN")
    ev.level = 3;
  else if (level == "INFO")
    ev.level = 4;
  else if (level == "DEBUG" || level == "TRACE")
    ev.level = 5;
  else
    return std::nullopt;
  ev.time_created = local_to_utc(y, mo, d, h, mi, s);
  ev.message = std::string(text);
  return ev;
}

ReadStats read_xrdp_log(std::istream& in, const std::string& source, const EventCallback& on_event,
                        const ErrorCallback& on_error) {
  ReadStats stats;
  std::uint64_t line_number = 0, other_lines = 0;
  std::string line;
  char c;
  bool too_long = false;
  auto finish_line = [&] {
    ++line_number;
    if (too_long) {
      ++stats.errors;
      on_error(ReadError{source, line_number, 1, "line longer than 64 KiB; skipped"});
    } else if (auto ev = parse_xrdp_log_line(line)) {
      ev->source = source;
      ev->source_line = line_number;
      ++stats.events;
      on_event(std::move(*ev));
    } else if (!line.empty()) {
      ++other_lines;
    }
    line.clear();
    too_long = false;
  };
  while (in.get(c)) {
    if (c == '\n') {
      finish_line();
    } else if (!too_long) {
      if (line.size() >= kMaxLineBytes) {
        too_long = true;
        std::string().swap(line);
      } else {
        line.push_back(c);
      }
    }
  }
  if (!line.empty() || too_long) finish_line();
  // An empty log is a quiet xrdp; a log with lines but none in xrdp's format is the wrong file.
  if (stats.events == 0 && stats.errors == 0 && other_lines > 0) {
    ++stats.errors;
    on_error(ReadError{source, 0, 0, "no line in xrdp's log format ([YYYYMMDD-hh:mm:ss] [LEVEL] text)"});
  }
  return stats;
}

ReadStats read_xrdp_log_file(const std::filesystem::path& path, const EventCallback& on_event,
                             const ErrorCallback& on_error) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec)) {
    on_error(ReadError{path.string(), 0, 0, "cannot open as a log file"});
    return {0, 1};
  }
  return read_xrdp_log(in, path.string(), on_event, on_error);
}

}  // namespace rdpmend::events
