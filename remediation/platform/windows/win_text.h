#pragma once
// Win32 helpers shared by the windows/ implementations: UTF-8 <-> UTF-16 and error texts.

#include <windows.h>

#include <string>
#include <string_view>

namespace rdpmend::win {

std::wstring widen(std::string_view utf8);
std::string narrow(std::wstring_view utf16);

// "Access is denied. (5)" from FormatMessageW; a plain code when Windows has no text for it.
std::string error_text(DWORD code);

}  // namespace rdpmend::win
