// The .evtx reader on every real file in tests/data/evtx/ (copied from the research notes' data/evtx/;
// tests/data/README.md gives their sources): what it reads and reports from each, measured once and held
// here, and a few records checked field by field. evtx_peer_test.cpp compares the same files with libevtx.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "events/event_time.h"
#include "evtx/evtx_file.h"

namespace rdpmend::events {
namespace {

namespace fs = std::filesystem;

struct Expected {
  std::uint64_t events, errors, chunks, chunks_past_header, records_bad, records_after_resync,
      checksum_errors;
};

// Measured with this reader; the counts libevtx 20181227 (evtxexport) gives are in evtx_peer_test.cpp.
const std::map<std::string, Expected>& expected() {
  static const std::map<std::string, Expected> table = {
      // A VSS copy of a circular log: chunks 0 and 13 were being rewritten. Past each torn record the
      // chunk still holds older records; those whose templates survived are read (all also recovered by
      // libevtx), the others are reported.
      {"rdpcorets-operational.evtx", {1950, 29, 16, 0, 27, 63, 2}},
      {"robust-application-no-crc32.evtx", {17, 0, 1, 0, 0, 0, 0}},  // format 3.2 without checksums
      // Chunks 6 and 10 lost their signature; chunks 0, 7 and 9 end in a torn record.
      {"robust-bad-chunk-magic.evtx", {298, 8, 4, 0, 3, 31, 3}},
      {"robust-irregular-bool-values.evtx", {3028, 0, 20, 0, 0, 0, 0}},
      // Record 3 has size 0; records 4..117 of its chunk follow it intact.
      {"robust-zero-data-size-event.evtx", {449, 2, 4, 0, 1, 114, 1}},
      {"security-4625-logon-type-10.evtx", {2, 0, 1, 0, 0, 0, 0}},
      {"security-4778-4779-rdp-session.evtx", {14, 0, 1, 0, 0, 0, 0}},
      {"security-short-selected.evtx", {7, 0, 1, 0, 0, 0, 0}},
      {"security.evtx", {2261, 0, 26, 0, 0, 0, 0}},
      {"system-plaso.evtx", {5009, 0, 27, 0, 0, 0, 0}},
      // Dirty: the header counts 4 chunks, 11 hold records.
      {"system-with-rdp-cert-1056.evtx", {1160, 0, 11, 7, 0, 0, 0}},
      {"system.evtx", {1881, 0, 15, 12, 0, 0, 0}},  // dirty: the header counts 3 chunks of 15
  };
  return table;
}

fs::path data_dir() {
  return fs::path(RDPMEND_TEST_DATA) / "evtx";
}

struct Read {
  std::vector<Event> events;
  std::vector<ReadError> errors;
  ReadStats stats;
  EvtxCounters counters;
};

Read read_sample(const std::string& name) {
  Read r;
  EvtxReadOptions options;
  options.counters = &r.counters;
  r.stats = read_evtx_file(
      data_dir() / name, [&](Event&& e) { r.events.push_back(std::move(e)); },
      [&](ReadError&& e) { r.errors.push_back(std::move(e)); }, options);
  return r;
}

const Event* find(const Read& r, std::uint64_t record_id) {
  for (const auto& e : r.events)
    if (e.record_id == record_id) return &e;
  return nullptr;
}

TEST(EvtxSamples, EveryFileInTheDataFolderHasItsExpectedFigures) {
  std::set<std::string> seen;
  for (const auto& entry : fs::directory_iterator(data_dir())) {
    if (entry.path().extension() != ".evtx") continue;
    std::string name = entry.path().filename().string();
    seen.insert(name);
    SCOPED_TRACE(name);
    auto it = expected().find(name);
    ASSERT_NE(it, expected().end()) << "a new sample: add its figures to the table";
    const Expected& x = it->second;
    Read r = read_sample(name);
    EXPECT_EQ(r.stats.events, x.events);
    EXPECT_EQ(r.events.size(), x.events);
    EXPECT_EQ(r.stats.errors, x.errors);
    EXPECT_EQ(r.errors.size(), x.errors);
    EXPECT_EQ(r.counters.chunks, x.chunks);
    EXPECT_EQ(r.counters.chunks_past_header, x.chunks_past_header);
    EXPECT_EQ(r.counters.records_bad, x.records_bad);
    EXPECT_EQ(r.counters.records_after_resync, x.records_after_resync);
    EXPECT_EQ(r.counters.checksum_errors, x.checksum_errors);
    std::set<std::uint64_t> ids;
    std::uint64_t last_line = 0;
    for (const auto& e : r.events) {
      EXPECT_TRUE(ids.insert(e.record_id).second) << "record " << e.record_id << " read twice";
      EXPECT_GT(e.source_line, last_line);
      last_line = e.source_line;
      EXPECT_EQ(e.source, (data_dir() / name).string());
      EXPECT_FALSE(e.provider_name.empty());
      EXPECT_TRUE(e.time_created);
    }
    for (const auto& e : r.errors) {
      EXPECT_EQ(e.kind, ReadErrorKind::kInput);
      EXPECT_EQ(e.message.rfind("chunk ", 0), 0u) << e.message;  // each names its chunk
    }
  }
  EXPECT_EQ(seen.size(), expected().size());
}

TEST(EvtxSamples, ReadsTheRdpCertificateEventOfADirtySystemLog) {
  Read r = read_sample("system-with-rdp-cert-1056.evtx");
  const Event* e = find(r, 201);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->provider_name, "Microsoft-Windows-TerminalServices-RemoteConnectionManager");
  EXPECT_EQ(e->provider_guid, "{C76BAA63-AE81-421C-B425-340B4B24157F}");
  EXPECT_EQ(e->event_source_name, "TermService");
  EXPECT_EQ(e->event_id, 1056);
  EXPECT_EQ(e->qualifiers, 0xC000);
  EXPECT_EQ(format_event_time(*e->time_created), "2018-07-06T18:45:47.0178202Z");
  EXPECT_EQ(e->channel, "System");
  EXPECT_EQ(e->computer, "DESKTOP-1N4R894");
  EXPECT_EQ(e->shape, DataShape::kClassic);
  ASSERT_EQ(e->data.size(), 1u);
  EXPECT_EQ(e->data[0].value, "DESKTOP-1N4R894");
  std::vector<std::uint8_t> thumbprint = {0x59, 0xEF, 0xF2, 0xE3, 0xB5, 0x09, 0xC8, 0x31, 0x37, 0xE8,
                                          0x10, 0x85, 0xE0, 0x2A, 0x1A, 0xC6, 0x3A, 0x7E, 0x61, 0xAA};
  EXPECT_EQ(e->binary, thumbprint);
  // Records in chunks past the header's count are read too.
  EXPECT_NE(find(r, 1418), nullptr);
  EXPECT_NE(find(r, 1422), nullptr);
}

TEST(EvtxSamples, ReadsFailedRdpLogonsWithTheirFieldTypes) {
  Read r = read_sample("security-4625-logon-type-10.evtx");
  ASSERT_EQ(r.events.size(), 2u);
  const Event& e = r.events[0];
  EXPECT_EQ(e.event_id, 4625);
  EXPECT_EQ(e.keywords, 0x8010000000000000ULL);
  EXPECT_EQ(e.process_id, 512u);
  EXPECT_EQ(e.shape, DataShape::kEventData);
  EXPECT_EQ(*e.field("SubjectUserSid"), "S-1-5-18");   // SID
  EXPECT_EQ(*e.field("SubjectLogonId"), "0x3e7");      // HexInt64
  EXPECT_EQ(*e.field("Status"), "0xc000006e");         // HexInt32
  EXPECT_EQ(*e.field("LogonType"), "10");              // UInt32
  EXPECT_EQ(*e.field("LogonProcessName"), "User32 ");  // trailing space kept
  EXPECT_EQ(*e.field("ProcessId"), "0x1310");          // Pointer (SizeT as HexInt64)
  EXPECT_EQ(*e.field("IpAddress"), "10.23.23.9");
  EXPECT_EQ(e.data.size(), 21u);
}

TEST(EvtxSamples, LeavesOutTheOptionalEmptyInsertOfEventLogStart) {
  // System record 2 is EventLog 6005 with no insert: its <Data> is an optional NULL substitution.
  Read r = read_sample("system.evtx");
  const Event* e = find(r, 2);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->event_id, 6005);
  EXPECT_TRUE(e->data.empty());
  EXPECT_EQ(e->shape, DataShape::kClassic);
  EXPECT_EQ(e->binary.size(), 24u);
}

