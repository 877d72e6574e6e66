#pragma once
// What the agent reports, as data: one type per kind of event. The agent emits them through one sink
// (AgentEventSink); the text log (agent_event_text.h), the JSON lines of `rdpmend run --json`
// (agent_event_json.h) and the Windows Event Log (service/windows/event_ids.h: the ids are a table keyed by
// these types) are renderers of the same value, so none of them parses another's words.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "journal/states.h"
#include "plan/skip_reason.h"
#include "policy.h"  // policies/: Mode

namespace rdpmend::agent {

enum class LogLevel { kInfo, kWarning, kError };

struct AgentStarted {
  policy::Mode mode = policy::Mode::kObserve;
  std::chrono::seconds health_interval{0};
  std::size_t sources = 0;
};

struct AgentStopped {};

// A failure symptom in the events: a pass follows after the settle time.
struct SymptomDetected {
  std::string symptom;
  std::string channel;
  std::chrono::milliseconds settle{0};
};

struct PassStarted {
  std::string trigger;
  std::string why;  // the symptoms, "periodic health check", ...
};

// What the pass's inspection found (empty: a healthy host).
struct PassFindings {
  std::string why;
  std::vector<std::string> findings;
};

// The pass stopped on an error; nothing more was changed.
struct PassFailed {
  std::string why;
  std::string error;
};

// One action's end: run by this pass, or finished after an interruption (recovered).
struct ActionOutcome {
  std::string action;
  std::string target;
  journal::ActionState outcome = journal::ActionState::kSkipped;
  std::optional<plan::SkipReason> skip;
  std::optional<std::int64_t> action_row;
  std::string detail;
  bool recovered = false;
};

// A finding came back too often after fixes: its action is held back until an administrator looks.
struct BreakerOpened {
  std::string action;
  std::string target;
  std::string detail;
};

struct SelfProbeVerdict {
  std::string verdict;
};

// An event source could not read, or lost events (gap: the journal's audit has it too).
struct SourceProblem {
  std::string channel;
  std::string text;
  bool gap = false;
};

// The journal did not answer (bookmarks): events may be read again, nothing is lost.
struct JournalProblem {
  LogLevel level = LogLevel::kWarning;
  std::string text;
};

// A policy value was ignored, or a policy source could not be read (Mode capped at Observe).
struct PolicyProblem {
  std::string text;
  bool source_unread = false;
};

using AgentEvent = std::variant<AgentStarted, AgentStopped, SymptomDetected, PassStarted, PassFindings,
                                PassFailed, ActionOutcome, BreakerOpened, SelfProbeVerdict, SourceProblem,
                                JournalProblem, PolicyProblem>;

using AgentEventSink = std::function<void(const AgentEvent&)>;

}  // namespace rdpmend::agent
