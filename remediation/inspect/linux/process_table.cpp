#include "inspect/linux/process_table.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "platform/linux/unique_fd.h"
#include "util/number_text.h"

namespace rdpmend::inspect::linux_host {
namespace {

// /proc/<pid>/stat: "pid (comm) state ppid ...". The name may hold spaces and parentheses, so it ends at
// the last ')'. A process that ended meanwhile, or a line that does not parse, is left out.
std::optional<ProcessEntry> read_stat(const std::string& folder, int pid) {
  const std::string path = folder + "/" + std::to_string(pid) + "/stat";
  linux_platform::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return std::nullopt;
  char buffer[1024];
  const ssize_t got = ::read(fd.get(), buffer, sizeof buffer - 1);
  if (got <= 0) return std::nullopt;
  const std::string line(buffer, static_cast<std::size_t>(got));
  const auto open = line.find('(');
  const auto close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open || close + 4 > line.size())
    return std::nullopt;
  const auto ppid_start = close + 4;  // ") S "
  const auto ppid_end = line.find(' ', ppid_start);
  auto ppid = util::parse_number<unsigned>(line.substr(ppid_start, ppid_end - ppid_start));
  if (!ppid) return std::nullopt;
  return ProcessEntry{pid, static_cast<int>(*ppid), line.substr(open + 1, close - open - 1)};
}

}  // namespace

Result<std::vector<ProcessEntry>> read_process_table(const std::string& proc_root) {
  linux_platform::UniqueDir dir(::opendir(proc_root.c_str()));
  if (!dir) return Error{"read the process table", proc_root, std::strerror(errno)};
  std::vector<ProcessEntry> processes;
  while (const dirent* entry = ::readdir(dir.get())) {
    auto pid = util::parse_number<unsigned>(entry->d_name);
    if (!pid || *pid == 0 || *pid > 0x3fffffff) continue;  // not a process folder (pid_max is 2^22)
    if (auto process = read_stat(proc_root, static_cast<int>(*pid))) processes.push_back(std::move(*process));
  }
  return processes;
}

}  // namespace rdpmend::inspect::linux_host
