#include "actions/local_actions.h"

#include "actions/windows/windows_actions.h"

namespace rdpmend::actions {

// This machine's TermService actions, at their real locations (the xrdp settings of LocalActionConfig do not
// apply on Windows).
ActionSet make_local_actions(const LocalActionConfig&) {
  return make_windows_actions(WindowsActionConfig{});
}

}  // namespace rdpmend::actions
