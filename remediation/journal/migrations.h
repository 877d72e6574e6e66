#pragma once
// The journal's schema as numbered migrations: migration N (1-based) turns a database at version N-1 into
// version N. Each is one SQL script, applied in its own transaction together with `PRAGMA user_version = N`.
// Append new migrations; never edit one that has shipped.

#include <span>
#include <string_view>

namespace rdpmend::journal {

// migrations()[0] is migration 1; the schema version this code writes is migrations().size().
std::span<const std::string_view> migrations();
int latest_schema_version();

}  // namespace rdpmend::journal
