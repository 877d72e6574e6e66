#pragma once
// A journal in a fresh temporary folder, with a clock the test moves.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "journal/journal.h"
#include "plan/plan.h"
#include "test_folder.h"

namespace rdpmend::journal::test {

// Planned actions as a proposed plan has them: chosen (awaiting approval) or left out.
inline plan::PlannedAction chosen_action(std::string action, std::string target, std::string finding) {
  plan::PlannedAction a;
  a.action = std::move(action);
  a.target = std::move(target);
  if (!finding.empty()) a.findings.push_back(std::move(finding));
  a.skip = plan::SkipReason::kAwaitingApproval;
  return a;
}

inline plan::PlannedAction left_out_action(std::string action, std::string target, plan::SkipReason skip,
                                           std::string reason) {
  plan::PlannedAction a;
  a.skip = skip;
  a.action = std::move(action);
  a.target = std::move(target);
  a.reason = std::move(reason);
  return a;
}

inline std::vector<plan::PlannedAction> chosen(const plan::Plan& plan) {
  std::vector<plan::PlannedAction> actions;
  for (const auto& a : plan.actions)
    if (a.chosen()) actions.push_back(a);
  return actions;
}

inline std::vector<plan::PlannedAction> left_out(const plan::Plan& plan) {
  std::vector<plan::PlannedAction> actions;
  for (const auto& a : plan.actions)
    if (!a.chosen()) actions.push_back(a);
  return actions;
}

class JournalFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = rdpmend::test::fresh_test_folder();
    path_ = (folder_ / "journal.db").string();
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }

  Options options() {
    Options o;
    o.busy_timeout = std::chrono::milliseconds(100);
    o.now = [this] { return now_; };
    return o;
  }

  // Opens the journal, failing the test with the error's text when it cannot.
  Journal open_journal() {
    auto opened = Journal::open(path_, options());
    if (!opened) ADD_FAILURE() << opened.error().message();
    if (!opened) std::abort();
    return std::move(opened).value();
  }

  std::filesystem::path folder_;
  std::string path_;
  TimePoint now_ = TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 11 / 25).time_since_epoch());
};

}  // namespace rdpmend::journal::test
