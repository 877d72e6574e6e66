// policies/admx: the Group Policy template generated from the policy table, and the cross-reference check
// that holds it to the table (the checked-in copies pass; each kind of break is reported).

#include "admx/admx_template.h"

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "admx/admx_check.h"
#include "policy_table.h"

namespace rdpmend::policy::admx {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string read_source_file(const std::string& relative) {
  std::ifstream in(std::string(RDPMEND_SOURCE_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << relative;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `text` with its one occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
    ADD_FAILURE() << "expected exactly one " << from;
    return text;
  }
  return text.replace(at, from.size(), to);
}

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += p + "\n";
  return out;
}

// A small pair, consistent by itself (one decimal policy with its control), for the reference checks.
constexpr const char* kSmallAdmx = R"xml(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <policyNamespaces><target prefix="sample" namespace="Sample.Policies" /></policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <supportedOn><definitions><definition name="SUPPORTED" displayName="$(string.SUPPORTED)" /></definitions></supportedOn>
  <categories><category name="Top" displayName="$(string.Top)" /></categories>
  <policies>
    <policy name="Limit" class="Machine" displayName="$(string.Limit)" explainText="$(string.Limit_Help)"
            presentation="$(presentation.Limit)" key="SOFTWARE\Policies\RdpMend">
      <parentCategory ref="Top" />
      <supportedOn ref="SUPPORTED" />
      <elements><decimal id="Limit" valueName="MaxActionsPerHour" minValue="0" maxValue="60" /></elements>
    </policy>
  </policies>
</policyDefinitions>
)xml";

constexpr const char* kSmallAdml = R"xml(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitionResources revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <displayName>Sample</displayName>
  <description>Sample</description>
  <resources>
    <stringTable>
      <string id="SUPPORTED">Anywhere</string>
      <string id="Top">Top</string>
      <string id="Limit">Limit</string>
      <string id="Limit_Help">A limit.</string>
    </stringTable>
    <presentationTable>
      <presentation id="Limit"><decimalTextBox refId="Limit" defaultValue="4">Limit</decimalTextBox></presentation>
    </presentationTable>
  </resources>
</policyDefinitionResources>
)xml";

class CheckedInTemplate : public ::testing::Test {
 protected:
  std::string admx = read_source_file("policies/" + std::string(kAdmxFileName));
  std::string adml =
      read_source_file("policies/" + std::string(kAdmlFolder) + "/" + std::string(kAdmlFileName));
};

TEST_F(CheckedInTemplate, PassesEveryCrossReferenceAndTableCheck) {
  auto problems = check_template(admx, adml);
  EXPECT_THAT(problems, IsEmpty()) << joined(problems);
}

TEST(AdmxTemplateTest, GeneratedTemplatePassesItsOwnChecks) {
  auto problems = check_template(admx_document(), adml_document());
  EXPECT_THAT(problems, IsEmpty()) << joined(problems);
}

TEST(AdmxTemplateTest, WritesTheSameBytesEveryRun) {
  EXPECT_EQ(admx_document(), admx_document());
  EXPECT_EQ(adml_document(), adml_document());
}

TEST(AdmxTemplateTest, WritesTheKeyTheWindowsReaderReads) {
  EXPECT_EQ(policy_key(), "SOFTWARE\\Policies\\RdpMend");
}

TEST(AdmxTemplateTest, HasOnePolicyPerSettingNamedAfterIt) {
  auto admx = admx_document();
  for (const auto& s : policy_table()) {
    EXPECT_FALSE(s.title.empty()) << s.name;
    EXPECT_NE(admx.find("<policy name=\"" + std::string(s.name) + "\" class=\"Machine\""), std::string::npos)
        << s.name;
  }
}

TEST(AdmxTemplateTest, SaysWindowsIgnoresTheXrdpSettings) {
  auto adml = adml_document();
  auto at = adml.find("<string id=\"XrdpKeyGroup_Help\">");
  ASSERT_NE(at, std::string::npos);
  auto help = adml.substr(at, adml.find("</string>", at) - at);
  EXPECT_THAT(help, HasSubstr("Windows hosts ignore this setting"));
  EXPECT_THAT(help, HasSubstr("/etc/rdpmend/rdpmend.toml, table [policy]"));
}

