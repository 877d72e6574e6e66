#pragma once
// When an incident starts a remediation pass. The first relevant symptom makes a pass due after a short
// settle time (one failed connection writes a burst of lines: one incident); more of the same symptom within
// the hold-off (the policy's cooldown) start nothing new; another symptom does. At most one pass is pending,
// whatever the event rate: memory is bounded by the number of symptom ids. A pure class: the caller gives the
// time.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace rdpmend::agent {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

struct PendingPass {
  std::string trigger;             // the first triggering event's identity: the pass's idempotency key
  std::set<std::string> symptoms;  // what triggered it
  TimePoint first_seen;
};

struct GateCounts {
  std::uint64_t symptoms_seen = 0;
  std::uint64_t passes_started = 0;
  std::uint64_t held_off = 0;  // symptoms that started nothing (pending already, or within the hold-off)
};

class TriggerGate {
 public:
  TriggerGate(Clock::duration settle, Clock::duration hold_off);

  void on_symptom(const std::string& symptom, const std::string& trigger, TimePoint now);
  // When the pending pass is due; nothing pending: nullopt.
  std::optional<TimePoint> due_at() const;
  // Takes the pending pass if it is due at `now`.
  std::optional<PendingPass> take(TimePoint now);

  const GateCounts& counts() const { return counts_; }

 private:
  Clock::duration settle_;
  Clock::duration hold_off_;
  std::optional<PendingPass> pending_;
  std::map<std::string, TimePoint> last_started_;  // per symptom id
  GateCounts counts_;
};

}  // namespace rdpmend::agent
