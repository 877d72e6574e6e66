// The .evtx reader on hand-built records: every BinXML token, templates and substitutions, value types,
// arrays, nested BinXML, and the Event they make (the same Event parse_event_element makes from the
// event's XML rendering).

#include <gtest/gtest.h>

#include "events/event_element.h"
#include "events/event_time.h"
#include "evtx/binxml.h"
#include "evtx/event_builder.h"
#include "evtx_test_builder.h"

namespace rdpmend::events {
namespace {

using namespace evtx_test;

// <Event><System>...</System><EventData><Data Name="V">%6</Data></EventData></Event> with %6 = `value`.
Bytes data_event_file(const Val& value, bool optional = false) {
  return one_chunk_file([&](ChunkWriter& w) {
    auto values = system_values(1);
    values.push_back(value);
    event_record(
        w, 1, 0x1001,
        [&] {
          w.open("EventData");
          w.close_start();
          w.open("Data", true);
          w.attr("Name", false);
          w.text(u"V");
          w.close_start();
          w.subst(6, value.type, optional);
          w.end();
          w.end();
        },
        values);
  });
}

// The value one Data field gets from `value`.
std::string data_value(const Val& value) {
  auto r = read_bytes(data_event_file(value));
  EXPECT_TRUE(r.errors.empty()) << r.all_errors();
  if (r.events.size() != 1 || r.events[0].data.size() != 1) {
    ADD_FAILURE() << "expected one event with one field";
    return {};
  }
  EXPECT_EQ(r.events[0].data[0].name, "V");
  return r.events[0].data[0].value;
}

TEST(EvtxBinXml, ReadsTheSystemFieldsOfATemplatedEvent) {
  auto r = read_bytes(one_chunk_file([](ChunkWriter& w) {
    event_record(
        w, 7, 0x1000, [] {}, system_values(7, 4625, kMay2024 + 1234567));
  }));
  ASSERT_TRUE(r.errors.empty()) << r.all_errors();
  ASSERT_EQ(r.events.size(), 1u);
  const Event& e = r.events[0];
  EXPECT_EQ(e.provider_name, "Microsoft-Windows-Security-Auditing");
  EXPECT_EQ(e.event_id, 4625);
  EXPECT_FALSE(e.qualifiers);
  ASSERT_TRUE(e.time_created);
  EXPECT_EQ(format_event_time(*e.time_created), "2024-05-01T12:00:00.1234567Z");
  EXPECT_EQ(e.record_id, 7u);
  EXPECT_EQ(e.channel, "Security");
  EXPECT_EQ(e.computer, "host.example");
  EXPECT_EQ(e.shape, DataShape::kNone);
  EXPECT_EQ(e.source, "test.evtx");
  EXPECT_EQ(e.source_line, 1u);
  EXPECT_EQ(r.stats.events, 1u);
  EXPECT_EQ(r.stats.errors, 0u);
}

TEST(EvtxBinXml, ReusesATemplateThatAnEarlierRecordDefined) {
  ChunkWriter w;
  auto body = [&] {
    w.open("EventData");
    w.close_start();
    w.open("Data", true);
    w.attr("Name", false);
    w.text(u"IpAddress");
    w.close_start();
    w.subst(6, 0x01);
    w.end();
    w.end();
  };
  auto values = [](std::uint64_t id, std::string_view ip) {
    auto v = system_values(id);
    v.push_back(string_value(ip));
    return v;
  };
  event_record(w, 1, 0x1002, body, values(1, "10.0.0.1"));
  std::size_t second = w.pos();
  event_record(w, 2, 0x1002, body, values(2, "10.0.0.2"));
  // The second record holds no definition (nor names): just the instance pointing back at the first one's.
  EXPECT_LT(w.pos() - second, (second - 512) / 2);
  auto r = read_bytes(evtx_file({w.finish()}, 1));
  ASSERT_TRUE(r.errors.empty()) << r.all_errors();
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(*r.events[0].field("IpAddress"), "10.0.0.1");
  EXPECT_EQ(*r.events[1].field("IpAddress"), "10.0.0.2");
  EXPECT_EQ(r.events[1].record_id, 2u);
  EXPECT_EQ(r.events[1].source_line, 2u);
}

// Each template is compiled once per chunk, names decoded once, and both forgotten with the chunk.
TEST(EvtxBinXml, CachesNamesAndTemplatesPerChunk) {
  ChunkWriter w;
  std::vector<std::size_t> records;
  for (std::uint64_t id = 1; id <= 3; ++id) {
    records.push_back(w.pos());
    event_record(
        w, id, 0x1010, [] {}, system_values(id));
  }
  records.push_back(w.pos());
  Bytes chunk = w.finish();
  evtx::ChunkDecoder decoder;
  evtx::EventBuilder builder;
  decoder.reset(chunk);
  for (std::size_t i = 0; i < 3; ++i) {
    builder.reset(0);
    evtx::DecodeError error;
    ASSERT_TRUE(decoder.decode(records[i] + 24, records[i + 1] - 4, builder, error)) << error.message;
    Event e;
    std::string problem;
    ASSERT_TRUE(builder.finish(e, problem)) << problem;
    EXPECT_EQ(e.record_id, i + 1);
    EXPECT_EQ(decoder.templates_cached(), 1u);
  }
  EXPECT_EQ(decoder.names_cached(), 11u);  // Event xmlns System Provider Name EventID TimeCreated ...
  decoder.reset(chunk);
  EXPECT_EQ(decoder.templates_cached(), 0u);
  EXPECT_EQ(decoder.names_cached(), 0u);
}

TEST(EvtxBinXml, ReadsProviderGuidQualifiersExecutionSecurityAndCorrelation) {
  auto file = one_chunk_file([](ChunkWriter& w) {
    w.record(3, [&] {
      w.fragment_header();
      w.template_instance(
          0x1003,
          [&] {
            w.open("Event", true);
            w.attr("xmlns", false);
            w.text(wide(kEventNs));
            w.close_start();
            w.open("System");
            w.close_start();
            w.open("Provider", true);
            w.attr("Name");
            w.subst(0, 0x01);
            w.attr("Guid");
            w.subst(1, 0x0F);
            w.attr("EventSourceName", false);
            w.subst(2, 0x01, true);
            w.close_empty();
            w.open("EventID", true);
            w.attr("Qualifiers", false);
            w.subst(3, 0x06, true);
            w.close_start();
            w.subst(4, 0x06);
            w.end();
            w.leaf_subst("Version", 5, 0x04);
            w.leaf_subst("Level", 6, 0x04);
            w.leaf_subst("Task", 7, 0x06);
            w.leaf_subst("Opcode", 8, 0x04);
            w.leaf_subst("Keywords", 9, 0x15);
            w.open("Correlation", true);
            w.attr("ActivityID", false);
            w.subst(10, 0x0F, true);
            w.close_empty();
            w.open("Execution", true);
            w.attr("ProcessID");
            w.subst(11, 0x08);
            w.attr("ThreadID", false);
            w.subst(12, 0x08);
            w.close_empty();
            w.open("Security", true);
            w.attr("UserID", false);
            w.subst(13, 0x13, true);
            w.close_empty();
            w.end();
            w.end();
          },
          {string_value("Microsoft-Windows-TerminalServices-RemoteConnectionManager"),
           {0x0F,
            {0x63, 0xAA, 0x6B, 0xC7, 0x81, 0xAE, 0x1C, 0x42, 0xB4, 0x25, 0x34, 0x0B, 0x4B, 0x24, 0x15, 0x7F}},
           string_value("TermService"),
           le_value(0x06, 0xC000, 2),
           le_value(0x06, 1056, 2),
           le_value(0x04, 0, 1),
           le_value(0x04, 4, 1),
           le_value(0x06, 0, 2),
           le_value(0x04, 0, 1),
           le_value(0x15, 0x0080000000000000ULL, 8),
           null_value(),
           le_value(0x08, 916, 4),
           le_value(0x08, 5132, 4),
           {0x13, {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0}}});
      w.eof();
    });
  });
  auto r = read_bytes(file);
  ASSERT_TRUE(r.errors.empty()) << r.all_errors();
  ASSERT_EQ(r.events.size(), 1u);
  const Event& e = r.events[0];
  EXPECT_EQ(e.provider_guid, "{C76BAA63-AE81-421C-B425-340B4B24157F}");
  EXPECT_EQ(e.event_source_name, "TermService");
  EXPECT_EQ(e.event_id, 1056);
  EXPECT_EQ(e.qualifiers, 0xC000);
  EXPECT_EQ(e.level, 4);
  EXPECT_EQ(e.keywords, 0x0080000000000000ULL);
  EXPECT_EQ(e.activity_id, "");  // optional and NULL: no ActivityID attribute
  EXPECT_EQ(e.process_id, 916u);
  EXPECT_EQ(e.thread_id, 5132u);
  EXPECT_EQ(e.user_sid, "S-1-5-18");
  EXPECT_EQ(e.record_id, 3u);  // no EventRecordID element: the record header's id
}

TEST(EvtxBinXml, NamedDataFieldsKeepTheirOrder) {
  auto file = one_chunk_file([](ChunkWriter& w) {
    auto values = system_values(1);
    values.push_back(string_value("Administrator"));
    values.push_back(le_value(0x08, 10, 4));
    values.push_back(le_value(0x14, 0xC000006D, 4));
    event_record(
        w, 1, 0x1004,
        [&] {
          w.open("EventData");
          w.close_start();
          for (auto [name, index, type] : {std::tuple{"TargetUserName", 6, 0x01},
                                           std::tuple{"LogonType", 7, 0x08}, std::tuple{"Status", 8, 0x14}}) {
            w.open("Data", true);
            w.attr("Name", false);
            w.text(wide(name));
            w.close_start();
            w.subst(static_cast<std::uint16_t>(index), static_cast<std::uint8_t>(type));
            w.end();
          }
          w.end();
        },
        values);
  });
  auto r = read_bytes(file);
  ASSERT_EQ(r.events.size(), 1u) << r.all_errors();
  const Event& e = r.events[0];
  EXPECT_EQ(e.shape, DataShape::kEventData);
  ASSERT_EQ(e.data.size(), 3u);
  EXPECT_EQ(e.data[0].name, "TargetUserName");
  EXPECT_EQ(e.data[1].name, "LogonType");
  EXPECT_EQ(e.data[1].value, "10");
  EXPECT_EQ(e.data[2].value, "0xc000006d");
}

// TermService 1056 as System stores it: classic inserts as a string array, the thumbprint as Binary.
TEST(EvtxBinXml, ClassicStringArrayGivesOneUnnamedFieldPerInsertAndBinaryBytes) {
  auto file = one_chunk_file([](ChunkWriter& w) {
    auto values = system_values(1, 1056);
    values.push_back({0x81, utf16(std::u16string_view(u"DESKTOP-1N4R894\0second\0", 23))});
    values.push_back({0x0E, {0x59, 0xEF, 0xF2, 0xE3}});
    event_record(
        w, 1, 0x1005,
        [&] {
          w.open("EventData");
          w.close_start();
          w.leaf_subst("Data", 6, 0x81, true);
          w.leaf_subst("Binary", 7, 0x0E, true);
          w.end();
        },
        values);
  });
  auto r = read_bytes(file);
  ASSERT_EQ(r.events.size(), 1u) << r.all_errors();
  const Event& e = r.events[0];
  EXPECT_EQ(e.shape, DataShape::kClassic);
  ASSERT_EQ(e.data.size(), 2u);
  EXPECT_EQ(e.data[0].name, "");
  EXPECT_EQ(e.data[0].value, "DESKTOP-1N4R894");
  EXPECT_EQ(e.data[1].value, "second");
  EXPECT_EQ(e.binary, (std::vector<std::uint8_t>{0x59, 0xEF, 0xF2, 0xE3}));
}

// [MS-EVEN6] 3.1.4.7.2: an optional substitution whose value is NULL removes the element enclosing it
// (EventLog 6005's <Data> in System); a normal one leaves it, empty.
TEST(EvtxBinXml, OptionalNullSubstitutionLeavesOutTheElementANormalOneLeavesItEmpty) {
  auto make = [](bool optional) {
    return one_chunk_file([&](ChunkWriter& w) {
      auto values = system_values(1, 6005);
      values.push_back(null_value());
      values.push_back({0x0E, {0xE1, 0x07}});
      event_record(
          w, 1, 0x1006,
          [&] {
            w.open("EventData");
            w.close_start();
            w.leaf_subst("Data", 6, 0x81, optional);
            w.leaf_subst("Binary", 7, 0x0E, true);
            w.end();
          },
          values);
    });
  };
  auto optional = read_bytes(make(true));
  ASSERT_EQ(optional.events.size(), 1u) << optional.all_errors();
  EXPECT_TRUE(optional.events[0].data.empty());
  EXPECT_EQ(optional.events[0].shape, DataShape::kClassic);  // Binary alone
  auto normal = read_bytes(make(false));
  ASSERT_EQ(normal.events.size(), 1u) << normal.all_errors();
  ASSERT_EQ(normal.events[0].data.size(), 1u);
  EXPECT_EQ(normal.events[0].data[0].value, "");
}

TEST(EvtxBinXml, RendersEveryScalarValueTypeLikeEvtRender) {
  EXPECT_EQ(data_value(string_value("RDP-Tcp")), "RDP-Tcp");
  EXPECT_EQ(data_value({0x01, utf16(u"cut", true)}), "cut");  // the stored NUL ends the string
  EXPECT_EQ(data_value({0x02, {'a', 'n', 's', 'i', 0xE9}}), "ansi\xC3\xA9");
  EXPECT_EQ(data_value(le_value(0x03, 0x80, 1)), "-128");
  EXPECT_EQ(data_value(le_value(0x04, 200, 1)), "200");
  EXPECT_EQ(data_value(le_value(0x05, 0x8000, 2)), "-32768");
  EXPECT_EQ(data_value(le_value(0x06, 3389, 2)), "3389");
  EXPECT_EQ(data_value(le_value(0x07, 0xFFFFFFFF, 4)), "-1");
  EXPECT_EQ(data_value(le_value(0x08, 4294967295u, 4)), "4294967295");
  EXPECT_EQ(data_value(le_value(0x09, 0x8000000000000000ULL, 8)), "-9223372036854775808");
  EXPECT_EQ(data_value(le_value(0x0A, 12345678901234ULL, 8)), "12345678901234");
  EXPECT_EQ(data_value(le_value(0x0B, 0x40490FDB, 4)), "3.1415927");
  EXPECT_EQ(data_value(le_value(0x0C, 0x3FF8000000000000ULL, 8)), "1.5");
  EXPECT_EQ(data_value(le_value(0x0D, 1, 4)), "true");
  EXPECT_EQ(data_value(le_value(0x0D, 0, 4)), "false");
  EXPECT_EQ(data_value({0x0E, {0xDE, 0xAD, 0xBE, 0xEF}}), "DEADBEEF");
  EXPECT_EQ(data_value({0x0F,
                        {0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49, 0xA5, 0xBA, 0x3E, 0x3B, 0x03, 0x28,
                         0xC3, 0x0D}}),
            "{54849625-5478-4994-A5BA-3E3B0328C30D}");
  EXPECT_EQ(data_value(le_value(0x10, 0x7FF6A000, 8)), "0x7ff6a000");
  EXPECT_EQ(data_value(le_value(0x11, kMay2024 + 5, 8)), "2024-05-01T12:00:00.0000005Z");
  Bytes systemtime;
  for (int v : {2024, 5, 3, 1, 12, 0, 0, 250}) {
    systemtime.push_back(static_cast<std::uint8_t>(v));
    systemtime.push_back(static_cast<std::uint8_t>(v >> 8));
  }
  EXPECT_EQ(data_value({0x12, systemtime}), "2024-05-01T12:00:00.2500000Z");
  EXPECT_EQ(data_value({0x13, {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0}}), "S-1-5-32-544");
  EXPECT_EQ(data_value(le_value(0x14, 0x904, 4)), "0x904");
  EXPECT_EQ(data_value(le_value(0x15, 0x3E7, 8)), "0x3e7");
  EXPECT_EQ(data_value({0x20, {0x01, 0x02}}), "0102");  // EvtHandle: no text form, shown as hex
}

TEST(EvtxBinXml, AnArrayValueRepeatsItsElementOncePerItem) {
  auto file = one_chunk_file([](ChunkWriter& w) {
    auto values = system_values(1);
    values.push_back({0x86, {0x3D, 0x0D, 0x50, 0x00, 0xBB, 0x01}});  // UInt16 3389, 80, 443
    values.push_back({0x81, {}});                                    // no items: one empty element
    values.push_back({0x94, {0x04, 0x09, 0, 0}});                    // one item: plain text
    event_record(
        w, 1, 0x1007,
        [&] {
          w.open("EventData");
          w.close_start();
          for (auto [name, index, type] :
               {std::tuple{"Port", 6, 0x86}, std::tuple{"Empty", 7, 0x81}, std::tuple{"One", 8, 0x94}}) {
            w.open("Data", true);
            w.attr("Name", false);
            w.text(wide(name));
            w.close_start();
            w.text(u"[");
            w.subst(static_cast<std::uint16_t>(index), static_cast<std::uint8_t>(type));
            w.text(u"]");
            w.end();
          }
          w.end();
        },
        values);
  });
  auto r = read_bytes(file);
  ASSERT_EQ(r.events.size(), 1u) << r.all_errors();
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& f : r.events[0].data) fields.emplace_back(f.name, f.value);
  std::vector<std::pair<std::string, std::string>> expected = {
      {"Port", "[3389]"}, {"Port", "[80]"}, {"Port", "[443]"}, {"Empty", "[]"}, {"One", "[0x904]"}};
  EXPECT_EQ(fields, expected);
}

TEST(EvtxBinXml, JoinsTextCharacterAndEntityReferencesAndSkipsProcessingInstructions) {
  auto file = one_chunk_file([](ChunkWriter& w) {
    event_record(
        w, 1, 0x1008,
        [&] {
          w.open("EventData");
          w.close_start();
          w.pi("xml-stylesheet", u"href='x'");
          w.open("Data", true);
          w.attr("Name", false);
          w.text(u"Path");
          w.close_start();
          w.text(u"C:\\a");
          w.entity_ref("amp");
          w.entity_ref("lt");
          w.char_ref(0x41);
          w.entity_ref("nbsp");  // not an XML entity: left as written
          w.end();
          w.open("Data", true);
          w.attr("Name", false);
          w.text(u"Lines");
          w.close_start();
          w.text(u"a\r\nb\rc");
          w.end();
          w.open("Data", true);
          w.attr("Name", false);
          w.text(u"Blank");
          w.close_start();
          w.text(u" \r\n\t");
          w.end();
          w.open("Data", true);
          w.attr("Name", false);
          w.text(u"Script");
          w.close_start();
          w.cdata(u" if (a < b) ");
          w.end();
          w.end();
        },
        system_values(1));
  });
  auto r = read_bytes(file);
  ASSERT_EQ(r.events.size(), 1u) << r.all_errors();
  const Event& e = r.events[0];
  EXPECT_EQ(*e.field("Path"), "C:\\a&<A&nbsp;");
  EXPECT_EQ(*e.field("Lines"), "a\nb\nc");  // as an XML parser normalises line ends
  EXPECT_EQ(*e.field("Blank"), "");         // whitespace-only text is no text node in the XML model
  EXPECT_EQ(*e.field("Script"), " if (a < b) ");
}

TEST(EvtxBinXml, FlattensUserDataLikeTheXmlReader) {
  auto file = one_chunk_file([](ChunkWriter& w) {
    auto values = system_values(1, 1149);
    values.push_back(string_value("rdpuser"));
    values.push_back(string_value("203.0.113.9"));
    event_record(
        w, 1, 0x1009,
        [&] {
          w.open("UserData");
          w.close_start();
          w.open("EventXML", true);
          w.attr("xmlns", false);
          w.text(u"Event_NS");
          w.close_start();
          w.leaf_subst("Param1", 6, 0x01);
          w.open("Client");
          w.close_start();
          w.leaf_subst("Address", 7, 0x01);
          w.end();
          w.end();
          w.end();
        },
        values);
  });
  auto r = read_bytes(file);
  ASSERT_EQ(r.events.size(), 1u) << r.all_errors();
  const Event& e = r.events[0];
  EXPECT_EQ(e.shape, DataShape::kUserData);
  EXPECT_EQ(e.user_data_element, "EventXML");
  ASSERT_EQ(e.data.size(), 2u);
  EXPECT_EQ(e.data[0].name, "Param1");
  EXPECT_EQ(e.data[1].name, "Client.Address");
  EXPECT_EQ(e.data[1].value, "203.0.113.9");
}

TEST(EvtxBinXml, ExpandsNestedBinXmlValuesWithAndWithoutTemplates) {
  ChunkWriter w;
  // Record 1 defines the inner template <Data Name="Inner">%0</Data> (a record that is no event).
  w.record(1, [&] {
    w.fragment_header();
    w.template_instance(0x2001,
                        [&] {
                          w.open("Data", true);
                          w.attr("Name", false);
                          w.text(u"Inner");
                          w.close_start();
                          w.subst(0, 0x01);
                          w.end();
                        },
                        {string_value("unused")});
    w.eof();
  });
  Val via_template = nested_instance(0x2001, w.template_offset(0x2001), {string_value("from a template")});
  // A plain element as Windows stores it in a BinXML value: no dependency id, names by offset.
  Bytes plain = {0x0F, 0x01, 0x01, 0x00, 0x41, 0, 0, 0, 0};
  auto le32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) plain.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  le32(w.name_offset("Data"));
  le32(0);
  plain.push_back(0x06);
  le32(w.name_offset("Name"));
  auto add = [&](std::initializer_list<int> bytes) {
    for (int b : bytes) plain.push_back(static_cast<std::uint8_t>(b));
  };
  add({0x05, 0x01, 0x05, 0x00});
  for (std::uint8_t b : utf16(u"Plain")) plain.push_back(b);
  add({0x02, 0x05, 0x01, 0x02, 0x00, 'o', 0, 'k', 0, 0x04, 0x00});
  auto values = system_values(2);
  values.push_back(via_template);
  values.push_back({0x21, plain});
  event_record(
      w, 2, 0x2002,
      [&] {
        w.open("EventData");
        w.close_start();
        w.subst(6, 0x21);
        w.subst(7, 0x21);
        w.end();
      },
      values);
  auto r = read_bytes(evtx_file({w.finish()}, 1));
  ASSERT_EQ(r.errors.size(), 1u) << r.all_errors();
  EXPECT_TRUE(r.error_contains("record 1 at chunk offset 0x200: expected an <Event> element"))
      << r.all_errors();
  ASSERT_EQ(r.events.size(), 1u);
  const Event& e = r.events[0];
  ASSERT_EQ(e.data.size(), 2u);
  EXPECT_EQ(*e.field("Inner"), "from a template");
  EXPECT_EQ(*e.field("Plain"), "ok");
}

