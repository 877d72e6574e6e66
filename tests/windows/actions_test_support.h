#pragma once
// Shared by the tests of remediation/actions/windows: a configuration whose every path, store and service
// can be pointed at the test's own, and the guard for tests that change security descriptors for real (on
// Windows they need an elevated prompt: giving a file to SYSTEM takes SeRestorePrivilege).

#include <gtest/gtest.h>

#include <string>

#include "actions/windows/administrator.h"
#include "actions/windows/windows_actions.h"
#include "wine_detect.h"

namespace rdpmend::test_support {

// On Windows, a test that really changes owners and DACLs runs only elevated; under Wine every process is.
#define RDPMEND_REQUIRE_ELEVATION()                                                      \
  do {                                                                                   \
    auto rdpmend_admin = ::rdpmend::actions::windows::calling_thread_is_administrator(); \
    if (!rdpmend_admin.ok() || !rdpmend_admin.value()) {                                 \
      std::cout << "SKIPPED: needs an elevated (Administrator) prompt" << std::endl;     \
      GTEST_SKIP() << "SKIPPED: needs an elevated (Administrator) prompt";               \
    }                                                                                    \
  } while (false)

// A configuration that never falls back to the real machine's folders, store or service by accident.
inline actions::WindowsActionConfig isolated_config() {
  actions::WindowsActionConfig c;
  c.machine_keys = L"C:\\rdpmend-test-unset-machine-keys";
  c.cng_machine_keys = L"C:\\rdpmend-test-unset-cng-keys";
  c.self_signed_store = L"RdpMendTest-unset-store";
  c.self_signed_key_container = L"RdpMendTest-unset-container";
  c.rdp_service = L"RdpMendTestNoSuchService";
  c.restart_with.clear();
  c.service_timeout = std::chrono::seconds(20);
  return c;
}

}  // namespace rdpmend::test_support
