#include "windows/event_log_sink.h"

#include <windows.h>

#include <mutex>

#include <spdlog/sinks/base_sink.h>

#include "platform/windows/handles.h"
#include "platform/windows/win_text.h"
#include "rdpmend_messages.h"  // generated from rdpmend_messages.mc
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
    case EventId::kPolicyProblem:
      return MSG_POLICY_PROBLEM;
    case EventId::kAgentProblem:
      return MSG_AGENT_PROBLEM;
  }
  return MSG_AGENT_PROBLEM;
}

class EventLogSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit EventLogSink(const std::wstring& source)
      : source_(RegisterEventSourceW(nullptr, source.c_str())) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (!source_ || msg.level < spdlog::level::info || msg.level == spdlog::level::off) return;
    const LineLevel level = msg.level >= spdlog::level::err    ? LineLevel::kError
                            : msg.level == spdlog::level::warn ? LineLevel::kWarning
                                                               : LineLevel::kInfo;
    const std::string_view line(msg.payload.data(), msg.payload.size());
    const auto id = event_for_line(level, line);
    if (!id) return;
    const WORD type = level == LineLevel::kError     ? EVENTLOG_ERROR_TYPE
                      : level == LineLevel::kWarning ? EVENTLOG_WARNING_TYPE
                                                     : EVENTLOG_INFORMATION_TYPE;
    const std::wstring text = win::widen(line);
    const wchar_t* strings[] = {text.c_str()};
    ReportEventW(source_.get(), type, 0, message_id(*id), nullptr, 1, 0, strings, nullptr);
  }
  void flush_() override {}

 private:
  win::UniqueEventSource source_;
};

}  // namespace

std::shared_ptr<spdlog::sinks::sink> make_event_log_sink(const std::wstring& source) {
  return std::make_shared<EventLogSink>(source);
}

}  // namespace rdpmend::service
