#pragma once
// Registry reads for the Windows inspectors: an owned HKEY, and typed value reads that tell "absent" (the key
// or the value does not exist: nullopt) from "unreadable" (access denied, wrong type, bad size: an Error
// naming the value). Reads only; keys are opened KEY_READ | KEY_WOW64_64KEY.

#include <windows.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace rdpmend::inspect::windows {

// A key: hive + path below it. Written "HKLM\SOFTWARE\X" (also HKCU, HKU, HKEY_LOCAL_MACHINE, ...).
struct RegistryLocation {
  HKEY hive = HKEY_LOCAL_MACHINE;
  std::wstring path;

  std::string text() const;  // "HKLM\SOFTWARE\X"
  RegistryLocation child(std::wstring_view sub) const;
  RegistryLocation parent() const;  // the path without its last component
};

// "HKCU\Software\RdpMendTest" or, without a hive, a path below HKLM ("SYSTEM\CurrentControlSet\...").
Result<RegistryLocation> parse_registry_location(std::string_view text);

class UniqueHkey {
 public:
  UniqueHkey() = default;
  explicit UniqueHkey(HKEY key) : key_(key) {}
  UniqueHkey(const UniqueHkey&) = delete;
  UniqueHkey& operator=(const UniqueHkey&) = delete;
  UniqueHkey(UniqueHkey&& other) noexcept : key_(other.key_) { other.key_ = nullptr; }
  UniqueHkey& operator=(UniqueHkey&& other) noexcept;
  ~UniqueHkey();
  HKEY get() const { return key_; }
  explicit operator bool() const { return key_ != nullptr; }

 private:
  HKEY key_ = nullptr;
};

// nullopt: the key does not exist.
Result<std::optional<UniqueHkey>> open_registry_key(const RegistryLocation& location);

struct RegistryValue {
  DWORD type = REG_NONE;
  std::vector<std::uint8_t> data;
};

// nullopt: the key or the value does not exist.
Result<std::optional<RegistryValue>> read_registry_value(const RegistryLocation& location,
                                                         const wchar_t* name);

// Typed reads: a value of another type is an Error ("is REG_SZ, expected REG_DWORD").
Result<std::optional<DWORD>> read_registry_dword(const RegistryLocation& location, const wchar_t* name);
Result<std::optional<std::wstring>> read_registry_string(const RegistryLocation& location,
                                                         const wchar_t* name);
Result<std::optional<std::vector<std::uint8_t>>> read_registry_binary(const RegistryLocation& location,
                                                                      const wchar_t* name);

std::string registry_type_name(DWORD type);

}  // namespace rdpmend::inspect::windows
