#include "cli/stop_signals.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace rdpmend::cli {
namespace {

// Sent by the destructor to the signal thread only (blocked everywhere else), to end its wait.
constexpr int kWake = SIGUSR2;

}  // namespace

struct StopSignals::State {
  sigset_t waited{};
  sigset_t previous{};
  std::mutex mutex;
  std::condition_variable changed;
  bool agent_stopped = false;
  bool closing = false;
  std::thread thread;
};

StopSignals::StopSignals(boost::asio::io_context& io, std::function<void()> stop)
    : state_(std::make_unique<State>()) {
  auto* s = state_.get();
  sigemptyset(&s->waited);
  sigaddset(&s->waited, SIGINT);
  sigaddset(&s->waited, SIGTERM);
  sigaddset(&s->waited, SIGHUP);
  sigaddset(&s->waited, kWake);
  // Blocked in this thread (and in every thread it starts from now on), taken by sigwait below: the thread
  // sleeps until a signal comes, with no periodic wake-up.
  pthread_sigmask(SIG_BLOCK, &s->waited, &s->previous);
  s->thread = std::thread([s, &io, stop = std::move(stop)] {
    for (;;) {
      int signal = 0;
      if (sigwait(&s->waited, &signal) != 0) continue;
      {
        std::lock_guard lock(s->mutex);
        if (s->closing) return;
      }
      if (signal == kWake) continue;
      if (signal == SIGHUP) {
        spdlog::info("signal {}: ignored (the agent keeps running)", signal);
        continue;
      }
      spdlog::info("signal {}: stopping", signal);
      boost::asio::post(io, stop);
      std::unique_lock lock(s->mutex);
      if (s->changed.wait_for(lock, kStopGrace, [s] { return s->agent_stopped || s->closing; })) return;
      spdlog::warn(
          "still busy {} ms after the stop signal: exiting now; the next start recovers what was in flight",
          kStopGrace.count());
      spdlog::default_logger()->flush();
      _exit(0);
    }
  });
}

void StopSignals::stopped() {
  std::lock_guard lock(state_->mutex);
  state_->agent_stopped = true;
  state_->changed.notify_all();
}

StopSignals::~StopSignals() {
  {
    std::lock_guard lock(state_->mutex);
    state_->closing = true;
    state_->changed.notify_all();
  }
  pthread_kill(state_->thread.native_handle(), kWake);  // ends its sigwait
  state_->thread.join();
  pthread_sigmask(SIG_SETMASK, &state_->previous, nullptr);
}

}  // namespace rdpmend::cli
