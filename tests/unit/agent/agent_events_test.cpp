// The agent's reports are typed events: a start pass on a broken simulated host under Observe, and a
// circuit breaker that opened, seen as the values the sink receives (not as log words).
#include "agent/agent.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "execute/sim_rig.h"

namespace rdpmend::agent {
namespace {

using execute::test::break_windows_host;
using journal::ActionState;

class AgentEvents : public execute::test::SimRig {
 protected:
  // Starts the agent (its start pass runs at once), stops it, and returns what it reported.
  std::vector<AgentEvent> run_once(execute::test::Process& p, const policy::Policy& policy) {
    boost::asio::io_context io;
    std::vector<AgentEvent> events;
    AgentDeps deps;
    deps.host = p.host.get();
    deps.actions = &p.actions;
    deps.journal = &*p.journal;
    deps.policy = &policy;
    deps.events = [&events](const AgentEvent& e) { events.push_back(e); };
    AgentConfig config;
    config.privileged = true;
    Agent agent(io, std::move(deps), config);
    agent.start();
    agent.stop();
    return events;
  }

  template <class T>
  static std::vector<T> of_type(const std::vector<AgentEvent>& events) {
    std::vector<T> found;
    for (const auto& e : events)
      if (const auto* t = std::get_if<T>(&e)) found.push_back(*t);
    return found;
  }
};

TEST_F(AgentEvents, AStartPassUnderObserveReportsItsFindingsAndEverySkipAsValues) {
  start_with(break_windows_host);
  auto p = process();
  auto events = run_once(p, policy_with({}));
  ASSERT_FALSE(events.empty());
  ASSERT_TRUE(std::holds_alternative<AgentStarted>(events.front()));
  EXPECT_EQ(std::get<AgentStarted>(events.front()).mode, policy::Mode::kObserve);
  EXPECT_TRUE(std::holds_alternative<AgentStopped>(events.back()));
  ASSERT_EQ(of_type<PassStarted>(events).size(), 1u);
  auto findings = of_type<PassFindings>(events);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(std::find(findings[0].findings.begin(), findings[0].findings.end(), "machinekeys-acl-drift"),
            findings[0].findings.end());
  auto outcomes = of_type<ActionOutcome>(events);
  ASSERT_FALSE(outcomes.empty());
  for (const auto& o : outcomes) {
    EXPECT_EQ(o.outcome, ActionState::kSkipped) << o.action;
    EXPECT_EQ(o.skip, plan::SkipReason::kModeObserve) << o.action;
    EXPECT_FALSE(o.recovered);
  }
  EXPECT_TRUE(of_type<BreakerOpened>(events).empty());
}

TEST_F(AgentEvents, ABreakerThatOpenedIsAnEventOfItsOwn) {
  start_with(break_windows_host);
  auto p = process();
  auto policy = regenerate_until_breaker_opens(p);
  auto events = run_once(p, policy);
  auto opened = of_type<BreakerOpened>(events);
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].action, "regenerate-rdp-cert");
  bool skipped_by_breaker = false;
  for (const auto& o : of_type<ActionOutcome>(events))
    skipped_by_breaker =
        skipped_by_breaker || (o.action == "regenerate-rdp-cert" && o.skip == plan::SkipReason::kBreakerOpen);
  EXPECT_TRUE(skipped_by_breaker);
}

}  // namespace
}  // namespace rdpmend::agent
