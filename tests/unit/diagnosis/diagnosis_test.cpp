// Diagnosis scenarios on the simulated host: a healthy Windows snapshot, each finding alone, and
// combinations. Events are hints: only state makes a finding.

#include "diagnosis/diagnosis.h"
#include "test_snapshot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "catalog/catalog_ids.h"
#include "events/event_time.h"
#include "inspect/host_state_json.h"
#include "inspect/sim/sim_host.h"

namespace rdpmend::diagnosis {
namespace {

using inspect::HostState;

HostState healthy() {
  return ::rdpmend::test::healthy_windows_host();
}

std::vector<std::string> ids(const Diagnosis& d) {
  std::vector<std::string> out;
  for (const auto& f : d.findings) out.push_back(f.rule->id);
  std::sort(out.begin(), out.end());
  return out;
}

Diagnosis run(const HostState& s, const std::vector<events::SymptomReport>& symptoms = {}) {
  return diagnose(s, symptoms, default_diagnosis_catalog());
}

// Symptoms as scan would report them for one forged or real event.
std::vector<events::SymptomReport> symptoms_from(const events::Event& e) {
  events::Detector detector(events::default_catalog());
  detector.add(e);
  return detector.symptoms();
}

events::Event schannel_36870() {
  events::Event e;
  e.provider_name = "Schannel";
  e.channel = "System";
  e.event_id = 36870;
  e.record_id = 7;
  e.time_created = events::parse_event_time("2026-11-20T08:00:00Z");
  e.data = {{"Type", "server"}, {"ErrorCode", "0x8009030d"}, {"ErrorStatus", "10001"}};
  return e;
}

TEST(Diagnosis, HealthyHostHasNoFindings) {
  auto d = run(healthy());
  EXPECT_TRUE(d.findings.empty());
  EXPECT_TRUE(d.actions.empty());
}

TEST(Diagnosis, ForgedSchannelEventOnAHealthyHostChangesNothing) {
  auto d = run(healthy(), symptoms_from(schannel_36870()));
  EXPECT_TRUE(d.findings.empty());
  EXPECT_TRUE(d.actions.empty());
  ASSERT_EQ(d.unconfirmed.size(), 1u);
  EXPECT_EQ(d.unconfirmed[0].definition->id, "tls-credential-key-unreadable");
}

struct Single {
  const char* name;
  std::function<void(HostState&)> fault;
  std::vector<std::string> findings;
  std::vector<std::string> actions;
};

class EachFindingAlone : public ::testing::TestWithParam<Single> {};

TEST_P(EachFindingAlone, IsFoundWithItsActions) {
  auto s = healthy();
  GetParam().fault(s);
  auto d = run(s);
  EXPECT_EQ(ids(d), GetParam().findings);
  EXPECT_EQ(d.actions, GetParam().actions);
  for (const auto& f : d.findings) EXPECT_FALSE(f.state.empty()) << f.rule->id << " has no state evidence";
}

INSTANTIATE_TEST_SUITE_P(
    Sim, EachFindingAlone,
    ::testing::Values(Single{"ServiceStopped",
                             [](HostState& s) { s.services[0].state = "stopped"; },
                             {"rdp-service-not-running"},
                             {"start-rdp-service"}},
                      Single{"ConnectionsDenied",
                             [](HostState& s) { s.listener.deny_connections = true; },
                             {"rdp-connections-denied"},
                             {}},
                      Single{"CertificateMissing",
                             [](HostState& s) {
                               s.certificate.present = false;
                               s.certificate.info.reset();
                             },
                             {"rdp-cert-missing"},
                             {"regenerate-rdp-cert", "restart-rdp-service"}},
                      Single{"CertificateExpired",
                             [](HostState& s) { s.certificate.info->expired = true; },
                             {"rdp-cert-expired"},
                             {"regenerate-rdp-cert", "restart-rdp-service"}},
                      Single{"CertificateExpiring",
                             [](HostState& s) { s.certificate.info->expiring = true; },
                             {"rdp-cert-expiring"},
                             {"regenerate-rdp-cert", "restart-rdp-service"}},
                      Single{"KeyUnreadable",
                             [](HostState& s) { s.certificate.key.readable_by_service = false; },
                             {"rdp-cert-key-inaccessible"},
                             {"repair-rdp-key-acl", "restart-rdp-service"}},
                      Single{"MachineKeysDrift",
                             [](HostState& s) { s.machinekeys_acl->matches_default = false; },
                             {"machinekeys-acl-drift"},
                             {"repair-machinekeys-acl", "regenerate-rdp-cert", "restart-rdp-service"}},
                      Single{"MachineKeysIsAJunction",
                             [](HostState& s) { s.machinekeys_acl->file.is_link = true; },
                             {"machinekeys-acl-drift"},
                             {"repair-machinekeys-acl", "regenerate-rdp-cert", "restart-rdp-service"}},
                      Single{"RdpKeyFileIsALink",
                             [](HostState& s) { s.rdp_key_acl->file.is_link = true; },
                             {"rdp-key-file-acl-drift"},
                             {"repair-rdp-key-acl", "restart-rdp-service"}},
                      Single{"KeyFileDrift",
                             [](HostState& s) { s.rdp_key_acl->matches_default = false; },
                             {"rdp-key-file-acl-drift"},
                             {"repair-rdp-key-acl", "restart-rdp-service"}},
                      Single{"FirewallRuleMissing",
                             [](HostState& s) { s.firewall.rules[0].present = false; },
                             {"firewall-rdp-rule-missing"},
                             {"restore-firewall-rules"}},
                      Single{"FirewallRuleDisabled",
                             [](HostState& s) { s.firewall.rules[1].enabled = false; },
                             {"firewall-rdp-rule-disabled"},
                             {"restore-firewall-rules"}},
                      Single{"ListenerWithoutTls",
                             [](HostState& s) { s.self_probe->verdict = "tls-downgraded"; },
                             {"listener-tls-unavailable"},
                             {"restart-rdp-service"}}),
    [](const ::testing::TestParamInfo<Single>& p) { return std::string(p.param.name); });

TEST(Diagnosis, MachineKeysDriftWithExpiredCertificateOrdersAclRepairFirst) {
  auto s = healthy();
  s.machinekeys_acl->matches_default = false;
  s.machinekeys_acl->differences = {"missing ACE (A;;0x12019f;;;WD)"};
  s.certificate.info->expired = true;
  auto d = run(s, symptoms_from(schannel_36870()));
  EXPECT_EQ(ids(d), (std::vector<std::string>{"machinekeys-acl-drift", "rdp-cert-expired"}));
  EXPECT_EQ(d.actions, (std::vector<std::string>{"repair-machinekeys-acl", "regenerate-rdp-cert",
                                                 "restart-rdp-service"}));
  // The Schannel event is evidence for the MachineKeys finding, not a finding of its own.
  auto mk = std::find_if(d.findings.begin(), d.findings.end(),
                         [](const Finding& f) { return f.rule->id == "machinekeys-acl-drift"; });
  ASSERT_NE(mk, d.findings.end());
  ASSERT_EQ(mk->symptoms.size(), 1u);
  EXPECT_EQ(mk->symptoms[0].definition->id, "tls-credential-key-unreadable");
  EXPECT_TRUE(d.unconfirmed.empty());
}

TEST(Diagnosis, StoppedServiceIsStartedNotRestarted) {
  auto s = healthy();
  s.services[0].state = "stopped";
  s.certificate.info->expired = true;
  auto d = run(s);
  EXPECT_EQ(d.actions, (std::vector<std::string>{"regenerate-rdp-cert", "start-rdp-service"}));
}

TEST(Diagnosis, UnknownStateIsNeverAFinding) {
  auto s = healthy();
  s.machinekeys_acl->matches_default.reset();  // could not be read
  s.certificate.key.readable_by_service.reset();
  s.services[0].state.clear();
  s.firewall.rules.clear();
  EXPECT_TRUE(run(s).findings.empty());
}

TEST(Diagnosis, WindowsOnlyFindingsDoNotApplyToXrdp) {
  auto s = healthy();
  s.platform = "xrdp";
  s.machinekeys_acl->matches_default = false;  // no such folder on Linux; a rule for Windows only
  s.services = {{"xrdp", true, "running", "", ""}};
  EXPECT_TRUE(run(s).findings.empty());
}

TEST(Diagnosis, SimHostRoundTripsThroughJson) {
  auto s = healthy();
  auto json = nlohmann::json::parse(inspect::host_state_to_json(s).dump());
  auto back = inspect::host_state_from_json(json, "round trip");
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(inspect::host_state_to_json(back.value()).dump(), inspect::host_state_to_json(s).dump());
  auto host = inspect::make_sim_host(s);
  auto inspected = inspect::inspect_host(*host, std::chrono::system_clock::now(), 14);
  EXPECT_EQ(inspect::host_state_to_json(inspected).dump(), inspect::host_state_to_json(s).dump());
}

TEST(Diagnosis, BadSnapshotValuesAreErrorsWithTheirPath) {
  auto j = nlohmann::json::parse(inspect::host_state_to_json(healthy()).dump());
  j["certificate"]["info"]["expired"] = "yes";
  auto r = inspect::host_state_from_json(j, "bad.json");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("/certificate/info/expired: must be true or false"), std::string::npos)
      << r.error().message();
  j = nlohmann::json::parse(inspect::host_state_to_json(healthy()).dump());
  j["listener"]["port"] = 70000;
  EXPECT_NE(inspect::host_state_from_json(j, "bad.json").error().message().find("/listener/port"),
            std::string::npos);
  j["platform"] = "macos";
  EXPECT_FALSE(inspect::host_state_from_json(j, "bad.json"));
}

TEST(DiagnosisCatalog, RejectsUnknownSymptomsAndActions) {
  auto bad_symptom = parse_diagnosis_catalog(
      R"({"version":1,"rdp_service":{"xrdp":"xrdp"},"actions":[],"findings":[{"id":"x","severity":"error","summary":"s","platforms":["xrdp"],
          "when":[{"state":"/a","equals":true}],"symptoms":["nope"]}]})",
      "t", events::default_catalog());
  ASSERT_FALSE(bad_symptom);
  EXPECT_NE(bad_symptom.error().message().find("symptom 'nope'"), std::string::npos);
  auto bad_action = parse_diagnosis_catalog(
      R"({"version":1,"rdp_service":{"xrdp":"xrdp"},"actions":[],"findings":[{"id":"x","severity":"error","summary":"s","platforms":["xrdp"],
          "when":[{"state":"/a","equals":true}],"actions":["rename-machinekeys"]}]})",
      "t", events::default_catalog());
  ASSERT_FALSE(bad_action);
  EXPECT_NE(bad_action.error().message().find("action 'rename-machinekeys' is not defined"),
            std::string::npos);
}

