# Wine environment for running the MinGW cross-build's programs and tests. Source it, do not run it:
#   . scripts/wine-env.sh build/mingw
# Every Wine setting lives here: scripts/wine-warm.sh and the CMake test emulator (cmake/RdpMendWine.cmake)
# source this file, so an interactive `wine build/mingw/service/rdpmend.exe ...` sees the same prefix as ctest.
# POSIX sh (sourced by /bin/sh as the test emulator and by bash users).
#
#   WINEPREFIX        <build>/wine-prefix: one throwaway prefix per build folder, never ~/.wine
#   WINEDEBUG=-all    no fixme/err noise on stderr (and no "wine32 is missing" hint)
#   WINEARCH=win64    Debian ships 64-bit Wine only here
#   WINEDLLOVERRIDES  no Mono / Gecko install prompts (mscoree, mshtml disabled)
#   DISPLAY unset     headless: nothing needs X, and Wine must not try to open windows

if [ -z "${1:-}" ]; then
  echo "wine-env.sh: usage: . scripts/wine-env.sh BUILD_DIR" >&2
  return 2 2>/dev/null || exit 2
fi

WINEPREFIX=$(mkdir -p "$1" && cd "$1" && pwd)/wine-prefix
WINEDEBUG=-all
WINEARCH=win64
WINEDLLOVERRIDES="mscoree,mshtml="
export WINEPREFIX WINEDEBUG WINEARCH WINEDLLOVERRIDES
unset DISPLAY
