#include "events/catalog.h"

#include <gtest/gtest.h>

namespace rdpmend::events {
namespace {

// The symptom ids of shared/design.md: the contract with users, tests and docs.
const char* const kDesignSymptoms[] = {
    "rdp-cert-create-failed",   "rdp-cert-renew-failed",         "rdp-cert-regenerated",
    "rdp-custom-cert-unusable", "tls-credential-key-unreadable", "rdp-security-layer-error",
    "rdp-listener-failed",      "termservice-stopped",           "rdp-auth-failure",
    "rdp-client-disconnect",    "xrdp-key-unreadable",           "xrdp-cert-unreadable",
    "xrdp-cert-key-mismatch",   "xrdp-tls-accept-failed",
};
// Added since, each documented in docs/symptoms.md: Schannel's protocol failures (issue 16).
const char* const kLaterSymptoms[] = {"tls-protocol-unavailable", "tls-fatal-alert-sent"};

TEST(Catalog, BuiltInCatalogDefinesEveryDesignSymptomWithARule) {
  const auto& catalog = default_catalog();
  std::vector<const char*> ids(std::begin(kDesignSymptoms), std::end(kDesignSymptoms));
  ids.insert(ids.end(), std::begin(kLaterSymptoms), std::end(kLaterSymptoms));
  for (const char* id : ids) {
    EXPECT_NE(catalog.symptom(id), nullptr) << id;
    bool has_rule = false;
    for (const auto& r : catalog.rules) has_rule |= r.symptom == id;
    EXPECT_TRUE(has_rule) << id;
  }
  EXPECT_EQ(catalog.symptoms.size(), ids.size());
}

TEST(Catalog, AuthFailureIsNeverRemediable) {
  ASSERT_NE(default_catalog().symptom("rdp-auth-failure"), nullptr);
  EXPECT_FALSE(default_catalog().symptom("rdp-auth-failure")->remediable);
}

std::string minimal(const std::string& rules) {
  return R"({"version": 1, "symptoms": [{"id": "x-y", "severity": "error", "summary": "s"}], "rules": )" +
         rules + "}";
}

TEST(Catalog, AcceptsMinimalCatalog) {
  auto c = parse_catalog(
      minimal(R"([{"symptom": "x-y", "channels": ["System"], "providers": ["P"], "event_ids": [1]}])"), "t");
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c.value().rules.size(), 1u);
}

struct BadCatalog {
  std::string json;
  std::string expected;
};

void PrintTo(const BadCatalog& c, std::ostream* os) {
  *os << c.expected;
}

class RejectsBadCatalog : public ::testing::TestWithParam<BadCatalog> {};

TEST_P(RejectsBadCatalog, WithContext) {
  auto c = parse_catalog(GetParam().json, "custom.json");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find(GetParam().expected), std::string::npos) << c.error().message();
  EXPECT_NE(c.error().message().find("custom.json"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RejectsBadCatalog,
    ::testing::Values(
        BadCatalog{"{not json", "not valid JSON"},
        BadCatalog{R"({"version": 2, "symptoms": [], "rules": []})", "'version' must be 1"},
        BadCatalog{
            minimal(R"([{"symptom": "nope", "channels": ["S"], "providers": ["P"], "event_ids": [1]}])"),
            "symptom 'nope' is not defined"},
        BadCatalog{minimal(R"([{"symptom": "x-y", "channels": ["S"], "providers": ["P"], "event_id": [1]}])"),
                   "unknown key 'event_id'"},
        BadCatalog{
            minimal(R"([{"symptom": "x-y", "channels": ["S"], "providers": ["P"], "event_ids": [70000]}])"),
            "0-65535"},
        BadCatalog{minimal(R"([{"symptom": "x-y", "channels": ["S"], "providers": ["P"]}])"),
                   "needs event_ids or conditions"},
        BadCatalog{minimal(R"([{"symptom": "x-y", "channels": ["S"], "providers": ["P"], "event_ids": [1],
                              "where": [{"field": "a", "equals": "b", "contains": "c"}]}])"),
                   "exactly one of"},
        BadCatalog{minimal(R"([{"symptom": "x-y", "channels": [], "providers": ["P"], "event_ids": [1]}])"),
                   "at least one channel"},
        BadCatalog{
            R"({"version": 1, "symptoms": [{"id": "Bad Id", "severity": "error", "summary": "s"}], "rules": []})",
            "not kebab-case"},
        BadCatalog{
            R"({"version": 1, "symptoms": [{"id": "a", "severity": "fatal", "summary": "s"}], "rules": []})",
            "severity 'fatal'"}));

Event schannel(const std::string& type) {
  Event e;
  e.provider_name = "Schannel";
  e.channel = "System";
  e.event_id = 36870;
  e.data = {{"Type", type}, {"ErrorCode", "0x8009030d"}};
  return e;
}

const Matcher& rule_for(const std::string& symptom) {
  for (const auto& r : default_catalog().rules)
    if (r.symptom == symptom) return r.match;
  throw std::runtime_error("no rule for " + symptom);
}

TEST(Catalog, SchannelRuleMatchesServerCredentialsOnly) {
  const auto& m = rule_for("tls-credential-key-unreadable");
  EXPECT_TRUE(m.matches(schannel("server")));
  EXPECT_TRUE(m.matches(schannel("Server")));  // values compare without ASCII case
  EXPECT_FALSE(m.matches(schannel("client")));
}

TEST(Catalog, ChannelAndProviderMustBothMatch) {
  Event e = schannel("server");
  e.channel = "Application";
  EXPECT_FALSE(rule_for("tls-credential-key-unreadable").matches(e));
  e = schannel("server");
  e.provider_name = "Evil";
  EXPECT_FALSE(rule_for("tls-credential-key-unreadable").matches(e));
}

TEST(Catalog, FieldReferencesReadPositionsAndBinary) {
  Event e;
  e.data = {{"", "first"}, {"", "second"}};
  e.binary = {'T', 0, 'S', 0, 0, 0};
  e.qualifiers = 0xC000;
  e.event_id = 1057;
  EXPECT_EQ(field_value(e, "#2"), "second");
  EXPECT_EQ(field_value(e, "#3"), std::nullopt);
  EXPECT_EQ(field_value(e, "#0"), std::nullopt);
  EXPECT_EQ(field_value(e, "@binary_utf16"), "TS");
  EXPECT_EQ(field_value(e, "@binary_hex"), "540053000000");
  EXPECT_EQ(field_value(e, "@message_id"), "0xC0000421");
}

}  // namespace
}  // namespace rdpmend::events

#include <fstream>
#include <sstream>

namespace rdpmend::events {
namespace {

TEST(Catalog, EverySymptomIsDocumentedWhereItsDocLinkPoints) {
  std::ifstream in(std::string(RDPMEND_SOURCE_DIR) + "/docs/symptoms.md");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& s : default_catalog().symptoms) {
    EXPECT_EQ(s.doc, "docs/symptoms.md#" + s.id);
    EXPECT_NE(text.str().find("\n## " + s.id + "\n"), std::string::npos) << s.id << " has no section";
  }
}

}  // namespace
}  // namespace rdpmend::events
