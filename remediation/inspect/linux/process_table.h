#pragma once
// Linux: the process table as /proc shows it (pid, parent, name), read without following links. A process
// that ends while it is read is left out; only an unreadable /proc is an error.

#include <string>
#include <vector>

#include "common/result.h"
#include "inspect/session_count.h"

namespace rdpmend::inspect::linux_host {

Result<std::vector<ProcessEntry>> read_process_table(const std::string& proc_root = "/proc");

}  // namespace rdpmend::inspect::linux_host
