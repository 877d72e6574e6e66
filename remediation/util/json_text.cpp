#include "util/json_text.h"

namespace rdpmend::util {
namespace {

template <typename Json>
std::string dump_replacing_invalid_utf8(const Json& value, int indent) {
  // ensure_ascii = false: valid UTF-8 stays as it is, readable in the output.
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string json_text(const nlohmann::json& value, int indent) {
  return dump_replacing_invalid_utf8(value, indent);
}

std::string json_text(const nlohmann::ordered_json& value, int indent) {
  return dump_replacing_invalid_utf8(value, indent);
}

}  // namespace rdpmend::util
