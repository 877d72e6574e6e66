#pragma once
// MaintenanceWindow: when RdpMend may change the host. Text form, local time of the host:
//   ""                          always (no window)
//   "Sat 02:00-04:00"           one day, one span
//   "Mon-Fri 22:00-06:00"       a day range; a span past midnight ends on the next day
//   "Sat,Sun 00:00-24:00; Wed 12:00-13:00"   several entries, separated by ';'
//   "Daily 01:00-02:00" or "* 01:00-02:00"   every day
// Day names are the English three-letter abbreviations, any case. Parsing only; no clock is read here.

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rdpmend::policy {

struct WindowSpan {
  unsigned days = 0;     // bit d set: starts on weekday d (0 = Sunday ... 6 = Saturday)
  int start_minute = 0;  // minutes after midnight, [0, 1440)
  int end_minute = 0;    // (0, 1440]; <= start_minute means it ends the next day
};

struct MaintenanceWindow {
  std::vector<WindowSpan> spans;  // empty: always open

  bool always() const { return spans.empty(); }
  // Is the window open on `weekday` (0 = Sunday) at `minute` after local midnight?
  bool contains(int weekday, int minute) const;
};

// The window, or why the text is not one (naming the offending part).
std::variant<MaintenanceWindow, std::string> parse_maintenance_window(std::string_view text);

}  // namespace rdpmend::policy
