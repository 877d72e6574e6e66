#include "agent/agent.h"

#include <boost/asio/post.hpp>

#include "plan/planner.h"
#include "util/local_time.h"

namespace rdpmend::agent {
namespace {

std::string unix_ms(TimePoint t) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

std::chrono::steady_clock::duration until(TimePoint t) {
  auto d = t - Clock::now();
  return d < Clock::duration::zero() ? std::chrono::steady_clock::duration::zero()
                                     : std::chrono::duration_cast<std::chrono::steady_clock::duration>(d);
}

}  // namespace

Agent::Agent(boost::asio::io_context& io, AgentDeps deps, AgentConfig config)
    : io_(io),
      deps_(std::move(deps)),
      config_(config),
      gate_(config.settle, std::chrono::minutes(deps_.policy->cooldown_minutes)),
      pass_timer_(io),
      tick_timer_(io),
      hold_timer_(io) {}

Agent::~Agent() {
  stop();
}

void Agent::emit(const AgentEvent& event) const {
  if (deps_.events) deps_.events(event);
}

void Agent::start() {
  stopped_ = false;
  emit(AgentStarted{deps_.policy->mode,
                    std::chrono::duration_cast<std::chrono::seconds>(config_.health_interval.value_or(
                        std::chrono::minutes(deps_.policy->probe_interval_minutes))),
                    deps_.sources.size()});
  if (config_.startup_pass) run_pass("start:" + unix_ms(Clock::now()), "start (recovery and health check)");
  for (auto& source : deps_.sources) {
    auto stored = deps_.journal->observations().load_bookmark(source->channel());
    std::string bookmark;
    if (stored && stored.value()) bookmark = *stored.value();
    if (!stored)
      emit(JournalProblem{LogLevel::kWarning,
                          "bookmark for " + source->channel() + ": " + stored.error().message()});
    auto channel = source->channel();
    source->start(bookmark, EventSink{[this](SourcedEvent&& e) { on_event(std::move(e)); },
                                      [this, channel](const std::string& position) {
                                        if (stopped_) return;
                                        bookmarks_[channel] = position;
                                        schedule_save();
                                      },
                                      [this, channel](const std::string& text) {
                                        emit(SourceProblem{channel, text, false});
                                      },
                                      [this, channel](const std::string& text) {
                                        emit(SourceProblem{channel, text, true});
                                        (void)deps_.journal->audit().record("event-gap", text);
                                      }});
  }
  arm_tick();
  if (!config_.startup_pass) {
    auto holds = deps_.journal->restarts().pending();
    if (holds)
      watch_held_restarts(holds.value());
    else
      emit(JournalProblem{LogLevel::kWarning, "held-back restarts: " + holds.error().message()});
  }
}

void Agent::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& source : deps_.sources) source->stop();
  pass_timer_.cancel();
  tick_timer_.cancel();
  hold_timer_.cancel();
  save_observations();
  emit(AgentStopped{});
}

AgentStats Agent::stats() const {
  AgentStats s = stats_;
  s.gate = gate_.counts();
  return s;
}

void Agent::on_event(SourcedEvent&& e) {
  if (stopped_) return;
  ++stats_.events;
  bookmarks_[e.channel] = e.bookmark;
  const auto* symptom = events::classify(events::default_catalog(), e.event);
  if (!symptom || symptom->severity < events::Severity::kWarning) {
    schedule_save();
    return;
  }
  TimePoint now = e.event.time_created ? std::chrono::time_point_cast<Clock::duration>(*e.event.time_created)
                                       : Clock::now();
  auto& seen = seen_[{symptom->id, e.channel}];
  if (seen.count == 0) {
    seen = journal::EventsSeen{symptom->id, e.channel, 0, now, now};
  }
  ++seen.count;
  seen.last_seen = std::max(seen.last_seen, now);
  schedule_save();
  bool was_pending = gate_.due_at().has_value();
  gate_.on_symptom(symptom->id, e.channel + "@" + e.bookmark, Clock::now());
  if (!was_pending && gate_.due_at()) {
    emit(SymptomDetected{symptom->id, e.channel,
                         std::chrono::duration_cast<std::chrono::milliseconds>(config_.settle)});
    arm_pass_timer();
  }
}

void Agent::arm_pass_timer() {
  auto due = gate_.due_at();
  if (!due) return;
  pass_timer_.expires_after(until(*due));
  pass_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    auto pass = gate_.take(Clock::now());
    if (!pass) {
      arm_pass_timer();
      return;
    }
    std::string why;
    for (const auto& s : pass->symptoms) why += (why.empty() ? "" : ", ") + s;
    run_pass(pass->trigger, why);
    save_observations();
    arm_pass_timer();
  });
}

void Agent::arm_tick() {
  Clock::duration interval = config_.health_interval.value_or(
      std::chrono::minutes(std::max(1, deps_.policy->probe_interval_minutes)));
  tick_timer_.expires_after(interval);
  tick_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    run_pass("tick:" + unix_ms(Clock::now()), "periodic health check");
    save_observations();
    arm_tick();
  });
}

