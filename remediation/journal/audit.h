#pragma once
// The audit trail: what the engine noted for people (event gaps, an open circuit breaker, an administrator's
// rollback) and the policy each pass ran under, as snapshots.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "journal/time.h"

namespace rdpmend::journal {

struct Connection;

struct AuditEntry {
  std::int64_t id = 0;
  TimePoint at;
  std::string kind;  // e.g. event-gap, breaker-open
  std::string message;
  std::string detail;  // JSON
};

class AuditLog {
 public:
  explicit AuditLog(Connection& connection) : c_(&connection) {}

  Result<std::int64_t> record(std::string_view kind, std::string_view message,
                              std::string_view detail = "{}");
  // Entries recorded at or after `start`, oldest first.
  Result<std::vector<AuditEntry>> since(TimePoint start);

  Result<std::int64_t> save_policy_snapshot(std::string_view policy_json);
  Result<std::optional<std::string>> latest_policy_snapshot();

 private:
  Connection* c_;  // owned by the Journal, which outlives this part of it
};

}  // namespace rdpmend::journal
