#pragma once
// A fresh, empty temporary folder for the running test.
// Named after the test and the build folder, not random: a death test's child that re-runs the test (the
// Windows style) must find the same folder as its parent, and two builds' runs must not share one.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>

namespace rdpmend::test {

inline std::filesystem::path fresh_test_folder() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "." + info->name();
  for (auto& c : name)
    if (c == '/') c = '_';
  const auto build = std::hash<std::string>{}(std::filesystem::current_path().string());
  const auto folder =
      std::filesystem::temp_directory_path() / ("rdpmend-" + name + "-" + std::to_string(build % 100000));
  std::error_code ignored;
  std::filesystem::remove_all(folder, ignored);
  std::filesystem::create_directories(folder);
  return folder;
}

}  // namespace rdpmend::test
