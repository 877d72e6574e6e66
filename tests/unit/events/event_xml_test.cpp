#include "events/event_xml.h"

#include <gtest/gtest.h>

#include <sstream>

#include "util/encoding.h"

namespace rdpmend::events {
namespace {

struct Collected {
  std::vector<Event> events;
  std::vector<ReadError> errors;
  ReadStats stats;
};

Collected read_text(const std::string& text, XmlReadOptions options = {}) {
  Collected c;
  std::istringstream in(text);
  c.stats = read_event_xml(
      in, "input.xml", [&](Event&& e) { c.events.push_back(std::move(e)); },
      [&](ReadError&& e) { c.errors.push_back(std::move(e)); }, options);
  return c;
}

Collected read_file(const std::string& name) {
  Collected c;
  c.stats = read_event_xml_file(
      std::string(RDPMEND_TEST_DATA) + "/" + name, [&](Event&& e) { c.events.push_back(std::move(e)); },
      [&](ReadError&& e) { c.errors.push_back(std::move(e)); });
  return c;
}

const char* kNs = "http://schemas.microsoft.com/win/2004/08/events/event";

std::string simple_event(int record, const std::string& extra = "") {
  return std::string("<Event xmlns=\"") + kNs +
         "\"><System><Provider Name=\"Schannel\"/><EventID>36870</EventID><Level>2</Level>"
         "<TimeCreated SystemTime=\"2026-01-02T03:04:05.0000000Z\"/><EventRecordID>" +
         std::to_string(record) + "</EventRecordID><Channel>System</Channel></System><EventData>" + extra +
         "<Data Name=\"Type\">server</Data></EventData></Event>";
}

TEST(EventXml, ParsesNamedEventData) {
  auto c = read_file("event-xml/schannel-36870-system.xml");
  ASSERT_EQ(c.errors.size(), 0u);
  ASSERT_EQ(c.events.size(), 1u);
  const auto& e = c.events[0];
  EXPECT_EQ(e.provider_name, "Schannel");
  EXPECT_EQ(e.event_id, 36870);
  EXPECT_EQ(e.channel, "System");
  EXPECT_EQ(e.shape, DataShape::kEventData);
  ASSERT_NE(e.field("ErrorCode"), nullptr);
  EXPECT_EQ(*e.field("ErrorCode"), "0x8009030d");
  EXPECT_EQ(*e.field("Type"), "server");
}

TEST(EventXml, FlattensUserDataToNameValue) {
  auto c = read_file("event-xml/lsm-21-win10-19044.xml");
  ASSERT_EQ(c.events.size(), 1u);
  const auto& e = c.events[0];
  EXPECT_EQ(e.shape, DataShape::kUserData);
  EXPECT_EQ(e.user_data_element, "EventXML");
  ASSERT_EQ(e.data.size(), 3u);
  EXPECT_EQ(e.data[0].name, "User");
  EXPECT_EQ(e.data[0].value, "HLPC01\\john.doe");
  EXPECT_EQ(*e.field("Address"), "192.168.180.57");
  EXPECT_EQ(e.record_id, 1520u);
  EXPECT_EQ(e.process_id, 1440u);
  EXPECT_EQ(e.user_sid, "S-1-5-18");
  EXPECT_EQ(e.keywords, 0x1000000000000000ull);
}

TEST(EventXml, ParsesClassicUnnamedDataWithBase64Binary) {
  auto c = read_file("event-xml/rcm-1056-system-raw.xml");
  ASSERT_EQ(c.events.size(), 1u);
  const auto& e = c.events[0];
  EXPECT_EQ(e.shape, DataShape::kClassic);
  EXPECT_EQ(e.event_id, 1056);
  EXPECT_EQ(e.qualifiers, 49152);
  EXPECT_EQ(e.event_source_name, "TermService");
  // python-evtx wraps the insert as <string>..</string>; EvtRender would give the bare value.
  ASSERT_EQ(e.data.size(), 1u);
  EXPECT_EQ(e.data[0].name, "");
  EXPECT_EQ(e.data[0].value, "DESKTOP-1N4R894");
  EXPECT_EQ(util::to_hex(e.binary), "59EFF2E3B509C83137E81085E02A1AC63A7E61AA");
}

TEST(EventXml, ParsesClassicHexBinaryAndQualifiers) {
  auto c = read_file("event-xml/termdd-50-system.xml");
  ASSERT_EQ(c.events.size(), 1u);
  const auto& e = c.events[0];
  EXPECT_EQ(e.shape, DataShape::kClassic);
  EXPECT_EQ(e.qualifiers, 49162);
  ASSERT_EQ(e.data.size(), 2u);
  EXPECT_EQ(e.data[1].value, "X.224");
  ASSERT_GE(e.binary.size(), 4u);
  EXPECT_EQ(e.binary[0], 0x00);
  EXPECT_EQ(e.binary[2], 0x0B);
}

TEST(EventXml, MasksFullMessageIdToEventIdAndKeepsSeverityAsQualifiers) {
  // Get-WinEvent -ListProvider style ids: 3221226529 = 0xC0000421 = 1057 with qualifiers 0xC000.
  auto c =
      read_text(std::string("<Event xmlns=\"") + kNs +
                "\"><System><Provider Name=\"TermService\"/><EventID>3221226529</EventID></System></Event>");
  ASSERT_EQ(c.events.size(), 1u) << (c.errors.empty() ? "" : c.errors[0].text());
  EXPECT_EQ(c.events[0].event_id, 1057);
  EXPECT_EQ(c.events[0].qualifiers, 0xC000);
}

TEST(EventXml, ReadsSpaceSeparatedTimesOfPythonEvtx) {
  auto c = read_file("event-xml/scm-7036-termservice-running-raw.xml");
  ASSERT_EQ(c.events.size(), 1u);
  ASSERT_TRUE(c.events[0].time_created);
  auto bytes = c.events[0].binary;
  EXPECT_EQ(util::utf16le_to_utf8(bytes), "TermService/4");
}

TEST(EventXml, ReadsWevtutilOutputWithSeveralEventsAndNoRoot) {
  auto c = read_text(simple_event(1) + "\n" + simple_event(2) + simple_event(3));
  EXPECT_EQ(c.errors.size(), 0u);
  ASSERT_EQ(c.events.size(), 3u);
  EXPECT_EQ(c.events[2].record_id, 3u);
}

TEST(EventXml, ReadsEventViewerSaveAsXmlWithEventsRoot) {
  auto c = read_file("synthetic/events-root.xml");
  EXPECT_EQ(c.errors.size(), 0u);
  ASSERT_EQ(c.events.size(), 2u);
  EXPECT_EQ(c.events[0].event_id, 260);
  EXPECT_EQ(c.events[1].event_id, 139);
}

TEST(EventXml, ReadsUtf16LittleEndianWithBom) {
  std::string utf8 = simple_event(7, "<Data Name=\"Who\">Jürgen 🖥</Data>");
  std::string utf16 = "\xFF\xFE";
  for (unsigned char ch : std::string("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n")) {
    utf16.push_back(static_cast<char>(ch));
    utf16.push_back('\0');
  }
  // Encode the UTF-8 event as UTF-16LE (with a surrogate pair for the emoji).
  std::u32string cps;
  for (std::size_t i = 0; i < utf8.size();) {
    unsigned char b = static_cast<unsigned char>(utf8[i]);
    char32_t cp;
    int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    cp = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    i += n;
    cps.push_back(cp);
  }
  auto put = [&](char16_t u) {
    utf16.push_back(static_cast<char>(u & 0xFF));
    utf16.push_back(static_cast<char>(u >> 8));
  };
  for (char32_t cp : cps) {
    if (cp >= 0x10000) {
      put(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      put(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    } else {
      put(static_cast<char16_t>(cp));
    }
  }
  auto c = read_text(utf16);
  ASSERT_EQ(c.errors.size(), 0u) << c.errors[0].text();
  ASSERT_EQ(c.events.size(), 1u);
  EXPECT_EQ(*c.events[0].field("Who"), "Jürgen 🖥");
}

TEST(EventXml, RejectsNonXmlWithOneClearError) {
  auto c = read_text("this is a plain text file\nwith two lines\n");
  EXPECT_EQ(c.events.size(), 0u);
  ASSERT_EQ(c.errors.size(), 1u);  // one error for the whole run of garbage, not one per line
  EXPECT_EQ(c.errors[0].line, 1u);
  EXPECT_EQ(c.errors[0].column, 1u);
  EXPECT_NE(c.errors[0].message.find("not Windows event XML"), std::string::npos);
}

TEST(EventXml, RejectsBinaryGarbage) {
  std::string png = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  png.append(1000, '\x01');
  auto c = read_text(png);
  EXPECT_EQ(c.events.size(), 0u);
  ASSERT_GE(c.errors.size(), 1u);
}

TEST(EventXml, ReportsTruncatedEventWithItsStartPosition) {
  std::string text = simple_event(1) + "\n" + simple_event(2).substr(0, 120);
  auto c = read_text(text);
  ASSERT_EQ(c.events.size(), 1u);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].line, 2u);
  EXPECT_EQ(c.errors[0].column, 1u);
  EXPECT_NE(c.errors[0].message.find("truncated"), std::string::npos);
}

TEST(EventXml, SkipsOversizedEventAndKeepsReading) {
  std::string huge(50u * 1024 * 1024, 'A');
  std::string text =
      simple_event(1) + simple_event(2, "<Data Name=\"Blob\">" + huge + "</Data>") + simple_event(3);
  huge.clear();
  auto c = read_text(text);
  ASSERT_EQ(c.events.size(), 2u);
  EXPECT_EQ(c.events[0].record_id, 1u);
  EXPECT_EQ(c.events[1].record_id, 3u);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].message.find("larger than"), std::string::npos);
}

