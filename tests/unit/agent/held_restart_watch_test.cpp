// A restart the session guard held back runs by itself: the agent asks the session count again while the
// journal holds it, and runs the pass as soon as the last session ended, at its next check or at once when
// the service host reports a session change. While a session runs, no pass is added.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agent/agent.h"
#include "execute/sim_rig.h"

namespace rdpmend::agent {
namespace {

using namespace std::chrono_literals;
using execute::test::break_windows_host;
using journal::ActionState;

class HeldRestartWatch : public execute::test::SimRig {
 protected:
  void SetUp() override {
    SimRig::SetUp();
    start_with([](inspect::HostState& s) {
      break_windows_host(s);
      s.sessions = inspect::SessionCounts{1, 0};
    });
  }

  static policy::Policy policy() {
    return policy_with(
        {{"Mode", std::string("Auto")}, {"AllowRegenerateRdpCert", true}, {"AllowRestartRdpService", true}});
  }

  struct Run {
    std::vector<std::string> triggers;     // every pass, in order
    std::optional<ActionState> restarted;  // the restart's outcome in a held-restart pass
  };

  // Runs the agent until a held-restart pass ran the restart, or `limit` passed; `during` runs once the
  // start pass is over.
  Run run(execute::test::Process& p, Clock::duration check, Clock::duration limit,
          const std::function<void(Agent&)>& during) {
    boost::asio::io_context io;
    const auto pol = policy();
    AgentDeps deps;
    deps.host = p.host.get();
    deps.actions = &p.actions;
    deps.journal = &*p.journal;
    deps.policy = &pol;
    AgentConfig config;
    config.privileged = true;
    config.health_interval = 1h;  // no health pass during the test
    config.held_restart_check = check;
    Agent agent(io, std::move(deps), config);
    Run result;
    agent.on_pass = [&](const std::string& trigger, const execute::PassResult& r) {
      result.triggers.push_back(trigger);
      if (trigger.rfind("held-restart:", 0) != 0) return;
      for (const auto& a : r.executed.reports)
        if (a.action == "restart-rdp-service" && a.outcome != ActionState::kSkipped) {
          result.restarted = a.outcome;
          agent.stop();
          io.stop();
        }
    };
    agent.start();
    boost::asio::post(io, [&] { during(agent); });
    io.run_for(limit);
    agent.stop();
    return result;
  }
};

TEST_F(HeldRestartWatch, RunsWhenTheLastSessionEnds) {
  auto p = process();
  p.faults->session_env_makes_no_certificate = true;
  auto result = run(p, 20ms, 20s, [&](Agent&) { p.state->sessions = inspect::SessionCounts{}; });
  ASSERT_GE(result.triggers.size(), 2u);
  EXPECT_EQ(result.triggers[0].rfind("start:", 0), 0u);
  ASSERT_TRUE(result.restarted) << "no held-restart pass ran the restart";
  EXPECT_EQ(*result.restarted, ActionState::kSucceeded);
  EXPECT_TRUE(p.state->certificate.present);
  EXPECT_TRUE(p.journal->restarts().pending().value().empty());
}

TEST_F(HeldRestartWatch, ASessionChangeIsAskedAtOnce) {
  auto p = process();
  p.faults->session_env_makes_no_certificate = true;
  // The regular check would come in an hour: only the service host's report can make it run now.
  auto result = run(p, 1h, 20s, [&](Agent& agent) {
    p.state->sessions = inspect::SessionCounts{};
    agent.sessions_changed();
  });
  ASSERT_TRUE(result.restarted) << "the session change did not start the held-restart pass";
  EXPECT_EQ(*result.restarted, ActionState::kSucceeded);
}

TEST_F(HeldRestartWatch, NoPassWhileASessionRuns) {
  auto p = process();
  p.faults->session_env_makes_no_certificate = true;
  auto result = run(p, 5ms, 300ms, [](Agent& agent) { agent.sessions_changed(); });
  EXPECT_EQ(result.triggers.size(), 1u);  // the start pass only
  EXPECT_FALSE(result.restarted);
  ASSERT_EQ(p.journal->restarts().pending().value().size(), 1u);
  EXPECT_FALSE(p.state->certificate.present);
}

}  // namespace
}  // namespace rdpmend::agent
