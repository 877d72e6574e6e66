#pragma once
// HostState <-> JSON: what `rdpmend collect` writes and `--host sim:FILE` reads, and the document the
// diagnosis rules point into (JSON pointers such as /certificate/info/expired). A snapshot is input like
// any other: every value is type-checked, and a bad one is an error naming its path.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "inspect/host_state.h"

namespace rdpmend::inspect {

inline constexpr int kSnapshotVersion = 1;

nlohmann::ordered_json host_state_to_json(const HostState& state);
Result<HostState> host_state_from_json(const nlohmann::json& json, const std::string& origin);
Result<HostState> load_snapshot(const std::filesystem::path& path);

}  // namespace rdpmend::inspect
