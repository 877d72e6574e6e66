// remediation/security/sddl: SDDL read into a structure and compared by meaning. Portable: runs natively and,
// in the MinGW build, under Wine.

#include "security/sddl.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "inspect/key_access.h"

namespace rdpmend::security {
namespace {

// Plain GoogleTest (no gmock in this executable): lists compare with EXPECT_EQ, which prints both sides.
using Lines = std::vector<std::string>;

Lines sorted(Lines lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

SecurityDescriptor parsed(std::string_view sddl) {
  auto sd = parse_sddl(sddl);
  EXPECT_TRUE(sd.ok()) << sddl << ": " << (sd.ok() ? "" : sd.error().message());
  return sd.ok() ? sd.value() : SecurityDescriptor{};
}

std::vector<std::string> differences(std::string_view actual,
                                     std::string_view expected = inspect::kMachineKeysDefaultSddl) {
  return compare_security_descriptors(parsed(actual), parsed(expected));
}

// The groups of a NETWORK SERVICE token, as far as these tests need them.
const std::vector<std::string> kNetworkService{"S-1-5-20", "S-1-1-0", "S-1-5-11", "S-1-5-32-545", "S-1-5-6"};

TEST(Sddl, ParsesTheMachineKeysDefault) {
  auto sd = parsed(inspect::kMachineKeysDefaultSddl);
  EXPECT_EQ(sd.owner, "S-1-5-18");
  EXPECT_EQ(sd.group, "S-1-5-18");
  ASSERT_TRUE(sd.dacl.has_value());
  EXPECT_TRUE(sd.dacl->is_protected);
  EXPECT_TRUE(sd.dacl->auto_inherited);
  EXPECT_FALSE(sd.dacl->auto_inherit_req);
  EXPECT_FALSE(sd.dacl->is_null);
  EXPECT_FALSE(sd.sacl.has_value());
  ASSERT_EQ(sd.dacl->aces.size(), 2u);
  EXPECT_EQ(sd.dacl->aces[0].type, "A");
  EXPECT_EQ(sd.dacl->aces[0].flags, 0u);
  EXPECT_EQ(sd.dacl->aces[0].rights, 0x12019fu);
  EXPECT_EQ(sd.dacl->aces[0].sid, "S-1-1-0");
  EXPECT_EQ(sd.dacl->aces[1].rights, kFileAllAccess);
  EXPECT_EQ(sd.dacl->aces[1].sid, "S-1-5-32-544");
}

TEST(Sddl, TheDefaultMatchesItself) {
  EXPECT_EQ(differences(inspect::kMachineKeysDefaultSddl), Lines{});
}

TEST(Sddl, MatchesTheDefaultWrittenDifferently) {
  // ACEs in the other order, flags in the other order, numeric SIDs, FA as a mask, upper-case hex.
  EXPECT_EQ(differences("O:S-1-5-18G:s-1-5-18D:AIP(A;;0x1F01FF;;;S-1-5-32-544)(A;;0x12019F;;;S-1-1-0)"),
            Lines{});
  // GA, which a file's generic mapping turns into FA.
  EXPECT_EQ(differences("O:SYG:SYD:PAI(A;;GA;;;BA)(A;;0x12019f;;;WD)"), Lines{});
  // Letters are masks too: these are 0x12019f without SYNCHRONIZE (which has no letter).
  EXPECT_EQ(differences("O:SYG:SYD:PAI(A;;FA;;;BA)(A;;CCDCLCSWRPLOCRRC;;;WD)"),
            (Lines{"missing ACE (A;;0x12019f;;;WD)", "extra ACE (A;;0x2019f;;;WD)"}));
}

TEST(Sddl, ReportsAMissingAce) {
  EXPECT_EQ(differences("O:SYG:SYD:PAI(A;;0x12019f;;;WD)"), (Lines{"missing ACE (A;;FA;;;BA)"}));
}

TEST(Sddl, ReportsBroadenedRightsAsMissingAndExtra) {
  EXPECT_EQ(differences("O:SYG:SYD:PAI(A;;FA;;;WD)(A;;FA;;;BA)"),
            (Lines{"missing ACE (A;;0x12019f;;;WD)", "extra ACE (A;;FA;;;WD)"}));
}

TEST(Sddl, ReportsAnExtraAce) {
  EXPECT_EQ(differences("O:SYG:SYD:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA)(A;OICI;FR;;;NS)"),
            (Lines{"extra ACE (A;OICI;FR;;;NS)"}));
}

TEST(Sddl, ReportsAnUnprotectedDacl) {
  EXPECT_EQ(differences("O:SYG:SYD:AI(A;;0x12019f;;;WD)(A;;FA;;;BA)"), (Lines{"DACL not protected (PAI)"}));
  EXPECT_EQ(differences("O:SYG:SYD:P(A;;FA;;;BA)", "O:SYG:SYD:(A;;FA;;;BA)"),
            (Lines{"DACL protected (P), expected to inherit from its parent"}));
}

TEST(Sddl, DoesNotCompareTheAutoInheritFlags) {
  EXPECT_EQ(differences("O:SYG:SYD:P(A;;0x12019f;;;WD)(A;;FA;;;BA)"), Lines{});
  EXPECT_EQ(differences("O:SYG:SYD:PARAI(A;;0x12019f;;;WD)(A;;FA;;;BA)"), Lines{});
}

TEST(Sddl, ReportsOwnerAndGroup) {
  EXPECT_EQ(differences("O:BAG:SYD:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA)"), (Lines{"owner is BA, expected SY"}));
  EXPECT_EQ(differences("O:SYG:S-1-5-21-1-2-3-513D:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA)"),
            (Lines{"group is S-1-5-21-1-2-3-513, expected SY"}));
  EXPECT_EQ(
      differences("D:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA)"),
      (Lines{"owner is not in the descriptor, expected SY", "group is not in the descriptor, expected SY"}));
}

TEST(Sddl, ChecksOnlyWhatTheExpectedDescriptorStates) {
  EXPECT_EQ(differences("O:BAG:BAD:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA)", "D:PAI(A;;FA;;;BA)(A;;0x12019f;;;WD)"),
            Lines{});
  EXPECT_EQ(differences("O:SY", "D:P(A;;FA;;;BA)"), (Lines{"DACL is not in the descriptor"}));
}

TEST(Sddl, InheritedAceIsNotTheSameAsAnExplicitOne) {
  EXPECT_EQ(differences("O:SYG:SYD:PAI(A;;0x12019f;;;WD)(A;ID;FA;;;BA)"),
            (Lines{"missing ACE (A;;FA;;;BA)", "extra ACE (A;ID;FA;;;BA)"}));
}

TEST(Sddl, ComparesAcesAsAMultiset) {
  EXPECT_EQ(differences("O:SYG:SYD:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA)(A;;FA;;;BA)"),
            (Lines{"extra ACE (A;;FA;;;BA)"}));
}

TEST(Sddl, ReportsANullDacl) {
  auto sd = parsed("O:SYG:SYD:NO_ACCESS_CONTROL");
  ASSERT_TRUE(sd.dacl.has_value());
  EXPECT_TRUE(sd.dacl->is_null);
  EXPECT_EQ(differences("O:SYG:SYD:NO_ACCESS_CONTROL"),
            (Lines{"DACL is NULL (no access control: everyone has full access)"}));
}

TEST(Sddl, ReportsWhatWineMakesUpForAFolder) {
  // Wine 8 does not store DACLs; it synthesizes this one from the Unix mode (reference/windows-build-notes.md
  // 3f).
  EXPECT_EQ(
      sorted(differences("O:S-1-5-21-0-0-0-1000D:(A;OICI;FA;;;SY)(A;OICI;FA;;;S-1-5-21-0-0-0-1000)"
                         "(A;OICI;0x1301ff;;;WD)")),
      sorted(Lines{"owner is S-1-5-21-0-0-0-1000, expected SY", "group is not in the descriptor, expected SY",
                   "DACL not protected (PAI)", "missing ACE (A;;0x12019f;;;WD)", "missing ACE (A;;FA;;;BA)",
                   "extra ACE (A;OICI;FA;;;SY)", "extra ACE (A;OICI;FA;;;S-1-5-21-0-0-0-1000)",
                   "extra ACE (A;OICI;0x1301ff;;;WD)"}));
}

TEST(Sddl, ParsesObjectConditionalAndAuditAces) {
  auto sd = parsed(
      "O:DAG:DUD:(OA;CI;RPWP;BF967A7F-0DE6-11D0-A285-00AA003049E2;;AU)"
      "(XA;;FX;;;S-1-1-0;(@User.Title==\"PM\" && (@User.Division==\"Fin)ance\")))"
      "S:AI(AU;SAFA;FA;;;WD)(ML;;NWNR;;;LW)");
  EXPECT_EQ(sd.owner, "DA");  // domain-relative: kept as the alias
  EXPECT_EQ(sd.group, "DU");
  ASSERT_TRUE(sd.dacl.has_value());
  ASSERT_EQ(sd.dacl->aces.size(), 2u);
  EXPECT_EQ(sd.dacl->aces[0].type, "OA");
  EXPECT_EQ(sd.dacl->aces[0].object_guid, "bf967a7f-0de6-11d0-a285-00aa003049e2");
  EXPECT_EQ(sd.dacl->aces[0].rights, 0x30u);
  EXPECT_EQ(sd.dacl->aces[0].flags, kAceContainerInherit);
  EXPECT_EQ(sd.dacl->aces[1].type, "XA");
  EXPECT_EQ(sd.dacl->aces[1].application_data, "(@User.Title==\"PM\" && (@User.Division==\"Fin)ance\"))");
  ASSERT_TRUE(sd.sacl.has_value());
  EXPECT_TRUE(sd.sacl->auto_inherited);
  ASSERT_EQ(sd.sacl->aces.size(), 2u);
  EXPECT_EQ(sd.sacl->aces[0].flags, 0xc0u);
  EXPECT_EQ(sd.sacl->aces[1].rights, 0x3u);
  EXPECT_EQ(sd.sacl->aces[1].sid, "S-1-16-4096");
}

TEST(Sddl, FormatsAcesTheWayWindowsWritesThem) {
  auto sd =
      parsed("D:(A;CIOI;0x1f01ff;;;S-1-5-32-544)(D;IDNP;0x120089;;;S-1-5-21-7-8-9-1001)(A;;0x12019f;;;WD)");
  ASSERT_EQ(sd.dacl->aces.size(), 3u);
  EXPECT_EQ(format_ace(sd.dacl->aces[0]), "(A;OICI;FA;;;BA)");
  EXPECT_EQ(format_ace(sd.dacl->aces[1]), "(D;NPID;FR;;;S-1-5-21-7-8-9-1001)");
  EXPECT_EQ(format_ace(sd.dacl->aces[2]), "(A;;0x12019f;;;WD)");
}

TEST(Sddl, ResolvesSidAliases) {
  EXPECT_EQ(canonical_sid("SY"), "S-1-5-18");
  EXPECT_EQ(canonical_sid("BA"), "S-1-5-32-544");
  EXPECT_EQ(canonical_sid("WD"), "S-1-1-0");
  EXPECT_EQ(canonical_sid("NS"), "S-1-5-20");
  EXPECT_EQ(canonical_sid("LS"), "S-1-5-19");
  EXPECT_EQ(canonical_sid("AU"), "S-1-5-11");
  EXPECT_EQ(canonical_sid("s-1-5-32-544"), "S-1-5-32-544");
  EXPECT_EQ(canonical_sid("S-1-0x5-18"), "S-1-5-18");
  EXPECT_EQ(canonical_sid("DA"), "DA");
  EXPECT_EQ(canonical_sid("ZZ"), std::nullopt);
  EXPECT_EQ(canonical_sid("S-1"), std::nullopt);
  EXPECT_EQ(canonical_sid("S-2-5-18"), std::nullopt);
  EXPECT_EQ(canonical_sid("S-1-5-4294967296"), std::nullopt);
  EXPECT_EQ(canonical_sid("S-1-5--18"), std::nullopt);
  EXPECT_EQ(canonical_sid("S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16"), std::nullopt);
  EXPECT_EQ(display_sid("S-1-5-18"), "SY");
  EXPECT_EQ(display_sid("S-1-5-21-1-2-3-500"), "S-1-5-21-1-2-3-500");
}

TEST(Sddl, RefusesBadSddlWithAReason) {
  const char* bad[] = {
      "",
      "   ",
      "X:SY",
      "O:",
      "O:ZZ",
      "O:SYO:SY",
      "D:(A;;FA;;BA)",
      "D:(A;;FA;;;BA",
      "D:(A;;FA;;;BA)junk",
      "D:(Q;;FA;;;BA)",
      "D:(A;;QQ;;;BA)",
      "D:(A;;F;;;BA)",
      "D:(A;XX;FA;;;BA)",
      "D:(A;;0xZZ;;;BA)",
      "D:(A;;0x100000000;;;BA)",
      "D:(A;;FA;;;S-1-x)",
      "D:(A;;FA;;;)",
      "D:(A;;FA;;;BA;extra)",
      "D:(A;;FA;BF967A7F-0DE6-11D0-A285-00AA003049E2;;BA)",
      "D:(OA;;FA;not-a-guid;;BA)",
      "D:XY",
      "D:NO_ACCESS_CONTROL(A;;FA;;;BA)",
      "D:PAI(A;;FA;;;BA)D:P",
      "(A;;FA;;;BA)",
  };
  for (const char* text : bad) {
    auto sd = parse_sddl(text);
    EXPECT_FALSE(sd.ok()) << "accepted: " << text;
    if (!sd.ok()) {
      EXPECT_EQ(sd.error().what, "parse SDDL");
      EXPECT_NE(sd.error().detail.find("at offset"), std::string::npos) << text;
    }
  }
}

TEST(Sddl, NeverCrashesOnAnyPrefixOrByteFlip) {
  const std::string good =
      "O:SYG:SYD:PAI(A;OICI;FA;;;SY)(OA;CI;RPWP;bf967a7f-0de6-11d0-a285-00aa003049e2;;AU)"
      "(XA;;FX;;;WD;(@User.x==\"a)b\"))S:(AU;SAFA;FA;;;WD)";
  ASSERT_TRUE(parse_sddl(good).ok());
  for (std::size_t n = 0; n <= good.size(); ++n) (void)parse_sddl(good.substr(0, n));
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (char c : {'(', ')', ';', ':', '"', '\0', 'x', '-'}) {
      std::string s = good;
      s[i] = c;
      auto sd = parse_sddl(s);
      if (sd.ok()) (void)compare_security_descriptors(sd.value(), parsed(inspect::kMachineKeysDefaultSddl));
    }
  }
}

TEST(SddlAccess, NetworkServiceReadsAKeyGrantedToIt) {
  auto d = check_access(parsed("O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;NS)"), kNetworkService,
                        kFileGenericRead);
  EXPECT_TRUE(d.allowed) << d.reason;
  EXPECT_EQ(d.missing, 0u);
}

TEST(SddlAccess, NetworkServiceCannotReadAKeyOnlySystemAndAdministratorsHave) {
  auto d = check_access(parsed("O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)"), kNetworkService, kFileGenericRead);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.missing, kFileGenericRead);
  EXPECT_EQ(d.reason, "no ACE grants 0x120089");
}

TEST(SddlAccess, AGroupAceCountsAndGenericRightsAreMapped) {
  EXPECT_TRUE(check_access(parsed("D:P(A;;GR;;;BU)"), kNetworkService, kFileGenericRead).allowed);
  EXPECT_TRUE(check_access(parsed("D:P(A;;0x120089;;;WD)"), kNetworkService, 0x80000000u).allowed);
}

TEST(SddlAccess, AnEarlierDenyWinsAndALaterDenyDoesNot) {
  auto denied = check_access(parsed("D:P(D;;FR;;;WD)(A;;FA;;;NS)"), kNetworkService, kFileGenericRead);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.reason, "denied by (D;;FR;;;WD)");
  EXPECT_TRUE(check_access(parsed("D:P(A;;FA;;;NS)(D;;FR;;;WD)"), kNetworkService, kFileGenericRead).allowed);
}

