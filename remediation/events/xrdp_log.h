#pragma once
// xrdp's log file as events: "[20261123-19:44:42] [ERROR] Cannot read private key file ..." becomes an
// event on channel "xrdp", provider "xrdp", with the level and the text as @message. xrdp writes local
// time; it is converted to UTC with this machine's time zone.

#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "events/event.h"
#include "events/event_xml.h"

namespace rdpmend::events {

inline constexpr std::string_view kXrdpChannel = "xrdp";

// One line -> event; nullopt when the line is not in xrdp's format.
std::optional<Event> parse_xrdp_log_line(std::string_view line);

ReadStats read_xrdp_log(std::istream& in, const std::string& source, const EventCallback& on_event,
                        const ErrorCallback& on_error);
ReadStats read_xrdp_log_file(const std::filesystem::path& path, const EventCallback& on_event,
                             const ErrorCallback& on_error);

}  // namespace rdpmend::events
