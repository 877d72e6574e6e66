#include "actions/local_actions.h"

namespace rdpmend::actions {

// The Windows actions are not built yet: this machine offers none, so every planned action is reported
// as "not available on this host" and nothing changes.
ActionSet make_local_actions(const LocalActionConfig&) { return {}; }

}  // namespace rdpmend::actions
