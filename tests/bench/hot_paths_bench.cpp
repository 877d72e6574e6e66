// Google Benchmark for the hot paths of a scan: one rendered event's XML to an Event, an Event through
// detection, both together (the "event XML -> symptom" pipeline), and the native .evtx reader over the sample
// files. Inputs are the repository's real event records (tests/data/event-xml, shared/data/evtx), loaded
// once before timing. Run by scripts/bench.sh; not a test (it asserts nothing about time).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "events/detection.h"
#include "events/event_element.h"
#include "events/event_xml.h"
#include "evtx/evtx_file.h"

namespace rdpmend::events {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// One <Event> element per sample (the samples are one event per file, UTF-8).
const std::vector<std::string>& event_xml_samples() {
  static const std::vector<std::string> samples = [] {
    std::vector<std::string> out;
    for (const char* dir : {"event-xml", "synthetic"})
      for (const auto& entry : fs::directory_iterator(fs::path(RDPMEND_TEST_DATA) / dir))
        if (entry.path().extension() == ".xml") {
          std::string text = read_file(entry.path());
          auto start = text.find("<Event");
          auto end = text.rfind("</Event>");
          if (start == std::string::npos || end == std::string::npos) continue;
          text = text.substr(start, end + 8 - start);
          if (std::holds_alternative<Event>(parse_event_element(text))) out.push_back(std::move(text));
        }
    if (out.empty()) {
      std::fprintf(stderr, "no event XML samples under %s\n", RDPMEND_TEST_DATA);
      std::exit(2);
    }
    return out;
  }();
  return samples;
}

const std::vector<Event>& parsed_samples() {
  static const std::vector<Event> events = [] {
    std::vector<Event> out;
    for (const auto& xml : event_xml_samples()) out.push_back(std::get<Event>(parse_event_element(xml)));
    return out;
  }();
  return events;
}

void BM_ParseEventXml(benchmark::State& state) {
  const auto& samples = event_xml_samples();
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const auto& xml = samples[i++ % samples.size()];
    auto result = parse_event_element(xml);
    benchmark::DoNotOptimize(result);
    bytes += xml.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_ParseEventXml);

// Record ids are made unique per iteration so that the detector's duplicate check does not short-cut the
// matching, as it would for the same record read twice. The detector is renewed every 4096 events so its
// bounded state (evidence, timeline, seen records) stays what a real scan of one host has.
void BM_Detect(benchmark::State& state) {
  auto events = parsed_samples();
  std::uint64_t record = 1;
  auto detector = std::make_unique<Detector>(default_catalog());
  std::size_t i = 0;
  for (auto _ : state) {
    Event& e = events[i++ % events.size()];
    e.record_id = record++;
    benchmark::DoNotOptimize(detector->add(e));
    if ((i & 4095) == 0) {
      state.PauseTiming();
      detector = std::make_unique<Detector>(default_catalog());
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Detect);

void BM_EventXmlToSymptom(benchmark::State& state) {
  const auto& samples = event_xml_samples();
  std::uint64_t record = 1;
  auto detector = std::make_unique<Detector>(default_catalog());
  std::size_t i = 0;
  for (auto _ : state) {
    auto result = parse_event_element(samples[i++ % samples.size()]);
    if (auto* e = std::get_if<Event>(&result)) {
      e->record_id = record++;
      benchmark::DoNotOptimize(detector->add(*e));
    }
    if ((i & 4095) == 0) {
      state.PauseTiming();
      detector = std::make_unique<Detector>(default_catalog());
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EventXmlToSymptom);

// The native .evtx reader over each sample file, events handed to a callback that only counts them.
void BM_ReadEvtx(benchmark::State& state, const fs::path& path) {
  std::uint64_t events = 0;
  auto bytes = static_cast<std::int64_t>(fs::file_size(path));
  for (auto _ : state) {
    auto stats = read_evtx_file(
        path, [&](Event&& e) { benchmark::DoNotOptimize(e); }, [](ReadError&&) {});
    events += stats.events;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.SetBytesProcessed(bytes * static_cast<std::int64_t>(state.iterations()));
}

}  // namespace
}  // namespace rdpmend::events

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  // The .evtx samples: RDPMEND_EVTX_DIR, else the test data's.
  const char* dir = std::getenv("RDPMEND_EVTX_DIR");
  fs::path evtx_dir = dir ? fs::path(dir) : fs::path(RDPMEND_TEST_DATA) / "evtx";
  if (fs::is_directory(evtx_dir)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(evtx_dir))
      if (entry.path().extension() == ".evtx") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files)
      benchmark::RegisterBenchmark(("BM_ReadEvtx/" + file.stem().string()).c_str(),
                                   rdpmend::events::BM_ReadEvtx, file);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
