#pragma once
// Tells the Windows tests whether they run under Wine, and lets a test that would only exercise a Wine stub
// say so visibly (ctest lists it as skipped, with the reason) instead of passing silently.

#include <windows.h>

#include <gtest/gtest.h>

#include <iostream>
#include <string>

namespace rdpmend::test_support {

// Wine's ntdll exports wine_get_version; Windows' does not. Returns the Wine version, or empty on Windows.
inline std::string wine_version() {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  if (!ntdll) return {};
  using WineGetVersion = const char*(__cdecl*)();
  auto* get =
      reinterpret_cast<WineGetVersion>(reinterpret_cast<void*>(GetProcAddress(ntdll, "wine_get_version")));
  const char* version = get ? get() : nullptr;
  return version ? std::string(version) : std::string();
}

inline bool running_under_wine() {
  return !wine_version().empty();
}

}  // namespace rdpmend::test_support

// In a test body: under Wine, print "SKIPPED: <what Wine lacks>; verified on real Windows: pending" and skip.
#define RDPMEND_SKIP_UNDER_WINE(what_wine_lacks)                                                \
  do {                                                                                          \
    if (::rdpmend::test_support::running_under_wine()) {                                        \
      const std::string rdpmend_skip_reason =                                                   \
          std::string("SKIPPED: ") + (what_wine_lacks) + "; verified on real Windows: pending"; \
      std::cout << rdpmend_skip_reason << std::endl;                                            \
      GTEST_SKIP() << rdpmend_skip_reason;                                                      \
    }                                                                                           \
  } while (false)