TEST(DiagnosisCatalog, PointersWithWildcards) {
  auto doc = nlohmann::json::parse(R"({"a":[{"b":1},{"b":2},{"c":3}],"s":""})");
  EXPECT_EQ(values_at(doc, "/a/*/b").size(), 2u);
  EXPECT_EQ(values_at(doc, "/a/1/b").size(), 1u);
  EXPECT_TRUE(values_at(doc, "/s").empty());  // empty text is "unknown"
  EXPECT_TRUE(values_at(doc, "/missing/x").empty());
  StateCondition c;
  c.op = StateCondition::Op::kNotEquals;
  c.pointer = "/missing";
  c.values = {true};
  EXPECT_FALSE(holds(c, doc));
}

}  // namespace
}  // namespace rdpmend::diagnosis

namespace rdpmend::diagnosis {
namespace {

TEST(Diagnosis, XrdpKeyBehindASymlinkIsTheDebianDefaultNotAFinding) {
  auto s = ::rdpmend::test::load_test_snapshot("windows-healthy.json").value();
  s.platform = "xrdp";
  s.services = {{"xrdp", true, "running", "", ""}};
  s.machinekeys_acl.reset();
  s.rdp_key_acl->file.is_link = true;  // /etc/xrdp/key.pem -> /etc/ssl/private/ssl-cert-snakeoil.key
  EXPECT_TRUE(diagnose(s, {}, default_diagnosis_catalog()).findings.empty());
}

TEST(Diagnosis, MissingFirewallRulesDoNotMatterWhenNoFirewallFilters) {
  auto s = ::rdpmend::test::load_test_snapshot("windows-healthy.json").value();
  s.firewall.active = false;
  s.firewall.rules[0].present = false;
  EXPECT_TRUE(diagnose(s, {}, default_diagnosis_catalog()).findings.empty());
}

}  // namespace
}  // namespace rdpmend::diagnosis