TEST(AdmxCheckTest, AcceptsTheSmallConsistentPair) {
  auto problems = check_references(kSmallAdmx, kSmallAdml);
  EXPECT_THAT(problems, IsEmpty()) << joined(problems);
}

TEST(AdmxCheckTest, ReportsADanglingString) {
  auto admx = replaced(kSmallAdmx, "$(string.Limit_Help)", "$(string.Limit_Explain)");
  EXPECT_THAT(check_references(admx, kSmallAdml),
              Contains(HasSubstr("string \"Limit_Explain\" is not in the ADML")));
}

TEST(AdmxCheckTest, ReportsADanglingPresentation) {
  auto admx = replaced(kSmallAdmx, "$(presentation.Limit)", "$(presentation.Limits)");
  EXPECT_THAT(check_references(admx, kSmallAdml),
              Contains(HasSubstr("presentation \"Limits\" is not in the ADML")));
}

TEST(AdmxCheckTest, ReportsADanglingRefId) {
  auto adml = replaced(kSmallAdml, "refId=\"Limit\"", "refId=\"Limt\"");
  auto problems = check_references(kSmallAdmx, adml);
  EXPECT_THAT(problems,
              Contains(HasSubstr("decimalTextBox refId \"Limt\" names no element of policy \"Limit\"")));
  EXPECT_THAT(problems, Contains(HasSubstr("element \"Limit\" has no control")));
}

TEST(AdmxCheckTest, ReportsAControlThatDoesNotFitItsElement) {
  auto adml = replaced(kSmallAdml, R"(<decimalTextBox refId="Limit" defaultValue="4">Limit</decimalTextBox>)",
                       R"(<checkBox refId="Limit">Limit</checkBox>)");
  EXPECT_THAT(check_references(kSmallAdmx, adml),
              Contains(HasSubstr("checkBox refId \"Limit\" presents a <decimal> element")));
}

TEST(AdmxCheckTest, ReportsUnresolvedCategoryAndSupportedOn) {
  auto admx = replaced(kSmallAdmx, R"(<parentCategory ref="Top" />)", R"(<parentCategory ref="Tip" />)");
  admx =
      replaced(admx, R"(<supportedOn ref="SUPPORTED" />)", R"(<supportedOn ref="windows:SUPPORTED_Win7" />)");
  auto problems = check_references(admx, kSmallAdml);
  EXPECT_THAT(problems, Contains(HasSubstr("parentCategory \"Tip\" is not defined")));
  EXPECT_THAT(problems, Contains(HasSubstr("uses an undeclared prefix \"windows\"")));
}

TEST(AdmxCheckTest, ReportsAKeyWithAHiveOrOutsideThePolicyKey) {
  auto hive =
      replaced(kSmallAdmx, R"(key="SOFTWARE\Policies\RdpMend")", R"(key="HKLM\SOFTWARE\Policies\RdpMend")");
  EXPECT_THAT(check_references(hive, kSmallAdml), Contains(HasSubstr("names a hive")));
  auto outside = replaced(kSmallAdmx, R"(key="SOFTWARE\Policies\RdpMend")", R"(key="SOFTWARE\RdpMend")");
  EXPECT_THAT(check_references(outside, kSmallAdml),
              Contains(HasSubstr("is not under SOFTWARE\\Policies\\RdpMend")));
}

TEST(AdmxCheckTest, ReportsAValueWrittenByTwoPoliciesAndARepeatedName) {
  std::string policy = kSmallAdmx;
  auto start = policy.find("    <policy name=");
  auto end = policy.find("</policy>") + std::string("</policy>\n").size();
  auto twin = replaced(policy.substr(start, end - start), "name=\"Limit\"", "name=\"Limit2\"");
  auto admx = std::string(kSmallAdmx).insert(end, twin);
  auto problems = check_references(admx, kSmallAdml);
  EXPECT_THAT(problems,
              Contains(HasSubstr("value \"MaxActionsPerHour\" is also written by policy \"Limit\"")));
  auto repeated = std::string(kSmallAdmx).insert(end, policy.substr(start, end - start));
  EXPECT_THAT(check_references(repeated, kSmallAdml),
              Contains(HasSubstr("policy \"Limit\" is defined twice")));
}

