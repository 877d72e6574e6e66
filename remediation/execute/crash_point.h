#pragma once
// A test hook: abort the process right after one executor step, to prove that the next start recovers.
// Set by RDPMEND_TEST_CRASH_AT=STEP[:ACTION], e.g. "after-apply" or "after-backup:regenerate-rdp-cert".
// Aborting is the only thing it can do, and only the account that starts rdpmend sets its environment.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace rdpmend::execute {

// after-intent   the intent is on disk, nothing else
// after-backup   the backup is on disk, the change not started
// after-apply    the host is changed, the journal does not know yet
// after-verify   verified and recorded, the outcome not yet
enum class Step { kAfterIntent, kAfterBackup, kAfterApply, kAfterVerify };

std::string_view to_string(Step step);

struct CrashPoint {
  Step step = Step::kAfterIntent;
  std::string action;  // empty: any action
};

Result<CrashPoint> parse_crash_point(std::string_view text);
// The environment's RDPMEND_TEST_CRASH_AT, if set; a malformed value is an error.
Result<std::optional<CrashPoint>> crash_point_from_environment();

}  // namespace rdpmend::execute
