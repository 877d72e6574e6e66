#pragma once
// The agent's classic Event Log source: HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\<name>
// with EventMessageFile = rdpmend.exe (its message table, rdpmend_messages.mc) and TypesSupported = 7, so
// Event Viewer shows the messages instead of "The description for Event ID ... cannot be found".
// `service install` registers it, `service uninstall` removes it; the MSI will do the same.

#include <string>

#include "common/result.h"

namespace rdpmend::service {

// "SYSTEM\CurrentControlSet\Services\EventLog\Application\<name>" (below HKLM).
std::wstring event_source_key(const std::wstring& name);

Status register_event_source(const std::wstring& name, const std::wstring& message_file);

// Ok when it was not registered.
Status unregister_event_source(const std::wstring& name);

}  // namespace rdpmend::service
