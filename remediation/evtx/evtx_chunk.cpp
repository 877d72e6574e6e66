#include "evtx/evtx_chunk.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "evtx/byte_cursor.h"
#include "evtx/crc32.h"

namespace rdpmend::events::evtx {
namespace {

constexpr std::uint8_t kChunkSignature[8] = {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0};
constexpr std::uint32_t kRecordSignature = 0x00002A2A;
constexpr std::size_t kRecordHeaderSize = 24;                  // signature, size, record id, written time
constexpr std::size_t kRecordMinSize = kRecordHeaderSize + 4;  // ... and the size again at the end

bool all_zero(std::span<const std::uint8_t> bytes) {
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8)  // preallocated chunks are 64 KiB of zeros: eight at a time
    if (load_u64(bytes.data() + i) != 0) return false;
  for (; i < bytes.size(); ++i)
    if (bytes[i] != 0) return false;
  return true;
}

// Why a record at `offset` is not one, or empty if it is.
std::string record_problem(std::span<const std::uint8_t> chunk, std::size_t offset, std::size_t end) {
  if (end - offset < kRecordHeaderSize) return "too few bytes for a record header";
  const std::uint8_t* p = chunk.data() + offset;
  if (load_u32(p) != kRecordSignature) return "no record signature";
  std::uint32_t size = load_u32(p + 4);
  if (size < kRecordMinSize) return "record size " + std::to_string(size) + " is too small";
  if (size > end - offset)
    return "record size " + std::to_string(size) + " runs past the free space offset (" +
           std::to_string(end - offset) + " bytes left)";
  std::uint32_t copy = load_u32(p + size - 4);
  if (copy != size)
    return "record size " + std::to_string(size) + " but the copy at its end says " + std::to_string(copy);
  return {};
}

}  // namespace

std::string hex_offset(std::uint64_t value) {
  char buf[24] = {'0', 'x'};
  auto [end, ec] = std::to_chars(buf + 2, buf + sizeof buf, value, 16);
  return std::string(buf, ec == std::errc() ? end : buf + 2);
}

void ChunkContext::error(std::string message) {
  ++stats.errors;
  on_error(ReadError{source, 0, 0, std::move(message), ReadErrorKind::kInput});
}

bool ChunkReader::bad_signature(std::span<const std::uint8_t> chunk) {
  bool signature =
      chunk.size() >= sizeof kChunkSignature && std::memcmp(chunk.data(), kChunkSignature, 8) == 0;
  return !signature && !all_zero(chunk);
}

