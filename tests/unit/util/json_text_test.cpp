#include "util/json_text.h"

#include <gtest/gtest.h>

namespace rdpmend::util {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD

TEST(JsonText, ReplacesInvalidUtf8WhereDumpThrows) {
  nlohmann::json j = {{"message", "key \xFF file"}};
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);  // what json_text exists for
  EXPECT_EQ(json_text(j), "{\"message\":\"key " + kReplacement + " file\"}");
}

TEST(JsonText, ReplacesInvalidUtf8InKeysAndInOrderedJson) {
  nlohmann::ordered_json j;
  j["z"] = 1;
  j["\xC3"] = "\xED\xA0\x80";  // a cut-off sequence as key, a surrogate as value
  auto text = json_text(j);
  EXPECT_EQ(text.find('\xC3'), std::string::npos);
  EXPECT_EQ(text.find('\xED'), std::string::npos);
  EXPECT_EQ(text.substr(0, 6), "{\"z\":1");  // insertion order kept
  auto back = nlohmann::ordered_json::parse(text);
  ASSERT_EQ(back.size(), 2u);
  ASSERT_TRUE(back.contains(kReplacement));  // the key "\xC3" is now U+FFFD
  EXPECT_NE(back[kReplacement].get<std::string>().find(kReplacement), std::string::npos);
}

TEST(JsonText, ReplacesOverlongFormsSurrogatesAndStrayBytes) {
  for (const char* bad :
       {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xBF\xBF", "\xF4\x90\x80\x80", "\x9B", "\xE2\x82"}) {
    auto text = json_text(nlohmann::json(std::string("a") + bad + "b"));
    auto back = nlohmann::json::parse(text).get<std::string>();
    EXPECT_EQ(back.front(), 'a') << text;
    EXPECT_EQ(back.back(), 'b') << text;
    EXPECT_NE(back.find(kReplacement), std::string::npos) << text;
    EXPECT_EQ(back.find(bad), std::string::npos) << text;
  }
}

TEST(JsonText, KeepsValidTextAndEscapesControls) {
  const std::string text = "Z\xC3\xBCrich \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x96\xA5 \x1b[2J";
  nlohmann::json j = {{"t", text}};
  EXPECT_EQ(json_text(j), "{\"t\":\"Z\xC3\xBCrich \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x96\xA5 \\u001b[2J\"}");
  EXPECT_EQ(nlohmann::json::parse(json_text(j))["t"], text);
}

TEST(JsonText, IndentsLikeDump) {
  nlohmann::ordered_json j = {{"a", 1}, {"b", {1, 2}}};
  EXPECT_EQ(json_text(j, 2), j.dump(2));
  EXPECT_EQ(json_text(j), j.dump());
}

}  // namespace
}  // namespace rdpmend::util
