#pragma once
// JSON documents that are configuration (the detection and diagnosis catalogs), read strictly: an unknown key
// or a value of the wrong type is an error, never ignored. Readers throw JsonFailure naming the path of the
// value at fault ("rules[3].where[0]") and what is wrong; read_strict_json catches it and returns an Error,
// so nothing is thrown past it.

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace rdpmend::util {

struct JsonFailure {
  std::string where;
  std::string message;
};

// `where` for the item at `index` of the list under `key`: "rules[3]" or, inside "rules[3]",
// "rules[3].where[0]".
std::string json_item_path(const std::string& where, std::string_view key, std::size_t index);

// `object` is an object whose keys are all in `allowed`.
void check_keys(const nlohmann::json& object, const std::string& where, std::span<const char* const> allowed);
void check_keys(const nlohmann::json& object, const std::string& where,
                std::initializer_list<const char*> allowed);

// The document's format version is `version`.
void check_version(const nlohmann::json& root, const std::string& where, int version);

// A string that must be there.
std::string string_at(const nlohmann::json& object, const char* key, const std::string& where);
// A string that may be left out: empty then.
std::string optional_string_at(const nlohmann::json& object, const char* key, const std::string& where);
// A list of strings that may be left out: empty then.
std::vector<std::string> strings_at(const nlohmann::json& object, const char* key, const std::string& where);

// A list that must be there, or may be left out (nullptr then). `items` names what it holds in the error
// ("conditions": "'where' must be a list of conditions"); empty: "'rules' must be a list".
const nlohmann::json& list_at(const nlohmann::json& object, const char* key, const std::string& where,
                              std::string_view items = {});
const nlohmann::json* optional_list_at(const nlohmann::json& object, const char* key,
                                       const std::string& where, std::string_view items = {});

// Parses `text` and hands the document to `read` (which throws JsonFailure); every failure is an Error
// {what, origin, "<where>: <message>"}.
template <typename T, typename Read>
Result<T> read_strict_json(std::string_view text, const std::string& what, const std::string& origin,
                           Read&& read) {
  auto root = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Error{what, origin, "not valid JSON"};
  try {
    return read(root);
  } catch (const JsonFailure& failure) {
    return Error{what, origin, failure.where + ": " + failure.message};
  }
}

}  // namespace rdpmend::util
