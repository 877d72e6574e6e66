#pragma once
// The console and systemd stop of `rdpmend run`: SIGINT and SIGTERM stop the agent within kStopGrace
// whatever it is doing. The signal is taken on a thread of its own (linux/: sigwait), so a pass that is
// busy (a program it runs, a key it generates) cannot delay it; the agent is asked to stop, and if it has
// not stopped when the grace time is over the process exits at once: every action has a durable intent
// and backup, and the next start's recovery finishes or rolls back what was in flight (docs/SECURITY.md).
// SIGHUP never stops it. windows/: Ctrl+C through Asio (the service host stops the agent through the SCM).

#include <chrono>
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>

namespace rdpmend::cli {

inline constexpr std::chrono::milliseconds kStopGrace{1500};

class StopSignals {
 public:
  // `stop` runs on the io_context's thread.
  StopSignals(boost::asio::io_context& io, std::function<void()> stop);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // The agent has stopped: no forced exit any more.
  void stopped();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace rdpmend::cli
