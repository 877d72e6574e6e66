#pragma once
// Checks the xrdp actions share: root, the xrdp user's group, and whether PEM text is what a file should
// hold.

#include <string>
#include <string_view>

#include "common/result.h"

namespace rdpmend::actions {

// Every xrdp action changes root's files: refused, with nothing changed, when not running as root.
Status need_root(std::string_view action);

// The primary group of `user` (the group that reads the key).
Result<unsigned> primary_gid(const std::string& user);

// True when `pem` parses as a certificate (`certificate`) or else as a private key.
bool parses_as(const std::string& pem, bool certificate);

}  // namespace rdpmend::actions