namespace rdpmend::diagnosis {
namespace {

inspect::RefusedPath refused(const char* role, const char* reason) {
  inspect::RefusedPath r;
  r.role = role;
  r.path = "/srv/xrdp/file";
  r.reason = reason;
  r.component = "/srv/xrdp";
  r.owner = "xrdp";
  return r;
}

TEST(Diagnosis, AnUntrustedFileIsAFindingAndHoldsTheActionsThroughIt) {
  auto s = healthy();
  s.certificate.info->expired = true;
  s.refused_paths.push_back(refused(inspect::kRoleCertificate, "writable-by-others"));
  auto d = run(s);
  EXPECT_EQ(ids(d), (std::vector<std::string>{"rdp-cert-expired", "untrusted-path"}));
  // regenerate-rdp-cert needs the certificate trusted; the restart has nothing to restart for here but is not
  // held (the restart program is trusted).
  EXPECT_EQ(std::count(d.actions.begin(), d.actions.end(), "regenerate-rdp-cert"), 0);
  ASSERT_EQ(d.held.size(), 1u);
  EXPECT_EQ(d.held[0].action, "regenerate-rdp-cert");
  EXPECT_EQ(d.held[0].role, inspect::kRoleCertificate);
  EXPECT_EQ(d.held[0].reason, "writable-by-others");
  auto json = diagnosis_to_json(d, default_diagnosis_catalog());
  EXPECT_EQ(json["held_actions"][0]["action"], "regenerate-rdp-cert");
}

TEST(Diagnosis, AFileThatIsNotWhatItShouldBeIsAContentFinding) {
  auto s = healthy();
  s.refused_paths.push_back(refused(inspect::kRoleKey, inspect::kNotAPrivateKey));
  EXPECT_EQ(ids(run(s)), (std::vector<std::string>{"rdp-file-content-invalid"}));
}

TEST(Diagnosis, ANewCertificatePairSubsumesTheKeyRepair) {
  auto s = healthy();
  s.certificate.info->expired = true;
  s.certificate.key.readable_by_service = false;
  auto d = run(s);
  EXPECT_EQ(std::count(d.actions.begin(), d.actions.end(), "regenerate-rdp-cert"), 1);
  EXPECT_EQ(std::count(d.actions.begin(), d.actions.end(), "repair-rdp-key-acl"), 0);
}

TEST(DiagnosisCatalog, RejectsAnUnknownFileRole) {
  const char* bad = R"({"version": 1, "rdp_service": {"xrdp": "xrdp"},
                        "actions": [{"id": "a", "order": 1, "summary": "s", "needs_trusted": ["nope"]}],
                        "findings": []})";
  auto parsed = parse_diagnosis_catalog(bad, "test", events::default_catalog());
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message().find("not a file role"), std::string::npos);
}

