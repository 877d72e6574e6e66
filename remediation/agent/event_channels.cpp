#include "agent/event_channels.h"

#include <map>

#include <nlohmann/json.hpp>

#include "catalog/detection_catalog_data.h"

namespace rdpmend::agent {
namespace {

// Client-side and audit channels: not where a host's listener failures are logged.
bool host_channel(const std::string& channel) {
  return channel != "Security" && channel.find("RDPClient") == std::string::npos && channel != "xrdp";
}

}  // namespace

std::string provider_xpath(const std::set<std::string>& providers) {
  std::string terms;
  for (const auto& p : providers) {
    if (p.find('\'') != std::string::npos) continue;
    if (!terms.empty()) terms += " or ";
    terms += "@Name='" + p + "' or @EventSourceName='" + p + "'";
  }
  return terms.empty() ? "*" : "*[System[Provider[" + terms + "]]]";
}

std::vector<WatchedChannel> windows_watched_channels() {
  // The raw catalog keeps the providers' spelling (the parsed one lower-cases them for matching).
  auto catalog = nlohmann::json::parse(catalog_data::detection_json());
  std::map<std::string, std::set<std::string>> providers;  // channel -> providers
  for (const auto& rule : catalog.at("rules"))
    for (const auto& channel : rule.value("channels", nlohmann::json::array())) {
      auto& set = providers[channel.get<std::string>()];
      for (const auto& p : rule.value("providers", nlohmann::json::array())) set.insert(p.get<std::string>());
    }
  std::vector<WatchedChannel> watched;
  for (const auto& [channel, names] : providers) {
    if (!host_channel(channel)) continue;
    // Only System is busy enough to need the provider filter; the RDP channels are read whole.
    watched.push_back({channel, channel == "System" ? provider_xpath(names) : "*"});
  }
  return watched;
}

}  // namespace rdpmend::agent