TEST(EvtxBinXml, ReportsRecordsThatAreNoEventAndGoesOn) {
  auto file = one_chunk_file([](ChunkWriter& w) {
    w.record(1, [&] {
      w.fragment_header();
      w.template_instance(0x3001,
                          [&] {
                            w.open("Event");
                            w.close_start();
                            w.leaf("Channel", u"System");
                            w.end();
                          },
                          {});
      w.eof();
    });
    w.record(2, [&] {
      w.fragment_header();
      w.raw({0x3F});  // not a BinXML token
    });
    event_record(
        w, 3, 0x3002, [] {}, system_values(3));
  });
  auto r = read_bytes(file);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].record_id, 3u);
  EXPECT_EQ(r.events[0].source_line, 3u);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].message,
            "chunk 0 (file offset 0x1000), record 1 at chunk offset 0x200: no <System> element");
  EXPECT_TRUE(r.error_contains("record 2 at chunk offset ")) << r.all_errors();
  EXPECT_TRUE(r.error_contains("unknown BinXML token 0x3f")) << r.all_errors();
  EXPECT_EQ(r.counters.records_bad, 2u);
}

TEST(EvtxBinXml, StopsNestingAtTheLimit) {
  ChunkWriter w;
  w.record(1, [&] {
    w.fragment_header();
    w.template_instance(0x4001,
                        [&] {
                          w.open("Data");
                          w.close_start();
                          w.subst(0, 0x21);
                          w.end();
                        },
                        {null_value()});
    w.eof();
  });
  Val v = null_value();
  for (int i = 0; i < 40; ++i) v = nested_instance(0x4001, w.template_offset(0x4001), {v});
  auto values = system_values(2);
  values.push_back(v);
  event_record(
      w, 2, 0x4002,
      [&] {
        w.open("EventData");
        w.close_start();
        w.subst(6, 0x21);
        w.end();
      },
      values);
  auto r = read_bytes(evtx_file({w.finish()}, 1));
  EXPECT_TRUE(r.events.empty());
  EXPECT_TRUE(r.error_contains("record 2 at chunk offset")) << r.all_errors();
  EXPECT_TRUE(r.error_contains("nested more than 32 deep")) << r.all_errors();
}

