// The skip ids are what the journal stores and scripts filter on: each reason has its own, and it reads back.
#include "plan/skip_reason.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace rdpmend::plan {
namespace {

TEST(SkipReason, EveryReasonHasItsOwnIdThatReadsBack) {
  std::set<std::string> ids;
  for (int i = 0; i <= static_cast<int>(SkipReason::kEarlierFailed); ++i) {
    const auto reason = static_cast<SkipReason>(i);
    const std::string id(skip_reason_id(reason));
    EXPECT_NE(id, "unknown") << i;
    EXPECT_TRUE(ids.insert(id).second) << "twice: " << id;
    EXPECT_EQ(skip_reason_from_id(id), reason) << id;
  }
  EXPECT_EQ(skip_reason_from_id("circuit breaker"), std::nullopt);
  EXPECT_EQ(skip_reason_from_id(""), std::nullopt);
}

}  // namespace
}  // namespace rdpmend::plan
