#pragma once
// Port: the user sessions on the host, which a restart of the RDP service would end or disconnect. Reads
// state, never changes it. Unknown stays unknown (HostState::sessions unset), and a restart held back by
// the session guard then stays held back (plan/planner.cpp).
// windows/: WTSEnumerateSessionsW, the sessions with a user signed in (session_count.h says which count).
// linux/: the sessions xrdp-sesman runs and the connections xrdp serves, from /proc (session_count.h).
// sim/: the snapshot's "sessions" (absent: unknown).

#include <optional>

#include "common/result.h"
#include "inspect/host_state.h"

namespace rdpmend::inspect {

class SessionInspector {
 public:
  virtual ~SessionInspector() = default;
  // An Error says why they cannot be counted; no value (without error) means the source does not say.
  virtual Result<std::optional<SessionCounts>> count() = 0;
};

}  // namespace rdpmend::inspect
