#pragma once
// Reads Windows event log files (.evtx) on any OS, straight from their binary form into the same Event
// model as exported XML (event_xml.h), with the same callbacks and counts; no Windows API, no XML.
//
// A forensic reader: a file header or chunk checksum that does not match is reported and reading goes on;
// a dirty file is read past its header's chunk count to the end (every 64 KiB chunk whose signature is
// right); a chunk with a bad signature or a broken header is skipped with an error naming it; a bad record
// is skipped with an error naming its chunk and offset, and reading resumes at the next record found in the
// chunk. All-zero chunks (preallocated space) are skipped silently. Memory is bounded by the chunk size:
// the file is read one 64 KiB chunk at a time and each chunk's name and template caches are dropped with it.
//
// Events come in file order (a circular log's chunks are not in time order). Event::source is the file
// path; Event::source_line is the record's position in the file, counting from 1 in file order, so an
// error and an event can be found again; the record's EventRecordID is Event::record_id.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "events/event.h"
#include "events/event_xml.h"

namespace rdpmend::events {

// What the reader met, beyond the events and errors it reported.
struct EvtxCounters {
  std::uint64_t chunks = 0;                // chunks read (signature right)
  std::uint64_t chunks_empty = 0;          // all-zero chunks, skipped silently
  std::uint64_t chunks_skipped = 0;        // bad signature or broken header
  std::uint64_t chunks_past_header = 0;    // read although past the header's chunk count (dirty file)
  std::uint64_t records = 0;               // records found (signature and sizes right)
  std::uint64_t records_bad = 0;           // records reported and skipped
  std::uint64_t records_after_resync = 0;  // good records read after skipping a bad stretch of a chunk
  std::uint64_t records_filtered = 0;      // older than `since`
  std::uint64_t checksum_errors = 0;
  std::uint16_t header_chunk_count = 0;
  bool dirty = false;  // the header's dirty flag (the log was not closed cleanly)
  bool full = false;
};

struct EvtxReadOptions {
  std::optional<TimePoint> since;    // only events whose TimeCreated is at or after this
  bool verify_checksums = true;      // CRC-32 of the file header, chunk headers and chunk records
  EvtxCounters* counters = nullptr;  // filled in when given
};

// `bytes` is a whole file held by the caller (chunks are read in place).
ReadStats read_evtx(std::span<const std::uint8_t> bytes, const std::string& source,
                    const EventCallback& on_event, const ErrorCallback& on_error,
                    const EvtxReadOptions& options = {});

ReadStats read_evtx_file(const std::filesystem::path& path, const EventCallback& on_event,
                         const ErrorCallback& on_error, const EvtxReadOptions& options = {});

}  // namespace rdpmend::events
