#include "maintenance_window.h"

#include "ascii_case.h"

#include <array>
#include <cctype>

namespace rdpmend::policy {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

int day_index(std::string_view name) {
  if (name.size() != 3) return -1;
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int d = 0; d < 7; ++d)
    if (kDays[static_cast<std::size_t>(d)] == lower) return d;
  return -1;
}

// "Mon", "Mon-Fri", "Sat,Sun", "Fri-Mon" (wraps), "Daily", "*".
std::variant<unsigned, std::string> parse_days(std::string_view text) {
  if (text == "*" || iequals(text, "daily")) return 0x7Fu;
  unsigned days = 0;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    auto dash = item.find('-');
    int first = day_index(trim(item.substr(0, dash)));
    int last = dash == std::string_view::npos ? first : day_index(trim(item.substr(dash + 1)));
    if (first < 0 || last < 0)
      return "'" + std::string(item) + "' is not a day (Mon, Tue, ..., Sun, a range Mon-Fri, Daily or *)";
    for (int d = first;; d = (d + 1) % 7) {
      days |= 1u << d;
      if (d == last) break;
    }
  }
  if (days == 0) return std::string("no day given");
  return days;
}

// "HH:MM", 00:00 .. 24:00.
int parse_time(std::string_view text) {
  text = trim(text);
  if (text.size() != 5 || text[2] != ':') return -1;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
  int hours = (text[0] - '0') * 10 + (text[1] - '0');
  int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) return -1;
  return hours * 60 + minutes;
}

}  // namespace

bool MaintenanceWindow::contains(int weekday, int minute) const {
  if (spans.empty()) return true;
  int yesterday = (weekday + 6) % 7;
  for (const auto& s : spans) {
    bool wraps = s.end_minute <= s.start_minute;
    if ((s.days & (1u << weekday)) && minute >= s.start_minute && (wraps || minute < s.end_minute))
      return true;
    if (wraps && (s.days & (1u << yesterday)) && minute < s.end_minute) return true;
  }
  return false;
}

std::variant<MaintenanceWindow, std::string> parse_maintenance_window(std::string_view text) {
  MaintenanceWindow window;
  text = trim(text);
  if (text.empty()) return window;
  while (!text.empty()) {
    auto semicolon = text.find(';');
    std::string_view entry = trim(text.substr(0, semicolon));
    text = semicolon == std::string_view::npos ? std::string_view() : text.substr(semicolon + 1);
    if (entry.empty()) return std::string("an empty entry between ';'");
    auto space = entry.find_last_of(" \t");
    if (space == std::string_view::npos)
      return "'" + std::string(entry) + "' needs days and a time span, like 'Sat 02:00-04:00'";
    auto days = parse_days(trim(entry.substr(0, space)));
    if (auto* why = std::get_if<std::string>(&days)) return *why;
    std::string_view span = entry.substr(space + 1);
    auto dash = span.find('-');
    int start = dash == std::string_view::npos ? -1 : parse_time(span.substr(0, dash));
    int end = dash == std::string_view::npos ? -1 : parse_time(span.substr(dash + 1));
    if (start < 0 || end < 0 || start == 1440)
      return "'" + std::string(span) + "' is not a time span HH:MM-HH:MM (00:00 to 24:00)";
    if (start == end) return "'" + std::string(span) + "' is empty (start equals end)";
    window.spans.push_back({std::get<unsigned>(days), start, end == 0 ? 1440 : end});
  }
  return window;
}

}  // namespace rdpmend::policy
