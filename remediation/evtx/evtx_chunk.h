#pragma once
// One .evtx chunk (64 KiB): its header (signature, record numbers and ids, free space offset, the
// header and records CRC-32s, the common-string and template tables), its records (signature 0x2a2a, size,
// record id, written time, BinXML, size again) and, through ChunkDecoder, the chunk's name and template
// caches. A bad record is reported and the chunk is searched for the next good one (8-byte aligned, sizes
// consistent); bytes after the free space offset (slack) are not read.

#include <cstdint>
#include <span>
#include <string>

#include "evtx/binxml.h"
#include "evtx/event_builder.h"
#include "evtx/evtx_file.h"

namespace rdpmend::events::evtx {

inline constexpr std::size_t kFileHeaderSize = 4096;
inline constexpr std::size_t kChunkSize = 65536;
inline constexpr std::size_t kChunkHeaderSize = 512;
inline constexpr std::uint32_t kNoCrc32Flag = 0x4;  // file and chunk flag: checksums not computed (3.2)

// What a chunk reports into: the file's callbacks, options and counts.
struct ChunkContext {
  const std::string& source;
  const EventCallback& on_event;
  const ErrorCallback& on_error;
  const EvtxReadOptions& options;
  ReadStats& stats;
  EvtxCounters& counters;
  bool file_without_checksums = false;  // the file header's no-CRC32 flag
  std::uint64_t record_ordinal = 0;     // records met so far in the file

  void error(std::string message);
};

class ChunkReader {
 public:
  enum class Result { kRead, kEmpty, kBadSignature, kSkipped };

  // `chunk` is 64 KiB, or less when the file ends inside it.
  Result read(std::span<const std::uint8_t> chunk, std::uint64_t index, std::uint64_t file_offset,
              ChunkContext& ctx);

  // Not a chunk and not preallocated (all-zero) space.
  static bool bad_signature(std::span<const std::uint8_t> chunk);

 private:
  void read_record(std::span<const std::uint8_t> chunk, std::size_t offset, std::uint32_t size,
                   const std::string& where, ChunkContext& ctx);

  ChunkDecoder decoder_;
  EventBuilder builder_;
};

// "0x1a2b"
std::string hex_offset(std::uint64_t value);

}  // namespace rdpmend::events::evtx
