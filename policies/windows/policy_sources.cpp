// Windows: local settings in HKLM\SOFTWARE\RdpMend, Group Policy in HKLM\SOFTWARE\Policies\RdpMend (both
// configurable, for tests). Values are read as stored: REG_DWORD as an integer, REG_SZ as text, any other
// type as unsupported (build_policy() then ignores it with a warning). Keys are opened read-only, 64-bit
// view.
#include <windows.h>

#include <cctype>
#include <cstring>
#include <vector>

#include "ascii_case.h"
#include "policy_sources.h"

namespace rdpmend::policy {
namespace {

class KeyCloser {
 public:
  explicit KeyCloser(HKEY key) : key_(key) {}
  KeyCloser(const KeyCloser&) = delete;
  KeyCloser& operator=(const KeyCloser&) = delete;
  ~KeyCloser() { RegCloseKey(key_); }

 private:
  HKEY key_;
};

std::wstring widen(std::string_view text) {
  if (text.empty()) return {};
  int n = MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), n);
  return out;
}

std::string narrow(std::wstring_view text) {
  if (text.empty()) return {};
  int n = WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0, nullptr,
                              nullptr);
  std::string out(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), n, nullptr,
                      nullptr);
  return out;
}

std::string system_message(LSTATUS status) {
  wchar_t* buffer = nullptr;
  DWORD n = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
      static_cast<DWORD>(status), 0, reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
  std::string text = n && buffer ? narrow(std::wstring_view(buffer, n)) : std::string();
  if (buffer) LocalFree(buffer);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text + " (" + std::to_string(status) + ")";
}

// "HKLM\SOFTWARE\X", "HKEY_CURRENT_USER\Software\X": the hive and the path below it.
bool split_key(std::string_view text, HKEY& hive, std::wstring& path) {
  auto slash = text.find('\\');
  if (slash == std::string_view::npos || slash + 1 >= text.size()) return false;
  auto first = text.substr(0, slash);
  if (iequals(first, "HKLM") || iequals(first, "HKEY_LOCAL_MACHINE"))
    hive = HKEY_LOCAL_MACHINE;
  else if (iequals(first, "HKCU") || iequals(first, "HKEY_CURRENT_USER"))
    hive = HKEY_CURRENT_USER;
  else
    return false;
  path = widen(text.substr(slash + 1));
  return true;
}

// Registry value names are case-insensitive: "mode" is Mode.
std::string canonical_name(const std::string& name) {
  for (const auto& s : policy_table())
    if (iequals(s.name, name)) return std::string(s.name);
  return name;
}

std::string type_name(DWORD type) {
  switch (type) {
    case REG_EXPAND_SZ:
      return "REG_EXPAND_SZ";
    case REG_BINARY:
      return "REG_BINARY";
    case REG_MULTI_SZ:
      return "REG_MULTI_SZ";
    case REG_QWORD:
      return "REG_QWORD";
    case REG_NONE:
      return "REG_NONE";
    default:
      return "registry type " + std::to_string(type);
  }
}

RawValue raw_from_data(DWORD type, const std::vector<BYTE>& data, DWORD size) {
  if (type == REG_DWORD) {
    if (size != sizeof(DWORD)) return Unsupported{"REG_DWORD of " + std::to_string(size) + " bytes"};
    DWORD value = 0;
    memcpy(&value, data.data(), sizeof value);
    return static_cast<std::int64_t>(value);
  }
  if (type == REG_SZ) {
    std::wstring text(reinterpret_cast<const wchar_t*>(data.data()), size / sizeof(wchar_t));
    while (!text.empty() && text.back() == L'\0') text.pop_back();
    return narrow(text);
  }
  return Unsupported{type_name(type)};
}

// The values of `key_text`; none when the key does not exist; an error when it cannot be read.
void read_key(const std::string& key_text, Layer layer, SourcesRead& read) {
  HKEY hive = nullptr;
  std::wstring path;
  if (!split_key(key_text, hive, path)) {
    read.errors.push_back({"read policy", key_text, "not a registry key (HKLM\\... or HKCU\\...)"});
    return;
  }
  HKEY key = nullptr;
  LSTATUS status = RegOpenKeyExW(hive, path.c_str(), 0, KEY_READ | KEY_WOW64_64KEY, &key);
  if (status == ERROR_FILE_NOT_FOUND) return;  // not configured
  if (status != ERROR_SUCCESS) {
    read.errors.push_back({"read policy", key_text, system_message(status)});
    return;
  }
  KeyCloser closer(key);
  DWORD max_name = 0;
  DWORD max_data = 0;
  status = RegQueryInfoKeyW(key, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, &max_name,
                            &max_data, nullptr, nullptr);
  if (status != ERROR_SUCCESS) {
    read.errors.push_back({"read policy", key_text, system_message(status)});
    return;
  }
  SourceValues source;
  source.layer = layer;
  source.origin = key_text;
  std::vector<wchar_t> name(max_name + 1);
  std::vector<BYTE> data(max_data + sizeof(wchar_t));
  for (DWORD index = 0;; ++index) {
    DWORD name_size = static_cast<DWORD>(name.size());
    DWORD data_size = static_cast<DWORD>(data.size());
    DWORD type = 0;
    status = RegEnumValueW(key, index, name.data(), &name_size, nullptr, &type, data.data(), &data_size);
    if (status == ERROR_NO_MORE_ITEMS) break;
    if (status != ERROR_SUCCESS) {
      read.errors.push_back({"read policy", key_text, system_message(status)});
      return;
    }
    std::string value_name = narrow(std::wstring_view(name.data(), name_size));
    if (value_name.empty()) continue;  // the key's default value carries no setting
    source.values[canonical_name(value_name)] = raw_from_data(type, data, data_size);
  }
  read.sources.push_back(std::move(source));
}

}  // namespace

SourcesRead read_policy_sources(const SourceOptions& options) {
  SourcesRead read;
  read_key(options.local_key, Layer::kLocal, read);
  read_key(options.group_policy_key, Layer::kGroupPolicy, read);
  return read;
}

}  // namespace rdpmend::policy
