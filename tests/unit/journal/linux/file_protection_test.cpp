#include "journal/file_protection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include "../journal_test_support.h"

namespace rdpmend::journal {
namespace {

using ::testing::HasSubstr;

class JournalFileProtectionTest : public test::JournalFolder {
 protected:
  mode_t mode_of(const std::string& file) {
    struct stat st {};
    EXPECT_EQ(stat(file.c_str(), &st), 0) << file;
    return st.st_mode & 07777;
  }
};

TEST_F(JournalFileProtectionTest, CreatesTheDatabaseAndItsCompanionsOwnerOnly) {
  const mode_t old_umask = umask(0);  // even a permissive umask gives 0600
  Journal journal = open_journal();
  umask(old_umask);
  ASSERT_TRUE(journal.actions().record_intent({std::nullopt, "start-rdp-service", "xrdp", "", "k"}));
  EXPECT_EQ(mode_of(path_), 0600u);
  for (const char* suffix : {"-wal", "-shm"}) {
    if (access((path_ + suffix).c_str(), F_OK) == 0) {
      EXPECT_EQ(mode_of(path_ + suffix), 0600u) << suffix;
    }
  }
  struct stat st {};
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, geteuid());
}

// SQLite opens the journal by name: in a folder another account may write, it could swap the database for
// its own between the checks and the open, so such a folder is refused before anything is created there.
TEST_F(JournalFileProtectionTest, RefusesAFolderOthersMayWrite) {
  ASSERT_EQ(chmod(folder_.c_str(), 0777), 0);
  auto opened = Journal::open(path_, options());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().what, "check the journal's folder");
  EXPECT_THAT(opened.error().detail, HasSubstr("refused (writable-by-others): " + folder_.string()));
  EXPECT_FALSE(std::filesystem::exists(path_)) << "nothing is created in a folder that is refused";
}

TEST_F(JournalFileProtectionTest, RefusesAWorldReadableDatabase) {
  { Journal journal = open_journal(); }
  ASSERT_EQ(chmod(path_.c_str(), 0644), 0);
  auto opened = Journal::open(path_, options());
  ASSERT_FALSE(opened);
  EXPECT_THAT(opened.error().message(), HasSubstr("refused: mode 0644"));
  EXPECT_THAT(opened.error().message(), HasSubstr("other than its owner"));
}

TEST_F(JournalFileProtectionTest, RefusesAGroupWritableWalFile) {
  { Journal journal = open_journal(); }
  { std::ofstream(path_ + "-wal"); }
  ASSERT_EQ(chmod((path_ + "-wal").c_str(), 0620), 0);
  auto opened = Journal::open(path_, options());
  ASSERT_FALSE(opened);
  EXPECT_THAT(opened.error().message(), HasSubstr("-wal"));
}

TEST_F(JournalFileProtectionTest, RefusesASymbolicLink) {
  const std::string real = (folder_ / "real.db").string();
  { Journal journal = Journal::open(real, options()).value(); }
  ASSERT_EQ(symlink(real.c_str(), path_.c_str()), 0);
  auto opened = Journal::open(path_, options());
  ASSERT_FALSE(opened);
  EXPECT_THAT(opened.error().message(), HasSubstr("symbolic link"));
}

TEST_F(JournalFileProtectionTest, RefusesADatabaseNotOwnedByRootWhenRunningAsRoot) {
  if (geteuid() != 0) GTEST_SKIP() << "SKIPPED: needs root to give the file away";
  { Journal journal = open_journal(); }
  ASSERT_EQ(chown(path_.c_str(), 65534, 65534), 0);
  auto opened = Journal::open(path_, options());
  ASSERT_FALSE(opened);
  EXPECT_THAT(opened.error().message(), HasSubstr("not owned by root"));
}

// Not a protection test, but Linux-only: a process killed right after record_intent returns (no destructor,
// no close) leaves the intent on disk for crash recovery.
TEST_F(JournalFileProtectionTest, IntentSurvivesAProcessKilledRightAfterIt) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto journal = Journal::open(path_, options());
    if (!journal) _exit(2);
    if (!journal.value().actions().record_intent({std::nullopt, "restart-rdp-service", "xrdp", "", "crash"}))
      _exit(3);
    kill(getpid(), SIGKILL);
    _exit(4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited with " << WEXITSTATUS(status);
  Journal journal = open_journal();
  auto in_flight = journal.actions().in_flight();
  ASSERT_TRUE(in_flight) << in_flight.error().message();
  ASSERT_EQ(in_flight.value().size(), 1u);
  EXPECT_EQ(in_flight.value()[0].idempotency_key, "crash");
  EXPECT_EQ(in_flight.value()[0].state, ActionState::kIntent);
}

}  // namespace
}  // namespace rdpmend::journal