TEST(SddlAccess, NeedsEveryWantedBit) {
  // FILE_READ_DATA alone does not open a key with GENERIC_READ.
  auto d = check_access(parsed("D:P(A;;0x1;;;NS)"), kNetworkService, kFileGenericRead);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.missing, 0x120088u);
}

TEST(SddlAccess, SkipsInheritOnlyAces) {
  EXPECT_FALSE(check_access(parsed("D:P(A;OICIIO;FA;;;NS)"), kNetworkService, kFileGenericRead).allowed);
}

TEST(SddlAccess, NullDaclGrantsAndEmptyDaclRefuses) {
  EXPECT_TRUE(check_access(parsed("D:NO_ACCESS_CONTROL"), kNetworkService, kFileGenericRead).allowed);
  EXPECT_FALSE(check_access(parsed("D:P"), kNetworkService, kFileGenericRead).allowed);
  EXPECT_FALSE(check_access(parsed("O:SY"), kNetworkService, kFileGenericRead).allowed);
}

TEST(SddlAccess, OwnerGetsReadControlUnlessOwnerRightsSaysOtherwise) {
  // 0x100089 is FR without READ_CONTROL: the owner has READ_CONTROL implicitly.
  EXPECT_TRUE(check_access(parsed("O:NSD:P(A;;0x100089;;;NS)"), kNetworkService, kFileGenericRead).allowed);
  EXPECT_FALSE(check_access(parsed("O:SYD:P(A;;0x100089;;;NS)"), kNetworkService, kFileGenericRead).allowed);
  EXPECT_FALSE(
      check_access(parsed("O:NSD:P(A;;0x100089;;;NS)(A;;0x1;;;OW)"), kNetworkService, kFileGenericRead)
          .allowed);
}

}  // namespace
}  // namespace rdpmend::security
