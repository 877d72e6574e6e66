#include "agent/event_channels.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "catalog/detection_catalog_data.h"
#include "events/catalog.h"

namespace rdpmend::agent {

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
  const auto& watch = events::default_catalog().watch;
  auto listed = [](const std::vector<std::string>& list, const std::string& channel) {
    return std::find(list.begin(), list.end(), channel) != list.end();
  };
  std::vector<WatchedChannel> watched;
  for (const auto& [channel, names] : providers) {
    if (listed(watch.not_watched, channel)) continue;
    watched.push_back({channel, listed(watch.by_provider, channel) ? provider_xpath(names) : "*"});
  }
  return watched;
}

}  // namespace rdpmend::agent
