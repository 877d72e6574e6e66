// The journal against outside text: targets and reasons come from hosts and logs and may not be UTF-8.

#include <gtest/gtest.h>

#include "journal/journal.h"
#include "journal_test_support.h"

namespace rdpmend::journal {
namespace {

using JournalTextTest = test::JournalFolder;

TEST_F(JournalTextTest, SavesAPlanWhoseTextIsNotUtf8WithReplacementCharacters) {
  Journal journal = open_journal();
  plan::Plan plan;
  plan.mode = policy::Mode::kApprove;
  plan.actions = {test::chosen_action("repair-rdp-key-acl", "/etc/xrdp/k\xFFy.pem", "xrdp-key-unreadable"),
                  test::left_out_action("restart-rdp-service", "xrdp", plan::SkipReason::kCooldown,
                                        "cooldown \xC0\xAF")};
  auto id = journal.plans().save(plan, PlanState::kProposed);
  ASSERT_TRUE(id) << id.error().message();
  auto found = journal.plans().find(id.value());
  ASSERT_TRUE(found && found.value());
  ASSERT_EQ(test::chosen(found.value()->plan).size(), 1u);
  EXPECT_EQ(test::chosen(found.value()->plan)[0].target, "/etc/xrdp/k\xEF\xBF\xBDy.pem");
  ASSERT_EQ(test::left_out(found.value()->plan).size(), 1u);
  EXPECT_EQ(test::left_out(found.value()->plan)[0].reason, "cooldown \xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace rdpmend::journal
