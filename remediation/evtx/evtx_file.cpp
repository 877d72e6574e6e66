#include "evtx/evtx_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <vector>

#include "evtx/byte_cursor.h"
#include "evtx/crc32.h"
#include "evtx/evtx_chunk.h"

namespace rdpmend::events {
namespace {

using evtx::hex_offset;
using evtx::kChunkSize;
using evtx::kFileHeaderSize;

constexpr std::uint8_t kFileSignature[8] = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};
constexpr std::size_t kFileHeaderCrcSpan = 120;  // the header CRC covers its first 120 bytes

// File header (4 KiB), then 64 KiB chunks one after the other.
class FileReader {
 public:
  FileReader(const std::string& source, const EventCallback& on_event, const ErrorCallback& on_error,
             const EvtxReadOptions& options)
      : counters_(options.counters ? *options.counters : own_counters_), ctx_{source,  on_event, on_error,
                                                                              options, stats_,   counters_} {
    counters_ = {};
  }

  void header(std::span<const std::uint8_t> bytes) {
    const bool signature = bytes.size() >= 8 && std::memcmp(bytes.data(), kFileSignature, 8) == 0;
    if (bytes.size() < kFileHeaderSize) {
      ctx_.error(std::string(signature ? "truncated .evtx file" : "not an .evtx file") + ": " +
                 std::to_string(bytes.size()) + " bytes, less than the " + std::to_string(kFileHeaderSize) +
                 "-byte file header");
      return;
    }
    if (!signature) {
      ctx_.error("not an .evtx file: no \"ElfFile\" signature at the start; looking for chunks anyway");
      return;
    }
    const std::uint8_t* h = bytes.data();
    const std::uint32_t flags = evtx::load_u32(h + 120);
    counters_.header_chunk_count = evtx::load_u16(h + 42);
    counters_.dirty = flags & 0x1;
    counters_.full = flags & 0x2;
    header_ok_ = true;
    const std::uint32_t stored = evtx::load_u32(h + 124);
    // Format 3.2 may leave the checksums out: flag 0x4 with the CRCs stored as 0.
    ctx_.file_without_checksums = (flags & evtx::kNoCrc32Flag) && stored == 0;
    if (ctx_.options.verify_checksums && !ctx_.file_without_checksums) {
      std::uint32_t computed = evtx::crc32(bytes.first(kFileHeaderCrcSpan));
      if (stored != computed) {
        ++counters_.checksum_errors;
        ctx_.error("file header CRC32 mismatch (stored " + hex_offset(stored) + ", computed " +
                   hex_offset(computed) + "); reading the chunks anyway");
      }
    }
  }

  void chunk(std::span<const std::uint8_t> bytes, std::uint64_t index) {
    const std::uint64_t offset = kFileHeaderSize + index * kChunkSize;
    ++chunks_seen_;
    if (!evtx::ChunkReader::bad_signature(bytes)) flush_bad_run();  // errors stay in file order
    auto result = reader_.read(bytes, index, offset, ctx_);
    switch (result) {
      case evtx::ChunkReader::Result::kRead:
        ++counters_.chunks;
        if (index >= counters_.header_chunk_count) ++counters_.chunks_past_header;
        break;
      case evtx::ChunkReader::Result::kEmpty:
        ++counters_.chunks_empty;
        break;
      case evtx::ChunkReader::Result::kBadSignature:
        ++counters_.chunks_skipped;
        if (!bad_run_) bad_first_ = index;
        bad_run_ = true;
        bad_last_ = index;
        break;
      case evtx::ChunkReader::Result::kSkipped:
        ++counters_.chunks_skipped;
        break;
    }
  }

  ReadStats finish() {
    flush_bad_run();
    if (header_ok_ && chunks_seen_ < counters_.header_chunk_count)
      ctx_.error("truncated .evtx file: the header counts " + std::to_string(counters_.header_chunk_count) +
                 " chunks, the file holds " + std::to_string(chunks_seen_));
    return stats_;
  }

  void error(std::string message) { ctx_.error(std::move(message)); }

 private:
  // Consecutive chunks without a signature are one error, so a file of garbage is not thousands of them.
  void flush_bad_run() {
    if (!bad_run_) return;
    bad_run_ = false;
    auto offset = [](std::uint64_t i) { return hex_offset(kFileHeaderSize + i * kChunkSize); };
    if (bad_first_ == bad_last_)
      ctx_.error("chunk " + std::to_string(bad_first_) + " (file offset " + offset(bad_first_) +
                 "): no \"ElfChnk\" signature; skipped");
    else
      ctx_.error("chunks " + std::to_string(bad_first_) + "-" + std::to_string(bad_last_) +
                 " (file offsets " + offset(bad_first_) + "-" + offset(bad_last_) +
                 "): no \"ElfChnk\" signature; skipped");
  }

  ReadStats stats_;
  EvtxCounters own_counters_;
  EvtxCounters& counters_;
  evtx::ChunkContext ctx_;
  evtx::ChunkReader reader_;
  bool header_ok_ = false;
  std::uint64_t chunks_seen_ = 0;
  bool bad_run_ = false;
  std::uint64_t bad_first_ = 0, bad_last_ = 0;
};

}  // namespace

ReadStats read_evtx(std::span<const std::uint8_t> bytes, const std::string& source,
                    const EventCallback& on_event, const ErrorCallback& on_error,
                    const EvtxReadOptions& options) {
  FileReader reader(source, on_event, on_error, options);
  reader.header(bytes.first(std::min(bytes.size(), kFileHeaderSize)));
  if (bytes.size() <= kFileHeaderSize) return reader.finish();
  auto chunks = bytes.subspan(kFileHeaderSize);
  for (std::uint64_t index = 0; !chunks.empty(); ++index) {
    auto chunk = chunks.first(std::min(chunks.size(), kChunkSize));
    reader.chunk(chunk, index);
    chunks = chunks.subspan(chunk.size());
  }
  return reader.finish();
}

ReadStats read_evtx_file(const std::filesystem::path& path, const EventCallback& on_event,
                         const ErrorCallback& on_error, const EvtxReadOptions& options) {
  std::string source = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    on_error(ReadError{source, 0, 0, "is a directory, not an event log file"});
    return {0, 1};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    on_error(ReadError{source, 0, 0, "cannot open: " + std::generic_category().message(errno)});
    return {0, 1};
  }
  FileReader reader(source, on_event, on_error, options);
  std::vector<std::uint8_t> buffer(kChunkSize);  // the only copy of the file's bytes: one chunk
  auto fill = [&](std::size_t want) {
    in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(want));
    return static_cast<std::size_t>(in.gcount());
  };
  std::size_t got = fill(kFileHeaderSize);
  reader.header(std::span<const std::uint8_t>(buffer.data(), got));
  if (got == kFileHeaderSize) {
    for (std::uint64_t index = 0;; ++index) {
      got = fill(kChunkSize);
      if (got == 0) break;
      reader.chunk(std::span<const std::uint8_t>(buffer.data(), got), index);
      if (got < kChunkSize) break;
    }
  }
  if (in.bad()) reader.error("read error");
  return reader.finish();
}

}  // namespace rdpmend::events
