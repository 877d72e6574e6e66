#include "cli/logging.h"

#include <filesystem>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "util/printable.h"

namespace rdpmend::cli {
namespace {

// The message is escaped once here rather than at each call site: a call site that forgets cannot exist.
class PrintableLogger final : public spdlog::logger {
 public:
  using spdlog::logger::logger;

  std::shared_ptr<spdlog::logger> clone(std::string name) override {
    auto cloned = std::make_shared<PrintableLogger>(*this);
    cloned->name_ = std::move(name);
    return cloned;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string text = util::printable(std::string_view(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg escaped = msg;
    escaped.payload = spdlog::string_view_t(text.data(), text.size());
    spdlog::logger::sink_it_(escaped);
  }
};

}  // namespace

std::shared_ptr<spdlog::logger> make_printable_logger(std::string name, spdlog::sink_ptr sink) {
  return std::make_shared<PrintableLogger>(std::move(name), std::move(sink));
}

void setup_cli_logging(spdlog::level::level_enum level) {
  try {
    auto logger = make_printable_logger("rdpmend", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    logger->set_pattern("rdpmend: %^%l%$: %v");
    logger->set_level(level);
    spdlog::set_default_logger(std::move(logger));
  } catch (...) {
    // Without a console logger the default one (stdout) would mix with results: silence it instead.
    spdlog::set_level(spdlog::level::off);
  }
  spdlog::set_error_handler([](const std::string&) {});
}

Status add_agent_log_file(const std::string& folder) {
  try {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) return Error{"create the log folder", folder, ec.message()};
    auto logger = spdlog::default_logger();
    auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        (std::filesystem::path(folder) / "rdpmend.log").string(), 10 * 1024 * 1024, 5);
    file->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
    logger->sinks().push_back(std::move(file));
    logger->sinks().front()->set_pattern("rdpmend: %^%l%$: %v");
    logger->flush_on(spdlog::level::info);  // an agent's log is read while it runs
    return Ok{};
  } catch (const std::exception& e) {
    return Error{"open the log file", folder, e.what()};
  }
}

}  // namespace rdpmend::cli
