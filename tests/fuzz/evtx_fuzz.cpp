// libFuzzer target: arbitrary bytes as an .evtx file, or, when they start with a chunk signature, as a
// chunk behind a valid file header (so the fuzzer spends its time inside chunks, records and BinXML). The
// reader must never crash, hang or read outside the input; every input ends as events or as errors, and
// the counts it returns match the callbacks.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "events/detection.h"
#include "evtx/crc32.h"
#include "evtx/evtx_file.h"

namespace {

std::vector<std::uint8_t> file_header() {
  std::vector<std::uint8_t> h(4096, 0);
  std::memcpy(h.data(), "ElfFile", 8);
  h[32] = 128;
  h[36] = 1;
  h[38] = 3;
  h[41] = 0x10;  // header block size 4096
  h[42] = 1;     // one chunk
  std::uint32_t crc = rdpmend::events::evtx::crc32(std::span<const std::uint8_t>(h.data(), 120));
  for (int i = 0; i < 4; ++i) h[124 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rdpmend::events;
  static const std::vector<std::uint8_t> header = file_header();
  static std::vector<std::uint8_t> buffer;
  std::span<const std::uint8_t> input(data, size);
  EvtxReadOptions options;
  if (size >= 8 && std::memcmp(data, "ElfChnk", 8) == 0) {
    buffer.assign(header.begin(), header.end());
    buffer.insert(buffer.end(), data, data + size);
    input = buffer;
    options.verify_checksums = false;  // mutated chunks fail them anyway; spend the time on decoding
  }
  Detector detector(default_catalog());
  std::uint64_t events = 0, errors = 0;
  auto stats = read_evtx(
      input, "fuzz",
      [&](Event&& e) {
        ++events;
        detector.add(e);
      },
      [&](ReadError&&) { ++errors; }, options);
  if (stats.events != events || stats.errors != errors) __builtin_trap();
  return 0;
}
