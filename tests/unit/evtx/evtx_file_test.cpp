// The .evtx reader's file and chunk handling on hand-built files: checksums, dirty headers, damaged chunks
// and records, truncation at every length, the `since` filter, and the file reader against the span reader.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "evtx/binxml_values.h"
#include "evtx/evtx_chunk.h"
#include "evtx_test_builder.h"

namespace rdpmend::events {
namespace {

using namespace evtx_test;
namespace fs = std::filesystem;

// A chunk of `count` events with ids first..first+count-1.
Bytes chunk_of(std::uint64_t first, int count) {
  ChunkWriter w;
  for (int i = 0; i < count; ++i) {
    auto values = system_values(first + i);
    values.push_back(string_value("user" + std::to_string(first + i)));
    event_record(
        w, first + i, 0x1000,
        [&] {
          w.open("EventData");
          w.close_start();
          w.open("Data", true);
          w.attr("Name", false);
          w.text(u"TargetUserName");
          w.close_start();
          w.subst(6, 0x01);
          w.end();
          w.end();
        },
        values);
  }
  return w.finish();
}

std::vector<std::uint64_t> ids(const ReadResult& r) {
  std::vector<std::uint64_t> out;
  for (const auto& e : r.events) out.push_back(e.record_id);
  return out;
}

std::uint32_t get32(const Bytes& b, std::size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (static_cast<std::uint32_t>(b[at + 3]) << 24);
}

TEST(EvtxFile, ReadsEveryChunkInOrderWithoutErrors) {
  auto r = read_bytes(evtx_file({chunk_of(1, 3), chunk_of(4, 2)}, 2));
  EXPECT_TRUE(r.errors.empty()) << r.all_errors();
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(*r.events[4].field("TargetUserName"), "user5");
  EXPECT_EQ(r.counters.chunks, 2u);
  EXPECT_EQ(r.counters.records, 5u);
  EXPECT_EQ(r.counters.header_chunk_count, 2u);
  EXPECT_FALSE(r.counters.dirty);
}

TEST(EvtxFile, ReportsAFileHeaderChecksumMismatchAndReadsOn) {
  auto file = evtx_file({chunk_of(1, 2)}, 1);
  file[24] ^= 0x01;  // next record id: covered by the header CRC
  auto r = read_bytes(file);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message.rfind("file header CRC32 mismatch (stored 0x", 0), 0u) << r.errors[0].message;
  EXPECT_EQ(r.errors[0].kind, ReadErrorKind::kInput);
  EXPECT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.counters.checksum_errors, 1u);
}

TEST(EvtxFile, ReportsChunkHeaderAndRecordChecksumsSeparatelyAndReadsOn) {
  auto header = evtx_file({chunk_of(1, 2), chunk_of(3, 1)}, 2);
  header[4096 + 65536 + 60] ^= 0xFF;  // an unused byte of chunk 1's header
  auto r = read_bytes(header);
  ASSERT_EQ(r.errors.size(), 1u) << r.all_errors();
  EXPECT_EQ(r.errors[0].message.rfind("chunk 1 (file offset 0x11000): chunk header CRC32 mismatch", 0), 0u)
      << r.errors[0].message;
  EXPECT_EQ(r.events.size(), 3u);

  auto records = evtx_file({chunk_of(1, 2)}, 1);
  Bytes name = utf16(u"user2");
  auto at = std::search(records.begin() + 4096, records.end(), name.begin(), name.end());
  ASSERT_NE(at, records.end());
  *at = 'U';  // the value changes, the record stays well-formed
  r = read_bytes(records);
  ASSERT_EQ(r.errors.size(), 1u) << r.all_errors();
  EXPECT_EQ(r.errors[0].message.rfind("chunk 0 (file offset 0x1000): event records CRC32 mismatch", 0), 0u)
      << r.errors[0].message;
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(*r.events[1].field("TargetUserName"), "User2");
  EXPECT_EQ(r.counters.checksum_errors, 1u);
}