// A template whose body uses its one BinXML value 1000 times, that value again an instance of it: 10^6
// steps for a record of a few dozen bytes.
TEST(EvtxBinXml, StopsARecordThatExpandsWithoutBound) {
  ChunkWriter w;
  w.record(1, [&] {
    w.fragment_header();
    w.template_instance(0x5001,
                        [&] {
                          w.open("Data");
                          w.close_start();
                          for (int i = 0; i < 1000; ++i) w.subst(0, 0x21);
                          w.end();
                        },
                        {null_value()});
    w.eof();
  });
  std::uint32_t def = w.template_offset(0x5001);
  Val v = nested_instance(0x5001, def, {nested_instance(0x5001, def, {null_value()})});
  w.record(2, [&] {
    w.fragment_header();
    w.raw(Bytes(v.bytes.begin() + 4, v.bytes.end() - 1));  // the instance itself, at record level
    w.eof();
  });
  auto r = read_bytes(evtx_file({w.finish()}, 1));
  EXPECT_TRUE(r.error_contains("record 2 at chunk offset")) << r.all_errors();
  EXPECT_TRUE(r.error_contains("decoding steps")) << r.all_errors();
}

TEST(EvtxBinXml, RefusesStructuresThatPointAtTheWrongBytes) {
  // A template instance naming another template than the definition it points at (a later record
  // overwrote it): refused, not rendered with the wrong names.
  ChunkWriter w;
  event_record(
      w, 1, 0x6001, [] {}, system_values(1));
  std::uint32_t def = w.template_offset(0x6001);
  w.record(2, [&] {
    w.fragment_header();
    w.raw(Bytes(nested_instance(0x6002, def, system_values(2)).bytes));
  });
  // A name whose stored hash does not match its text.
  w.record(3, [&] {
    w.fragment_header();
    w.u8(0x01);
    w.u16(0xFFFF);
    w.u32(0);
    w.u32(static_cast<std::uint32_t>(w.pos() + 4));
    w.u32(0);
    w.u16(0x1234);  // wrong hash
    w.u16(5);
    w.raw(utf16(u"Event", true));
    w.u8(0x03);
    w.eof();
  });
  // A name offset pointing forward.
  w.record(4, [&] {
    w.fragment_header();
    w.u8(0x01);
    w.u16(0xFFFF);
    w.u32(0);
    w.u32(60000);
    w.u8(0x03);
    w.eof();
  });
  auto r = read_bytes(evtx_file({w.finish()}, 1));
  ASSERT_EQ(r.events.size(), 1u) << r.all_errors();
  EXPECT_TRUE(r.error_contains("names template 0x6002 but the definition at")) << r.all_errors();
  EXPECT_TRUE(r.error_contains("does not match its hash")) << r.all_errors();
  EXPECT_TRUE(r.error_contains("element start has no valid name offset")) << r.all_errors();
}

