#pragma once
// How `fix` and `approve` show a remediation pass: for people, or as one JSON object.

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "execute/pass.h"

namespace rdpmend::cli {

struct PassView {
  const execute::PassResult* result = nullptr;
  const diagnosis::Diagnosis* after = nullptr;  // the diagnosis of the final state
  std::string source;                           // local, sim:FILE
  bool dry_run = false;
};

void print_pass(const PassView& view, std::ostream& out);
nlohmann::ordered_json pass_to_json(const PassView& view);
nlohmann::ordered_json report_to_json(const execute::ActionReport& report);

}  // namespace rdpmend::cli
