#include "cli/stop_signals.h"

#include <csignal>

#include <spdlog/spdlog.h>
#include <boost/asio/signal_set.hpp>

namespace rdpmend::cli {

// A console run on Windows: Ctrl+C and Ctrl+Break through Asio on the agent's own thread. The service host
// does not use this: the SCM's stop reaches the agent through the service control handler.
struct StopSignals::State {
  explicit State(boost::asio::io_context& io) : signals(io, SIGINT, SIGTERM) {}
  boost::asio::signal_set signals;
};

StopSignals::StopSignals(boost::asio::io_context& io, std::function<void()> stop)
    : state_(std::make_unique<State>(io)) {
  state_->signals.async_wait([stop = std::move(stop)](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: stopping", signal);
    stop();
  });
}

void StopSignals::stopped() {}

StopSignals::~StopSignals() {
  boost::system::error_code ignored;
  state_->signals.cancel(ignored);
}

}  // namespace rdpmend::cli
