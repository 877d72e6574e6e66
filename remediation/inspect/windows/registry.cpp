#include "inspect/windows/registry.h"

#include <algorithm>
#include <cctype>

#include "platform/windows/win_text.h"

namespace rdpmend::inspect::windows {
namespace {

struct Hive {
  const char* name;
  const char* short_name;
  HKEY key;
};

const Hive kHives[] = {
    {"HKEY_LOCAL_MACHINE", "HKLM", HKEY_LOCAL_MACHINE},
    {"HKEY_CURRENT_USER", "HKCU", HKEY_CURRENT_USER},
    {"HKEY_USERS", "HKU", HKEY_USERS},
    {"HKEY_CLASSES_ROOT", "HKCR", HKEY_CLASSES_ROOT},
};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

std::string value_text(const RegistryLocation& location, const wchar_t* name) {
  return location.text() + "\\" + (name && *name ? win::narrow(name) : std::string("(Default)"));
}

}  // namespace

std::string RegistryLocation::text() const {
  std::string hive_name = "?";
  for (const auto& h : kHives)
    if (h.key == hive) hive_name = h.short_name;
  return path.empty() ? hive_name : hive_name + "\\" + win::narrow(path);
}

RegistryLocation RegistryLocation::child(std::wstring_view sub) const {
  RegistryLocation out = *this;
  if (!out.path.empty() && !sub.empty()) out.path += L'\\';
  out.path += sub;
  return out;
}

RegistryLocation RegistryLocation::parent() const {
  RegistryLocation out = *this;
  auto slash = out.path.find_last_of(L'\\');
  out.path = slash == std::wstring::npos ? std::wstring() : out.path.substr(0, slash);
  return out;
}

Result<RegistryLocation> parse_registry_location(std::string_view text) {
  std::string_view rest = text;
  while (!rest.empty() && rest.back() == '\\') rest.remove_suffix(1);
  RegistryLocation location;
  auto slash = rest.find('\\');
  std::string_view first = rest.substr(0, slash);
  bool has_hive = false;
  for (const auto& h : kHives) {
    if (equals_ignoring_case(first, h.name) || equals_ignoring_case(first, h.short_name)) {
      location.hive = h.key;
      has_hive = true;
    }
  }
  if (has_hive) rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  if (rest.empty()) return Error{"read registry location", std::string(text), "no key path below the hive"};
  if (rest.front() == '\\' || rest.find("\\\\") != std::string_view::npos)
    return Error{"read registry location", std::string(text), "empty key name in the path"};
  location.path = win::widen(rest);
  return location;
}

UniqueHkey& UniqueHkey::operator=(UniqueHkey&& other) noexcept {
  if (this != &other) {
    if (key_) RegCloseKey(key_);
    key_ = other.key_;
    other.key_ = nullptr;
  }
  return *this;
}

UniqueHkey::~UniqueHkey() {
  if (key_) RegCloseKey(key_);
}

Result<std::optional<UniqueHkey>> open_registry_key(const RegistryLocation& location) {
  HKEY key = nullptr;
  LSTATUS rc = RegOpenKeyExW(location.hive, location.path.c_str(), 0, KEY_READ | KEY_WOW64_64KEY, &key);
  if (rc == ERROR_FILE_NOT_FOUND || rc == ERROR_PATH_NOT_FOUND) return std::optional<UniqueHkey>();
  if (rc != ERROR_SUCCESS)
    return Error{"open registry key", location.text(), win::error_text(static_cast<DWORD>(rc))};
  return std::optional<UniqueHkey>(UniqueHkey(key));
}

Result<std::optional<RegistryValue>> read_registry_value(const RegistryLocation& location,
                                                         const wchar_t* name) {
  auto key = open_registry_key(location);
  if (!key) return key.error();
  if (!key.value()) return std::optional<RegistryValue>();
  RegistryValue value;
  // The value may grow between the size query and the read: retry a few times.
  for (int attempt = 0; attempt < 4; ++attempt) {
    DWORD size = static_cast<DWORD>(value.data.size());
    LSTATUS rc = RegQueryValueExW(key.value()->get(), name, nullptr, &value.type,
                                  value.data.empty() ? nullptr : value.data.data(), &size);
    if (rc == ERROR_FILE_NOT_FOUND) return std::optional<RegistryValue>();
    if (rc == ERROR_SUCCESS && (!value.data.empty() || size == 0)) {
      value.data.resize(size);
      return std::optional<RegistryValue>(std::move(value));
    }
    if (rc != ERROR_SUCCESS && rc != ERROR_MORE_DATA)
      return Error{"read registry value", value_text(location, name),
                   win::error_text(static_cast<DWORD>(rc))};
    value.data.resize(std::max<DWORD>(size, 1));
  }
  return Error{"read registry value", value_text(location, name), "the value kept changing size while read"};
}

std::string registry_type_name(DWORD type) {
  switch (type) {
    case REG_NONE:
      return "REG_NONE";
    case REG_SZ:
      return "REG_SZ";
    case REG_EXPAND_SZ:
      return "REG_EXPAND_SZ";
    case REG_BINARY:
      return "REG_BINARY";
    case REG_DWORD:
      return "REG_DWORD";
    case REG_DWORD_BIG_ENDIAN:
      return "REG_DWORD_BIG_ENDIAN";
    case REG_LINK:
      return "REG_LINK";
    case REG_MULTI_SZ:
      return "REG_MULTI_SZ";
    case REG_QWORD:
      return "REG_QWORD";
    default:
      return "type " + std::to_string(type);
  }
}

Result<std::optional<DWORD>> read_registry_dword(const RegistryLocation& location, const wchar_t* name) {
  auto value = read_registry_value(location, name);
  if (!value) return value.error();
  if (!value.value()) return std::optional<DWORD>();
  const RegistryValue& v = *value.value();
  if (v.type != REG_DWORD)
    return Error{"read registry value", value_text(location, name),
                 "is " + registry_type_name(v.type) + ", expected REG_DWORD"};
  if (v.data.size() != sizeof(DWORD))
    return Error{"read registry value", value_text(location, name),
                 "REG_DWORD of " + std::to_string(v.data.size()) + " bytes, expected 4"};
  DWORD out = 0;
  std::copy(v.data.begin(), v.data.end(), reinterpret_cast<std::uint8_t*>(&out));
  return std::optional<DWORD>(out);
}

Result<std::optional<std::wstring>> read_registry_string(const RegistryLocation& location,
                                                         const wchar_t* name) {
  auto value = read_registry_value(location, name);
  if (!value) return value.error();
  if (!value.value()) return std::optional<std::wstring>();
  const RegistryValue& v = *value.value();
  if (v.type != REG_SZ && v.type != REG_EXPAND_SZ)
    return Error{"read registry value", value_text(location, name),
                 "is " + registry_type_name(v.type) + ", expected REG_SZ"};
  std::wstring text(v.data.size() / sizeof(wchar_t), L'\0');
  std::copy(v.data.begin(), v.data.begin() + static_cast<std::ptrdiff_t>(text.size() * sizeof(wchar_t)),
            reinterpret_cast<std::uint8_t*>(text.data()));
  while (!text.empty() && text.back() == L'\0') text.pop_back();  // stored with or without its terminator
  return std::optional<std::wstring>(std::move(text));
}

Result<std::optional<std::vector<std::uint8_t>>> read_registry_binary(const RegistryLocation& location,
                                                                      const wchar_t* name) {
  auto value = read_registry_value(location, name);
  if (!value) return value.error();
  if (!value.value()) return std::optional<std::vector<std::uint8_t>>();
  if (value.value()->type != REG_BINARY)
    return Error{"read registry value", value_text(location, name),
                 "is " + registry_type_name(value.value()->type) + ", expected REG_BINARY"};
  return std::optional<std::vector<std::uint8_t>>(std::move(value.value()->data));
}

}  // namespace rdpmend::inspect::windows
