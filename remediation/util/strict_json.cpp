#include "util/strict_json.h"

#include <algorithm>

namespace rdpmend::util {
namespace {

std::string in_quotes(std::string_view key) {
  return "'" + std::string(key) + "'";
}

std::string list_message(const char* key, std::string_view items) {
  return in_quotes(key) + " must be a list" + (items.empty() ? "" : " of " + std::string(items));
}

}  // namespace

std::string json_item_path(const std::string& where, std::string_view key, std::size_t index) {
  std::string path = where.empty() ? std::string(key) : where + "." + std::string(key);
  return path + "[" + std::to_string(index) + "]";
}

void check_keys(const nlohmann::json& object, const std::string& where,
                std::span<const char* const> allowed) {
  if (!object.is_object()) throw JsonFailure{where, "must be an object"};
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
      throw JsonFailure{where, "unknown key " + in_quotes(key)};
  }
}

void check_keys(const nlohmann::json& object, const std::string& where,
                std::initializer_list<const char*> allowed) {
  check_keys(object, where, std::span<const char* const>(allowed.begin(), allowed.size()));
}

void check_version(const nlohmann::json& root, const std::string& where, int version) {
  auto it = root.find("version");
  if (it == root.end() || *it != version)
    throw JsonFailure{where, "'version' must be " + std::to_string(version)};
}

std::string string_at(const nlohmann::json& object, const char* key, const std::string& where) {
  if (!object.contains(key)) throw JsonFailure{where, "missing " + in_quotes(key)};
  return optional_string_at(object, key, where);
}

std::string optional_string_at(const nlohmann::json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) return {};
  if (!it->is_string()) throw JsonFailure{where, in_quotes(key) + " must be a string"};
  return it->get<std::string>();
}

std::vector<std::string> strings_at(const nlohmann::json& object, const char* key, const std::string& where) {
  std::vector<std::string> out;
  const auto* list = optional_list_at(object, key, where, "strings");
  if (!list) return out;
  for (const auto& v : *list) {
    if (!v.is_string()) throw JsonFailure{where, list_message(key, "strings")};
    out.push_back(v.get<std::string>());
  }
  return out;
}

const nlohmann::json& list_at(const nlohmann::json& object, const char* key, const std::string& where,
                              std::string_view items) {
  const auto* list = optional_list_at(object, key, where, items);
  if (!list) throw JsonFailure{where, list_message(key, items)};
  return *list;
}

const nlohmann::json* optional_list_at(const nlohmann::json& object, const char* key,
                                       const std::string& where, std::string_view items) {
  auto it = object.find(key);
  if (it == object.end()) return nullptr;
  if (!it->is_array()) throw JsonFailure{where, list_message(key, items)};
  return &*it;
}

}  // namespace rdpmend::util