void Agent::sessions_changed() {
  boost::asio::post(io_, [this] {
    if (stopped_ || !watching_holds_) return;
    hold_timer_.cancel();  // its handler sees operation_aborted and does nothing
    arm_hold_check(Clock::duration::zero());
  });
}

// Only the guards that end by themselves are watched: a restart held by the cooldown or the rate limit runs
// at the next pass that comes anyway, one held by the policy when an administrator changes it.
void Agent::watch_held_restarts(const std::vector<journal::RestartHold>& holds) {
  bool waits = std::any_of(holds.begin(), holds.end(), [](const journal::RestartHold& h) {
    return h.reason == plan::SkipReason::kActiveSessions || h.reason == plan::SkipReason::kMaintenanceWindow;
  });
  if (!waits) {
    if (watching_holds_) hold_timer_.cancel();
    watching_holds_ = false;
    return;
  }
  if (watching_holds_) return;
  arm_hold_check(config_.held_restart_check);
}

void Agent::arm_hold_check(Clock::duration after) {
  watching_holds_ = true;
  hold_timer_.expires_after(after);
  hold_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    if (!held_restart_may_run()) {
      arm_hold_check(config_.held_restart_check);
      return;
    }
    watching_holds_ = false;
    run_pass("held-restart:" + unix_ms(Clock::now()),
             "a held-back restart may run: no session, inside the window");
    save_observations();
  });
}

// The planner's own guards on the session count and the clock: the pass runs only when it would run the
// restart (an unknown count still holds it back).
bool Agent::held_restart_may_run() const {
  std::optional<inspect::SessionCounts> sessions;
  if (deps_.host->sessions)
    if (auto counted = deps_.host->sessions->count(); counted) sessions = counted.value();
  auto local = util::local_time(std::chrono::system_clock::now());
  return !plan::sessions_hold_restart(*deps_.policy, sessions) &&
         !plan::outside_maintenance_window(*deps_.policy, local.weekday, local.minute);
}

void Agent::run_pass(const std::string& trigger, const std::string& why) {
  execute::PassInput input;
  input.host = deps_.host;
  input.actions = deps_.actions;
  input.journal = deps_.journal;
  input.policy = deps_.policy;
  execute::PassOptions options;
  options.privileged = config_.privileged;
  options.trigger = trigger;
  options.crash_at = config_.crash_at;
  ++stats_.passes;
  emit(PassStarted{trigger, why});
  auto result = execute::run_pass(input, options);
  if (!result) {
    emit(PassFailed{why, result.error().message()});
    if (auto holds = deps_.journal->restarts().pending(); holds) watch_held_restarts(holds.value());
    return;
  }
  const auto& r = result.value();
  if (!r.hold_problem.empty())
    emit(JournalProblem{LogLevel::kError, "the journal did not keep a held-back restart: " + r.hold_problem});
  watch_held_restarts(r.held_restarts);
  for (const auto& a : r.recovered)
    emit(ActionOutcome{a.action, a.target, a.outcome, a.skip, a.action_row, a.detail, true});
  PassFindings findings{why, {}};
  for (const auto& f : r.diagnosis.findings) findings.findings.push_back(f.rule->id);
  emit(findings);
  for (const auto& a : r.plan.actions)
    if (a.skip == plan::SkipReason::kBreakerOpen) emit(BreakerOpened{a.action, a.target, a.reason});
  for (const auto& a : r.executed.reports) {
    if (a.outcome == journal::ActionState::kSucceeded) ++stats_.actions_succeeded;
    if (a.outcome == journal::ActionState::kFailed || a.outcome == journal::ActionState::kRolledBack)
      ++stats_.actions_failed;
    if (a.duplicate) continue;
    emit(ActionOutcome{a.action, a.target, a.outcome, a.skip, a.action_row, a.detail, false});
  }
  if (r.executed.final_state.self_probe) emit(SelfProbeVerdict{r.executed.final_state.self_probe->verdict});
  if (on_pass) on_pass(trigger, r);
}

void Agent::schedule_save() {
  if (save_posted_) return;
  save_posted_ = true;
  // After the batch the source is delivering; while a pass is pending its events' bookmarks wait for it.
  boost::asio::post(io_, [this] {
    save_posted_ = false;
    if (!stopped_ && !gate_.due_at()) save_observations();
  });
}

void Agent::save_observations() {
  if (bookmarks_.empty() && seen_.empty()) return;
  journal::Observations observations;
  for (auto& [key, seen] : seen_) observations.events.push_back(seen);
  for (auto& [channel, bookmark] : bookmarks_) observations.bookmarks.push_back({channel, bookmark});
  if (auto saved = deps_.journal->observations().record(observations); !saved) {
    emit(JournalProblem{
        LogLevel::kError,
        "the journal did not take the bookmarks (events will be read again): " + saved.error().message()});
    return;
  }
  bookmarks_.clear();
  seen_.clear();
}

}  // namespace rdpmend::agent
