#pragma once
// The agent: the loop run on events. On one Boost.Asio io_context: event sources -> detection (the catalog's
// rules) -> the trigger gate (a storm of one symptom is one incident) -> a remediation pass (execute/pass.h),
// plus a health pass every ProbeIntervalMinutes that needs no event (a certificate is renewed RenewBeforeDays
// ahead). While the journal holds a restart back for the sessions or the maintenance window, the agent
// counts the sessions every held_restart_check (and at once when the service host says a session ended)
// and runs the pass the moment neither holds it any more. At start, actions a crash left in flight are
// finished first. Bookmarks go to the journal only after the pass that their events triggered, so a crash
// replays events (the same trigger never acts twice) and never loses one. Stopping cancels what waits; a pass
// that runs finishes first (each action's waits are bounded), so the journal is consistent after any stop.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "actions/action.h"
#include "agent/agent_event.h"
#include "agent/event_source.h"
#include "agent/trigger_gate.h"
#include "events/catalog.h"
#include "execute/pass.h"
#include "inspect/host.h"
#include "journal/journal.h"
#include "policy.h"

namespace rdpmend::agent {

struct AgentDeps {
  inspect::Host* host = nullptr;
  const actions::ActionSet* actions = nullptr;
  journal::Journal* journal = nullptr;
  const policy::Policy* policy = nullptr;
  std::vector<std::unique_ptr<EventSource>> sources;
  AgentEventSink events;  // everything the agent reports (agent_event.h)
};

struct AgentConfig {
  Clock::duration settle = std::chrono::seconds(2);  // a failed connection's burst of lines is one incident
  bool privileged = false;
  bool startup_pass = true;
  // Overrides the policy's ProbeIntervalMinutes (tests and demos that cannot wait minutes).
  std::optional<Clock::duration> health_interval;
  std::optional<execute::CrashPoint> crash_at;  // the test hook, passed to every pass
  // How often a held-back restart's guards are asked again (the session count and the window: cheap reads,
  // only while a restart waits for them).
  Clock::duration held_restart_check = std::chrono::seconds(10);
};

struct AgentStats {
  std::uint64_t events = 0;
  std::uint64_t passes = 0;
  std::uint64_t actions_succeeded = 0;
  std::uint64_t actions_failed = 0;
  GateCounts gate;
};

class Agent {
 public:
  Agent(boost::asio::io_context& io, AgentDeps deps, AgentConfig config);
  ~Agent();

  void start();
  void stop();
  AgentStats stats() const;
  // A session ended or changed (Windows: the service's SERVICE_CONTROL_SESSIONCHANGE): a held-back restart's
  // guards are asked now instead of at the next check. Thread-safe (posted to the io_context).
  void sessions_changed();

  // What each pass produced (for the demo and the tests); called on the io_context.
  std::function<void(const std::string& trigger, const execute::PassResult&)> on_pass;

 private:
  void on_event(SourcedEvent&& e);
  void arm_pass_timer();
  void run_pass(const std::string& trigger, const std::string& why);
  void arm_tick();
  void watch_held_restarts(const std::vector<journal::RestartHold>& holds);
  void arm_hold_check(Clock::duration after);
  bool held_restart_may_run() const;
  void save_observations();
  void schedule_save();
  void emit(const AgentEvent& event) const;

  boost::asio::io_context& io_;
  AgentDeps deps_;
  AgentConfig config_;
  TriggerGate gate_;
  boost::asio::steady_timer pass_timer_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer hold_timer_;
  bool watching_holds_ = false;  // a restart waits for the sessions or the window: hold_timer_ is armed
  bool stopped_ = true;
  bool save_posted_ = false;
  AgentStats stats_;
  // Since the last save: the newest bookmark per channel and the symptoms seen.
  std::map<std::string, std::string> bookmarks_;
  std::map<std::pair<std::string, std::string>, journal::EventsSeen> seen_;
};

}  // namespace rdpmend::agent
