#pragma once
// xrdp's log followed like `tail -F`: inotify on the log's folder wakes the reader (a slow poll backs it up),
// complete lines become events, a rotated file is read to its end before the new one is opened, a truncated
// file is read again from the start. The bookmark is "<inode>:<offset>" after the line.

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "agent/event_source.h"

namespace rdpmend::agent {

std::unique_ptr<EventSource> make_xrdp_log_source(boost::asio::io_context& io, const std::string& path);

}  // namespace rdpmend::agent
