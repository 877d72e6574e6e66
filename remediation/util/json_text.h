#pragma once
// JSON as text, for every JSON document rdpmend prints, stores or re-reads. Event text, file names and host
// values are outside text and may hold bytes that are not UTF-8; nlohmann's dump() throws on those, so
// nothing dumps directly: here each invalid sequence becomes U+FFFD and the rest is kept.

#include <string>

#include <nlohmann/json.hpp>

namespace rdpmend::util {

// indent < 0: one line; otherwise pretty-printed with that many spaces. Never throws on text content.
std::string json_text(const nlohmann::json& value, int indent = -1);
std::string json_text(const nlohmann::ordered_json& value, int indent = -1);

}  // namespace rdpmend::util
