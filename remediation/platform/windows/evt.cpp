#include "platform/windows/evt.h"

#include <vector>

namespace rdpmend::win {

std::optional<std::wstring> render_xml(EVT_HANDLE handle, EVT_RENDER_FLAGS flags, DWORD& error) {
  std::vector<wchar_t> buffer(4096);
  DWORD used = 0, properties = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    SetLastError(ERROR_SUCCESS);
    if (EvtRender(nullptr, handle, flags, static_cast<DWORD>(buffer.size() * sizeof(wchar_t)), buffer.data(),
                  &used, &properties))
      return std::wstring(buffer.data());
    error = GetLastError();
    if (error != ERROR_INSUFFICIENT_BUFFER) return std::nullopt;
    buffer.resize(used / sizeof(wchar_t) + 1);
  }
  return std::nullopt;
}

}  // namespace rdpmend::win
