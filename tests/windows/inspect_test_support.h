#pragma once
// Throwaway registry keys and folders for the tests of remediation/inspect/windows: each test gets its own
// key under HKCU\Software\RdpMendTest (or HKLM\SOFTWARE\RdpMendTest) and its own folder under %TEMP%, both
// removed at the end, so the tests never touch the real Terminal Server settings and can run in parallel.

#include <windows.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "inspect/windows/registry.h"
#include "platform/windows/win_text.h"

namespace rdpmend::test_support {

inline std::wstring unique_suffix() {
  static std::atomic<int> counter{0};
  return std::to_wstring(GetCurrentProcessId()) + L"-" + std::to_wstring(++counter) + L"-" +
         std::to_wstring(GetTickCount64());
}

class TestRegistryKey {
 public:
  explicit TestRegistryKey(HKEY hive = HKEY_CURRENT_USER)
      : root_{hive, (hive == HKEY_CURRENT_USER ? L"Software\\RdpMendTest\\" : L"SOFTWARE\\RdpMendTest\\") +
                        unique_suffix()} {}
  TestRegistryKey(const TestRegistryKey&) = delete;
  TestRegistryKey& operator=(const TestRegistryKey&) = delete;
  ~TestRegistryKey() { RegDeleteTreeW(root_.hive, root_.path.c_str()); }

  const inspect::windows::RegistryLocation& root() const { return root_; }
  inspect::windows::RegistryLocation at(std::wstring_view sub) const { return root_.child(sub); }

  static void set(const inspect::windows::RegistryLocation& key, const wchar_t* name, DWORD type,
                  const void* data, DWORD size) {
    HKEY h = nullptr;
    LSTATUS rc = RegCreateKeyExW(key.hive, key.path.c_str(), 0, nullptr, 0, KEY_SET_VALUE | KEY_WOW64_64KEY,
                                 nullptr, &h, nullptr);
    ASSERT_EQ(rc, ERROR_SUCCESS) << "RegCreateKeyExW " << key.text();
    rc = RegSetValueExW(h, name, 0, type, static_cast<const BYTE*>(data), size);
    RegCloseKey(h);
    ASSERT_EQ(rc, ERROR_SUCCESS) << "RegSetValueExW " << key.text();
  }
  static void set_dword(const inspect::windows::RegistryLocation& key, const wchar_t* name, DWORD value) {
    set(key, name, REG_DWORD, &value, sizeof value);
  }
  static void set_string(const inspect::windows::RegistryLocation& key, const wchar_t* name,
                         const std::wstring& value) {
    set(key, name, REG_SZ, value.c_str(), static_cast<DWORD>((value.size() + 1) * sizeof(wchar_t)));
  }
  static void set_binary(const inspect::windows::RegistryLocation& key, const wchar_t* name,
                         const std::vector<std::uint8_t>& value) {
    set(key, name, REG_BINARY, value.data(), static_cast<DWORD>(value.size()));
  }
  static void create(const inspect::windows::RegistryLocation& key) {
    HKEY h = nullptr;
    ASSERT_EQ(RegCreateKeyExW(key.hive, key.path.c_str(), 0, nullptr, 0, KEY_READ | KEY_WOW64_64KEY, nullptr,
                              &h, nullptr),
              ERROR_SUCCESS);
    RegCloseKey(h);
  }

 private:
  inspect::windows::RegistryLocation root_;
};

class TestFolder {
 public:
  TestFolder() : path_(std::filesystem::temp_directory_path() / (L"rdpmend-test-" + unique_suffix())) {
    std::filesystem::create_directories(path_);
  }
  TestFolder(const TestFolder&) = delete;
  TestFolder& operator=(const TestFolder&) = delete;
  ~TestFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace rdpmend::test_support
