#pragma once
// The xrdp host's sessions (inspect/sessions.h), counted from the process table under `proc_root`
// (/proc; tests give a folder laid out the same way).

#include <memory>
#include <string>

#include "inspect/sessions.h"

namespace rdpmend::inspect::linux_host {

std::unique_ptr<SessionInspector> make_xrdp_session_inspector(std::string proc_root = "/proc");

}  // namespace rdpmend::inspect::linux_host
