// xrdp's log followed for real (a temporary file, inotify, the io_context): appended lines, a partial line,
// rotation, truncation, and resuming from a bookmark without losing or repeating a line.

#include "agent/linux/xrdp_log_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace rdpmend::agent {
namespace {

using namespace std::chrono_literals;

std::string line(int n) {
  return "[20261125-15:00:00] [ERROR] Cannot read private key file /etc/xrdp/key.pem: Permission denied (" +
         std::to_string(n) + ")\n";
}

class XrdpLogSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    folder_ = std::filesystem::temp_directory_path() / ("rdpmend-log-test-" + std::to_string(random()));
    std::filesystem::create_directories(folder_);
    log_ = (folder_ / "xrdp.log").string();
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
  void append(const std::string& text) { std::ofstream(log_, std::ios::app | std::ios::binary) << text; }

  // Runs the source until `count` events arrived (or 5 s passed); returns their messages' numbers.
  std::vector<SourcedEvent> follow(const std::string& bookmark, std::size_t count,
                                   const std::function<void()>& after_start = nullptr) {
    boost::asio::io_context io;
    auto source = make_xrdp_log_source(io, log_);
    std::vector<SourcedEvent> got;
    source->start(bookmark, EventSink{[&](SourcedEvent&& e) {
                                        got.push_back(std::move(e));
                                        if (got.size() >= count) io.stop();
                                      },
                                      [&](const std::string& position) { progress_.push_back(position); },
                                      [&](const std::string& text) { errors_.push_back(text); },
                                      [&](const std::string& text) { errors_.push_back("gap: " + text); }});
    if (after_start) after_start();
    io.run_for(5s);
    source->stop();
    return got;
  }

  static std::string number(const SourcedEvent& e) {
    auto text = e.event.message;
    auto open = text.rfind('(');
    return text.substr(open + 1, text.size() - open - 2);
  }

  std::filesystem::path folder_;
  std::string log_;
  std::vector<std::string> errors_;
  std::vector<std::string> progress_;
};

TEST_F(XrdpLogSourceTest, FollowsFromNowOnAndWaitsForAWholeLine) {
  append(line(1));  // before the start: history, not followed
  std::vector<SourcedEvent> got = follow("", 2, [&] {
    append(line(2));
    std::string third = line(3);
    append(third.substr(0, 20));  // a line being written
    append(third.substr(20));
  });
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(number(got[0]), "2");
  EXPECT_EQ(number(got[1]), "3");
  EXPECT_EQ(got[1].channel, "xrdp:" + log_);
  EXPECT_EQ(got[1].event.channel, "xrdp");
  // The starting point is reported even before any event, so a quiet log still gets a bookmark.
  ASSERT_FALSE(progress_.empty());
  EXPECT_EQ(progress_.front().substr(progress_.front().find(':') + 1), std::to_string(line(1).size()));
}

TEST_F(XrdpLogSourceTest, ResumesAfterTheBookmarkWithoutLosingOrRepeating) {
  append(line(1));
  auto first = follow("", 1, [&] { append(line(2)); });
  ASSERT_EQ(first.size(), 1u);
  // The agent stopped here; more lines came while it was away.
  append(line(3));
  append(line(4));
  auto second = follow(first.back().bookmark, 2);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(number(second[0]), "3");
  EXPECT_EQ(number(second[1]), "4");
}

TEST_F(XrdpLogSourceTest, ReadsARotatedFileToItsEndThenTheNewOne) {
  append(line(1));
  auto got = follow("", 3, [&] {
    append(line(2));
    std::filesystem::rename(log_, log_ + ".1");  // logrotate: the old file moves, xrdp finishes a line in it
    std::ofstream(log_ + ".1", std::ios::app) << line(3);
    append(line(4));  // the new file
  });
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(number(got[0]), "2");
  EXPECT_EQ(number(got[1]), "3");
  EXPECT_EQ(number(got[2]), "4");
}

TEST_F(XrdpLogSourceTest, ReadsATruncatedFileFromTheStart) {
  append(line(1) + line(2) + line(3));
  auto got = follow("", 1, [&] {
    std::filesystem::resize_file(log_, 0);  // copytruncate
    append(line(4));
  });
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(number(got[0]), "4");
  EXPECT_FALSE(errors_.empty()) << "the truncation is reported";
}

TEST_F(XrdpLogSourceTest, ALogThatAppearsLaterIsReadFromItsStart) {
  auto got = follow("", 1, [&] { append(line(7)); });
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(number(got[0]), "7");
}

}  // namespace
}  // namespace rdpmend::agent
