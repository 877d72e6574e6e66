#include "cli/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace rdpmend::cli {

void setup_cli_logging(spdlog::level::level_enum level) {
  try {
    auto logger = spdlog::stderr_color_mt("rdpmend");
    logger->set_pattern("rdpmend: %^%l%$: %v");
    logger->set_level(level);
    spdlog::set_default_logger(std::move(logger));
  } catch (...) {
    // Without a console logger the default one (stdout) would mix with results: silence it instead.
    spdlog::set_level(spdlog::level::off);
  }
  spdlog::set_error_handler([](const std::string&) {});
}

}  // namespace rdpmend::cli
