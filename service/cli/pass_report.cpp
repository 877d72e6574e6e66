#include "cli/pass_report.h"

#include <iomanip>

#include "util/printable.h"

namespace rdpmend::cli {
namespace {

// Host names, targets, details and probe results quote the host: each goes through printable. Ids and mode
// names are the catalog's and the policy table's.
using util::printable;

std::string probe_text(const inspect::HostState& state) {
  if (!state.self_probe) return "not probed";
  return printable(state.self_probe->verdict) + " (" + printable(state.self_probe->target) + ")";
}

void print_report(const execute::ActionReport& r, std::ostream& out) {
  out << "  " << std::left << std::setw(24) << printable(r.action) << std::setw(20)
      << journal::to_string(r.outcome);
  if (r.action_row) out << "action " << *r.action_row << "  ";
  out << printable(r.target) << "\n";
  if (!r.detail.empty()) out << "      " << printable(r.detail) << "\n";
}

nlohmann::ordered_json findings_json(const diagnosis::Diagnosis& d) {
  auto ids = nlohmann::ordered_json::array();
  for (const auto& f : d.findings) ids.push_back(f.rule->id);
  return ids;
}

}  // namespace

nlohmann::ordered_json report_to_json(const execute::ActionReport& r) {
  nlohmann::ordered_json j;
  j["action"] = r.action;
  j["target"] = r.target;
  j["outcome"] = journal::to_string(r.outcome);
  j["skip"] = r.skip ? nlohmann::ordered_json(plan::skip_reason_id(*r.skip)) : nlohmann::ordered_json();
  j["action_id"] = r.action_row ? nlohmann::ordered_json(*r.action_row) : nlohmann::ordered_json();
  j["duplicate"] = r.duplicate;
  j["detail"] = r.detail;
  return j;
}

void print_pass(const PassView& view, std::ostream& out) {
  const auto& r = *view.result;
  out << "Host " << (r.before.hostname.empty() ? "?" : printable(r.before.hostname)) << " ("
      << printable(r.before.platform) << ", " << printable(view.source) << "), policy Mode "
      << policy::mode_name(r.plan.mode) << "\n";
  if (!r.recovered.empty()) {
    out << "\nFinished first (left in flight by an interruption)\n";
    for (const auto& a : r.recovered) print_report(a, out);
  }
  out << "\nFindings before:";
  if (r.diagnosis.findings.empty()) out << " none";
  for (const auto& f : r.diagnosis.findings) out << " " << f.rule->id;
  out << "\nSelf-probe before: " << probe_text(r.before) << "\n";
  if (r.plan.actions.empty()) {
    out << "\nNothing to do.\n";
    return;
  }
  out << "\n";
  if (view.dry_run)
    out << "Plan (dry run: checks and backups only, nothing is changed or recorded)\n";
  else if (r.plan_id)
    out << "Plan " << *r.plan_id << "\n";
  else
    out << "Plan\n";
  for (const auto& a : r.executed.reports) print_report(a, out);
  bool awaiting = false;
  for (const auto& a : r.plan.actions) awaiting = awaiting || a.awaits_approval();
  if (awaiting && r.plan_id && !view.dry_run)
    out << "\nPlan " << *r.plan_id << " awaits approval: rdpmend approve " << *r.plan_id << "\n";
  if (!view.dry_run && !r.held_restarts.empty()) {
    out << "\nHeld back, pending in the journal (the agent runs it when nothing holds it any more; `rdpmend "
           "history` lists it)\n";
    for (const auto& h : r.held_restarts)
      out << "  " << std::left << std::setw(24) << printable(h.action) << "hold " << h.id << "  "
          << printable(h.target) << "\n      " << plan::skip_reason_id(h.reason) << ": "
          << printable(h.detail) << "\n";
  }
  if (!view.dry_run && !r.hold_problem.empty())
    out << "\nThe journal did not keep a held-back restart: " << printable(r.hold_problem) << "\n";
  if (!view.dry_run) {
    out << "\nFindings after:";
    if (view.after->findings.empty()) out << " none";
    for (const auto& f : view.after->findings) out << " " << f.rule->id;
    out << "\nSelf-probe after: " << probe_text(r.executed.final_state) << "\n";
  }
}

nlohmann::ordered_json pass_to_json(const PassView& view) {
  const auto& r = *view.result;
  nlohmann::ordered_json j;
  j["host"] = {{"platform", r.before.platform}, {"hostname", r.before.hostname}, {"source", view.source}};
  j["mode"] = policy::mode_name(r.plan.mode);
  j["dry_run"] = view.dry_run;
  j["plan_id"] = r.plan_id ? nlohmann::ordered_json(*r.plan_id) : nlohmann::ordered_json();
  auto recovered = nlohmann::ordered_json::array();
  for (const auto& a : r.recovered) recovered.push_back(report_to_json(a));
  j["recovered"] = recovered;
  j["findings_before"] = findings_json(r.diagnosis);
  j["probe_before"] =
      r.before.self_probe ? nlohmann::ordered_json(r.before.self_probe->verdict) : nlohmann::ordered_json();
  auto actions = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < r.executed.reports.size(); ++i) {
    auto a = report_to_json(r.executed.reports[i]);
    a["awaits_approval"] = i < r.plan.actions.size() && r.plan.actions[i].awaits_approval();
    actions.push_back(a);
  }
  j["actions"] = actions;
  auto held = nlohmann::ordered_json::array();
  for (const auto& h : r.held_restarts)
    held.push_back({{"hold_id", h.id},
                    {"action", h.action},
                    {"target", h.target},
                    {"reason", plan::skip_reason_id(h.reason)},
                    {"detail", h.detail}});
  j["held_restarts"] = held;
  j["findings_after"] = findings_json(*view.after);
  const auto& final_state = r.executed.final_state;
  j["probe_after"] = final_state.self_probe ? nlohmann::ordered_json(final_state.self_probe->verdict)
                                            : nlohmann::ordered_json();
  return j;
}

}  // namespace rdpmend::cli
