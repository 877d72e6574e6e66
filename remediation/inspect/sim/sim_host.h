#pragma once
// The simulated host: every port answers from a JSON snapshot (what `rdpmend collect` writes), so a
// collected incident can be diagnosed anywhere and every scenario can be tested without the OS.

#include <filesystem>
#include <memory>

#include "common/result.h"
#include "inspect/host.h"

namespace rdpmend::inspect {

Result<std::unique_ptr<Host>> make_sim_host(const std::filesystem::path& snapshot);
std::unique_ptr<Host> make_sim_host(HostState snapshot);
// A host over a state that the sim actions (actions/sim/) change: inspect it again to see their effect.
std::unique_ptr<Host> make_sim_host(std::shared_ptr<HostState> state);

}  // namespace rdpmend::inspect
