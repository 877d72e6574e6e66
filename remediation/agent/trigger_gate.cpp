#include "agent/trigger_gate.h"

namespace rdpmend::agent {

TriggerGate::TriggerGate(Clock::duration settle, Clock::duration hold_off)
    : settle_(settle), hold_off_(hold_off) {}

void TriggerGate::on_symptom(const std::string& symptom, const std::string& trigger, TimePoint now) {
  ++counts_.symptoms_seen;
  auto last = last_started_.find(symptom);
  if (last != last_started_.end() && now - last->second < hold_off_) {
    ++counts_.held_off;
    return;
  }
  if (pending_) {
    if (!pending_->symptoms.insert(symptom).second) ++counts_.held_off;
    return;
  }
  pending_ = PendingPass{trigger, {symptom}, now};
}

std::optional<TimePoint> TriggerGate::due_at() const {
  if (!pending_) return std::nullopt;
  return pending_->first_seen + settle_;
}

std::optional<PendingPass> TriggerGate::take(TimePoint now) {
  if (!pending_ || now < pending_->first_seen + settle_) return std::nullopt;
  PendingPass pass = std::move(*pending_);
  pending_.reset();
  for (const auto& s : pass.symptoms) last_started_[s] = now;
  ++counts_.passes_started;
  return pass;
}

}  // namespace rdpmend::agent
