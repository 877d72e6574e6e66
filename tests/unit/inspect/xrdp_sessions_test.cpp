// The xrdp session inspector over a process table laid out as /proc is.
#include "inspect/linux/sessions.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_folder.h"

namespace rdpmend::inspect::linux_host {
namespace {

class XrdpSessionInspector : public ::testing::Test {
 protected:
  void SetUp() override { proc_ = rdpmend::test::fresh_test_folder(); }
  void TearDown() override { std::filesystem::remove_all(proc_); }

  void process(int pid, const std::string& stat_line) {
    std::filesystem::create_directories(proc_ / std::to_string(pid));
    std::ofstream(proc_ / std::to_string(pid) / "stat") << stat_line;
  }

  std::filesystem::path proc_;
};

TEST_F(XrdpSessionInspector, ReadsTheProcessTable) {
  process(1, "1 (init) S 0 1 1 0 -1 4194560");
  process(100, "100 (xrdp-sesman) S 1 100 100 0 -1");
  process(101, "101 (xrdp-sesman) S 100 101 101 0 -1");
  process(102, "102 (xrdp-sesman) S 100 102 102 0 -1");
  process(200, "200 (xrdp) S 1 200 200 0 -1");
  process(201, "201 (xrdp) S 200 200 200 0 -1");
  process(300, "300 (a (odd) name) S 1 300 300 0 -1");  // the name ends at the last ')'
  process(301, "garbage");                              // left out, never an error
  std::filesystem::create_directories(proc_ / "self");  // not a process folder
  auto counted = make_xrdp_session_inspector(proc_.string())->count();
  ASSERT_TRUE(counted) << counted.error().message();
  ASSERT_TRUE(counted.value());
  EXPECT_EQ(*counted.value(), (SessionCounts{1, 1}));
}

TEST_F(XrdpSessionInspector, NoProcessTableIsAnErrorNotZero) {
  auto counted = make_xrdp_session_inspector((proc_ / "missing").string())->count();
  ASSERT_FALSE(counted);
  EXPECT_NE(counted.error().message().find("count the xrdp sessions"), std::string::npos);
}

// This machine's own /proc reads without error (the count is whatever runs here).
TEST(XrdpSessionInspectorLive, ReadsThisMachinesProc) {
  auto counted = make_xrdp_session_inspector()->count();
  ASSERT_TRUE(counted) << counted.error().message();
  EXPECT_TRUE(counted.value());
}

}  // namespace
}  // namespace rdpmend::inspect::linux_host