ChunkReader::Result ChunkReader::read(std::span<const std::uint8_t> chunk, std::uint64_t index,
                                      std::uint64_t file_offset, ChunkContext& ctx) {
  const std::string where =
      "chunk " + std::to_string(index) + " (file offset " + hex_offset(file_offset) + ")";
  if (chunk.size() < sizeof kChunkSignature || std::memcmp(chunk.data(), kChunkSignature, 8) != 0)
    return all_zero(chunk) ? Result::kEmpty : Result::kBadSignature;
  if (chunk.size() < kChunkHeaderSize) {
    ctx.error(where + ": truncated: the file ends " + std::to_string(chunk.size()) +
              " bytes into the chunk, inside its header; skipped");
    return Result::kSkipped;
  }
  if (chunk.size() < kChunkSize)
    ctx.error(where + ": truncated: the file ends " + std::to_string(chunk.size()) + " of " +
              std::to_string(kChunkSize) + " bytes into the chunk; reading the records that are there");

  const std::uint8_t* h = chunk.data();
  const std::uint32_t free_space = load_u32(h + 48);
  const std::uint32_t records_crc = load_u32(h + 52);
  const std::uint32_t flags = load_u32(h + 120);
  const std::uint32_t header_crc = load_u32(h + 124);
  // Format 3.2 may leave the checksums out (flag 0x4, CRCs stored as 0); a flag alone, with checksums
  // stored, does not switch checking off.
  const bool without =
      (ctx.file_without_checksums || (flags & kNoCrc32Flag)) && header_crc == 0 && records_crc == 0;
  const bool check = ctx.options.verify_checksums && !without;

  if (check) {
    std::uint32_t computed = crc32(chunk.subspan(128, kChunkHeaderSize - 128), crc32(chunk.first(120)));
    if (computed != header_crc) {
      ++ctx.counters.checksum_errors;
      ctx.error(where + ": chunk header CRC32 mismatch (stored " + hex_offset(header_crc) + ", computed " +
                hex_offset(computed) + "); reading it anyway");
    }
  }
  if (free_space < kChunkHeaderSize || free_space > kChunkSize) {
    ctx.error(where + ": broken chunk header: free space offset " + hex_offset(free_space) + " is outside " +
              hex_offset(kChunkHeaderSize) + ".." + hex_offset(kChunkSize) + "; skipped");
    return Result::kSkipped;
  }
  const std::size_t end = std::min<std::size_t>(free_space, chunk.size());
  if (check && free_space <= chunk.size()) {
    std::uint32_t computed = crc32(chunk.subspan(kChunkHeaderSize, free_space - kChunkHeaderSize));
    if (computed != records_crc) {
      ++ctx.counters.checksum_errors;
      ctx.error(where + ": event records CRC32 mismatch (stored " + hex_offset(records_crc) + ", computed " +
                hex_offset(computed) + ")");
    }
  }

  decoder_.reset(chunk);
  // Where the records area turns to zeros for good (archived logs pad the rest of the chunk with them).
  std::size_t zeros_from = end;
  while (zeros_from > kChunkHeaderSize && chunk[zeros_from - 1] == 0) --zeros_from;
  bool resynced = false;
  std::size_t offset = kChunkHeaderSize;
  while (offset + kRecordHeaderSize <= end) {
    std::string problem = record_problem(chunk, offset, end);
    if (problem.empty()) {
      std::uint32_t size = load_u32(chunk.data() + offset + 4);
      ++ctx.counters.records;
      if (resynced) ++ctx.counters.records_after_resync;
      read_record(chunk, offset, size, where, ctx);
      offset += size;
      continue;
    }
    if (offset >= zeros_from) break;  // zeros up to the free space offset: the records end early
    // Look for the next record: 8-byte aligned, signature, and a size that its copy confirms.
    ++ctx.counters.records_bad;
    ++ctx.record_ordinal;
    std::size_t next = offset + 8 - (offset % 8);
    while (next + kRecordHeaderSize <= end && !record_problem(chunk, next, end).empty()) next += 8;
    std::string message = where + ", record at chunk offset " + hex_offset(offset) + ": " + problem;
    if (next + kRecordHeaderSize <= end) {
      message += "; skipped " + std::to_string(next - offset) + " bytes to the next record at chunk offset " +
                 hex_offset(next);
      resynced = true;
    } else {
      message += "; no further record before the free space offset " + hex_offset(free_space);
    }
    ctx.error(std::move(message));
    offset = next;
  }
  return Result::kRead;
}

void ChunkReader::read_record(std::span<const std::uint8_t> chunk, std::size_t offset, std::uint32_t size,
                              const std::string& where, ChunkContext& ctx) {
  const std::uint64_t record_id = load_u64(chunk.data() + offset + 8);
  const std::uint64_t ordinal = ++ctx.record_ordinal;
  auto failed = [&](const std::string& what) {
    ++ctx.counters.records_bad;
    ctx.error(where + ", record " + std::to_string(record_id) + " at chunk offset " + hex_offset(offset) +
              ": " + what);
  };
  builder_.reset(record_id);
  DecodeError decode_error;
  if (!decoder_.decode(offset + kRecordHeaderSize, offset + size - 4, builder_, decode_error)) {
    failed(decode_error.message + " (chunk offset " + hex_offset(decode_error.offset) + ")");
    return;
  }
  Event event;
  std::string problem;
  if (!builder_.finish(event, problem)) {
    failed(problem);
    return;
  }
  if (ctx.options.since && (!event.time_created || *event.time_created < *ctx.options.since)) {
    ++ctx.counters.records_filtered;
    return;
  }
  event.source = ctx.source;
  event.source_line = ordinal;
  ++ctx.stats.events;
  ctx.on_event(std::move(event));
}

}  // namespace rdpmend::events::evtx