// The same event rendered as XML (what wevtutil would print) gives the same Event through the XML reader.
TEST(EvtxBinXml, GivesTheSameEventAsTheXmlReaderOnTheRenderedXml) {
  auto file = one_chunk_file([](ChunkWriter& w) {
    auto values = system_values(42, 1149, kMay2024 + 9);
    values.push_back(string_value("rdpuser"));
    values.push_back({0x0E, {0x01, 0xAB}});
    event_record(
        w, 42, 0x7001,
        [&] {
          w.open("EventData");
          w.close_start();
          w.open("Data", true);
          w.attr("Name", false);
          w.text(u"User");
          w.close_start();
          w.subst(6, 0x01);
          w.end();
          w.leaf_subst("Binary", 7, 0x0E);
          w.end();
        },
        values);
  });
  auto r = read_bytes(file);
  ASSERT_EQ(r.events.size(), 1u) << r.all_errors();
  auto parsed = parse_event_element(
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
      "<Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>1149</EventID>"
      "<TimeCreated SystemTime='2024-05-01T12:00:00.0000009Z'/><EventRecordID>42</EventRecordID>"
      "<Channel>Security</Channel><Computer>host.example</Computer></System>"
      "<EventData><Data Name='User'>rdpuser</Data><Binary>01AB</Binary></EventData></Event>");
  ASSERT_TRUE(std::holds_alternative<Event>(parsed));
  const Event& x = std::get<Event>(parsed);
  const Event& e = r.events[0];
  EXPECT_EQ(e.provider_name, x.provider_name);
  EXPECT_EQ(e.event_id, x.event_id);
  EXPECT_EQ(e.qualifiers, x.qualifiers);
  EXPECT_EQ(e.time_created, x.time_created);
  EXPECT_EQ(e.record_id, x.record_id);
  EXPECT_EQ(e.channel, x.channel);
  EXPECT_EQ(e.computer, x.computer);
  EXPECT_EQ(e.shape, x.shape);
  ASSERT_EQ(e.data.size(), x.data.size());
  EXPECT_EQ(e.data[0].name, x.data[0].name);
  EXPECT_EQ(e.data[0].value, x.data[0].value);
  EXPECT_EQ(e.binary, x.binary);
}

}  // namespace
}  // namespace rdpmend::events
