#include "windows/event_source.h"

#include <windows.h>

#include "inspect/windows/registry.h"
#include "platform/windows/win_text.h"

namespace rdpmend::service {
namespace {

constexpr DWORD kTypesSupported = EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE;

Error registry_error(std::string what, const std::wstring& key, LSTATUS code) {
  return Error{std::move(what), "HKLM\\" + win::narrow(key), win::error_text(static_cast<DWORD>(code))};
}

}  // namespace

std::wstring event_source_key(const std::wstring& name) {
  return L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\" + name;
}

Status register_event_source(const std::wstring& name, const std::wstring& message_file) {
  const std::wstring path = event_source_key(name);
  HKEY raw = nullptr;
  LSTATUS rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, path.c_str(), 0, nullptr, REG_OPTION_NON_VOLATILE,
                               KEY_SET_VALUE | KEY_WOW64_64KEY, nullptr, &raw, nullptr);
  if (rc != ERROR_SUCCESS) return registry_error("register the event source", path, rc);
  inspect::windows::UniqueHkey key(raw);
  rc = RegSetValueExW(key.get(), L"EventMessageFile", 0, REG_EXPAND_SZ,
                      reinterpret_cast<const BYTE*>(message_file.c_str()),
                      static_cast<DWORD>((message_file.size() + 1) * sizeof(wchar_t)));
  if (rc != ERROR_SUCCESS) return registry_error("set EventMessageFile of the event source", path, rc);
  const DWORD types = kTypesSupported;
  rc = RegSetValueExW(key.get(), L"TypesSupported", 0, REG_DWORD, reinterpret_cast<const BYTE*>(&types),
                      sizeof types);
  if (rc != ERROR_SUCCESS) return registry_error("set TypesSupported of the event source", path, rc);
  return Ok{};
}

Status unregister_event_source(const std::wstring& name) {
  const std::wstring path = event_source_key(name);
  const LSTATUS rc = RegDeleteKeyExW(HKEY_LOCAL_MACHINE, path.c_str(), KEY_WOW64_64KEY, 0);
  if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND)
    return registry_error("remove the event source", path, rc);
  return Ok{};
}

}  // namespace rdpmend::service
