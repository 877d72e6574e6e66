#include "events/event_log_reader.h"

#include <windows.h>
#include <winevt.h>

#include <vector>

#include "events/event_element.h"
#include "platform/windows/evt.h"
#include "platform/windows/win_text.h"

namespace rdpmend::events {
namespace {

constexpr DWORD kBatchSize = 64;
constexpr DWORD kNextTimeoutMs = 10'000;

// The last error is cleared before each wevtapi call: Wine's stubs return NULL/FALSE without setting it, and
// a stale code from an earlier call would then be reported as the reason.
ReadErrorKind kind_of(DWORD code) {
  if (code == ERROR_ACCESS_DENIED) return ReadErrorKind::kAccessDenied;
  if (code == ERROR_SUCCESS) return ReadErrorKind::kUnsupported;
  return ReadErrorKind::kInput;
}

std::string failure_text(const char* call, DWORD code) {
  if (code == ERROR_SUCCESS)
    return std::string(call) + " failed without an error code (the event log API is not implemented here)";
  return std::string(call) + " failed: " + win::error_text(code);
}

ReadStats run_query(const std::string& source, const std::wstring& path, DWORD flags,
                    std::optional<std::chrono::seconds> since, const EventCallback& on_event,
                    const ErrorCallback& on_error) {
  ReadStats stats;
  std::wstring xpath = win::widen(event_query_xpath(since));
  SetLastError(ERROR_SUCCESS);
  win::UniqueEvt query(EvtQuery(nullptr, path.c_str(), xpath.c_str(), flags | EvtQueryForwardDirection));
  if (!query) {
    DWORD code = GetLastError();
    on_error(ReadError{source, 0, 0, failure_text("EvtQuery", code), kind_of(code)});
    return {0, 1};
  }
  EVT_HANDLE batch[kBatchSize];
  DWORD returned = 0;
  for (;;) {
    SetLastError(ERROR_SUCCESS);
    if (!EvtNext(query.get(), kBatchSize, batch, kNextTimeoutMs, 0, &returned)) break;
    std::vector<win::UniqueEvt> owned;
    for (DWORD i = 0; i < returned; ++i) owned.emplace_back(batch[i]);
    for (auto& event : owned) {
      DWORD error = 0;
      auto xml = win::render_xml(event.get(), EvtRenderEventXml, error);
      if (!xml) {
        ++stats.errors;
        on_error(ReadError{source, 0, 0, failure_text("EvtRender", error), kind_of(error)});
        continue;
      }
      auto parsed = parse_event_element(win::narrow(*xml));
      if (auto* ev = std::get_if<Event>(&parsed)) {
        ev->source = source;
        ++stats.events;
        on_event(std::move(*ev));
      } else {
        ++stats.errors;
        on_error(ReadError{source, 0, 0, "rendered event: " + std::get<FragmentError>(parsed).message});
      }
    }
  }
  DWORD code = GetLastError();
  if (code != ERROR_NO_MORE_ITEMS) {
    ++stats.errors;
    on_error(ReadError{source, 0, 0, failure_text("EvtNext", code), kind_of(code)});
  }
  return stats;
}

class WindowsEventLogReader final : public EventLogReader {
 public:
  bool available() const override { return true; }

  ReadStats read_channel(const std::string& channel, std::optional<std::chrono::seconds> since,
                         const EventCallback& on_event, const ErrorCallback& on_error) override {
    return run_query(channel, win::widen(channel), EvtQueryChannelPath, since, on_event, on_error);
  }

  ReadStats read_evtx_file(const std::filesystem::path& path, std::optional<std::chrono::seconds> since,
                           const EventCallback& on_event, const ErrorCallback& on_error) override {
    // Named in UTF-8 whatever the path holds (path::string() may throw for names outside the ANSI code page).
    return run_query(win::narrow(path.wstring()), path.wstring(), EvtQueryFilePath, since, on_event,
                     on_error);
  }
};

}  // namespace

std::unique_ptr<EventLogReader> make_event_log_reader() {
  return std::make_unique<WindowsEventLogReader>();
}

}  // namespace rdpmend::events
