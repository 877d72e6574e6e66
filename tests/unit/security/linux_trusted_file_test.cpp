// The trust rule on real path chains (as root): each row builds a small tree under a fresh folder in /tmp,
// then opens one path of it the way the agent does and compares the verdict.

#include "security/trusted_file.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "security/linux/posix_files.h"

namespace rdpmend::security {
namespace {

namespace fs = std::filesystem;
constexpr unsigned kNobody = 65534;

// A small tree of folders, files and links with given owners and modes.
struct Tree {
  std::string root;

  std::string p(const std::string& rel) const { return root + "/" + rel; }
  void dir(const std::string& rel, unsigned uid = 0, unsigned mode = 0755) const {
    fs::create_directories(p(rel));
    ASSERT_EQ(chown(p(rel).c_str(), uid, uid == 0 ? 0 : uid), 0);
    ASSERT_EQ(chmod(p(rel).c_str(), mode), 0);
  }
  void file(const std::string& rel, const std::string& text = "x", unsigned uid = 0,
            unsigned mode = 0644) const {
    std::ofstream(p(rel)) << text;
    ASSERT_EQ(chown(p(rel).c_str(), uid, uid == 0 ? 0 : uid), 0);
    ASSERT_EQ(chmod(p(rel).c_str(), mode), 0);
  }
  void link(const std::string& rel, const std::string& target, unsigned uid = 0) const {
    ASSERT_EQ(symlink(target.c_str(), p(rel).c_str()), 0);
    ASSERT_EQ(lchown(p(rel).c_str(), uid, uid == 0 ? 0 : uid), 0);
  }
  std::string verdict(const std::string& rel, Use use) const {
    auto r = check_trusted(p(rel), use);
    return r ? std::string(refusal_id(r->reason)) : "trusted";
  }
};

class TrustedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "SKIPPED: needs root (files owned by other accounts)";
    char tmpl[] = "/tmp/rdpmend-trust.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    t_.root = tmpl;
    chmod(t_.root.c_str(), 0755);
  }
  void TearDown() override {
    if (!t_.root.empty()) fs::remove_all(t_.root);
  }
  std::string p(const std::string& rel) const { return t_.p(rel); }
  void dir(const std::string& rel) const { t_.dir(rel); }
  void file(const std::string& rel, const std::string& text = "x") const { t_.file(rel, text); }
  void link(const std::string& rel, const std::string& target) const { t_.link(rel, target); }

  Tree t_;
};

struct Row {
  const char* name;
  std::function<void(const Tree&)> build;
  const char* path;
  Use use;
  const char* want;
};

TEST_F(TrustedFileTest, PathChains) {
  const Row rows[] = {
      {"root's file in root's folders",
       [](auto& t) {
         t.dir("a");
         t.file("a/f");
       },
       "a/f", Use::kContent, "trusted"},
      {"a file owned by another account, read as configuration",
       [](auto& t) {
         t.dir("a");
         t.file("a/f", "x", kNobody);
       },
       "a/f", Use::kContent, "untrusted-owner"},
      {"the same file, to change (xrdp may own its key)",
       [](auto& t) {
         t.dir("a");
         t.file("a/f", "x", kNobody, 0600);
       },
       "a/f", Use::kChange, "trusted"},
      {"a group-writable configuration",
       [](auto& t) {
         t.dir("a");
         t.file("a/f", "x", 0, 0664);
       },
       "a/f", Use::kContent, "writable-by-others"},
      {"a folder on the way owned by another account",
       [](auto& t) {
         t.dir("a", kNobody);
         t.file("a/f");
       },
       "a/f", Use::kChange, "untrusted-owner"},
      {"a folder on the way others may write",
       [](auto& t) {
         t.dir("a", 0, 0777);
         t.file("a/f");
       },
       "a/f", Use::kChange, "writable-by-others"},
      {"root's sticky folder, root's file",
       [](auto& t) {
         t.dir("t", 0, 01777);
         t.file("t/f");
       },
       "t/f", Use::kContent, "trusted"},
      {"root's sticky folder, another account's file to change",
       [](auto& t) {
         t.dir("t", 0, 01777);
         t.file("t/f", "x", kNobody);
       },
       "t/f", Use::kChange, "untrusted-owner"},
      {"root's sticky folder, another account's folder on the way",
       [](auto& t) {
         t.dir("t", 0, 01777);
         t.dir("t/d", kNobody);
         t.file("t/d/f");
       },
       "t/d/f", Use::kChange, "untrusted-owner"},
      {"a trusted link to a trusted file (Debian's snakeoil key)",
       [](auto& t) {
         t.dir("ssl", 0, 0710);
         t.file("ssl/k", "x", 0, 0640);
         t.dir("x");
         t.link("x/key.pem", t.p("ssl/k"));
       },
       "x/key.pem", Use::kChange, "trusted"},
      {"a relative trusted link",
       [](auto& t) {
         t.dir("a");
         t.file("a/f");
         t.link("a/l", "f");
       },
       "a/l", Use::kContent, "trusted"},
      {"a trusted link into a folder others may write",
       [](auto& t) {
         t.dir("w", 0, 0777);
         t.file("w/f");
         t.dir("x");
         t.link("x/l", t.p("w/f"));
       },
       "x/l", Use::kChange, "writable-by-others"},
      {"a link planted by another account in a sticky folder",
       [](auto& t) {
         t.dir("t", 0, 01777);
         t.dir("s");
         t.file("s/f");
         t.link("t/l", t.p("s/f"), kNobody);
       },
       "t/l", Use::kChange, "untrusted-owner"},
      {"a folder link to another account's folder",
       [](auto& t) {
         t.dir("evil", kNobody);
         t.file("evil/f");
         t.link("d", t.p("evil"));
       },
       "d/f", Use::kChange, "untrusted-owner"},
      {"a link loop",
       [](auto& t) {
         t.link("l1", "l2");
         t.link("l2", "l1");
       },
       "l1", Use::kContent, "too-many-links"},
      {"a dangling link", [](auto& t) { t.link("l", "nowhere"); }, "l", Use::kContent, "not-found"},
      {"a FIFO", [](auto& t) { ASSERT_EQ(mkfifo(t.p("fifo").c_str(), 0600), 0); }, "fifo", Use::kContent,
       "not-a-regular-file"},
      {"a character device",
       [](auto& t) { ASSERT_EQ(mknod(t.p("zero").c_str(), S_IFCHR | 0600, makedev(1, 5)), 0); }, "zero",
       Use::kChange, "not-a-regular-file"},
      {"a folder where a file must be", [](auto& t) { t.dir("a"); }, "a", Use::kContent,
       "not-a-regular-file"},
      {"a file where a folder must be", [](auto& t) { t.file("f"); }, "f/g", Use::kContent, "not-a-folder"},
      {"a missing file", [](auto&) {}, "missing", Use::kContent, "not-found"},
      {"dot-dot back out of a trusted folder",
       [](auto& t) {
         t.dir("a");
         t.dir("b");
         t.file("b/f");
       },
       "a/../b/f", Use::kContent, "trusted"},
      {"a folder to write in", [](auto& t) { t.dir("a"); }, "a", Use::kFolder, "trusted"},
      {"another account's folder to write in", [](auto& t) { t.dir("a", kNobody); }, "a", Use::kFolder,
       "untrusted-owner"},
  };
  int n = 0;
  for (const auto& row : rows) {
    std::string base = "case" + std::to_string(n++);
    dir(base);
    Tree tree{p(base)};
    row.build(tree);
    EXPECT_EQ(tree.verdict(row.path, row.use), row.want) << row.name;
  }
}

