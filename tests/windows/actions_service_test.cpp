// remediation/actions/windows: start-rdp-service and restart-rdp-service through the service control manager.
//
// Wine implements the SCM and ships a TermService stub (termsv.exe), so under Wine these start, restart and
// refuse for real (ctest's warm wineserver keeps services.exe alive, scripts/wine-warm.sh). On a real host
// the tests that would stop or start TermService, or disable it, are skipped: they would cut the sessions.

#include <windows.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "actions/windows/windows_actions.h"
#include "actions_test_support.h"
#include "inspect/windows/services.h"
#include "platform/windows/handles.h"
#include "service_test_support.h"
#include "wine_detect.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using test_support::status_of;
using test_support::wait_for_state;
using ::testing::HasSubstr;

HostState inspected() {
  HostState s;
  s.platform = "windows";
  s.services =
      inspect::windows::make_service_inspector({"TermService"})->inspect(inspect::ListenerSettings{});
  return s;
}

class WineTermServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test_support::running_under_wine())
      GTEST_SKIP()
          << "SKIPPED: stopping or disabling TermService on a real host would cut its sessions; this "
             "drives Wine's stub only";
    config_ = test_support::isolated_config();
    config_.rdp_service = L"TermService";
    config_.restart_with = {L"RdpMendTestNoSuchCompanion"};  // absent companions are skipped
    config_.is_administrator = [] { return Result<bool>(true); };
    manager_.reset(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    ASSERT_NE(manager_.get(), nullptr);
    service_.reset(OpenServiceW(
        manager_.get(), L"TermService",
        SERVICE_START | SERVICE_STOP | SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG | SERVICE_CHANGE_CONFIG));
    ASSERT_NE(service_.get(), nullptr) << GetLastError();
  }

  void stop_service() {
    if (status_of(service_.get()).dwCurrentState == SERVICE_STOPPED) return;
    SERVICE_STATUS ignored{};
    ASSERT_TRUE(ControlService(service_.get(), SERVICE_CONTROL_STOP, &ignored)) << GetLastError();
    ASSERT_TRUE(wait_for_state(service_.get(), SERVICE_STOPPED));
  }

  WindowsActionConfig config_;
  win::UniqueServiceHandle manager_;
  win::UniqueServiceHandle service_;
};

TEST_F(WineTermServiceTest, StartsAStoppedServiceAndLeavesARunningOneAlone) {
  stop_service();
  auto a = make_start_service_action(config_);
  EXPECT_FALSE(a->reversible());
  EXPECT_EQ(a->target(HostState{}), "TermService");
  ASSERT_TRUE(a->check(inspected()).ok()) << a->check(inspected()).error().message();
  auto backup = a->backup(inspected());
  ASSERT_TRUE(backup.ok()) << backup.error().message();
  EXPECT_EQ(backup.value().data["state"], "stopped");
  EXPECT_FALSE(a->verify(inspected()).ok());

  auto started = a->apply(inspected(), backup.value());
  ASSERT_TRUE(started.ok()) << started.error().message();
  EXPECT_EQ(status_of(service_.get()).dwCurrentState, static_cast<DWORD>(SERVICE_RUNNING));
  EXPECT_TRUE(a->verify(inspected()).ok()) << a->verify(inspected()).error().message();
  const DWORD pid = status_of(service_.get()).dwProcessId;
  ASSERT_TRUE(a->apply(inspected(), backup.value()).ok());
  EXPECT_EQ(status_of(service_.get()).dwProcessId, pid) << "a running service is left alone";
  stop_service();
}

