// The golden event files that python-evtx rendered from records of .evtx files we also hold
// (tests/data/event-xml/*-raw.xml name their sample and record in their first comment) must come out of
// the native .evtx reader as the same event and the same symptoms: detection is shared between the XML and
// the .evtx paths. Two differences are python-evtx's rendering, not the record, and are normalised here:
// - it converts a FILETIME to microseconds through floating point, so its times are up to 2 us off (record
//   6334928: FILETIME ...41.4212834, python-evtx 41.421282; evtxexport agrees with us to 100 ns, see
//   evtx_peer_test.cpp): times must agree within 2 us;
// - it prints GUID values (Provider Guid, ActivityID) in lower case; EvtRender and libevtx print them in
// upper
//   case, as we do: they are compared without regard to case.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "events/detection.h"
#include "events/event_json.h"
#include "events/event_time.h"
#include "evtx/evtx_file.h"

namespace rdpmend::events {
namespace {

namespace fs = std::filesystem;

// The research notes' sample names (omerbenamram/evtx samples/) and our copies of them.
const std::map<std::string, std::string> kSamples = {
    {"2-vss_7-System.evtx", "system-with-rdp-cert-1056.evtx"},
    {"2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx",
     "rdpcorets-operational.evtx"},
};

struct Case {
  fs::path golden;  // NAME.xml; NAME.json beside it
  std::string evtx;
  std::uint64_t record = 0;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.golden.filename().string() << " <- " << c.evtx << " record " << c.record;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const auto& entry : fs::directory_iterator(fs::path(RDPMEND_TEST_DATA) / "event-xml")) {
    if (entry.path().extension() != ".xml") continue;
    std::ifstream in(entry.path());
    std::string head(600, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    auto sample = head.find("samples/");
    auto record = head.find("event record ");
    if (sample == std::string::npos || record == std::string::npos) continue;
    auto end = head.find(".evtx", sample);
    auto it = kSamples.find(head.substr(sample + 8, end + 5 - sample - 8));
    if (it == kSamples.end()) continue;
    out.push_back({entry.path(), it->second, std::stoull(head.substr(record + 13, 20))});
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.golden < b.golden; });
  return out;
}

const Event* record_of(const std::string& evtx, std::uint64_t record) {
  static std::map<std::string, std::vector<Event>> read;
  auto& events = read[evtx];
  if (events.empty())
    read_evtx_file(
        fs::path(RDPMEND_TEST_DATA) / "evtx" / evtx, [&](Event&& e) { events.push_back(std::move(e)); },
        [](ReadError&&) {});
  for (const auto& e : events)
    if (e.record_id == record) return &e;
  return nullptr;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class EvtxGolden : public ::testing::TestWithParam<Case> {};

TEST_P(EvtxGolden, TheRecordGivesTheGoldenEventAndSymptoms) {
  const Case& c = GetParam();
  const Event* found = record_of(c.evtx, c.record);
  ASSERT_NE(found, nullptr) << c.evtx << " has no record " << c.record;
  Event e = *found;

  fs::path json_path = c.golden;
  json_path.replace_extension(".json");
  std::ifstream in(json_path);
  auto golden = nlohmann::ordered_json::parse(in);
  auto expected = golden["events"][0];

  auto golden_time = parse_event_time(expected["time"].get<std::string>());
  ASSERT_TRUE(golden_time && e.time_created);
  EXPECT_LE(std::chrono::abs(*golden_time - *e.time_created), std::chrono::microseconds(2));
  e.time_created = golden_time;  // python-evtx's rounding, for the comparisons below
  for (auto* guid : {&e.provider_guid, &e.activity_id}) {
    const char* key = guid == &e.provider_guid ? "provider_guid" : "activity_id";
    EXPECT_EQ(lower(*guid), lower(expected[key].get<std::string>()));
    *guid = expected[key].get<std::string>();
  }

  auto ours = event_to_json(e);
  ours.erase("source");
  EXPECT_EQ(ours.dump(2), expected.dump(2));

  Detector detector(default_catalog());
  detector.add(e);
  auto symptoms = nlohmann::ordered_json::array();
  for (const auto& s : detector.symptoms()) symptoms.push_back(symptom_to_json(s));
  auto place_free = [](nlohmann::ordered_json j) {
    for (auto& s : j)
      for (auto& ev : s["evidence"]) {
        ev.erase("source");  // a file name and line in the golden, the .evtx path and record position here
        ev.erase("line");
      }
    return j;
  };
  EXPECT_EQ(place_free(symptoms).dump(2), place_free(golden["symptoms"]).dump(2));
}

std::string test_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.golden.stem().string();
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(RawGoldens, EvtxGolden, ::testing::ValuesIn(cases()), test_name);

TEST(EvtxGoldenCases, EveryRawGoldenFromAHeldSampleIsCovered) {
  // rcm-1056-system-raw (TermService 1056, a symptom) and 14 RdpCoreTS records.
  EXPECT_EQ(cases().size(), 15u);
}

}  // namespace
}  // namespace rdpmend::events
