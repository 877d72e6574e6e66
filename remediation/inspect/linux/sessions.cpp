#include "inspect/linux/sessions.h"

#include "inspect/linux/process_table.h"
#include "inspect/session_count.h"

namespace rdpmend::inspect::linux_host {
namespace {

class XrdpSessions final : public SessionInspector {
 public:
  explicit XrdpSessions(std::string proc_root) : proc_root_(std::move(proc_root)) {}

  Result<std::optional<SessionCounts>> count() override {
    auto processes = read_process_table(proc_root_);
    if (!processes) {
      const auto& e = processes.error();
      return Error{"count the xrdp sessions", e.object, e.detail};
    }
    return std::optional<SessionCounts>(count_xrdp_sessions(processes.value()));
  }

 private:
  std::string proc_root_;
};

}  // namespace

std::unique_ptr<SessionInspector> make_xrdp_session_inspector(std::string proc_root) {
  return std::make_unique<XrdpSessions>(std::move(proc_root));
}

}  // namespace rdpmend::inspect::linux_host