TEST(EvtxFile, ReadsRecordsUpToTheZerosOfAnArchivedChunk) {
  ChunkWriter w;
  for (std::uint64_t id = 1; id <= 3; ++id)
    event_record(
        w, id, 0x1000, [] {}, system_values(id));
  auto r = read_bytes(evtx_file({w.finish(true)}, 1));
  EXPECT_TRUE(r.errors.empty()) << r.all_errors();
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST(EvtxFile, SkipsChecksumsWhenTheFileSaysItHasNone) {
  auto file = evtx_file({chunk_of(1, 2)}, 1, 0x4);  // 3.2 "no CRC32" flag; Windows then leaves them 0
  for (std::size_t at : {std::size_t{124}, std::size_t{4096 + 52}, std::size_t{4096 + 124}})
    for (int i = 0; i < 4; ++i) file[at + i] = 0;
  file[4096 + 120] |= 0x4;
  auto r = read_bytes(file);
  EXPECT_TRUE(r.errors.empty()) << r.all_errors();
  EXPECT_EQ(r.events.size(), 2u);
  EvtxReadOptions off;
  off.verify_checksums = false;
  auto damaged = evtx_file({chunk_of(1, 2)}, 1);
  damaged[24] ^= 1;
  EXPECT_TRUE(read_bytes(damaged, off).errors.empty());
}

TEST(EvtxFile, ReadsADirtyFilePastItsHeaderChunkCount) {
  // The header still says one chunk (and dirty); two more full chunks and preallocated zeros follow.
  auto file = evtx_file({chunk_of(1, 2), chunk_of(3, 2), chunk_of(5, 1), Bytes(65536, 0)}, 1, 0x1);
  auto r = read_bytes(file);
  EXPECT_TRUE(r.errors.empty()) << r.all_errors();
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(r.counters.dirty);
  EXPECT_EQ(r.counters.chunks_past_header, 2u);
  EXPECT_EQ(r.counters.chunks_empty, 1u);
}

TEST(EvtxFile, SkipsChunksWithABadSignatureNamingThem) {
  Bytes garbage(65536, 0x5A);
  auto r = read_bytes(evtx_file({chunk_of(1, 1), garbage, garbage, chunk_of(2, 1), garbage}, 5));
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{1, 2}));
  ASSERT_EQ(r.errors.size(), 2u) << r.all_errors();
  EXPECT_EQ(r.errors[0].message,
            "chunks 1-2 (file offsets 0x11000-0x21000): no \"ElfChnk\" signature; skipped");
  EXPECT_EQ(r.errors[1].message, "chunk 4 (file offset 0x41000): no \"ElfChnk\" signature; skipped");
  EXPECT_EQ(r.counters.chunks_skipped, 3u);
}

TEST(EvtxFile, SkipsAChunkWithABrokenHeader) {
  auto broken = chunk_of(2, 1);
  broken[48] = 0x10;  // free space offset 0x10: inside the header
  broken[49] = 0;
  EvtxReadOptions no_crc;
  no_crc.verify_checksums = false;
  auto r = read_bytes(evtx_file({chunk_of(1, 1), broken, chunk_of(3, 1)}, 3), no_crc);
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{1, 3}));
  ASSERT_EQ(r.errors.size(), 1u) << r.all_errors();
  EXPECT_EQ(r.errors[0].message,
            "chunk 1 (file offset 0x11000): broken chunk header: free space offset 0x10 is outside "
            "0x200..0x10000; skipped");
}

TEST(EvtxFile, SkipsABadRecordAndResumesAtTheNextOne) {
  auto chunk = chunk_of(1, 4);
  std::size_t second = 512 + get32(chunk, 512 + 4);
  std::uint32_t size = get32(chunk, second + 4);
  put32(chunk, second + size - 4, 0);  // the size copy no longer matches (a torn write)
  EvtxReadOptions no_crc;
  no_crc.verify_checksums = false;
  auto r = read_bytes(evtx_file({chunk}, 1), no_crc);
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{1, 3, 4}));
  ASSERT_EQ(r.errors.size(), 1u) << r.all_errors();
  std::string expected = "chunk 0 (file offset 0x1000), record at chunk offset " + evtx::hex_offset(second) +
                         ": record size " + std::to_string(size) +
                         " but the copy at its end says 0; skipped ";
  EXPECT_EQ(r.errors[0].message.rfind(expected, 0), 0u) << r.errors[0].message;
  EXPECT_EQ(r.counters.records_bad, 1u);
  EXPECT_EQ(r.counters.records_after_resync, 2u);
  EXPECT_EQ(r.events[1].source_line, 3u);  // the bad record still has its place in the file
}

TEST(EvtxFile, SkipsARecordOfSizeZero) {
  auto chunk = chunk_of(1, 3);
  std::size_t second = 512 + get32(chunk, 512 + 4);
  put32(chunk, second + 4, 0);
  auto r = read_bytes(evtx_file({chunk}, 1));
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{1, 3}));
  EXPECT_TRUE(r.error_contains("record size 0 is too small")) << r.all_errors();
  EXPECT_TRUE(r.error_contains("event records CRC32 mismatch")) << r.all_errors();
}

// Every length of a file cut short: never a read outside the buffer (ASan checks), always an error
// that says so, and only whole records as events.
TEST(EvtxFile, SurvivesTruncationAtEveryLength) {
  auto chunk = chunk_of(1, 5);
  const std::size_t used = get32(chunk, 48);
  auto file = evtx_file({chunk}, 1);
  auto full = read_bytes(file);
  ASSERT_EQ(full.events.size(), 5u);
  ASSERT_TRUE(full.errors.empty());
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 4096 + used; ++n) lengths.push_back(n);
  for (std::size_t n = 4096 + used; n < file.size(); n += 509) lengths.push_back(n);
  for (std::size_t n : lengths) {
    Bytes cut(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n));
    auto r = read_bytes(cut);
    ASSERT_GE(r.errors.size(), 1u) << "length " << n;
    ASSERT_LE(r.events.size(), 5u) << "length " << n;
    for (const auto& e : r.events)
      ASSERT_EQ(*e.field("TargetUserName"), "user" + std::to_string(e.record_id));
    if (n < 4096) {
      ASSERT_TRUE(r.error_contains("bytes, less than the 4096-byte file header")) << r.all_errors();
    } else if (n > 4096 + 8) {
      ASSERT_TRUE(r.error_contains("chunk 0 (file offset 0x1000): truncated")) << n << ": " << r.all_errors();
    }
  }
}

