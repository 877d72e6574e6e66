#include "agent/event_source.h"

namespace rdpmend::agent {

// Live Windows channels (EvtSubscribe in pull mode with bookmarks) are not built yet: on Windows the agent
// runs its periodic health checks only, and says so at start.
std::vector<std::unique_ptr<EventSource>> make_event_sources(boost::asio::io_context&,
                                                             const EventSourceConfig&) {
  return {};
}

}  // namespace rdpmend::agent
