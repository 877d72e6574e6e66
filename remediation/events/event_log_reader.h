#pragma once
// Port: reads events from the operating system's event log, a live channel or an .evtx file, and hands
// each one to the same parser as exported XML. Reads only; never clears or changes a log.
// windows/: EvtQuery + EvtRender. linux/: not available (says so; xrdp's log is read by xrdp_log.h).
// .evtx files are normally read on every OS by the built-in reader (evtx/evtx_file.h); read_evtx_file here is
// the Windows API alternative (`scan --evtx-api`).

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "events/event_xml.h"

namespace rdpmend::events {

class EventLogReader {
 public:
  virtual ~EventLogReader() = default;

  // False where this platform has no Windows event log API.
  virtual bool available() const = 0;

  // Events of a channel (e.g. "System"), oldest first; only those newer than `since` ago if given.
  virtual ReadStats read_channel(const std::string& channel, std::optional<std::chrono::seconds> since,
                                 const EventCallback& on_event, const ErrorCallback& on_error) = 0;

  // Events of an .evtx file.
  virtual ReadStats read_evtx_file(const std::filesystem::path& path,
                                   std::optional<std::chrono::seconds> since, const EventCallback& on_event,
                                   const ErrorCallback& on_error) = 0;
};

std::unique_ptr<EventLogReader> make_event_log_reader();

// The XPath filter EvtQuery gets: everything, or the events of the last `since`.
std::string event_query_xpath(std::optional<std::chrono::seconds> since);

}  // namespace rdpmend::events
