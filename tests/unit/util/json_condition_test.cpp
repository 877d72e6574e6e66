#include "util/json_condition.h"

#include <gtest/gtest.h>

namespace rdpmend::util {
namespace {

using nlohmann::json;

// A condition type of the shape the grammar reads, with one single-value and one list operator.
struct TestCondition {
  enum class Op { kIs, kOneOf, kAll, kAny };
  Op op = Op::kIs;
  std::string subject;
  std::vector<std::string> values;
  std::vector<TestCondition> children;
};

void read_one(const json& j, const char* key, const std::string& where, TestCondition& c) {
  c.values = {string_at(j, key, where)};
}

void read_many(const json& j, const char* key, const std::string& where, TestCondition& c) {
  c.values = strings_at(j, key, where);
}

void check_subject(const std::string& subject, const std::string& where) {
  if (subject.empty()) throw JsonFailure{where, "empty subject"};
}

const ConditionGrammar<TestCondition> kGrammar{
    "subject",
    &TestCondition::subject,
    {{"is", TestCondition::Op::kIs, read_one}, {"one_of", TestCondition::Op::kOneOf, read_many}},
    "is, one_of",
    check_subject,
};

TestCondition parse(const std::string& text) {
  return parse_condition(json::parse(text), "c", kGrammar);
}

std::string failure_of(const std::string& text) {
  try {
    parse(text);
  } catch (const JsonFailure& f) {
    return f.where + ": " + f.message;
  }
  return "no failure";
}

TEST(JsonCondition, ReadsALeafOperatorWithItsSubject) {
  auto c = parse(R"({"subject": "a", "one_of": ["x", "y"]})");
  EXPECT_EQ(c.op, TestCondition::Op::kOneOf);
  EXPECT_EQ(c.subject, "a");
  EXPECT_EQ(c.values, (std::vector<std::string>{"x", "y"}));
}

TEST(JsonCondition, ReadsNestedGroups) {
  auto c = parse(R"({"any": [{"subject": "a", "is": "1"}, {"all": [{"subject": "b", "is": "2"}]}]})");
  EXPECT_EQ(c.op, TestCondition::Op::kAny);
  EXPECT_TRUE(c.subject.empty());
  ASSERT_EQ(c.children.size(), 2u);
  EXPECT_EQ(c.children[0].values, (std::vector<std::string>{"1"}));
  EXPECT_EQ(c.children[1].op, TestCondition::Op::kAll);
  ASSERT_EQ(c.children[1].children.size(), 1u);
  EXPECT_EQ(c.children[1].children[0].subject, "b");
}

TEST(JsonCondition, RefusesWhatTheGrammarDoesNotAllow) {
  EXPECT_EQ(failure_of(R"({"subject": "a", "is": "1", "iss": "2"})"), "c: unknown key 'iss'");
  EXPECT_EQ(failure_of(R"({"subject": "a"})"), "c: a condition needs exactly one of is, one_of, all, any");
  EXPECT_EQ(failure_of(R"({"subject": "a", "is": "1", "one_of": ["2"]})"),
            "c: a condition needs exactly one of is, one_of, all, any");
  EXPECT_EQ(failure_of(R"({"all": []})"), "c: 'all' must be a non-empty list");
  EXPECT_EQ(failure_of(R"({"any": {"subject": "a", "is": "1"}})"), "c: 'any' must be a non-empty list");
  EXPECT_EQ(failure_of(R"({"subject": "a", "all": [{"subject": "b", "is": "1"}]})"),
            "c: 'all'/'any' take no 'subject'");
  EXPECT_EQ(failure_of(R"({"is": "1"})"), "c: missing 'subject'");
  EXPECT_EQ(failure_of(R"({"subject": 3, "is": "1"})"), "c: 'subject' must be a string");
  EXPECT_EQ(failure_of(R"({"subject": "", "is": "1"})"), "c: empty subject");
  EXPECT_EQ(failure_of(R"(["is"])"), "c: must be an object");
}

TEST(JsonCondition, OperandErrorsComeFromTheCatalogsReader) {
  EXPECT_EQ(failure_of(R"({"subject": "a", "is": 1})"), "c: 'is' must be a string");
  EXPECT_EQ(failure_of(R"({"subject": "a", "one_of": "x"})"), "c: 'one_of' must be a list of strings");
}

TEST(JsonCondition, ErrorsInsideGroupsNameTheirPath) {
  EXPECT_EQ(failure_of(R"({"all": [{"subject": "a", "is": "1"}, {"any": [{"is": "2"}]}]})"),
            "c.all[1].any[0]: missing 'subject'");
}

TEST(JsonCondition, GroupsHoldByAllAndAnyOfTheirChildren) {
  // A leaf holds when its subject is "yes".
  auto leaf = [](const TestCondition& c) { return c.subject == "yes"; };
  auto holds = [&](const std::string& text) { return condition_holds(parse(text), leaf); };
  EXPECT_TRUE(holds(R"({"subject": "yes", "is": "1"})"));
  EXPECT_FALSE(holds(R"({"subject": "no", "is": "1"})"));
  EXPECT_TRUE(holds(R"({"all": [{"subject": "yes", "is": "1"}, {"subject": "yes", "is": "1"}]})"));
  EXPECT_FALSE(holds(R"({"all": [{"subject": "yes", "is": "1"}, {"subject": "no", "is": "1"}]})"));
  EXPECT_TRUE(holds(R"({"any": [{"subject": "no", "is": "1"}, {"subject": "yes", "is": "1"}]})"));
  EXPECT_FALSE(holds(R"({"any": [{"subject": "no", "is": "1"}, {"all": [{"subject": "no", "is": "1"}]}]})"));
}

}  // namespace
}  // namespace rdpmend::util