TEST(EvtxSamples, ReportsTheDamageOfABadChunkFileByChunk) {
  Read r = read_sample("robust-bad-chunk-magic.evtx");
  std::vector<std::string> messages;
  for (const auto& e : r.errors) messages.push_back(e.message);
  auto has = [&](const std::string& prefix) {
    for (const auto& m : messages)
      if (m.rfind(prefix, 0) == 0) return true;
    return false;
  };
  EXPECT_TRUE(has("chunk 6 (file offset 0x61000): no \"ElfChnk\" signature; skipped"));
  EXPECT_TRUE(has("chunk 10 (file offset 0xa1000): no \"ElfChnk\" signature; skipped"));
  EXPECT_TRUE(has("chunk 0 (file offset 0x1000): event records CRC32 mismatch"));
  EXPECT_TRUE(
      has("chunk 0 (file offset 0x1000), record at chunk offset 0x1fc0: record size 472 but the copy at its "
          "end says 0; no further record before the free space offset 0xfe68"));
  EXPECT_TRUE(
      has("chunk 7 (file offset 0x71000), record at chunk offset 0x1e68: record size 504 but the copy at its "
          "end says 0; skipped 17256 bytes to the next record at chunk offset 0x61d0"));
}

TEST(EvtxSamples, SinceFiltersARealFile) {
  Read all = read_sample("system-plaso.evtx");
  TimePoint newest = *all.events.front().time_created;
  for (const auto& e : all.events) newest = std::max(newest, *e.time_created);
  EvtxReadOptions options;
  options.since = newest - std::chrono::hours(24);
  std::uint64_t expected_count = 0;
  for (const auto& e : all.events)
    if (*e.time_created >= *options.since) ++expected_count;
  std::uint64_t count = 0;
  read_evtx_file(
      data_dir() / "system-plaso.evtx",
      [&](Event&& e) {
        ++count;
        EXPECT_GE(*e.time_created, *options.since);
      },
      [](ReadError&&) {}, options);
  EXPECT_EQ(count, expected_count);
  EXPECT_GT(count, 0u);
  EXPECT_LT(count, all.events.size());
}

}  // namespace
}  // namespace rdpmend::events
