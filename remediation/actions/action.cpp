#include "actions/action.h"

namespace rdpmend::actions {

void ActionSet::add(std::unique_ptr<Action> action) { actions_.push_back(std::move(action)); }

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

}  // namespace rdpmend::actions
