#pragma once
// One Windows event channel followed live (EvtSubscribe in pull mode, bookmarks; see the .cpp).

#include <memory>

#include <boost/asio/io_context.hpp>

#include "agent/event_channels.h"
#include "agent/event_source.h"

namespace rdpmend::agent {

std::unique_ptr<EventSource> make_event_channel_source(boost::asio::io_context& io, WatchedChannel channel);

}  // namespace rdpmend::agent
