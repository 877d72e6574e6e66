#pragma once
// The Windows Event Log API (wevtapi) pieces shared by the one-shot reader (events/windows/) and the agent's
// live subscription (agent/windows/): an owner for EVT_HANDLE and rendering to XML.

#include <windows.h>
#include <winevt.h>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace rdpmend::win {

struct EvtCloser {
  void operator()(EVT_HANDLE h) const noexcept {
    if (h) EvtClose(h);
  }
};
using UniqueEvt = std::unique_ptr<std::remove_pointer_t<EVT_HANDLE>, EvtCloser>;

// EvtRender as XML: an event (EvtRenderEventXml) or a bookmark (EvtRenderBookmark). On failure: nullopt and
// `error` holds the Win32 code (ERROR_SUCCESS where Wine's stub fails without one).
std::optional<std::wstring> render_xml(EVT_HANDLE handle, EVT_RENDER_FLAGS flags, DWORD& error);

}  // namespace rdpmend::win
