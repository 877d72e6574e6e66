#pragma once
// Reads exported Windows events: `wevtutil qe /f:xml` (several <Event> with no root), Event Viewer
// "Save as XML" (<Events> root), one event per file, in UTF-8 or UTF-16. The file is streamed and cut
// into single <Event> elements, each parsed on its own, so memory stays bounded by the largest allowed
// event and a bad event costs only itself: its error names the file, line and column, and reading goes on.
// Each element is parsed by parse_event_element (event_element.h).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <string_view>

#include "common/result.h"
#include "events/event.h"

namespace rdpmend::events {

enum class ReadErrorKind { kInput, kAccessDenied, kUnsupported };

struct ReadError {
  std::string file;
  std::uint64_t line = 0;  // 1-based; 0 when the error concerns the whole file
  std::uint64_t column = 0;
  std::string message;
  ReadErrorKind kind = ReadErrorKind::kInput;

  std::string text() const;
};

struct XmlReadOptions {
  // Windows caps an event record at 64 KiB of payload; rendered XML with escaping stays well below this.
  std::size_t max_event_bytes = 1024 * 1024;
};

struct ReadStats {
  std::uint64_t events = 0;
  std::uint64_t errors = 0;
};

using EventCallback = std::function<void(Event&&)>;
using ErrorCallback = std::function<void(ReadError&&)>;

ReadStats read_event_xml(std::istream& in, const std::string& source, const EventCallback& on_event,
                         const ErrorCallback& on_error, const XmlReadOptions& options = {});

ReadStats read_event_xml_file(const std::filesystem::path& path, const EventCallback& on_event,
                              const ErrorCallback& on_error, const XmlReadOptions& options = {});

}  // namespace rdpmend::events
