// service/windows: the real rdpmend.exe as a Windows service: `service install` (with a throwaway service
// name, so no real RdpMend service is ever touched), `service status`, started and stopped through the
// service control manager, `service uninstall`; the Event Log message table compiled into the executable; the
// mapping of the agent's log lines to event ids.
//
// Wine implements the SCM (services.exe; ctest's warm wineserver keeps it alive, scripts/wine-warm.sh), so
// the lifecycle runs for real here. The agent runs on a simulated host (a copy of
// tests/data/hosts/windows-healthy.json) with its journal and log in a temporary folder, so it changes
// nothing. What Wine lacks (service SID type, required privileges and failure actions are neither stored nor
// reported; ReportEventW stores nothing) says SKIPPED under Wine and is checked on real Windows.

#include <windows.h>

#include <shellapi.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/host_privilege.h"
#include "platform/windows/handles.h"
#include "platform/windows/win_text.h"
#include "rdpmend_messages.h"
#include "service_test_support.h"
#include "windows/event_ids.h"
#include "wine_detect.h"

namespace rdpmend::service {
namespace {

using test_support::status_of;
using test_support::wait_for_state;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

// A CMake path ("/work/.../rdpmend.exe" on the Linux build host, "C:/..." on Windows) as a Windows path:
// under Wine the Unix root is drive Z:.
std::wstring windows_path(const std::string& path) {
  std::wstring p = win::widen(path);
  for (auto& c : p)
    if (c == L'/') c = L'\\';
  if (!p.empty() && p.front() == L'\\') p = L"Z:" + p;
  return p;
}

std::wstring rdpmend_exe() {
  return windows_path(RDPMEND_EXE);
}

struct Ran {
  DWORD exit_code = 0xFFFFFFFF;
  std::string output;  // stdout and stderr
};

// Runs rdpmend.exe with `arguments` (already quoted) and waits at most two minutes.
Ran run_rdpmend(const std::wstring& arguments) {
  Ran ran;
  SECURITY_ATTRIBUTES inheritable{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE read_raw = nullptr, write_raw = nullptr;
  if (!CreatePipe(&read_raw, &write_raw, &inheritable, 0)) return ran;
  win::UniqueHandle read_end(read_raw), write_end(write_raw);
  SetHandleInformation(read_end.get(), HANDLE_FLAG_INHERIT, 0);
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  startup.hStdOutput = write_end.get();
  startup.hStdError = write_end.get();
  std::wstring command = L"\"" + rdpmend_exe() + L"\" " + arguments;
  PROCESS_INFORMATION process{};
  if (!CreateProcessW(nullptr, command.data(), nullptr, nullptr, TRUE, CREATE_NO_WINDOW, nullptr, nullptr,
                      &startup, &process)) {
    ran.output = "CreateProcessW failed: " + win::error_text(GetLastError());
    return ran;
  }
  win::UniqueHandle process_handle(process.hProcess), thread_handle(process.hThread);
  write_end.reset();  // the child holds the only write end now: EOF when it exits
  char buffer[4096];
  DWORD got = 0;
  while (ReadFile(read_end.get(), buffer, sizeof buffer, &got, nullptr) && got > 0)
    ran.output.append(buffer, got);
  if (WaitForSingleObject(process_handle.get(), 120'000) != WAIT_OBJECT_0) {
    TerminateProcess(process_handle.get(), 1);
    ran.output += "\n(timed out)";
    return ran;
  }
  GetExitCodeProcess(process_handle.get(), &ran.exit_code);
  return ran;
}

std::wstring q(const fs::path& p) {
  return L"\"" + p.wstring() + L"\"";
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Polls (the log is written by another process) until `file` contains every one of `parts`, for 30 s.
bool wait_for_log(const fs::path& file, const std::vector<std::string>& parts) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    const std::string text = read_file(file);
    bool all = true;
    for (const auto& part : parts) all = all && text.find(part) != std::string::npos;
    if (all) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

template <typename T>
std::vector<BYTE> query_config2(SC_HANDLE service, DWORD level, DWORD& error) {
  DWORD needed = 0;
  QueryServiceConfig2W(service, level, nullptr, 0, &needed);
  std::vector<BYTE> buffer(std::max<DWORD>(needed, sizeof(T)));
  error = QueryServiceConfig2W(service, level, buffer.data(), static_cast<DWORD>(buffer.size()), &needed)
              ? ERROR_SUCCESS
              : GetLastError();
  return buffer;
}

class ServiceHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!cli::running_privileged())
      GTEST_SKIP() << "SKIPPED: installing a service needs an elevated Administrator";
    const auto unique = std::to_wstring(GetCurrentProcessId()) + L"-" + std::to_wstring(GetTickCount64());
    name_ = L"RdpMendTest-" + unique;
    wchar_t temp[MAX_PATH + 1] = {};
    ASSERT_NE(GetTempPathW(MAX_PATH + 1, temp), 0u);
    folder_ = fs::path(temp) / (L"rdpmend-service-" + unique);
    fs::create_directories(folder_);
    snapshot_ = folder_ / L"host.json";
    fs::copy_file(windows_path(RDPMEND_TEST_DATA "/hosts/windows-healthy.json"), snapshot_);
    manager_.reset(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    ASSERT_NE(manager_.get(), nullptr) << win::error_text(GetLastError());
  }

  void TearDown() override {
    if (name_.empty()) return;
    // Never leave a test service behind, whatever failed.
    if (win::UniqueServiceHandle left{OpenServiceW(manager_.get(), name_.c_str(), SERVICE_QUERY_STATUS)}) {
      run_rdpmend(L"service uninstall --name " + name_);
      // A service whose process died while starting cannot be stopped: delete it anyway.
      if (win::UniqueServiceHandle still{OpenServiceW(manager_.get(), name_.c_str(), DELETE)})
        DeleteService(still.get());
    }
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }

  // The agent options every test service gets: a simulated host, its own journal and log folder, a health
  // check each second (so the log shows the loop running).
  std::wstring agent_options(const fs::path& snapshot) const {
    return L"--host " + q(L"sim:" + snapshot.wstring()) + L" --journal " + q(folder_ / L"journal.db") +
           L" --log-dir " + q(folder_ / L"logs") + L" --health-interval 1";
  }

  Ran install(const std::wstring& extra = L"") {
    return run_rdpmend(L"service install --name " + name_ + L" " + agent_options(snapshot_) + extra);
  }

  win::UniqueServiceHandle open(DWORD access) const {
    return win::UniqueServiceHandle(OpenServiceW(manager_.get(), name_.c_str(), access));
  }

  fs::path log_file() const { return folder_ / L"logs" / L"rdpmend.log"; }

  std::wstring name_;
  fs::path folder_;
  fs::path snapshot_;
  win::UniqueServiceHandle manager_;
};

TEST_F(ServiceHostTest, InstallsAnAutoStartLocalSystemServiceThatRunsTheAgentWithItsOptions) {
  auto installed = install();
  ASSERT_EQ(installed.exit_code, 0u) << installed.output;
  EXPECT_THAT(installed.output, HasSubstr("installed service " + win::narrow(name_)));

  auto service = open(SERVICE_QUERY_CONFIG);
  ASSERT_NE(service.get(), nullptr) << win::error_text(GetLastError());
  DWORD needed = 0;
  QueryServiceConfigW(service.get(), nullptr, 0, &needed);
  std::vector<BYTE> buffer(needed);
  ASSERT_TRUE(QueryServiceConfigW(service.get(), reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data()),
                                  needed, &needed))
      << win::error_text(GetLastError());
  const auto* config = reinterpret_cast<const QUERY_SERVICE_CONFIGW*>(buffer.data());
  EXPECT_EQ(config->dwServiceType, static_cast<DWORD>(SERVICE_WIN32_OWN_PROCESS));
  EXPECT_EQ(config->dwStartType, static_cast<DWORD>(SERVICE_AUTO_START));
  EXPECT_EQ(std::wstring(config->lpDisplayName),
            L"RdpMend Remote Desktop self-healing agent (" + name_ + L")");
  ASSERT_NE(config->lpServiceStartName, nullptr);
  EXPECT_EQ(std::wstring(config->lpServiceStartName), L"LocalSystem");
  // The ImagePath, split the way the C runtime splits the service's command line.
  int argc = 0;
  wchar_t** argv = CommandLineToArgvW(config->lpBinaryPathName, &argc);
  ASSERT_NE(argv, nullptr);
  std::vector<std::string> image;
  for (int i = 0; i < argc; ++i) image.push_back(win::narrow(argv[i]));
  LocalFree(argv);
  EXPECT_EQ(image, (std::vector<std::string>{
                       win::narrow(rdpmend_exe()), "service", "run", "--name", win::narrow(name_), "--host",
                       "sim:" + win::narrow(snapshot_.wstring()), "--journal",
                       win::narrow((folder_ / L"journal.db").wstring()), "--log-dir",
                       win::narrow((folder_ / L"logs").wstring()), "--health-interval", "1"}));
  EXPECT_EQ(std::wstring(config->lpBinaryPathName).rfind(L"\"" + rdpmend_exe() + L"\" service run ", 0), 0u)
      << "the executable's path is quoted";

  DWORD error = 0;
  auto description = query_config2<SERVICE_DESCRIPTIONW>(service.get(), SERVICE_CONFIG_DESCRIPTION, error);
  ASSERT_EQ(error, static_cast<DWORD>(ERROR_SUCCESS)) << win::error_text(error);
  const auto* text = reinterpret_cast<const SERVICE_DESCRIPTIONW*>(description.data())->lpDescription;
  ASSERT_NE(text, nullptr);
  EXPECT_THAT(win::narrow(text), HasSubstr("Remote Desktop"));

  auto preshutdown =
      query_config2<SERVICE_PRESHUTDOWN_INFO>(service.get(), SERVICE_CONFIG_PRESHUTDOWN_INFO, error);
  ASSERT_EQ(error, static_cast<DWORD>(ERROR_SUCCESS)) << win::error_text(error);
  EXPECT_EQ(reinterpret_cast<const SERVICE_PRESHUTDOWN_INFO*>(preshutdown.data())->dwPreshutdownTimeout,
            30'000u);

  // The event source: the executable's message table, error + warning + information.
  HKEY key = nullptr;
  const std::wstring source = L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\" + name_;
  ASSERT_EQ(RegOpenKeyExW(HKEY_LOCAL_MACHINE, source.c_str(), 0, KEY_READ | KEY_WOW64_64KEY, &key),
            ERROR_SUCCESS);
  wchar_t message_file[1024] = {};
  DWORD size = sizeof message_file, type = 0;
  EXPECT_EQ(RegQueryValueExW(key, L"EventMessageFile", nullptr, &type, reinterpret_cast<BYTE*>(message_file),
                             &size),
            ERROR_SUCCESS);
  EXPECT_EQ(type, static_cast<DWORD>(REG_EXPAND_SZ));
  EXPECT_EQ(win::narrow(message_file), win::narrow(rdpmend_exe()));
  DWORD types = 0;
  size = sizeof types;
  EXPECT_EQ(RegQueryValueExW(key, L"TypesSupported", nullptr, &type, reinterpret_cast<BYTE*>(&types), &size),
            ERROR_SUCCESS);
  EXPECT_EQ(types, 7u);
  RegCloseKey(key);

  // A second install of the same name is refused and leaves the first one alone.
  auto again = install();
  EXPECT_EQ(again.exit_code, 1u) << again.output;
  EXPECT_THAT(again.output, HasSubstr("already installed"));
  EXPECT_NE(open(SERVICE_QUERY_STATUS).get(), nullptr);
}

TEST_F(ServiceHostTest, InstallsWithItsServiceSidTrimmedPrivilegesAndRestartOnFailure) {
  auto installed = install();
  ASSERT_EQ(installed.exit_code, 0u) << installed.output;
  auto service = open(SERVICE_QUERY_CONFIG);
  ASSERT_NE(service.get(), nullptr) << win::error_text(GetLastError());
  RDPMEND_SKIP_UNDER_WINE(
      "Wine's service control manager neither stores nor reports the service SID type, required privileges "
      "and failure actions (ChangeServiceConfig2W / QueryServiceConfig2W answer ERROR_INVALID_LEVEL or "
      "ignore them)");

  DWORD error = 0;
  auto sid = query_config2<SERVICE_SID_INFO>(service.get(), SERVICE_CONFIG_SERVICE_SID_INFO, error);
  ASSERT_EQ(error, static_cast<DWORD>(ERROR_SUCCESS)) << win::error_text(error);
  EXPECT_EQ(reinterpret_cast<const SERVICE_SID_INFO*>(sid.data())->dwServiceSidType,
            static_cast<DWORD>(SERVICE_SID_TYPE_UNRESTRICTED));

  auto privileges = query_config2<SERVICE_REQUIRED_PRIVILEGES_INFOW>(
      service.get(), SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO, error);
  ASSERT_EQ(error, static_cast<DWORD>(ERROR_SUCCESS)) << win::error_text(error);
  std::set<std::string> names;
  for (const wchar_t* p = reinterpret_cast<const SERVICE_REQUIRED_PRIVILEGES_INFOW*>(privileges.data())
                              ->pmszRequiredPrivileges;
       p && *p; p += wcslen(p) + 1)
    names.insert(win::narrow(p));
  EXPECT_EQ(names,
            (std::set<std::string>{"SeBackupPrivilege", "SeRestorePrivilege", "SeTakeOwnershipPrivilege",
                                   "SeSecurityPrivilege", "SeChangeNotifyPrivilege"}));

  auto failure =
      query_config2<SERVICE_FAILURE_ACTIONSW>(service.get(), SERVICE_CONFIG_FAILURE_ACTIONS, error);
  ASSERT_EQ(error, static_cast<DWORD>(ERROR_SUCCESS)) << win::error_text(error);
  const auto* actions = reinterpret_cast<const SERVICE_FAILURE_ACTIONSW*>(failure.data());
  EXPECT_EQ(actions->dwResetPeriod, 86'400u);
  ASSERT_EQ(actions->cActions, 3u);
  EXPECT_EQ(actions->lpsaActions[0].Type, SC_ACTION_RESTART);
  EXPECT_EQ(actions->lpsaActions[0].Delay, 10'000u);
  EXPECT_EQ(actions->lpsaActions[1].Type, SC_ACTION_RESTART);
  EXPECT_EQ(actions->lpsaActions[1].Delay, 60'000u);
  EXPECT_EQ(actions->lpsaActions[2].Type, SC_ACTION_NONE);
}

TEST_F(ServiceHostTest, StartsRunsTheAgentStopsCleanlyAndIsRemoved) {
  auto installed = install();
  ASSERT_EQ(installed.exit_code, 0u) << installed.output;
  auto status = run_rdpmend(L"service status --name " + name_);
  EXPECT_EQ(status.exit_code, 1u) << status.output;
  EXPECT_THAT(status.output, HasSubstr(win::narrow(name_) + ": stopped"));

  auto service = open(SERVICE_START | SERVICE_STOP | SERVICE_QUERY_STATUS);
  ASSERT_NE(service.get(), nullptr) << win::error_text(GetLastError());
  ASSERT_TRUE(StartServiceW(service.get(), 0, nullptr)) << win::error_text(GetLastError());
  ASSERT_TRUE(wait_for_state(service.get(), SERVICE_RUNNING))
      << "state " << status_of(service.get()).dwCurrentState << "; log:\n"
      << read_file(log_file());
  const auto running = status_of(service.get());
  EXPECT_NE(running.dwProcessId, 0u);
  const DWORD controls = SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN | SERVICE_ACCEPT_PRESHUTDOWN;
  EXPECT_EQ(running.dwControlsAccepted & controls, controls);

  status = run_rdpmend(L"service status --name " + name_);
  EXPECT_EQ(status.exit_code, 0u) << status.output;
  EXPECT_THAT(status.output,
              HasSubstr(win::narrow(name_) + ": running (pid " + std::to_string(running.dwProcessId) + ")"));

  // The agent's loop runs: started, then health passes on the simulated host; its journal exists.
  EXPECT_TRUE(wait_for_log(log_file(), {"agent started", "running (pid", "pass (periodic health check)"}))
      << read_file(log_file());
  EXPECT_TRUE(fs::exists(folder_ / L"journal.db"));

  SERVICE_STATUS stopping{};
  ASSERT_TRUE(ControlService(service.get(), SERVICE_CONTROL_STOP, &stopping))
      << win::error_text(GetLastError());
  ASSERT_TRUE(wait_for_state(service.get(), SERVICE_STOPPED));
  const auto stopped = status_of(service.get());
  EXPECT_EQ(stopped.dwWin32ExitCode, static_cast<DWORD>(NO_ERROR));
  EXPECT_TRUE(wait_for_log(log_file(), {"SERVICE_CONTROL_STOP: stopping", "agent stopped"}))
      << read_file(log_file());

  status = run_rdpmend(L"service status --name " + name_);
  EXPECT_EQ(status.exit_code, 1u) << status.output;
  service.reset();

  auto removed = run_rdpmend(L"service uninstall --name " + name_);
  ASSERT_EQ(removed.exit_code, 0u) << removed.output;
  EXPECT_THAT(removed.output, HasSubstr("removed service " + win::narrow(name_)));
  EXPECT_EQ(open(SERVICE_QUERY_STATUS).get(), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_SERVICE_DOES_NOT_EXIST));
  HKEY key = nullptr;
  const std::wstring source = L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\" + name_;
  EXPECT_EQ(RegOpenKeyExW(HKEY_LOCAL_MACHINE, source.c_str(), 0, KEY_READ | KEY_WOW64_64KEY, &key),
            ERROR_FILE_NOT_FOUND);
  status = run_rdpmend(L"service status --name " + name_);
  EXPECT_EQ(status.exit_code, 1u) << status.output;
  EXPECT_THAT(status.output, HasSubstr(win::narrow(name_) + ": not installed"));
}

TEST_F(ServiceHostTest, UninstallStopsARunningServiceFirst) {
  auto installed = install(L" --start");
  ASSERT_EQ(installed.exit_code, 0u) << installed.output;
  EXPECT_THAT(installed.output, HasSubstr("started service " + win::narrow(name_)));
  auto service = open(SERVICE_QUERY_STATUS);
  ASSERT_NE(service.get(), nullptr);
  EXPECT_EQ(status_of(service.get()).dwCurrentState, static_cast<DWORD>(SERVICE_RUNNING));
  service.reset();

  auto removed = run_rdpmend(L"service uninstall --name " + name_);
  ASSERT_EQ(removed.exit_code, 0u) << removed.output;
  EXPECT_TRUE(wait_for_log(log_file(), {"agent stopped"})) << read_file(log_file());
  EXPECT_EQ(open(SERVICE_QUERY_STATUS).get(), nullptr);

  auto nothing = run_rdpmend(L"service uninstall --name " + name_);
  EXPECT_EQ(nothing.exit_code, 0u) << nothing.output;
  EXPECT_THAT(nothing.output, HasSubstr("no service to remove"));
}

TEST_F(ServiceHostTest, AnAgentThatCannotStartStopsTheServiceWithItsExitStatus) {
  // A snapshot that does not exist: the agent stops at once with exit status 3 (input unusable).
  auto installed = run_rdpmend(L"service install --name " + name_ + L" " +
                               agent_options(folder_ / L"no-such-host.json") + L" --start");
  EXPECT_EQ(installed.exit_code, 1u) << installed.output;
  EXPECT_THAT(installed.output, HasSubstr("it stopped: exit status 3"));
  auto service = open(SERVICE_QUERY_STATUS);
  ASSERT_NE(service.get(), nullptr);
  ASSERT_TRUE(wait_for_state(service.get(), SERVICE_STOPPED));
  const auto stopped = status_of(service.get());
  EXPECT_EQ(stopped.dwWin32ExitCode, static_cast<DWORD>(ERROR_SERVICE_SPECIFIC_ERROR));
  EXPECT_EQ(stopped.dwServiceSpecificExitCode, 3u);
  auto status = run_rdpmend(L"service status --name " + name_);
  EXPECT_EQ(status.exit_code, 1u) << status.output;
  EXPECT_THAT(status.output, HasSubstr("stopped (exit status 3)"));
}

TEST_F(ServiceHostTest, RunOutsideTheServiceControlManagerIsRefused) {
  RDPMEND_SKIP_UNDER_WINE(
      "Wine's StartServiceCtrlDispatcherW runs ServiceMain for a program the SCM did not start instead of "
      "failing with ERROR_FAILED_SERVICE_CONTROLLER_CONNECT");
  auto ran = run_rdpmend(L"service run --name " + name_ + L" " + agent_options(snapshot_));
  EXPECT_EQ(ran.exit_code, 2u) << ran.output;
  EXPECT_THAT(ran.output, HasSubstr("started by the service control manager"));
}

// The Application log entries themselves: Wine's ReportEventW stores nothing, so only real Windows can show
// them; the message table they need is checked below under Wine too.
TEST_F(ServiceHostTest, WritesAgentStartedAndStoppedToTheApplicationLog) {
  RDPMEND_SKIP_UNDER_WINE("Wine's ReportEventW is a stub that stores nothing");
  auto installed = install(L" --start");
  ASSERT_EQ(installed.exit_code, 0u) << installed.output;
  auto removed = run_rdpmend(L"service uninstall --name " + name_);
  ASSERT_EQ(removed.exit_code, 0u) << removed.output;

  HANDLE log = OpenEventLogW(nullptr, L"Application");
  ASSERT_NE(log, nullptr) << win::error_text(GetLastError());
  std::set<DWORD> ids;
  std::vector<BYTE> buffer(64 * 1024);
  DWORD read = 0, needed = 0;
  while (ReadEventLogW(log, EVENTLOG_SEQUENTIAL_READ | EVENTLOG_BACKWARDS_READ, 0, buffer.data(),
                       static_cast<DWORD>(buffer.size()), &read, &needed)) {
    for (DWORD offset = 0; offset < read;) {
      const auto* record = reinterpret_cast<const EVENTLOGRECORD*>(buffer.data() + offset);
      const auto* source = reinterpret_cast<const wchar_t*>(record + 1);
      if (name_ == source) ids.insert(record->EventID & 0xFFFF);
      offset += record->Length;
    }
  }
  CloseEventLog(log);
  EXPECT_TRUE(ids.count(static_cast<DWORD>(EventId::kAgentStarted)));
  EXPECT_TRUE(ids.count(static_cast<DWORD>(EventId::kAgentStopped)));
}

struct Message {
  DWORD full_id;  // from the generated header: severity bits + the id
  EventId id;
};
const Message kMessages[] = {
    {MSG_AGENT_STARTED, EventId::kAgentStarted},          {MSG_AGENT_STOPPED, EventId::kAgentStopped},
    {MSG_SYMPTOM_DETECTED, EventId::kSymptomDetected},    {MSG_FINDING, EventId::kFinding},
    {MSG_ACTION_SUCCEEDED, EventId::kActionSucceeded},    {MSG_ACTION_FAILED, EventId::kActionFailed},
    {MSG_ACTION_ROLLED_BACK, EventId::kActionRolledBack}, {MSG_ACTION_SKIPPED, EventId::kActionSkipped},
    {MSG_BREAKER_OPENED, EventId::kBreakerOpened},        {MSG_POLICY_PROBLEM, EventId::kPolicyProblem},
    {MSG_AGENT_PROBLEM, EventId::kAgentProblem},
};

TEST(EventMessageTable, EveryEventIdHasAMessageInTheExecutableThatShowsTheLine) {
  ASSERT_EQ(std::size(kMessages), kAllEventIds.size());
  HMODULE exe = LoadLibraryExW(rdpmend_exe().c_str(), nullptr, LOAD_LIBRARY_AS_DATAFILE);
  ASSERT_NE(exe, nullptr) << win::error_text(GetLastError());
  for (const auto& m : kMessages) {
    EXPECT_EQ(m.full_id & 0xFFFF, static_cast<DWORD>(m.id));
    const wchar_t* line = L"the agent's line";
    DWORD_PTR arguments[] = {reinterpret_cast<DWORD_PTR>(line)};
    wchar_t* text = nullptr;
    const DWORD n = FormatMessageW(
        FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_ARGUMENT_ARRAY, exe,
        m.full_id, 0, reinterpret_cast<wchar_t*>(&text), 0, reinterpret_cast<va_list*>(arguments));
    win::LocalPtr<wchar_t> owned(text);
    ASSERT_NE(n, 0u) << "event " << static_cast<int>(m.id) << ": " << win::error_text(GetLastError());
    EXPECT_THAT(win::narrow(text), HasSubstr("the agent's line")) << static_cast<int>(m.id);
  }
  FreeLibrary(exe);
}

TEST(EventIds, MapsTheAgentsEventsToStableIds) {
  using namespace std::chrono_literals;
  using journal::ActionState;
  auto outcome = [](ActionState state) {
    return event_id_for(
        agent::ActionOutcome{"repair-machinekeys-acl", "C:\\MachineKeys", state, {}, 3, "", false});
  };
  EXPECT_EQ(event_id_for(agent::AgentStarted{policy::Mode::kAuto, 300s, 1}), EventId::kAgentStarted);
  EXPECT_EQ(event_id_for(agent::AgentStopped{}), EventId::kAgentStopped);
  EXPECT_EQ(event_id_for(agent::SymptomDetected{"tls-credential-key-unreadable", "System", 2000ms}),
            EventId::kSymptomDetected);
  EXPECT_EQ(event_id_for(agent::PassFindings{"tick", {"machinekeys-acl-drift"}}), EventId::kFinding);
  EXPECT_EQ(event_id_for(agent::PassFindings{"tick", {}}), std::nullopt)
      << "a healthy pass stays in the text log";
  EXPECT_EQ(event_id_for(agent::PassStarted{"tick:1", "periodic health check"}), std::nullopt);
  EXPECT_EQ(outcome(ActionState::kSucceeded), EventId::kActionSucceeded);
  EXPECT_EQ(outcome(ActionState::kFailed), EventId::kActionFailed);
  EXPECT_EQ(outcome(ActionState::kPreconditionFailed), EventId::kActionFailed);
  EXPECT_EQ(outcome(ActionState::kRolledBack), EventId::kActionRolledBack);
  EXPECT_EQ(outcome(ActionState::kSkipped), EventId::kActionSkipped);
  EXPECT_EQ(
      event_id_for(agent::ActionOutcome{
          "repair-rdp-key-acl", "C:\\key", ActionState::kRolledBack, {}, 7, "applied, verify failed", true}),
      EventId::kActionRolledBack)
      << "recovered after an interruption";
  EXPECT_EQ(event_id_for(agent::BreakerOpened{"regenerate-rdp-cert", "Remote Desktop", "came back 3 times"}),
            EventId::kBreakerOpened);
  EXPECT_EQ(event_id_for(agent::PolicyProblem{"MaxActionsPerHour: 0 is out of range", false}),
            EventId::kPolicyProblem);
  EXPECT_EQ(event_id_for(agent::PolicyProblem{"open HKLM\\SOFTWARE\\RdpMend", true}),
            EventId::kPolicyProblem);
  EXPECT_EQ(event_id_for(agent::PassFailed{"tick", "the journal is locked"}), EventId::kAgentProblem);
  EXPECT_EQ(event_id_for(agent::SourceProblem{"System", "subscription failed", false}),
            EventId::kAgentProblem);
  EXPECT_EQ(event_id_for(agent::JournalProblem{agent::LogLevel::kError, "bookmarks"}),
            EventId::kAgentProblem);
  EXPECT_EQ(event_id_for(agent::SelfProbeVerdict{"ok"}), std::nullopt);
}

}  // namespace
}  // namespace rdpmend::service
