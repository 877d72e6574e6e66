#include "actions/linux/service_command_action.h"

#include "actions/linux/xrdp_action_support.h"
#include "catalog/catalog_ids.h"
#include "inspect/linux/run_command.h"
#include "security/program_trust.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using Json = nlohmann::json;

class RunServiceCommand final : public Action {
 public:
  RunServiceCommand(std::string id, XrdpActionConfig config)
      : id_(std::move(id)), config_(std::move(config)) {}
  std::string_view id() const override { return id_; }
  std::string target(const HostState&) const override { return ids::rdp_service::kXrdp; }

  Status check(const HostState&) override {
    if (auto root = need_root(id_); !root) return root;
    if (config_.restart_command.empty())
      return Error{id_, "", "no restart command configured ([xrdp] restart in the configuration file)"};
    if (auto refused = security::check_program(config_.restart_command)) return refused->to_error(id_);
    return Ok{};
  }
  Result<Backup> backup(const HostState&) override { return Backup{Json::object()}; }
  Status apply(const HostState&, const Backup&) override {
    // Checked again right before it runs: a program run as root must pass the trust rule now.
    if (auto refused = security::check_program(config_.restart_command)) return refused->to_error(id_);
    auto out = inspect::linux_host::run_command(config_.restart_command, std::chrono::seconds(60));
    if (!out) return out.error();
    if (out.value().exit_status != 0)
      return Error{
          id_, config_.restart_command.front(),
          "exit status " + std::to_string(out.value().exit_status) + ": " + out.value().err.substr(0, 300)};
    return Ok{};
  }
  Status verify(const HostState& after) override {
    const auto* s = after.service(ids::rdp_service::kXrdp);
    if (!s || s->state != "running")
      return Error{"verify service", ids::rdp_service::kXrdp, "not running and listening"};
    return Ok{};
  }
  bool reversible() const override { return false; }
  Status rollback(const Backup&) override { return Ok{}; }

 private:
  std::string id_;
  XrdpActionConfig config_;
};

}  // namespace

std::unique_ptr<Action> make_service_command_action(std::string id, const XrdpActionConfig& config) {
  return std::make_unique<RunServiceCommand>(std::move(id), config);
}

}  // namespace rdpmend::actions
