#pragma once
// Text for an HRESULT / NTSTATUS-style code (NTE_BAD_KEYSET, E_NOTIMPL, ...): the FormatMessageW text from
// win::error_text plus the code in hex, which is how such codes are documented and searched for
// ("Keyset does not exist (error 2148073494) [0x80090016]"). Plain Win32 codes go through win::error_text
// alone.

#include <windows.h>

#include <cstdio>
#include <string>

#include "platform/windows/win_text.h"

namespace rdpmend::inspect::windows {

inline std::string status_text(long code) {
  const auto value = static_cast<DWORD>(code);
  std::string text = win::error_text(value);
  if (value & 0x80000000UL) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08lX", static_cast<unsigned long>(value));
    text += std::string(" [") + hex + "]";
  }
  return text;
}

}  // namespace rdpmend::inspect::windows
