#pragma once
// How sessions are counted, apart from how they are read (windows/ and linux/ sessions.cpp), so the rules
// are tested on every platform.
//
// Windows (WTS_SESSION_INFOW, docs/SESSIONS.md): session 0 (services) and sessions with nobody signed in
// (the listeners, the console at its sign-in screen) are never counted; a session in WTSDisconnected is
// disconnected, any other with a user is active (WTSActive, or a user being signed in or shadowed).
// xrdp (0.9's process model, docs/SESSIONS.md): each child of the xrdp-sesman daemon that is still
// xrdp-sesman is a session; each child of the xrdp daemon that is still xrdp is a client connection. The
// connected sessions are the connections (a client at the sign-in screen counts: a restart would drop it
// too), the rest of the sessions are disconnected.

#include <cstdint>
#include <string>
#include <vector>

#include "inspect/host_state.h"

namespace rdpmend::inspect {

// WTS_CONNECTSTATE_CLASS, in its order.
enum class WtsState {
  kActive,
  kConnected,
  kConnectQuery,
  kShadow,
  kDisconnected,
  kIdle,
  kListen,
  kReset,
  kDown,
  kInit,
};

struct WtsSession {
  std::uint32_t id = 0;
  WtsState state = WtsState::kListen;
  std::string user;  // WTSUserName; empty when nobody is signed in
};

SessionCounts count_windows_sessions(const std::vector<WtsSession>& sessions);

// One line of the process table: /proc/<pid>/stat's pid, comm and ppid.
struct ProcessEntry {
  int pid = 0;
  int ppid = 0;
  std::string comm;
};

SessionCounts count_xrdp_sessions(const std::vector<ProcessEntry>& processes);

}  // namespace rdpmend::inspect
