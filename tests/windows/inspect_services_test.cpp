// remediation/inspect/windows/services: the RDP services through the service control manager. Wine implements
// the SCM and ships a TermService stub service (termsv.exe), so these run for real under Wine: the service is
// present with a state and a start type, a service that does not exist is present=false without an error, and
// starting the stub shows "running" (ctest's warm wineserver keeps services.exe alive, see
// scripts/wine-warm.sh).

#include "inspect/windows/services.h"

#include <windows.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "platform/windows/handles.h"
#include "service_test_support.h"
#include "wine_detect.h"

namespace rdpmend::inspect::windows {
namespace {

using test_support::status_of;
using test_support::wait_for_state;
using ::testing::AnyOf;
using ::testing::Eq;

const auto kStates = AnyOf(Eq("stopped"), Eq("start-pending"), Eq("stop-pending"), Eq("running"),
                           Eq("continue-pending"), Eq("pause-pending"), Eq("paused"));
const auto kStartTypes = AnyOf(Eq("boot"), Eq("system"), Eq("auto"), Eq("manual"), Eq("disabled"));

ServiceState inspect_one(const std::string& name) {
  auto states = make_service_inspector({name})->inspect(ListenerSettings{});
  EXPECT_EQ(states.size(), 1u);
  return states.empty() ? ServiceState{} : states.front();
}

TEST(WindowsServices, ReportsTermServiceWithAStateAndAStartType) {
  auto s = inspect_one("TermService");
  EXPECT_EQ(s.name, "TermService");
  EXPECT_EQ(s.error, "");
  EXPECT_TRUE(s.present);
  EXPECT_THAT(s.state, kStates);
  EXPECT_THAT(s.start_type, kStartTypes);
}

TEST(WindowsServices, ReportsAServiceThatDoesNotExistAsAbsentWithoutAnError) {
  auto s = inspect_one("RdpMendNoSuchService");
  EXPECT_EQ(s.name, "RdpMendNoSuchService");
  EXPECT_FALSE(s.present);
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.state, "");
  EXPECT_EQ(s.start_type, "");
}

TEST(WindowsServices, InspectsTheThreeRdpServicesInOrder) {
  auto states = make_service_inspector()->inspect(ListenerSettings{});
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(states[0].name, "TermService");
  EXPECT_EQ(states[1].name, "SessionEnv");
  EXPECT_EQ(states[2].name, "UmRdpService");
  for (const auto& s : states) {
    EXPECT_EQ(s.error, "") << s.name;
    if (s.present) {
      EXPECT_THAT(s.state, kStates) << s.name;
      EXPECT_THAT(s.start_type, kStartTypes) << s.name;
    }
  }
  if (!test_support::running_under_wine()) {
    // Every Windows with Remote Desktop has all three (reference 6.4).
    for (const auto& s : states) EXPECT_TRUE(s.present) << s.name;
  }
}

TEST(WindowsServices, ReportsRunningOnceTheServiceRuns) {
  if (!test_support::running_under_wine())
    GTEST_SKIP()
        << "SKIPPED: starting TermService on a real host would change it; this drives Wine's stub only";
  win::UniqueServiceHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
  ASSERT_NE(manager.get(), nullptr);
  win::UniqueServiceHandle service(
      OpenServiceW(manager.get(), L"TermService", SERVICE_START | SERVICE_STOP | SERVICE_QUERY_STATUS));
  ASSERT_NE(service.get(), nullptr) << GetLastError();
  if (status_of(service.get()).dwCurrentState != SERVICE_RUNNING) {
    ASSERT_TRUE(StartServiceW(service.get(), 0, nullptr) || GetLastError() == ERROR_SERVICE_ALREADY_RUNNING)
        << GetLastError();
  }
  ASSERT_TRUE(wait_for_state(service.get(), SERVICE_RUNNING));
  EXPECT_EQ(inspect_one("TermService").state, "running");

  SERVICE_STATUS status{};
  ASSERT_TRUE(ControlService(service.get(), SERVICE_CONTROL_STOP, &status)) << GetLastError();
  ASSERT_TRUE(wait_for_state(service.get(), SERVICE_STOPPED));
  EXPECT_EQ(inspect_one("TermService").state, "stopped");
}

TEST(WindowsServices, NamesStatesAndStartTypes) {
  EXPECT_EQ(service_state_name(SERVICE_RUNNING), "running");
  EXPECT_EQ(service_state_name(SERVICE_STOPPED), "stopped");
  EXPECT_EQ(service_state_name(SERVICE_START_PENDING), "start-pending");
  EXPECT_EQ(service_state_name(42), "state-42");
  EXPECT_EQ(service_start_type_name(SERVICE_AUTO_START), "auto");
  EXPECT_EQ(service_start_type_name(SERVICE_DEMAND_START), "manual");
  EXPECT_EQ(service_start_type_name(SERVICE_DISABLED), "disabled");
  EXPECT_EQ(service_start_type_name(9), "start-type-9");
}

}  // namespace
}  // namespace rdpmend::inspect::windows
