#include "plan/skip_reason.h"

#include <array>
#include <utility>

namespace rdpmend::plan {
namespace {

constexpr std::array<std::pair<SkipReason, std::string_view>, 13> kIds = {{
    {SkipReason::kNotAvailable, "not-available"},
    {SkipReason::kNotSelected, "not-selected"},
    {SkipReason::kModeOff, "mode-off"},
    {SkipReason::kModeObserve, "mode-observe"},
    {SkipReason::kNotAllowed, "not-allowed"},
    {SkipReason::kBreakerOpen, "breaker-open"},
    {SkipReason::kCooldown, "cooldown"},
    {SkipReason::kMaintenanceWindow, "maintenance-window"},
    {SkipReason::kNothingToRestart, "nothing-to-restart"},
    {SkipReason::kActiveSessions, "active-sessions"},
    {SkipReason::kRateLimit, "rate-limit"},
    {SkipReason::kAwaitingApproval, "awaiting-approval"},
    {SkipReason::kEarlierFailed, "earlier-failed"},
}};

}  // namespace

std::string_view skip_reason_id(SkipReason reason) {
  for (const auto& [r, id] : kIds)
    if (r == reason) return id;
  return "unknown";
}

std::optional<SkipReason> skip_reason_from_id(std::string_view id) {
  for (const auto& [r, text] : kIds)
    if (text == id) return r;
  return std::nullopt;
}

}  // namespace rdpmend::plan
