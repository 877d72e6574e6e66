// Golden tests: every tests/data/event-xml/NAME.xml and tests/data/synthetic/NAME.xml is parsed and
// run through detection; the JSON rendering must equal NAME.json beside it. RDPMEND_UPDATE_GOLDEN=1
// rewrites the JSON files (review the diff by hand before committing).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "events/detection.h"
#include "events/event_json.h"
#include "events/event_xml.h"

namespace rdpmend::events {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> golden_inputs() {
  std::vector<fs::path> out;
  for (const char* dir : {"event-xml", "synthetic"})
    for (const auto& entry : fs::directory_iterator(fs::path(RDPMEND_TEST_DATA) / dir))
      if (entry.path().extension() == ".xml") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::ordered_json render(const fs::path& xml) {
  Detector detector(default_catalog());
  auto events = nlohmann::ordered_json::array();
  auto errors = nlohmann::ordered_json::array();
  read_event_xml_file(
      xml,
      [&](Event&& e) {
        detector.add(e);
        auto j = event_to_json(e);
        j.erase("source");
        events.push_back(std::move(j));
      },
      [&](ReadError&& e) {
        e.file = xml.filename().string();
        errors.push_back(read_error_to_json(e));
      });
  auto symptoms = nlohmann::ordered_json::array();
  for (const auto& s : detector.symptoms()) {
    auto j = symptom_to_json(s);
    for (auto& ev : j["evidence"]) ev["source"] = xml.filename().string();  // no absolute paths in goldens
    symptoms.push_back(std::move(j));
  }
  nlohmann::ordered_json out;
  out["events"] = std::move(events);
  out["errors"] = std::move(errors);
  out["symptoms"] = std::move(symptoms);
  return out;
}

class Golden : public ::testing::TestWithParam<fs::path> {};

TEST_P(Golden, MatchesExpectedJson) {
  const fs::path xml = GetParam();
  fs::path expected_path = xml;
  expected_path.replace_extension(".json");
  std::string actual = render(xml).dump(2) + "\n";
  const char* update = std::getenv("RDPMEND_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(expected_path, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << expected_path;
  }
  std::ifstream in(expected_path, std::ios::binary);
  ASSERT_TRUE(in) << "no golden file " << expected_path
                  << " (run with RDPMEND_UPDATE_GOLDEN=1 and review it)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "for " << xml;
}

std::string test_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.parent_path().filename().string() + "_" + info.param.stem().string();
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, Golden, ::testing::ValuesIn(golden_inputs()), test_name);

}  // namespace
}  // namespace rdpmend::events
