#include "security/program_trust.h"

#include "security/trusted_file.h"

namespace rdpmend::security {

std::optional<Refused> check_program(const std::vector<std::string>& argv) {
  if (argv.empty() || argv.front().empty() || argv.front().front() != '/') {
    Refused r;
    r.reason = Refusal::kNotAbsolute;
    r.path = argv.empty() ? "" : argv.front();
    r.detail = "a program run as root must be named by an absolute path";
    return r;
  }
  if (auto refused = check_trusted(argv.front(), Use::kContent)) return refused;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.empty() || arg.front() != '/') continue;
    auto refused = check_trusted(arg, Use::kContent);
    // An argument that is no file at all (a unit name, a folder) is only an argument.
    if (refused && refused->reason != Refusal::kNotFound && refused->reason != Refusal::kNotRegularFile)
      return refused;
  }
  return std::nullopt;
}

}  // namespace rdpmend::security
