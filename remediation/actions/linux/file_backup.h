#pragma once
// A file's prior state, enough to put it back exactly (content, owner, mode, or the link itself), taken and
// restored through the trust rule (security/trusted_file.h): the backup records which folder held the file,
// and a restore refuses, writing nothing, when the path now leads to another folder or one that is no
// longer trusted. Content is read through a descriptor and bounded (1 MiB).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace rdpmend::actions {

// {"path", "kind": absent|symlink|file, "uid", "gid", "mode", "target" | "content_hex", "folder_device",
//  "folder_object"}
Result<nlohmann::json> save_entry(const std::string& path);

// Checks every saved entry's folder first, then restores them in order: either all folders pass or nothing
// is written.
Status restore_entries(const std::vector<nlohmann::json>& saved);

}  // namespace rdpmend::actions