// Every single byte of a chunk's records flipped in turn: the reader reports or reads, never crashes.
TEST(EvtxFile, SurvivesAnyOneByteDamage) {
  auto chunk = chunk_of(1, 3);
  const std::size_t used = get32(chunk, 48);
  auto file = evtx_file({chunk}, 1);
  for (std::size_t at = 4096; at < 4096 + used; ++at) {
    Bytes damaged = file;
    damaged[at] ^= 0xA5;
    auto r = read_bytes(damaged);
    ASSERT_LE(r.events.size(), 3u);
    if (at >= 4096 + 120 && at < 4096 + 124) {
      // The chunk flags lie outside both checksums; a "no CRC32" bit there does not switch checking off
      // while checksums are stored, and nothing else reads them.
      ASSERT_TRUE(r.errors.empty()) << "byte " << at << ": " << r.all_errors();
      ASSERT_EQ(r.events.size(), 3u);
    } else {
      ASSERT_GE(r.errors.size(), 1u) << "byte " << at;  // at least a checksum
    }
  }
}

TEST(EvtxFile, SinceKeepsOnlyNewerEvents) {
  ChunkWriter w;
  for (int i = 0; i < 3; ++i)
    event_record(
        w, static_cast<std::uint64_t>(i + 1), 0x1000, [] {},
        system_values(static_cast<std::uint64_t>(i + 1), 4625, kMay2024 + i * 36'000'000'000ULL));
  auto file = evtx_file({w.finish()}, 1);
  EvtxReadOptions options;
  options.since = evtx::filetime_to_time(kMay2024 + 36'000'000'000ULL);  // one hour later: the second event
  auto r = read_bytes(file, options);
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(r.counters.records_filtered, 1u);
  EXPECT_TRUE(r.errors.empty());
}

TEST(EvtxFile, TheFileReaderGivesWhatTheSpanReaderGives) {
  auto file = evtx_file({chunk_of(1, 3), Bytes(65536, 0x11), chunk_of(4, 2)}, 1, 0x1);
  file.resize(file.size() - 1000);  // and the last chunk cut short
  fs::path path = fs::temp_directory_path() /
                  ("rdpmend-evtx-test-" +
                   std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ".evtx");
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(file.data()), static_cast<std::streamsize>(file.size()));
  auto span = read_bytes(file);
  std::vector<Event> events;
  std::vector<ReadError> errors;
  auto stats = read_evtx_file(
      path, [&](Event&& e) { events.push_back(std::move(e)); },
      [&](ReadError&& e) { errors.push_back(std::move(e)); });
  fs::remove(path);
  EXPECT_EQ(stats.events, span.stats.events);
  EXPECT_EQ(stats.errors, span.stats.errors);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[4].source, path.string());
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].record_id, span.events[i].record_id);
  ASSERT_EQ(errors.size(), span.errors.size());
  for (std::size_t i = 0; i < errors.size(); ++i) {
    EXPECT_EQ(errors[i].message, span.errors[i].message);
    EXPECT_EQ(errors[i].file, path.string());
  }
}

TEST(EvtxFile, NamesFilesItCannotRead) {
  std::vector<ReadError> errors;
  auto on_error = [&](ReadError&& e) { errors.push_back(std::move(e)); };
  auto stats = read_evtx_file(
      "/nonexistent/rdpmend/x.evtx", [](Event&&) {}, on_error);
  EXPECT_EQ(stats.errors, 1u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("cannot open"), std::string::npos);
  read_evtx_file(
      fs::temp_directory_path(), [](Event&&) {}, on_error);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[1].message.find("is a directory"), std::string::npos);
}

TEST(EvtxFile, SaysWhenAFileIsNoEventLog) {
  std::string text = "not an event log\n";
  auto r = read_bytes(Bytes(text.begin(), text.end()));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "not an .evtx file: 17 bytes, less than the 4096-byte file header");
  auto noise = read_bytes(Bytes(4096 + 3 * 65536 + 100, 0xC3));
  EXPECT_TRUE(noise.events.empty());
  ASSERT_EQ(noise.errors.size(), 2u) << noise.all_errors();
  EXPECT_EQ(noise.errors[0].message,
            "not an .evtx file: no \"ElfFile\" signature at the start; looking for chunks anyway");
  EXPECT_EQ(noise.errors[1].message,
            "chunks 0-3 (file offsets 0x1000-0x31000): no \"ElfChnk\" signature; skipped");
}

}  // namespace
}  // namespace rdpmend::events
