#include "events/assemble_event.h"

#include <gtest/gtest.h>

#include <functional>

namespace rdpmend::events {
namespace {

// The smallest fields that make an event: an <Event> with <System>, a named <Provider> and an <EventID>.
RawEventFields minimal() {
  RawEventFields raw;
  raw.root_is_event = true;
  raw.root_at = 1;
  raw.system = 2;
  raw.provider = 3;
  raw.provider_name = {"Schannel", 3};
  raw.event_id_element = 4;
  raw.event_id = {"36870", 4};
  return raw;
}

TEST(AssembleEvent, MinimalFieldsMakeAnEventWithNothingElse) {
  auto ev = assemble_event(minimal());
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev.value().provider_name, "Schannel");
  EXPECT_EQ(ev.value().event_id, 36870);
  EXPECT_FALSE(ev.value().qualifiers);
  EXPECT_FALSE(ev.value().time_created);
  EXPECT_FALSE(ev.value().process_id);
  EXPECT_EQ(ev.value().record_id, 0u);
  EXPECT_EQ(ev.value().shape, DataShape::kNone);
}

struct Refused {
  const char* name;
  std::function<void(RawEventFields&)> change;
  std::string message;
  std::size_t at;  // the offset of the value at fault
};

void PrintTo(const Refused& r, std::ostream* os) {
  *os << r.name;
}

class RefusesFields : public ::testing::TestWithParam<Refused> {};

TEST_P(RefusesFields, NamingTheValueAndWhereItIs) {
  RawEventFields raw = minimal();
  GetParam().change(raw);
  auto ev = assemble_event(std::move(raw));
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().message, GetParam().message);
  EXPECT_EQ(ev.error().at, GetParam().at);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RefusesFields,
    ::testing::Values(
        Refused{"NotAnEvent", [](RawEventFields& r) { r.root_is_event = false; },
                "expected an <Event> element", 0},
        Refused{"WrongNamespace", [](RawEventFields& r) { r.event_namespace = "urn:other"; },
                "wrong namespace 'urn:other' (expected " + std::string(kEventNamespace) + ")", 1},
        Refused{"NoSystem", [](RawEventFields& r) { r.system.reset(); }, "no <System> element", 1},
        Refused{"NoProvider", [](RawEventFields& r) { r.provider.reset(); }, "no <Provider> element", 2},
        Refused{"ProviderWithoutName", [](RawEventFields& r) { r.provider_name.text.clear(); },
                "<Provider> has no Name", 3},
        Refused{"NoEventId", [](RawEventFields& r) { r.event_id_element.reset(); }, "no <EventID> element",
                2},
        Refused{"EmptyEventId", [](RawEventFields& r) { r.event_id.text.clear(); },
                "EventID '' is not a number in range", 4},
        Refused{"EventIdOutOf32Bits", [](RawEventFields& r) { r.event_id.text = "4294967296"; },
                "EventID '4294967296' is not a number in range", 4},
        Refused{"QualifiersOutOf16Bits",
                [](RawEventFields& r) {
                  r.qualifiers = {"65536", 4};
                },
                "Qualifiers '65536' is not a number in range", 4},
        Refused{"LevelOutOf8Bits",
                [](RawEventFields& r) {
                  r.level = {"256", 7};
                },
                "Level '256' is not a number in range", 7},
        Refused{"NegativeTask",
                [](RawEventFields& r) {
                  r.task = {"-1", 8};
                },
                "Task '-1' is not a number in range", 8},
        Refused{"KeywordsNotHex",
                [](RawEventFields& r) {
                  r.keywords = {"0xZZ", 9};
                },
                "Keywords '0xZZ' is not a hexadecimal number", 9},
        Refused{"TimeNotATime",
                [](RawEventFields& r) {
                  r.system_time = {"2026-13-02T03:04:05Z", 10};
                },
                "TimeCreated/@SystemTime '2026-13-02T03:04:05Z' is not a UTC time", 10},
        Refused{"RecordIdWithText",
                [](RawEventFields& r) {
                  r.record_id = {"12a", 11};
                },
                "EventRecordID '12a' is not a number in range", 11},
        Refused{"ThreadIdNotANumber",
                [](RawEventFields& r) {
                  r.thread_id = {"x", 12};
                },
                "ThreadID 'x' is not a number in range", 12},
        Refused{"BadBinary",
                [](RawEventFields& r) {
                  r.section = RawEventFields::Section::kEventData;
                  add_binary_text(r.binary, "not binary!", 13);
                },
                "<Binary> is neither hexadecimal nor Base64", 13},
        // The System values are judged before the data.
        Refused{"SystemBeforeBinary",
                [](RawEventFields& r) {
                  r.section = RawEventFields::Section::kEventData;
                  add_binary_text(r.binary, "not binary!", 13);
                  r.version = {"v1", 6};
                },
                "Version 'v1' is not a number in range", 6}));

TEST(AssembleEvent, ClassicMessageIdCarriesItsQualifiers) {
  auto raw = minimal();
  raw.event_id.text = "3221226529";  // 0xC0000421
  auto ev = assemble_event(std::move(raw));
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev.value().event_id, 0x0421);
  EXPECT_EQ(ev.value().qualifiers, 0xC000);
}

