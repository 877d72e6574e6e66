#include "events/event_log_reader.h"

namespace rdpmend::events {
namespace {

class UnavailableEventLogReader final : public EventLogReader {
 public:
  bool available() const override { return false; }

  ReadStats read_channel(const std::string& channel, std::optional<std::chrono::seconds>,
                         const EventCallback&, const ErrorCallback& on_error) override {
    on_error(ReadError{channel, 0, 0, "reading a live event channel needs Windows (EvtQuery)",
                       ReadErrorKind::kUnsupported});
    return {0, 1};
  }

  ReadStats read_evtx_file(const std::filesystem::path& path, std::optional<std::chrono::seconds>,
                           const EventCallback&, const ErrorCallback& on_error) override {
    on_error(ReadError{path.string(), 0, 0,
                       "reading .evtx files through the Windows event log API (EvtQuery) needs Windows; the "
                       "built-in reader (read_evtx_file) works everywhere",
                       ReadErrorKind::kUnsupported});
    return {0, 1};
  }
};

}  // namespace

std::unique_ptr<EventLogReader> make_event_log_reader() {
  return std::make_unique<UnavailableEventLogReader>();
}

}  // namespace rdpmend::events