TEST_F(TrustedFileTest, RelativePathsAreRefused) {
  auto r = check_trusted("etc/passwd", Use::kContent);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason, Refusal::kNotAbsolute);
}

TEST_F(TrustedFileTest, ReadsAreBounded) {
  file("big", std::string(2000, 'x'));
  auto small = read_trusted_file(p("big"), 1000);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().reason, Refusal::kTooLarge);
  auto whole = read_trusted_file(p("big"), 2000);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole.value().size(), 2000u);
}

TEST_F(TrustedFileTest, AFifoNeverBlocks) {
  ASSERT_EQ(mkfifo(p("fifo").c_str(), 0600), 0);
  auto start = std::chrono::steady_clock::now();
  auto r = open_trusted_file(p("fifo"), Use::kChange);
  EXPECT_FALSE(r);
  // Not a timing assertion: a blocking open would never return at all.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

TEST_F(TrustedFileTest, HardLinkCountIsReported) {
  file("f");
  ASSERT_EQ(::link(p("f").c_str(), p("g").c_str()), 0);
  auto r = open_trusted_file(p("f"), Use::kChange);
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value().facts.links, 2u);
}

TEST_F(TrustedFileTest, EntryKeepsALinkInTheLastComponent) {
  dir("a");
  file("a/f");
  link("a/l", "f");
  auto entry = open_trusted_entry(p("a/l"));
  ASSERT_TRUE(entry);
  ASSERT_TRUE(entry.value().facts);
  EXPECT_EQ(entry.value().facts->kind, ComponentFacts::Kind::kSymlink);
  EXPECT_EQ(entry.value().name, "l");
  auto missing = open_trusted_entry(p("a/new"));
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing.value().facts);
}

TEST_F(TrustedFileTest, ReplaceWritesThroughTheFolderNeverALink) {
  dir("a");
  file("victim", "keep");
  link("a/f", p("victim"));
  auto folder = open_trusted_folder(p("a"));
  ASSERT_TRUE(folder);
  ASSERT_TRUE(replace_file(folder.value(), "f", "new", 0, 0, 0640));
  std::ifstream victim(p("victim"));
  std::string text((std::istreambuf_iterator<char>(victim)), {});
  EXPECT_EQ(text, "keep");
  struct stat st {};
  ASSERT_EQ(lstat(p("a/f").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST_F(TrustedFileTest, FolderIdentityTellsASwappedFolder) {
  dir("a");
  dir("b");
  auto before = open_trusted_folder(p("a"));
  ASSERT_TRUE(before);
  fs::rename(p("a"), p("a.old"));
  link("a", p("b"));
  auto after = open_trusted_folder(p("a"));
  ASSERT_TRUE(after);
  EXPECT_NE(before.value().identity, after.value().identity);
  EXPECT_EQ(after.value().path, p("b"));
}

}  // namespace
}  // namespace rdpmend::security
