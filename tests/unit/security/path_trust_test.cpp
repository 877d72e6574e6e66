// The trust rule on described components (portable: no file system), one row per case.

#include "security/path_trust.h"

#include <gtest/gtest.h>

namespace rdpmend::security {
namespace {

using Kind = ComponentFacts::Kind;

ComponentFacts component(Kind kind, bool owner_trusted, bool others_write, bool only_add = false) {
  ComponentFacts f;
  f.path = "/x";
  f.kind = kind;
  f.owner_trusted = owner_trusted;
  f.others_may_write = others_write;
  f.others_may_only_add = only_add;
  f.owner = owner_trusted ? "root" : "xrdp";
  f.mode = others_write ? 0777 : 0755;
  return f;
}

std::string verdict(const std::optional<Refused>& r) {
  return r ? std::string(refusal_id(r->reason)) : "trusted";
}

struct FolderRow {
  const char* name;
  ComponentFacts facts;
  bool parent_only_add;
  const char* want;
};

TEST(PathTrust, FoldersOnTheWay) {
  const FolderRow rows[] = {
      {"root's folder", component(Kind::kFolder, true, false), false, "trusted"},
      {"another account's folder", component(Kind::kFolder, false, false), false, "untrusted-owner"},
      {"root's folder others may write", component(Kind::kFolder, true, true), false, "writable-by-others"},
      {"root's sticky folder (/tmp)", component(Kind::kFolder, true, false, true), false, "trusted"},
      {"root's folder inside a sticky folder", component(Kind::kFolder, true, false), true, "trusted"},
      {"another's folder inside a sticky folder", component(Kind::kFolder, false, false), true,
       "untrusted-owner"},
      {"a file where a folder must be", component(Kind::kRegularFile, true, false), false, "not-a-folder"},
      {"a device where a folder must be", component(Kind::kOther, true, false), false, "not-a-folder"},
  };
  for (const auto& row : rows)
    EXPECT_EQ(verdict(judge_folder_on_the_way(row.facts, row.parent_only_add)), row.want) << row.name;
}

struct FinalRow {
  const char* name;
  ComponentFacts facts;
  bool parent_only_add;
  Use use;
  const char* want;
};

TEST(PathTrust, FinalComponentByUse) {
  const FinalRow rows[] = {
      {"root's configuration", component(Kind::kRegularFile, true, false), false, Use::kContent, "trusted"},
      {"xrdp's xrdp.ini", component(Kind::kRegularFile, false, false), false, Use::kContent,
       "untrusted-owner"},
      {"a group-writable configuration", component(Kind::kRegularFile, true, true), false, Use::kContent,
       "writable-by-others"},
      {"a FIFO as configuration", component(Kind::kOther, true, false), false, Use::kContent,
       "not-a-regular-file"},
      {"xrdp's own key, to change", component(Kind::kRegularFile, false, false), false, Use::kChange,
       "trusted"},
      {"xrdp's key in a sticky folder", component(Kind::kRegularFile, false, false), true, Use::kChange,
       "untrusted-owner"},
      {"root's key in a sticky folder", component(Kind::kRegularFile, true, false), true, Use::kChange,
       "trusted"},
      {"a character device as key", component(Kind::kOther, true, false), false, Use::kChange,
       "not-a-regular-file"},
      {"a folder as key", component(Kind::kFolder, true, false), false, Use::kChange, "not-a-regular-file"},
      {"root's folder to write in", component(Kind::kFolder, true, false), false, Use::kFolder, "trusted"},
      {"a writable folder to write in", component(Kind::kFolder, true, true), false, Use::kFolder,
       "writable-by-others"},
  };
  for (const auto& row : rows)
    EXPECT_EQ(verdict(judge_final(row.facts, row.parent_only_add, row.use)), row.want) << row.name;
}

TEST(PathTrust, LinksAreJudgedByWhoMadeThem) {
  EXPECT_EQ(verdict(judge_symlink(component(Kind::kSymlink, true, false), false)), "trusted");
  EXPECT_EQ(verdict(judge_symlink(component(Kind::kSymlink, true, false), true)), "trusted");
  EXPECT_EQ(verdict(judge_symlink(component(Kind::kSymlink, false, false), true)), "untrusted-owner");
  // A Windows link whose DACL lets another account rewrite its reparse data.
  EXPECT_EQ(verdict(judge_symlink(component(Kind::kSymlink, true, true), false)), "writable-by-others");
}

TEST(PathTrust, RefusalMessageCarriesTheComponentAndItsFacts) {
  auto r = judge_folder_on_the_way(component(Kind::kFolder, false, false), false);
  ASSERT_TRUE(r);
  r->path = "/x/key.pem";
  EXPECT_EQ(r->message(),
            "refused (untrusted-owner): /x (owner xrdp, mode 0755): owned by another account, on "
            "the way to /x/key.pem");
  EXPECT_EQ(r->to_error("read key").object, "/x/key.pem");
}

}  // namespace
}  // namespace rdpmend::security
