#include "cli/version_command.h"

#include <iostream>

#include <SQLiteCpp/SQLiteCpp.h>
#include <openssl/crypto.h>
#include <spdlog/version.h>
#include <boost/version.hpp>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "util/json_text.h"

#ifndef RDPMEND_VERSION
#define RDPMEND_VERSION "0.0.0"
#endif

namespace rdpmend::cli {

void register_version_command(CLI::App& app, int& exit_code) {
  // `rdpmend --version` is what package tests and administrators try first; it prints one line.
  app.set_version_flag("--version", std::string("rdpmend ") + RDPMEND_VERSION);
  auto json = std::make_shared<bool>(false);
  auto* cmd =
      app.add_subcommand("version", "Print the version of rdpmend and of the libraries built into it");
  cmd->add_flag("--json", *json, "Print one JSON object");
  cmd->callback([json, &exit_code] {
    nlohmann::ordered_json j;
    j["rdpmend"] = RDPMEND_VERSION;
    j["openssl"] = OpenSSL_version(OPENSSL_VERSION);
    j["sqlite"] = SQLite::getLibVersion();
    j["boost"] = std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) +
                 "." + std::to_string(BOOST_VERSION % 100);
    j["spdlog"] = std::to_string(SPDLOG_VER_MAJOR) + "." + std::to_string(SPDLOG_VER_MINOR) + "." +
                  std::to_string(SPDLOG_VER_PATCH);
    if (*json) {
      std::cout << util::json_text(j, 2) << "\n";
    } else {
      for (const auto& [name, value] : j.items())
        std::cout << name << " " << value.get<std::string>() << "\n";
    }
    exit_code = kExitOk;
  });
}

}  // namespace rdpmend::cli