TEST(AssembleEvent, ExplicitQualifiersWinOverTheMessageIdsUpperBits) {
  auto raw = minimal();
  raw.event_id.text = "3221226529";
  raw.qualifiers.text = "16384";
  auto ev = assemble_event(std::move(raw));
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev.value().event_id, 0x0421);
  EXPECT_EQ(ev.value().qualifiers, 16384);
}

TEST(AssembleEvent, NumbersMayHaveSurroundingWhitespaceAndKeywordsAHexPrefix) {
  auto raw = minimal();
  raw.event_id.text = "\n  1149\t";
  raw.keywords.text = " 0x8000000000000000 ";
  raw.process_id.text = "1234";
  raw.version.text = "2";
  auto ev = assemble_event(std::move(raw));
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev.value().event_id, 1149);
  EXPECT_EQ(ev.value().keywords, 0x8000000000000000ULL);
  EXPECT_EQ(ev.value().process_id, 1234u);
  EXPECT_EQ(ev.value().version, 2);
}

TEST(AssembleEvent, ProviderNameFallsBackToTheEventSourceName) {
  auto raw = minimal();
  raw.provider_name.text.clear();
  raw.event_source_name = "TermService";
  auto ev = assemble_event(std::move(raw));
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev.value().provider_name, "TermService");
  EXPECT_EQ(ev.value().event_source_name, "TermService");
}

TEST(AssembleEvent, RecordIdFallsBackToTheDefaultOnlyWhenEmpty) {
  auto raw = minimal();
  raw.default_record_id = 77;
  auto ev = assemble_event(std::move(raw));
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev.value().record_id, 77u);
  raw = minimal();
  raw.default_record_id = 77;
  raw.record_id.text = "5";
  ev = assemble_event(std::move(raw));
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev.value().record_id, 5u);
}

TEST(AssembleEvent, TimeGivenAsValueNeedsNoText) {
  auto raw = minimal();
  raw.system_time_value = TimePoint(Ticks(42));
  auto ev = assemble_event(std::move(raw));
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev.value().time_created, TimePoint(Ticks(42)));
}

struct Shape {
  const char* name;
  bool named, unnamed;
  std::string binary;  // hex, "" for none
  DataShape expected;
};

void PrintTo(const Shape& s, std::ostream* os) {
  *os << s.name;
}

class EventDataShape : public ::testing::TestWithParam<Shape> {};

TEST_P(EventDataShape, FollowsNamesAndBinary) {
  auto raw = minimal();
  raw.section = RawEventFields::Section::kEventData;
  raw.named_data = GetParam().named;
  raw.unnamed_data = GetParam().unnamed;
  if (!GetParam().binary.empty()) add_binary_text(raw.binary, GetParam().binary, 0);
  auto ev = assemble_event(std::move(raw));
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev.value().shape, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, EventDataShape,
                         ::testing::Values(Shape{"Named", true, false, "", DataShape::kEventData},
                                           Shape{"Unnamed", false, true, "", DataShape::kClassic},
                                           Shape{"Mixed", true, true, "", DataShape::kEventData},
                                           Shape{"OnlyBinary", false, false, "0A0B", DataShape::kClassic},
                                           Shape{"NamedWithBinary", true, false, "0A0B",
                                                 DataShape::kEventData},
                                           Shape{"Empty", false, false, "", DataShape::kEventData}));

TEST(AssembleEvent, KeepsTheLastGoodBinaryAndRefusesIfAnyWasBad) {
  RawBinary binary;
  add_binary_text(binary, "0A0B", 1);
  add_binary_text(binary, "AQID", 2);  // Base64 for 01 02 03
  EXPECT_EQ(binary.bytes, (std::vector<std::uint8_t>{0x01, 0x02, 0x03}));
  EXPECT_FALSE(binary.bad);
  add_binary_text(binary, "%%", 3);
  add_binary_text(binary, "##", 4);
  EXPECT_EQ(binary.bad, 3u);  // the first bad one
  const std::uint8_t bytes[] = {0xFF};
  add_binary_bytes(binary, bytes);
  EXPECT_EQ(binary.bytes, (std::vector<std::uint8_t>{0xFF}));
}

TEST(AssembleEvent, UserDataKeepsItsElementAndFields) {
  auto raw = minimal();
  raw.section = RawEventFields::Section::kUserData;
  raw.user_data_element = "EventXML";
  raw.data = {{"Param1", "a"}, {"Info.Name", "b"}};
  raw.message = "text";
  auto ev = assemble_event(std::move(raw));
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev.value().shape, DataShape::kUserData);
  EXPECT_EQ(ev.value().user_data_element, "EventXML");
  ASSERT_EQ(ev.value().data.size(), 2u);
  EXPECT_EQ(ev.value().data[1].name, "Info.Name");
  EXPECT_EQ(ev.value().message, "text");
}

}  // namespace
}  // namespace rdpmend::events