TEST(EventXml, RejectsWrongNamespace) {
  std::string text = simple_event(1);
  text.replace(text.find(kNs), std::string(kNs).size(), "urn:evil");
  auto c = read_text(text + simple_event(2));
  ASSERT_EQ(c.events.size(), 1u);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].message.find("wrong namespace 'urn:evil'"), std::string::npos);
}

TEST(EventXml, RejectsWrongNamespaceInheritedFromEventsRoot) {
  auto c = read_text(
      "<Events xmlns=\"urn:evil\"><Event><System><Provider "
      "Name=\"x\"/><EventID>1</EventID></System></Event></Events>");
  EXPECT_EQ(c.events.size(), 0u);
  ASSERT_GE(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].message.find("wrong namespace"), std::string::npos);
}

TEST(EventXml, RejectsControlCharacterWithPosition) {
  std::string bad = simple_event(1, "<Data Name=\"X\">a\x01z</Data>");
  auto c = read_text(simple_event(0) + "\n" + bad + "\n" + simple_event(2));
  ASSERT_EQ(c.events.size(), 2u);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].line, 2u);
  EXPECT_NE(c.errors[0].message.find("U+0001"), std::string::npos);
}

TEST(EventXml, RejectsInvalidUtf8) {
  auto c = read_text(simple_event(1, "<Data Name=\"X\">\xC3\x28</Data>") + simple_event(2));
  ASSERT_EQ(c.events.size(), 1u);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].message.find("invalid byte sequence"), std::string::npos);
}

