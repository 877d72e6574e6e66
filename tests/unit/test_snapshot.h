#pragma once
// A host snapshot from tests/data/hosts/, for tests of what comes after the load (diagnosis, planning,
// execution). Read plainly, not under the trust rule: the source tree may sit in a folder the rule refuses
// (a clone in /tmp, which Wine shows as writable by Everyone since it has no sticky bit); the trusted load
// itself (inspect::load_snapshot) is tested through the CLI and the end-to-end tests.

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "inspect/host_state_json.h"

namespace rdpmend::test {

inline Result<inspect::HostState> load_test_snapshot(const std::string& name) {
  const std::string path = std::string(RDPMEND_TEST_DATA) + "/hosts/" + name;
  std::ifstream in(path, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (!in.good() && !in.eof()) return Error{"read test snapshot", path, "cannot read"};
  if (json.is_discarded()) return Error{"read test snapshot", path, "not valid JSON"};
  return inspect::host_state_from_json(json, path);
}

// The healthy Windows host the diagnosis, action and execution tests start from; a snapshot that does not
// load fails the test that asked for it.
inline inspect::HostState healthy_windows_host() {
  auto s = load_test_snapshot("windows-healthy.json");
  if (!s) throw std::runtime_error(s.error().message());
  return s.value();
}

}  // namespace rdpmend::test
