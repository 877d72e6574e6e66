#pragma once
// The JSON rendering of an agent event (one object per line of `rdpmend run --json`): "event" names its
// type, the other members are its fields, ids as the catalogs and the journal spell them.

#include <nlohmann/json.hpp>

#include "agent/agent_event.h"

namespace rdpmend::agent {

nlohmann::ordered_json event_to_json(const AgentEvent& event);

}  // namespace rdpmend::agent
