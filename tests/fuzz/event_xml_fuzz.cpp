// libFuzzer target: arbitrary bytes as an exported event file. The reader must never crash, hang or
// leak, whatever the input; every byte sequence ends as events or as errors.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "events/detection.h"
#include "events/event_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rdpmend::events;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  Detector detector(default_catalog());
  XmlReadOptions options;
  options.max_event_bytes = 64 * 1024;  // small, so the fuzzer reaches the oversize path
  std::uint64_t events = 0, errors = 0;
  auto stats = read_event_xml(
      in, "fuzz",
      [&](Event&& e) {
        ++events;
        detector.add(e);
      },
      [&](ReadError&&) { ++errors; }, options);
  if (stats.events != events || stats.errors != errors) __builtin_trap();
  return 0;
}
