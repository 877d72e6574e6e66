#pragma once
// Setting names and choices compare without regard to ASCII case, as Group Policy and TOML users write them.

#include <cctype>
#include <string_view>

namespace rdpmend::policy {

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace rdpmend::policy
