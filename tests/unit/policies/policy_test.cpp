// policies/policy: defaults, layering (default < local < group policy), provenance, and bad values ignored
// with a warning without ever making the policy more permissive.

#include "policy.h"

#include <gtest/gtest.h>

#include "toml_source.h"

namespace rdpmend::policy {
namespace {

SourceValues local(std::map<std::string, RawValue> values) {
  return {Layer::kLocal, "/etc/rdpmend/rdpmend.toml", std::move(values)};
}
SourceValues group_policy(std::map<std::string, RawValue> values) {
  return {Layer::kGroupPolicy, "HKLM\\SOFTWARE\\Policies\\RdpMend", std::move(values)};
}
RawValue n(std::int64_t v) {
  return v;
}
RawValue s(const char* v) {
  return std::string(v);
}

// Observe until told otherwise; once Mode is Auto, the fixes that put back the platform's own default and
// widen nothing are on (issue 16), the firewall is not (a rule may be gone on purpose), and a restart still
// waits for the sessions to end.
TEST(PolicyTest, DefaultsObserveAndAllowOnlyWhatWidensNothing) {
  auto p = build_policy({});
  EXPECT_EQ(p.mode, Mode::kObserve);
  EXPECT_TRUE(p.allows("repair-machinekeys-acl"));
  EXPECT_TRUE(p.allows("repair-rdp-key-acl"));
  EXPECT_TRUE(p.allows("start-rdp-service"));
  EXPECT_TRUE(p.allows("regenerate-rdp-cert"));
  EXPECT_FALSE(p.allows("restore-firewall-rules"));
  EXPECT_TRUE(p.allows("restart-rdp-service"));
  EXPECT_FALSE(p.allows("no-such-action"));
  EXPECT_FALSE(p.allow_service_restart_with_active_sessions);
  EXPECT_TRUE(p.maintenance_window.always());
  EXPECT_EQ(p.max_actions_per_hour, 4);
  EXPECT_EQ(p.cooldown_minutes, 30);
  EXPECT_EQ(p.breaker_recurrences, 3);
  EXPECT_EQ(p.breaker_window_hours, 24);
  EXPECT_EQ(p.renew_before_days, 14);
  EXPECT_EQ(p.xrdp_cert_key_type, "rsa2048");
  EXPECT_EQ(p.xrdp_cert_validity_days, 365);
  EXPECT_EQ(p.probe_interval_minutes, 15);
  EXPECT_EQ(p.journal_retention_days, 90);
  EXPECT_TRUE(p.warnings.empty());
  ASSERT_EQ(p.values.size(), policy_table().size());
  for (const auto& v : p.values) {
    EXPECT_EQ(v.layer, Layer::kDefault);
    EXPECT_EQ(v.origin, "built-in");
  }
}

TEST(PolicyTest, LaterLayersWinAndRecordTheirOrigin) {
  auto p =
      build_policy({local({{"Mode", s("Auto")}, {"CooldownMinutes", n(60)}, {"MaxActionsPerHour", n(2)}}),
                    group_policy({{"Mode", n(2)}, {"CooldownMinutes", n(120)}})});
  EXPECT_EQ(p.mode, Mode::kApprove);
  EXPECT_EQ(p.cooldown_minutes, 120);
  EXPECT_EQ(p.max_actions_per_hour, 2);
  EXPECT_EQ(p.effective("Mode")->layer, Layer::kGroupPolicy);
  EXPECT_EQ(p.effective("Mode")->origin, "HKLM\\SOFTWARE\\Policies\\RdpMend");
  EXPECT_EQ(p.effective("Mode")->value, "Approve");
  EXPECT_EQ(p.effective("MaxActionsPerHour")->layer, Layer::kLocal);
  EXPECT_EQ(p.effective("MaxActionsPerHour")->origin, "/etc/rdpmend/rdpmend.toml");
  EXPECT_EQ(p.effective("RenewBeforeDays")->layer, Layer::kDefault);
  EXPECT_TRUE(p.warnings.empty());
}

TEST(PolicyTest, ReadsEveryTypeFromBothSpellings) {
  auto p =
      build_policy({local({{"AllowRestartRdpService", true},
                           {"AllowServiceRestartWithActiveSessions", true},
                           {"MaintenanceWindow", s("Sat 02:00-04:00")},
                           {"XrdpCertKeyType", s("EC-P256")},
                           {"Mode", s("off")}}),
                    group_policy({{"AllowRepairMachineKeysAcl", n(0)}, {"AllowRegenerateRdpCert", n(1)}})});
  EXPECT_TRUE(p.allows("restart-rdp-service"));
  EXPECT_TRUE(p.allow_service_restart_with_active_sessions);
  EXPECT_FALSE(p.maintenance_window.always());
  EXPECT_TRUE(p.maintenance_window.contains(6, 150));
  EXPECT_EQ(p.xrdp_cert_key_type, "ec-p256");
  EXPECT_EQ(p.effective("XrdpCertKeyType")->value, "ec-p256");
  EXPECT_EQ(p.mode, Mode::kOff);
  EXPECT_FALSE(p.allows("repair-machinekeys-acl"));
  EXPECT_TRUE(p.allows("regenerate-rdp-cert"));
  EXPECT_TRUE(p.warnings.empty());
}

struct BadCase {
  const char* name;
  RawValue bad;
  const char* reason;  // part of the warning's reason
};

class BadValueTest : public ::testing::TestWithParam<BadCase> {};

// The local layer sets a restrictive value; Group Policy's bad value must leave it in place.
TEST_P(BadValueTest, IsIgnoredWithAWarningAndTheLowerLayerStays) {
  const auto& c = GetParam();
  const Setting* setting = find_setting(c.name);
  ASSERT_NE(setting, nullptr);
  auto base = build_policy({});
  auto p = build_policy({group_policy({{c.name, c.bad}})});
  ASSERT_EQ(p.warnings.size(), 1u);
  const auto& w = p.warnings[0];
  EXPECT_EQ(w.origin, "HKLM\\SOFTWARE\\Policies\\RdpMend");
  EXPECT_EQ(w.name, c.name);
  EXPECT_EQ(w.value, raw_text(c.bad));
  EXPECT_NE(w.reason.find(c.reason), std::string::npos) << w.reason;
  EXPECT_NE(w.message().find(c.name), std::string::npos);
  EXPECT_EQ(p.effective(c.name)->value, base.effective(c.name)->value);
  EXPECT_EQ(p.effective(c.name)->layer, Layer::kDefault);
  EXPECT_EQ(p.mode, base.mode);
  EXPECT_EQ(p.allowed, base.allowed);
  EXPECT_EQ(p.max_actions_per_hour, base.max_actions_per_hour);
  EXPECT_EQ(p.cooldown_minutes, base.cooldown_minutes);
  EXPECT_EQ(p.maintenance_window.spans.size(), base.maintenance_window.spans.size());
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, BadValueTest,
    ::testing::Values(BadCase{"Mode", s("Yolo"), "not one of"}, BadCase{"Mode", n(4), "out of range 0..3"},
                      BadCase{"Mode", n(-1), "out of range"}, BadCase{"Mode", true, "wrong type"},
                      BadCase{"Mode", Unsupported{"REG_BINARY"}, "wrong type: REG_BINARY"},
                      BadCase{"AllowRestartRdpService", n(2), "a switch is 0 or 1"},
                      BadCase{"AllowRestartRdpService", s("yes"), "wrong type"},
                      BadCase{"AllowServiceRestartWithActiveSessions", s("1"), "wrong type"},
                      BadCase{"AllowRegenerateRdpCert", Unsupported{"REG_QWORD"}, "wrong type"},
                      BadCase{"MaxActionsPerHour", n(61), "out of range 0..60"},
                      BadCase{"MaxActionsPerHour", n(-5), "out of range"},
                      BadCase{"MaxActionsPerHour", s("4"), "expected an integer"},
                      BadCase{"CooldownMinutes", n(0), "out of range 1..10080"},
                      BadCase{"BreakerRecurrences", n(0), "out of range"},
                      BadCase{"BreakerWindowHours", n(100000), "out of range"},
                      BadCase{"RenewBeforeDays", false, "expected an integer"},
                      BadCase{"XrdpCertKeyType", s("dsa1024"), "not one of"},
                      BadCase{"XrdpCertKeyType", n(1), "expected text"},
                      BadCase{"XrdpCertValidityDays", n(5000), "out of range"},
                      BadCase{"ProbeIntervalMinutes", n(0), "out of range"},
                      BadCase{"JournalRetentionDays", Unsupported{"TOML float"}, "wrong type"},
                      BadCase{"MaintenanceWindow", s("Sat 02:00-26:00"), "not a time span"},
                      BadCase{"MaintenanceWindow", n(1), "expected text"}));

TEST(PolicyTest, BadGroupPolicyValueKeepsTheRestrictiveLocalValue) {
  auto p = build_policy(
      {local({{"Mode", s("Observe")}, {"AllowRestartRdpService", false}, {"MaxActionsPerHour", n(1)}}),
       group_policy({{"Mode", n(9)}, {"AllowRestartRdpService", n(7)}, {"MaxActionsPerHour", n(99)}})});
  EXPECT_EQ(p.mode, Mode::kObserve);
  EXPECT_EQ(p.effective("Mode")->layer, Layer::kLocal);
  EXPECT_FALSE(p.allows("restart-rdp-service"));
  EXPECT_EQ(p.max_actions_per_hour, 1);
  EXPECT_EQ(p.warnings.size(), 3u);
}

TEST(PolicyTest, UnknownNamesAreWarnedAbout) {
  auto p = build_policy({local({{"Moed", s("Auto")}})});
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_EQ(p.warnings[0].reason, "no such setting");
  EXPECT_EQ(p.mode, Mode::kObserve);
}

TEST(PolicyTest, AnUnreadableSourceCapsModeAtObserve) {
  auto p =
      build_policy({local({{"Mode", s("Auto")}})}, {SourceError{"read policy", "HKLM\\X", "Access denied"}});
  EXPECT_EQ(p.mode, Mode::kObserve);
  EXPECT_EQ(p.effective("Mode")->value, "Observe");
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].message(), "read policy HKLM\\X: Access denied");
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_NE(p.warnings[0].reason.find("capped at Observe"), std::string::npos);
  auto off = build_policy({local({{"Mode", s("Off")}})}, {SourceError{"read policy", "x", "y"}});
  EXPECT_EQ(off.mode, Mode::kOff);  // the cap never raises a mode
}

