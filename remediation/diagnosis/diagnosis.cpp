#include "diagnosis/diagnosis.h"

#include <algorithm>
#include <set>

#include "events/event_json.h"
#include "inspect/host_state_json.h"
#include "util/json_text.h"

namespace rdpmend::diagnosis {

nlohmann::json diagnosis_document(const inspect::HostState& state, const DiagnosisCatalog& catalog) {
  nlohmann::json doc = nlohmann::json::parse(util::json_text(inspect::host_state_to_json(state)));
  auto primary = catalog.rdp_service(state.platform);
  doc["rdp_service"] = nullptr;
  for (const auto& s : doc["services"])
    if (s.value("name", "") == primary) doc["rdp_service"] = s;
  return doc;
}

Diagnosis diagnose(const inspect::HostState& state, const std::vector<events::SymptomReport>& symptoms,
                   const DiagnosisCatalog& catalog) {
  Diagnosis result;
  result.catalog = &catalog;
  auto doc = diagnosis_document(state, catalog);
  std::set<std::string> confirmed_symptoms;
  for (const auto& rule : catalog.findings) {
    if (std::find(rule.platforms.begin(), rule.platforms.end(), state.platform) == rule.platforms.end())
      continue;
    if (!std::all_of(rule.when.begin(), rule.when.end(),
                     [&](const StateCondition& c) { return holds(c, doc); }))
      continue;
    Finding finding{&rule, {}, {}, {}};
    if (!rule.by_hand.empty())
      for (const auto* list : values_at(doc, rule.by_hand))
        if (list->is_array())
          for (const auto& command : *list)
            if (command.is_string()) finding.by_hand.push_back(command.get<std::string>());
    for (const auto& pointer : rule.evidence) {
      auto values = values_at(doc, pointer);
      if (values.size() == 1)
        finding.state.emplace_back(pointer, *values.front());
      else if (!values.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto* v : values) list.push_back(*v);
        finding.state.emplace_back(pointer, list);
      }
    }
    for (const auto& s : symptoms)
      if (std::find(rule.symptoms.begin(), rule.symptoms.end(), s.definition->id) != rule.symptoms.end()) {
        finding.symptoms.push_back(s);
        confirmed_symptoms.insert(s.definition->id);
      }
    result.findings.push_back(std::move(finding));
  }
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.rule->severity > b.rule->severity; });
  std::vector<const ActionDefinition*> plan;
  for (const auto& f : result.findings)
    for (const auto& id : f.rule->actions) {
      const auto* a = catalog.action(id);
      if (a && std::find(plan.begin(), plan.end(), a) == plan.end()) plan.push_back(a);
    }
  std::stable_sort(plan.begin(), plan.end(),
                   [](const auto* a, const auto* b) { return a->order < b->order; });
  // Nothing is changed through a file the inspection refused.
  std::erase_if(plan, [&](const ActionDefinition* a) {
    for (const auto& refused : state.refused_paths)
      if (std::find(a->needs_trusted.begin(), a->needs_trusted.end(), refused.role) !=
          a->needs_trusted.end()) {
        result.held.push_back({a->id, refused.role, refused.path, refused.reason});
        return true;
      }
    return false;
  });
  auto subsumed = [&](const ActionDefinition* a) {
    return std::any_of(plan.begin(), plan.end(), [&](const ActionDefinition* other) {
      return std::find(other->subsumes.begin(), other->subsumes.end(), a->id) != other->subsumes.end();
    });
  };
  for (const auto* a : plan)
    if (!subsumed(a)) result.actions.push_back(a->id);
  for (const auto& s : symptoms)
    if (!confirmed_symptoms.count(s.definition->id)) result.unconfirmed.push_back(s);
  return result;
}

nlohmann::ordered_json diagnosis_to_json(const Diagnosis& d, const DiagnosisCatalog& catalog) {
  using Json = nlohmann::ordered_json;
  auto findings = Json::array();
  for (const auto& f : d.findings) {
    Json state = Json::object();
    for (const auto& [pointer, value] : f.state) state[pointer] = Json::parse(util::json_text(value));
    auto events = Json::array();
    for (const auto& s : f.symptoms) {
      Json sj = {{"symptom", s.definition->id}, {"count", s.count}};
      auto list = Json::array();
      for (const auto& e : s.evidence) list.push_back(events::evidence_to_json(e));
      sj["evidence"] = std::move(list);
      events.push_back(std::move(sj));
    }
    findings.push_back({{"id", f.rule->id},
                        {"severity", events::severity_name(f.rule->severity)},
                        {"summary", f.rule->summary},
                        {"evidence", {{"state", std::move(state)}, {"events", std::move(events)}}},
                        {"actions", f.rule->actions},
                        {"by_hand", f.by_hand}});
  }
  auto actions = Json::array();
  for (const auto& id : d.actions) {
    const auto* a = catalog.action(id);
    actions.push_back({{"id", id}, {"summary", a ? a->summary : ""}});
  }
  auto hints = Json::array();
  for (const auto& s : d.unconfirmed) hints.push_back({{"symptom", s.definition->id}, {"count", s.count}});
  Json out = {{"findings", std::move(findings)},
              {"actions", std::move(actions)},
              {"unconfirmed_symptoms", std::move(hints)}};
  if (!d.held.empty()) {
    auto held = Json::array();
    for (const auto& h : d.held)
      held.push_back({{"action", h.action}, {"role", h.role}, {"path", h.path}, {"reason", h.reason}});
    out["held_actions"] = std::move(held);
  }
  return out;
}

}  // namespace rdpmend::diagnosis
