# Wine environment for running the MinGW cross-build's programs and tests. Source it, do not run it:
#   . scripts/wine-env.sh build/mingw
# Every Wine setting lives here: scripts/wine-warm.sh and the CMake test emulator (cmake/RdpMendWine.cmake)
# source this file, so an interactive `wine build/mingw/service/rdpmend.exe ...` sees the same prefix as ctest.
# Source it from bash or zsh: a plain POSIX sh (dash) ignores the arguments of `.`.
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

if ! rdpmend_wine_build=$(mkdir -p -- "$1" && cd -- "$1" && pwd); then
  echo "wine-env.sh: '$1' is not a usable build folder" >&2
  unset rdpmend_wine_build
  return 2 2>/dev/null || exit 2
fi
WINEPREFIX=$rdpmend_wine_build/wine-prefix
unset rdpmend_wine_build
WINEDEBUG=-all
WINEARCH=win64
WINEDLLOVERRIDES="mscoree,mshtml="
export WINEPREFIX WINEDEBUG WINEARCH WINEDLLOVERRIDES
unset DISPLAY
