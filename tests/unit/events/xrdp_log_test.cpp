#include "events/xrdp_log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "events/detection.h"

namespace rdpmend::events {
namespace {

TEST(XrdpLog, ParsesLevelTimeAndText) {
  auto e = parse_xrdp_log_line(
      "[20261123-19:44:42] [ERROR] Cannot read private key file /etc/xrdp/key.pem: Permission denied");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->level, 2);
  EXPECT_EQ(e->channel, "xrdp");
  EXPECT_EQ(e->message, "Cannot read private key file /etc/xrdp/key.pem: Permission denied");
  EXPECT_TRUE(e->time_created);
  auto warn = parse_xrdp_log_line("[20261123-19:44:42] [WARN ] Cannot accept TLS connections");
  ASSERT_TRUE(warn);
  EXPECT_EQ(warn->level, 3);
}

TEST(XrdpLog, RejectsLinesNotInXrdpFormat) {
  EXPECT_FALSE(parse_xrdp_log_line(""));
  EXPECT_FALSE(parse_xrdp_log_line("Nov 23 19:44:42 host xrdp[12]: hello"));
  EXPECT_FALSE(parse_xrdp_log_line("[20261323-19:44:42] [INFO ] month 13"));
  EXPECT_FALSE(parse_xrdp_log_line("[20261123-19:44:42] [LOUD] unknown level"));
}

TEST(XrdpLog, DetectsEachXrdpFaultFromItsLogLines) {
  Detector d(default_catalog());
  std::vector<ReadError> errors;
  auto stats = read_xrdp_log_file(
      std::string(RDPMEND_TEST_DATA) + "/synthetic/xrdp.log", [&](Event&& e) { d.add(e); },
      [&](ReadError&& e) { errors.push_back(e); });
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(stats.events, 12u);
  std::vector<std::string> ids;
  for (const auto& s : d.symptoms()) ids.push_back(s.definition->id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"xrdp-cert-key-mismatch", "xrdp-cert-unreadable",
                                           "xrdp-key-unreadable", "xrdp-tls-accept-failed"}));
}

TEST(XrdpLog, SaysSoWhenAFileIsNotAnXrdpLog) {
  std::istringstream in("hello\nworld\n");
  std::vector<ReadError> errors;
  read_xrdp_log(
      in, "x.log", [](Event&&) {}, [&](ReadError&& e) { errors.push_back(e); });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("xrdp's log format"), std::string::npos);
}

TEST(XrdpLog, EmptyLogIsNoError) {
  std::istringstream in("");
  std::vector<ReadError> errors;
  auto stats = read_xrdp_log(
      in, "x.log", [](Event&&) {}, [&](ReadError&& e) { errors.push_back(e); });
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(stats.events, 0u);
}

TEST(XrdpLog, SkipsOverlongLinesWithAnError) {
  std::string text = std::string(70 * 1024, 'x') + "\n[20261123-19:44:42] [INFO ] ok\n";
  std::istringstream in(text);
  std::vector<ReadError> errors;
  auto stats = read_xrdp_log(
      in, "x.log", [](Event&&) {}, [&](ReadError&& e) { errors.push_back(e); });
  EXPECT_EQ(stats.events, 1u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 1u);
}

}  // namespace
}  // namespace rdpmend::events
