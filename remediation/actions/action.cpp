#include "actions/action.h"

namespace rdpmend::actions {

void ActionSet::add(std::unique_ptr<Action> action) {
  actions_.push_back(std::move(action));
}

Action* ActionSet::find(std::string_view id) const {
  for (const auto& a : actions_)
    if (a->id() == id) return a.get();
  return nullptr;
}

std::vector<std::string> ActionSet::ids() const {
  std::vector<std::string> out;
  for (const auto& a : actions_) out.emplace_back(a->id());
  return out;
}

Status not_refused(std::string_view action, const inspect::HostState& state,
                   std::initializer_list<const char*> roles) {
  for (const auto& r : state.refused_paths)
    for (const char* role : roles)
      if (r.role == role)
        return Error{
            std::string(action), r.path,
            "refused (" + r.reason + "): " + r.component + (r.detail.empty() ? "" : ": " + r.detail)};
  return Ok{};
}

}  // namespace rdpmend::actions
