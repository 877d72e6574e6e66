// policies/policy_table: every setting once, well-formed, with an allow switch per catalog action.

#include "policy_table.h"

#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "catalog/diagnosis_catalog_data.h"
#include "policy.h"

namespace rdpmend::policy {
namespace {

TEST(PolicyTableTest, HasAnAllowSwitchForEveryCatalogAction) {
  auto catalog = nlohmann::json::parse(catalog_data::diagnosis_json());
  ASSERT_FALSE(catalog["actions"].empty());
  std::set<std::string> action_ids;
  for (const auto& action : catalog["actions"]) {
    std::string id = action["id"];
    action_ids.insert(id);
    const Setting* allow = find_allow_switch(id);
    ASSERT_NE(allow, nullptr) << "no allow switch for catalog action " << id;
    EXPECT_EQ(allow->type, ValueType::kBool) << allow->name;
    EXPECT_TRUE(allow->name.starts_with("Allow")) << allow->name;
  }
  for (const auto& s : policy_table()) {
    if (!s.action_id.empty()) {
      EXPECT_TRUE(action_ids.count(std::string(s.action_id)))
          << s.name << " gates an action not in the catalog";
    }
  }
}

TEST(PolicyTableTest, NamesAreUniqueAndPascalCase) {
  std::set<std::string_view> seen;
  for (const auto& s : policy_table()) {
    EXPECT_TRUE(seen.insert(s.name).second) << "duplicate " << s.name;
    ASSERT_FALSE(s.name.empty());
    EXPECT_TRUE(s.name[0] >= 'A' && s.name[0] <= 'Z') << s.name;
    EXPECT_EQ(s.name.find_first_of("-_ "), std::string_view::npos) << s.name;
    EXPECT_FALSE(s.help.empty()) << s.name;
  }
}

TEST(PolicyTableTest, EveryDefaultPassesItsOwnValidation) {
  for (const auto& s : policy_table()) {
    RawValue raw = std::string(s.default_value);
    if (s.type == ValueType::kBool) raw = s.default_value == "true";
    if (s.type == ValueType::kInteger)
      raw = static_cast<std::int64_t>(std::stoll(std::string(s.default_value)));
    auto checked = validate_value(s, raw);
    EXPECT_TRUE(checked.ok) << s.name << ": " << checked.text;
    EXPECT_EQ(checked.text, s.default_value) << s.name;
    if (s.type == ValueType::kInteger) {
      EXPECT_LT(s.min, s.max) << s.name;
    }
    if (s.type == ValueType::kChoice) {
      EXPECT_FALSE(s.choices.empty()) << s.name;
    }
  }
}

TEST(PolicyTableTest, HasTheSettingsTheIssueAsksFor) {
  for (auto name :
       {"Mode", "AllowServiceRestartWithActiveSessions", "MaintenanceWindow", "MaxActionsPerHour",
        "CooldownMinutes", "BreakerRecurrences", "BreakerWindowHours", "RenewBeforeDays", "XrdpCertKeyType",
        "XrdpCertValidityDays", "ProbeIntervalMinutes", "JournalRetentionDays"})
    EXPECT_NE(find_setting(name), nullptr) << name;
  EXPECT_EQ(find_setting("mode"), nullptr);  // TOML keys are case-sensitive
}

TEST(PolicyTableTest, ModeChoicesFollowTheModeEnum) {
  const Setting* mode = find_setting(names::kMode);
  ASSERT_NE(mode, nullptr);
  ASSERT_EQ(mode->choices.size(), 4u);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(mode->choices[static_cast<std::size_t>(i)], mode_name(static_cast<Mode>(i)));
}

}  // namespace
}  // namespace rdpmend::policy