TEST(TomlSourceTest, ReadsThePolicyTableWithItsTypes) {
  auto parsed = parse_toml_policy(R"([xrdp]
ini = "/etc/xrdp/xrdp.ini"
[policy]
Mode = "Auto"
AllowRestartRdpService = true
CooldownMinutes = 45
Ratio = 1.5
Days = ["Sat"]
)",
                                  "/etc/rdpmend/rdpmend.toml");
  ASSERT_TRUE(std::holds_alternative<SourceValues>(parsed));
  const auto& v = std::get<SourceValues>(parsed);
  EXPECT_EQ(v.layer, Layer::kLocal);
  EXPECT_EQ(v.origin, "/etc/rdpmend/rdpmend.toml");
  EXPECT_EQ(std::get<std::string>(v.values.at("Mode")), "Auto");
  EXPECT_EQ(std::get<bool>(v.values.at("AllowRestartRdpService")), true);
  EXPECT_EQ(std::get<std::int64_t>(v.values.at("CooldownMinutes")), 45);
  EXPECT_EQ(std::get<Unsupported>(v.values.at("Ratio")).type, "TOML float");
  EXPECT_EQ(std::get<Unsupported>(v.values.at("Days")).type, "TOML array");
}

TEST(TomlSourceTest, NoPolicyTableMeansNoValues) {
  auto parsed = parse_toml_policy("[xrdp]\nuser = \"xrdp\"\n", "f.toml");
  ASSERT_TRUE(std::holds_alternative<SourceValues>(parsed));
  EXPECT_TRUE(std::get<SourceValues>(parsed).values.empty());
}

TEST(TomlSourceTest, SyntaxErrorNamesFileAndLine) {
  auto parsed = parse_toml_policy("[policy]\nMode = \n", "f.toml");
  ASSERT_TRUE(std::holds_alternative<SourceError>(parsed));
  const auto& e = std::get<SourceError>(parsed);
  EXPECT_EQ(e.object, "f.toml");
  EXPECT_NE(e.detail.find("line 2"), std::string::npos) << e.detail;
  auto not_table = parse_toml_policy("policy = 3\n", "f.toml");
  ASSERT_TRUE(std::holds_alternative<SourceError>(not_table));
}

}  // namespace
}  // namespace rdpmend::policy