TEST(AdmxCheckTest, ReportsADocumentThatIsNotXml) {
  auto problems = check_references("<policyDefinitions>", kSmallAdml);
  EXPECT_THAT(problems, Contains(HasSubstr("admx: not XML")));
  EXPECT_THAT(check_against_table(kSmallAdmx, "", policy_table()), Contains(HasSubstr("adml: not XML")));
}

// The table checks, on the generated template with one thing changed.
class TableCheck : public ::testing::Test {
 protected:
  std::string admx = admx_document();
  std::string adml = adml_document();
};

TEST_F(TableCheck, ReportsARangeThatDiffersFromTheTable) {
  auto broken = replaced(admx, R"(minValue="0" maxValue="60")", R"(minValue="0" maxValue="61")");
  EXPECT_THAT(check_against_table(broken, adml, policy_table()),
              Contains(HasSubstr("value \"MaxActionsPerHour\": range 0..61, the table's is 0..60")));
}

TEST_F(TableCheck, ReportsAValueTheTableDoesNotKnow) {
  auto broken = replaced(admx, R"(<enum id="Mode" valueName="Mode")", R"(<enum id="Mode" valueName="Moode")");
  auto problems = check_against_table(broken, adml, policy_table());
  EXPECT_THAT(problems, Contains(HasSubstr("writes value \"Moode\", which is not in the policy table")));
  EXPECT_THAT(problems, Contains(HasSubstr("setting \"Mode\": no policy writes value \"Mode\"")));
}

TEST_F(TableCheck, ReportsADefaultThatDiffersFromTheTable) {
  auto broken = replaced(adml, R"(refId="MaxActionsPerHour" defaultValue="4")",
                         R"(refId="MaxActionsPerHour" defaultValue="5")");
  EXPECT_THAT(
      check_against_table(admx, broken, policy_table()),
      Contains(HasSubstr("the control of \"MaxActionsPerHour\": defaultValue 5, the table's default is 4")));
  auto item = replaced(adml, R"(refId="Mode" noSort="true" defaultItem="1")",
                       R"(refId="Mode" noSort="true" defaultItem="3")");
  EXPECT_THAT(check_against_table(admx, item, policy_table()),
              Contains(HasSubstr(
                  "the control of \"Mode\": defaultItem \"3\", the table's default is Observe (item 1)")));
}

TEST_F(TableCheck, ReportsEnumValuesThatDifferFromTheTable) {
  auto broken = replaced(admx, "<string>ec-p256</string>", "<string>ec-p521</string>");
  EXPECT_THAT(
      check_against_table(broken, adml, policy_table()),
      Contains(HasSubstr("value \"XrdpCertKeyType\": enum values [string rsa2048, string rsa3072, string "
                         "rsa4096, string ec-p521, string ec-p384]")));
}

TEST_F(TableCheck, ReportsATypeTheReaderDoesNotRead) {
  auto expandable = replaced(admx, R"(<text id="XrdpKeyGroup" valueName="XrdpKeyGroup")",
                             R"(<text id="XrdpKeyGroup" valueName="XrdpKeyGroup" expandable="true")");
  EXPECT_THAT(check_against_table(expandable, adml, policy_table()), Contains(HasSubstr("REG_EXPAND_SZ")));
  auto switch_value =
      replaced(admx,
               "valueName=\"AllowRestartRdpService\">\n      <parentCategory ref=\"Actions\" />\n      "
               "<supportedOn ref=\"SUPPORTED_RdpMend\" />\n      <enabledValue>\n        <decimal "
               "value=\"1\" />",
               "valueName=\"AllowRestartRdpService\">\n      <parentCategory ref=\"Actions\" />\n      "
               "<supportedOn ref=\"SUPPORTED_RdpMend\" />\n      <enabledValue>\n        <decimal "
               "value=\"2\" />");
  EXPECT_THAT(
      check_against_table(switch_value, adml, policy_table()),
      Contains(HasSubstr("\"AllowRestartRdpService\": a switch writes REG_DWORD 1 when enabled and 0")));
  auto user = replaced(admx, R"(<policy name="Mode" class="Machine")", R"(<policy name="Mode" class="User")");
  EXPECT_THAT(check_against_table(user, adml, policy_table()),
              Contains(HasSubstr("the agent reads HKLM only")));
}

}  // namespace
}  // namespace rdpmend::policy::admx
