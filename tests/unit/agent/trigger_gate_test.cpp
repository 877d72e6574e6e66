// The trigger gate: an incident's burst is one pass, the hold-off stops repeats, a storm stays one pass per
// hold-off with bounded state.

#include "agent/trigger_gate.h"

#include <gtest/gtest.h>

namespace rdpmend::agent {
namespace {

using namespace std::chrono_literals;

const TimePoint t0 = TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 11 / 25).time_since_epoch());

TEST(TriggerGate, ABurstIsOnePassAfterTheSettleTime) {
  TriggerGate gate(2s, 30min);
  gate.on_symptom("xrdp-key-unreadable", "log@1:100", t0);
  gate.on_symptom("xrdp-key-unreadable", "log@1:200", t0 + 100ms);
  gate.on_symptom("xrdp-tls-accept-failed", "log@1:300", t0 + 200ms);
  ASSERT_TRUE(gate.due_at());
  EXPECT_EQ(*gate.due_at(), t0 + 2s);
  EXPECT_FALSE(gate.take(t0 + 1s)) << "not before the settle time";
  auto pass = gate.take(t0 + 2s);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->trigger, "log@1:100") << "the first event names the incident";
  EXPECT_EQ(pass->symptoms, (std::set<std::string>{"xrdp-key-unreadable", "xrdp-tls-accept-failed"}));
  EXPECT_FALSE(gate.due_at());
  EXPECT_FALSE(gate.take(t0 + 3s));
}

TEST(TriggerGate, TheSameSymptomWithinTheHoldOffStartsNothingAnotherDoes) {
  TriggerGate gate(2s, 30min);
  gate.on_symptom("xrdp-key-unreadable", "a", t0);
  ASSERT_TRUE(gate.take(t0 + 2s));
  gate.on_symptom("xrdp-key-unreadable", "b", t0 + 10min);
  EXPECT_FALSE(gate.due_at()) << "held off";
  gate.on_symptom("xrdp-cert-unreadable", "c", t0 + 11min);
  ASSERT_TRUE(gate.due_at());
  EXPECT_EQ(gate.take(t0 + 12min)->trigger, "c");
  gate.on_symptom("xrdp-key-unreadable", "d", t0 + 31min);  // the hold-off is over
  ASSERT_TRUE(gate.due_at());
  EXPECT_EQ(gate.take(t0 + 32min)->trigger, "d");
  EXPECT_EQ(gate.counts().passes_started, 3u);
  EXPECT_EQ(gate.counts().held_off, 1u);
}

TEST(TriggerGate, AMillionEventsOfOneSymptomAreOnePassPerHoldOff) {
  TriggerGate gate(2s, 30min);
  int passes = 0;
  // One event every 10 ms for ~2.8 hours of replayed time: 1,000,000 events.
  for (int i = 0; i < 1'000'000; ++i) {
    auto now = t0 + std::chrono::milliseconds(10LL * i);
    gate.on_symptom("xrdp-key-unreadable", "log@1:" + std::to_string(i), now);
    if (gate.take(now)) ++passes;
  }
  // 10,000 s of events with a 30 min hold-off: passes at 0, 30, 60, ... 150 min (+ the settle time).
  EXPECT_EQ(passes, 6);
  EXPECT_EQ(gate.counts().symptoms_seen, 1'000'000u);
  EXPECT_EQ(gate.counts().passes_started, 6u);
}

}  // namespace
}  // namespace rdpmend::agent
