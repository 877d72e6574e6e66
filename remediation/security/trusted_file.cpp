// The portable part of security/trusted_file.h: what is built from the platform's opens.
#include "security/trusted_file.h"

namespace rdpmend::security {

Trusted<std::string> read_trusted_file(const std::string& path, std::size_t limit) {
  auto file = open_trusted_file(path, Use::kContent);
  if (!file) return file.error();
  return read_all(file.value(), limit);
}

std::optional<Refused> check_trusted(const std::string& path, Use use) {
  if (use == Use::kFolder) {
    auto folder = open_trusted_folder(path);
    if (!folder) return folder.error();
    return std::nullopt;
  }
  auto file = open_trusted_file(path, use);
  if (!file) return file.error();
  return std::nullopt;
}

}  // namespace rdpmend::security
