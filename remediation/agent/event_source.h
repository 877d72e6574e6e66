#pragma once
// A live source of events for the agent: xrdp's log followed through inotify (linux/), the Windows event
// channels (windows/). Events arrive on the agent's io_context, each with the bookmark that resumes just
// after it; the agent stores bookmarks in the journal only together with what it decided from the events.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "events/event.h"

namespace rdpmend::agent {

struct SourcedEvent {
  events::Event event;
  std::string channel;   // the bookmark's key, e.g. "xrdp:/var/log/xrdp.log"
  std::string bookmark;  // resumes after this event
};

// Where a source delivers. `progress`: the source read up to `bookmark` (lines that are no events, or its
// starting point), so the position is kept even when nothing happens. `error`: a problem the source survives
// (a missing file, a rotation); it keeps trying.
// `gap`: events may have been missed (a bookmark no longer valid after the log was cleared or wrapped).
struct EventSink {
  std::function<void(SourcedEvent&&)> event;
  std::function<void(const std::string& bookmark)> progress;
  std::function<void(const std::string&)> error;
  std::function<void(const std::string&)> gap;
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  virtual std::string channel() const = 0;
  // Starts delivering events after `bookmark` (empty: from now on).
  virtual void start(const std::string& bookmark, EventSink sink) = 0;
  virtual void stop() = 0;
};

struct EventSourceConfig {
  std::string xrdp_log = "/var/log/xrdp.log";
};

// This machine's sources (linux/: xrdp's log; windows/: the channels of agent/event_channels.h).
std::vector<std::unique_ptr<EventSource>> make_event_sources(boost::asio::io_context& io,
                                                             const EventSourceConfig& config);

}  // namespace rdpmend::agent
