#include "execute/crash_point.h"

#include <array>
#include <cstdlib>
#include <utility>

namespace rdpmend::execute {
namespace {

constexpr std::array<std::pair<Step, std::string_view>, 4> kSteps = {{
    {Step::kAfterIntent, "after-intent"},
    {Step::kAfterBackup, "after-backup"},
    {Step::kAfterApply, "after-apply"},
    {Step::kAfterVerify, "after-verify"},
}};

}  // namespace

std::string_view to_string(Step step) {
  for (const auto& [s, name] : kSteps)
    if (s == step) return name;
  return "?";
}

Result<CrashPoint> parse_crash_point(std::string_view text) {
  auto colon = text.find(':');
  std::string_view step = text.substr(0, colon);
  for (const auto& [s, name] : kSteps) {
    if (name != step) continue;
    CrashPoint point{s,
                     colon == std::string_view::npos ? std::string() : std::string(text.substr(colon + 1))};
    return point;
  }
  return Error{"read the test crash point", std::string(text),
               "expected after-intent, after-backup, after-apply or after-verify, optionally :ACTION"};
}

Result<std::optional<CrashPoint>> crash_point_from_environment() {
  const char* value = std::getenv("RDPMEND_TEST_CRASH_AT");
  if (!value || !*value) return std::optional<CrashPoint>();
  auto point = parse_crash_point(value);
  if (!point) return point.error();
  return std::optional<CrashPoint>(point.value());
}

}  // namespace rdpmend::execute