TEST_F(WineTermServiceTest, RestartsTheServiceIntoANewProcess) {
  auto start = make_start_service_action(config_);
  ASSERT_TRUE(start->apply(inspected(), Backup{}).ok());
  const DWORD before = status_of(service_.get()).dwProcessId;
  auto restart = make_restart_service_action(config_);
  EXPECT_FALSE(restart->reversible());
  ASSERT_TRUE(restart->check(inspected()).ok());
  auto restarted = restart->apply(inspected(), Backup{});
  ASSERT_TRUE(restarted.ok()) << restarted.error().message();
  const auto after = status_of(service_.get());
  EXPECT_EQ(after.dwCurrentState, static_cast<DWORD>(SERVICE_RUNNING));
  EXPECT_NE(after.dwProcessId, before);
  EXPECT_TRUE(restart->verify(inspected()).ok());
  // A stopped service is simply started by a restart.
  stop_service();
  ASSERT_TRUE(restart->apply(inspected(), Backup{}).ok());
  EXPECT_EQ(status_of(service_.get()).dwCurrentState, static_cast<DWORD>(SERVICE_RUNNING));
  stop_service();
}

TEST_F(WineTermServiceTest, RefusesADisabledService) {
  DWORD needed = 0;
  QueryServiceConfigW(service_.get(), nullptr, 0, &needed);
  std::vector<std::uint64_t> buffer((needed + 7) / 8);
  auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
  ASSERT_TRUE(QueryServiceConfigW(service_.get(), config, static_cast<DWORD>(buffer.size() * 8), &needed));
  const DWORD original = config->dwStartType;
  ASSERT_TRUE(ChangeServiceConfigW(service_.get(), SERVICE_NO_CHANGE, SERVICE_DISABLED, SERVICE_NO_CHANGE,
                                   nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr));
  auto start = make_start_service_action(config_)->check(inspected());
  auto restart = make_restart_service_action(config_)->check(inspected());
  ASSERT_TRUE(ChangeServiceConfigW(service_.get(), SERVICE_NO_CHANGE, original, SERVICE_NO_CHANGE, nullptr,
                                   nullptr, nullptr, nullptr, nullptr, nullptr, nullptr));
  ASSERT_FALSE(start.ok());
  EXPECT_EQ(start.error().what, ids::action::kStartRdpService);
  EXPECT_EQ(start.error().object, "TermService");
  EXPECT_THAT(start.error().detail, HasSubstr("an administrator disabled the service"));
  EXPECT_FALSE(restart.ok());
}

TEST(ServiceActions, RefuseAServiceThatDoesNotExist) {
  auto config = test_support::isolated_config();
  config.is_administrator = [] { return Result<bool>(true); };
  for (auto& a : {make_start_service_action(config), make_restart_service_action(config)}) {
    auto checked = a->check(HostState{});
    ASSERT_FALSE(checked.ok());
    EXPECT_EQ(checked.error().what, "open the service");
    EXPECT_EQ(checked.error().object, "RdpMendTestNoSuchService");
    EXPECT_THAT(checked.error().detail, HasSubstr("(error 1060)"));  // ERROR_SERVICE_DOES_NOT_EXIST
  }
}

TEST(ServiceActions, VerifyNeedsTheServiceRunningAndAUsableListener) {
  auto config = test_support::isolated_config();
  config.rdp_service = L"TermService";
  auto a = make_restart_service_action(config);
  HostState s;
  EXPECT_THAT(a->verify(s).error().detail, HasSubstr("not installed"));
  s.services.push_back({"TermService", true, "stopped", "manual", ""});
  EXPECT_THAT(a->verify(s).error().detail, HasSubstr("the service is stopped"));
  s.services[0].state = "running";
  EXPECT_TRUE(a->verify(s).ok());
  s.self_probe = inspect::SelfProbe{"127.0.0.1:3389", "tls-failed", {"the server reset the connection"}};
  auto probed = a->verify(s);
  ASSERT_FALSE(probed.ok());
  EXPECT_THAT(probed.error().detail, HasSubstr("tls-failed (the server reset the connection)"));
  s.self_probe->verdict = "nla-required";
  EXPECT_TRUE(a->verify(s).ok());
}

}  // namespace
}  // namespace rdpmend::actions
