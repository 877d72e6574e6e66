#include "util/strict_json.h"

#include <gtest/gtest.h>

namespace rdpmend::util {
namespace {

using nlohmann::json;

// The failure `read` throws, as "<where>: <message>".
template <typename Read>
std::string failure_of(Read&& read) {
  try {
    read();
  } catch (const JsonFailure& f) {
    return f.where + ": " + f.message;
  }
  return "no failure";
}

TEST(StrictJson, ItemPathsNestUnderTheirParent) {
  EXPECT_EQ(json_item_path("", "rules", 3), "rules[3]");
  EXPECT_EQ(json_item_path("rules[3]", "where", 0), "rules[3].where[0]");
}

TEST(StrictJson, RefusesUnknownKeysAndNonObjects) {
  json j = {{"id", "a"}, {"idd", "b"}};
  EXPECT_EQ(failure_of([&] { check_keys(j, "x[0]", {"id"}); }), "x[0]: unknown key 'idd'");
  EXPECT_EQ(failure_of([&] { check_keys(j, "x[0]", {"id", "idd"}); }), "no failure");
  EXPECT_EQ(failure_of([&] { check_keys(json::array(), "x[0]", {"id"}); }), "x[0]: must be an object");
}

TEST(StrictJson, VersionMustBeTheOneAskedFor) {
  EXPECT_EQ(failure_of([&] { check_version(json{{"version", 1}}, "catalog", 1); }), "no failure");
  EXPECT_EQ(failure_of([&] {
              check_version(json{{"version", 2}}, "catalog", 1);
            }),
            "catalog: 'version' must be 1");
  EXPECT_EQ(failure_of([&] {
              check_version(json{{"version", "1"}}, "catalog", 1);
            }),
            "catalog: 'version' must be 1");
  EXPECT_EQ(failure_of([&] { check_version(json::object(), "catalog", 1); }), "catalog: 'version' must be 1");
}

TEST(StrictJson, RequiredStringSaysWhetherItIsMissingOrOfTheWrongType) {
  json j = {{"id", "a"}, {"n", 1}};
  EXPECT_EQ(string_at(j, "id", "w"), "a");
  EXPECT_EQ(failure_of([&] { (void)string_at(j, "summary", "w"); }), "w: missing 'summary'");
  EXPECT_EQ(failure_of([&] { (void)string_at(j, "n", "w"); }), "w: 'n' must be a string");
}

TEST(StrictJson, OptionalStringIsEmptyWhenLeftOutButStillTyped) {
  json j = {{"n", 1}};
  EXPECT_EQ(optional_string_at(j, "doc", "w"), "");
  EXPECT_EQ(failure_of([&] { (void)optional_string_at(j, "n", "w"); }), "w: 'n' must be a string");
}

TEST(StrictJson, StringListsAreCheckedItemByItem) {
  json j = {{"ok", {"a", "B"}}, {"mixed", {"a", 1}}, {"scalar", "a"}};
  EXPECT_EQ(strings_at(j, "ok", "w"), (std::vector<std::string>{"a", "B"}));
  EXPECT_TRUE(strings_at(j, "absent", "w").empty());
  EXPECT_EQ(failure_of([&] { (void)strings_at(j, "mixed", "w"); }), "w: 'mixed' must be a list of strings");
  EXPECT_EQ(failure_of([&] { (void)strings_at(j, "scalar", "w"); }), "w: 'scalar' must be a list of strings");
}

TEST(StrictJson, ListsNameWhatTheyHoldInTheError) {
  json j = {{"rules", json::array({1})}, {"where", 5}};
  EXPECT_EQ(list_at(j, "rules", "catalog").size(), 1u);
  EXPECT_EQ(failure_of([&] { (void)list_at(j, "symptoms", "catalog"); }),
            "catalog: 'symptoms' must be a list");
  EXPECT_EQ(optional_list_at(j, "context", "catalog"), nullptr);
  EXPECT_EQ(failure_of([&] { (void)optional_list_at(j, "where", "r", "conditions"); }),
            "r: 'where' must be a list of conditions");
}

TEST(StrictJson, ReadTurnsEveryFailureIntoAnErrorNamingTheOrigin) {
  auto read = [](const json& root) -> int {
    check_keys(root, "doc", {"a"});
    return root.value("a", 0);
  };
  auto good = read_strict_json<int>(R"({"a": 7})", "load thing", "thing.json", read);
  ASSERT_TRUE(good);
  EXPECT_EQ(good.value(), 7);
  auto not_json = read_strict_json<int>("{", "load thing", "thing.json", read);
  ASSERT_FALSE(not_json);
  EXPECT_EQ(not_json.error().message(), "load thing 'thing.json': not valid JSON");
  auto bad = read_strict_json<int>(R"({"b": 1})", "load thing", "thing.json", read);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "load thing 'thing.json': doc: unknown key 'b'");
}

}  // namespace
}  // namespace rdpmend::util