TEST(EventXml, ReportsMalformedXmlInsideEventWithLineAndColumn) {
  std::string bad = std::string("<Event xmlns=\"") + kNs +
                    "\">\n<System>\n<Provider Name=\"x\"/>\n<EventID>1</EventID>\n</Sys>\n</Event>";
  auto c = read_text(simple_event(1) + "\n" + bad);
  ASSERT_EQ(c.events.size(), 1u);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].line, 6u);
  EXPECT_NE(c.errors[0].message.find("malformed XML"), std::string::npos);
}

TEST(EventXml, RefusesDoctypeAndEntities) {
  auto c = read_text("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + simple_event(1));
  // The declaration is refused; the event after it is still read and no entity is expanded.
  ASSERT_EQ(c.events.size(), 1u);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].message.find("DOCTYPE"), std::string::npos);
}

TEST(EventXml, RejectsNonNumericFieldsWithTheirName) {
  auto c =
      read_text(std::string("<Event xmlns=\"") + kNs +
                "\"><System><Provider Name=\"x\"/><EventID>12</EventID><Level>high</Level></System></Event>");
  ASSERT_EQ(c.events.size(), 0u);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].message.find("Level 'high'"), std::string::npos);
}

TEST(EventXml, RejectsEventIdOutOfRange) {
  auto c = read_text(
      std::string("<Event><System><Provider Name=\"x\"/><EventID>99999999999</EventID></System></Event>"));
  ASSERT_EQ(c.events.size(), 0u);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].message.find("EventID"), std::string::npos);
}

TEST(EventXml, IgnoresCommentsAndCdataContainingEventTags) {
  std::string text = "<!-- <Event> in a comment </Event> -->" +
                     simple_event(1, "<Data Name=\"Note\"><![CDATA[</Event> inside CDATA]]></Data>");
  auto c = read_text(text);
  ASSERT_EQ(c.errors.size(), 0u) << c.errors[0].text();
  ASSERT_EQ(c.events.size(), 1u);
  EXPECT_EQ(*c.events[0].field("Note"), "</Event> inside CDATA");
}

TEST(EventXml, ReportsMissingFile) {
  Collected c;
  read_event_xml_file(
      "/nonexistent/file.xml", [&](Event&& e) { c.events.push_back(e); },
      [&](ReadError&& e) { c.errors.push_back(e); });
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].file, "/nonexistent/file.xml");
  EXPECT_NE(c.errors[0].message.find("cannot open"), std::string::npos);
}

TEST(EventXml, ReportsEmptyFile) {
  auto c = read_text("");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].message.find("no <Event>"), std::string::npos);
}

}  // namespace
}  // namespace rdpmend::events