// The generated constants are the parsed catalog's ids, in its order, and the service per platform the same.
TEST(DiagnosisCatalog, GeneratedIdsAreTheCatalogs) {
  const auto& catalog = default_diagnosis_catalog();
  std::vector<std::string> actions, findings;
  for (const auto& a : catalog.actions) actions.push_back(a.id);
  for (const auto& f : catalog.findings) findings.push_back(f.id);
  EXPECT_EQ(actions, std::vector<std::string>(std::begin(ids::action::kAll), std::end(ids::action::kAll)));
  EXPECT_EQ(findings, std::vector<std::string>(std::begin(ids::finding::kAll), std::end(ids::finding::kAll)));
  std::vector<std::string> symptoms;
  for (const auto& s : events::default_catalog().symptoms) symptoms.push_back(s.id);
  EXPECT_EQ(symptoms, std::vector<std::string>(std::begin(ids::symptom::kAll), std::end(ids::symptom::kAll)));
  for (const auto& [platform, service] : catalog.rdp_services)
    EXPECT_EQ(ids::rdp_service_for(platform), service) << platform;
}

TEST(DiagnosisCatalog, NamesTheRdpServiceOfEachPlatformAndOnlyThosePlatforms) {
  const auto& catalog = default_diagnosis_catalog();
  EXPECT_EQ(catalog.rdp_service("windows"), "TermService");
  EXPECT_EQ(catalog.rdp_service("xrdp"), "xrdp");
  EXPECT_EQ(catalog.rdp_service("sim"), "");
  auto without = parse_diagnosis_catalog(R"({"version": 1, "actions": [], "findings": []})", "t",
                                         events::default_catalog());
  ASSERT_FALSE(without);
  EXPECT_NE(without.error().message().find("rdp_service"), std::string::npos);
  auto unknown_platform = parse_diagnosis_catalog(
      R"({"version":1,"rdp_service":{"xrdp":"xrdp"},"actions":[],"findings":[{"id":"x","severity":"error",
          "summary":"s","platforms":["windows"],"when":[{"state":"/a","equals":true}]}]})",
      "t", events::default_catalog());
  ASSERT_FALSE(unknown_platform);
  EXPECT_NE(unknown_platform.error().message().find("platform 'windows'"), std::string::npos);
}

TEST(DiagnosisCatalog, AnActionsKindIsOneOfThreeWords) {
  EXPECT_EQ(default_diagnosis_catalog().action("restart-rdp-service")->kind, ActionKind::kServiceRestart);
  EXPECT_EQ(default_diagnosis_catalog().action("start-rdp-service")->kind, ActionKind::kServiceStart);
  EXPECT_EQ(default_diagnosis_catalog().action("regenerate-rdp-cert")->kind, ActionKind::kChange);
  auto bad = parse_diagnosis_catalog(
      R"({"version": 1, "rdp_service": {"xrdp": "xrdp"},
          "actions": [{"id": "a", "order": 1, "summary": "s", "kind": "reboot"}], "findings": []})",
      "t", events::default_catalog());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("'kind'"), std::string::npos);
}

}  // namespace
}  // namespace rdpmend::diagnosis
