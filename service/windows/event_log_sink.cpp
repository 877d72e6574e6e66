#include "windows/event_log_sink.h"

#include <windows.h>

#include <mutex>

#include <spdlog/sinks/base_sink.h>

#include "agent/agent_event_text.h"
#include "cli/logging.h"
#include "platform/windows/handles.h"
#include "platform/windows/win_text.h"
#include "rdpmend_messages.h"  // generated from rdpmend_messages.mc
#include "util/printable.h"
#include "windows/event_ids.h"

namespace rdpmend::service {
namespace {

// The message table's ids carry the severity in their top bits; the id Event Viewer shows is the low 16.
constexpr bool same_id(DWORD message, EventId id) {
  return (message & 0xFFFF) == static_cast<DWORD>(id);
}
static_assert(same_id(MSG_AGENT_STARTED, EventId::kAgentStarted));
static_assert(same_id(MSG_AGENT_STOPPED, EventId::kAgentStopped));
static_assert(same_id(MSG_SYMPTOM_DETECTED, EventId::kSymptomDetected));
static_assert(same_id(MSG_FINDING, EventId::kFinding));
static_assert(same_id(MSG_ACTION_SUCCEEDED, EventId::kActionSucceeded));
static_assert(same_id(MSG_ACTION_FAILED, EventId::kActionFailed));
static_assert(same_id(MSG_ACTION_ROLLED_BACK, EventId::kActionRolledBack));
static_assert(same_id(MSG_ACTION_SKIPPED, EventId::kActionSkipped));
static_assert(same_id(MSG_BREAKER_OPENED, EventId::kBreakerOpened));
static_assert(same_id(MSG_POLICY_PROBLEM, EventId::kPolicyProblem));
static_assert(same_id(MSG_AGENT_PROBLEM, EventId::kAgentProblem));

DWORD message_id(EventId id) {
  switch (id) {
    case EventId::kAgentStarted:
      return MSG_AGENT_STARTED;
    case EventId::kAgentStopped:
      return MSG_AGENT_STOPPED;
    case EventId::kSymptomDetected:
      return MSG_SYMPTOM_DETECTED;
    case EventId::kFinding:
      return MSG_FINDING;
    case EventId::kActionSucceeded:
      return MSG_ACTION_SUCCEEDED;
    case EventId::kActionFailed:
      return MSG_ACTION_FAILED;
    case EventId::kActionRolledBack:
      return MSG_ACTION_ROLLED_BACK;
    case EventId::kActionSkipped:
      return MSG_ACTION_SKIPPED;
    case EventId::kBreakerOpened:
      return MSG_BREAKER_OPENED;
    case EventId::kPolicyProblem:
      return MSG_POLICY_PROBLEM;
    case EventId::kAgentProblem:
      return MSG_AGENT_PROBLEM;
  }
  return MSG_AGENT_PROBLEM;
}

// One registered event source; ReportEventW may be called from any thread.
class EventLog {
 public:
  explicit EventLog(const std::wstring& source) : source_(RegisterEventSourceW(nullptr, source.c_str())) {}

  void report(agent::LogLevel level, EventId id, std::string_view line) const {
    if (!source_) return;
    const WORD type = level == agent::LogLevel::kError     ? EVENTLOG_ERROR_TYPE
                      : level == agent::LogLevel::kWarning ? EVENTLOG_WARNING_TYPE
                                                           : EVENTLOG_INFORMATION_TYPE;
    const std::wstring text = win::widen(line);
    const wchar_t* strings[] = {text.c_str()};
    ReportEventW(source_.get(), type, 0, message_id(id), nullptr, 1, 0, strings, nullptr);
  }

 private:
  win::UniqueEventSource source_;
};

// The process's warnings and errors that are not agent events.
class ProblemSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit ProblemSink(const std::wstring& source) : log_(source) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (msg.level < spdlog::level::warn || msg.level == spdlog::level::off) return;
    if (std::string_view(msg.logger_name.data(), msg.logger_name.size()) == cli::kAgentEventLogger) return;
    const auto level = msg.level >= spdlog::level::err ? agent::LogLevel::kError : agent::LogLevel::kWarning;
    log_.report(level, EventId::kAgentProblem, std::string_view(msg.payload.data(), msg.payload.size()));
  }
  void flush_() override {}

 private:
  EventLog log_;
};

}  // namespace

agent::AgentEventSink make_event_log_writer(const std::wstring& source) {
  auto log = std::make_shared<EventLog>(source);
  return [log](const agent::AgentEvent& event) {
    const auto id = event_id_for(event);
    if (!id) return;
    const auto line = agent::render_text(event);
    // Escaped as the text log's line is (cli/logging.h): the event's text quotes the host.
    log->report(line ? line->level : agent::LogLevel::kInfo, *id, line ? util::printable(line->text) : "");
  };
}

std::shared_ptr<spdlog::sinks::sink> make_event_log_sink(const std::wstring& source) {
  return std::make_shared<ProblemSink>(source);
}

}  // namespace rdpmend::service
