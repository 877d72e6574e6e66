#include "inspect/session_count.h"

#include <algorithm>
#include <unordered_map>

namespace rdpmend::inspect {

SessionCounts count_windows_sessions(const std::vector<WtsSession>& sessions) {
  SessionCounts counts;
  for (const auto& s : sessions) {
    if (s.id == 0 || s.user.empty()) continue;  // services, listeners, a sign-in screen
    switch (s.state) {
      case WtsState::kDisconnected:
        ++counts.disconnected;
        break;
      case WtsState::kListen:
      case WtsState::kReset:
      case WtsState::kDown:
      case WtsState::kInit:
        break;  // no session a user could lose
      default:
        ++counts.active;
    }
  }
  return counts;
}

SessionCounts count_xrdp_sessions(const std::vector<ProcessEntry>& processes) {
  std::unordered_map<int, const ProcessEntry*> by_pid;
  for (const auto& p : processes) by_pid[p.pid] = &p;
  auto comm_of = [&](int pid) -> const std::string* {
    auto it = by_pid.find(pid);
    return it == by_pid.end() ? nullptr : &it->second->comm;
  };
  // A daemon's fork has the daemon's name, and so has its parent, whose own parent has another name: the
  // daemon's forks' forks (a session's helpers before they exec) are not counted.
  auto forks_of_daemon = [&](const ProcessEntry& p, const std::string& name) {
    if (p.comm != name) return false;
    const std::string* parent = comm_of(p.ppid);
    if (!parent || *parent != name) return false;
    const std::string* grandparent = comm_of(by_pid[p.ppid]->ppid);
    return !grandparent || *grandparent != name;
  };
  int sessions = 0, connections = 0;
  for (const auto& p : processes) {
    if (forks_of_daemon(p, "xrdp-sesman")) ++sessions;
    if (forks_of_daemon(p, "xrdp")) ++connections;
  }
  SessionCounts counts;
  counts.active = connections;
  counts.disconnected = std::max(0, sessions - connections);
  return counts;
}

}  // namespace rdpmend::inspect
