#pragma once
// Driving a real service through the SCM in the tests of remediation/inspect/windows/services and of the
// service actions: its status, and waiting until it reaches a state (the SCM has no "state changed" wait
// to block on, so the state is polled).

#include <windows.h>

#include <chrono>
#include <thread>

namespace rdpmend::test_support {

// All zero (dwCurrentState 0, no state) when the status cannot be read.
inline SERVICE_STATUS_PROCESS status_of(SC_HANDLE service) {
  SERVICE_STATUS_PROCESS s{};
  DWORD needed = 0;
  QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&s), sizeof s, &needed);
  return s;
}

// False when the service is not in `wanted` within 20 seconds.
inline bool wait_for_state(SC_HANDLE service, DWORD wanted) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (status_of(service).dwCurrentState != wanted) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace rdpmend::test_support
