#!/usr/bin/env bash
# Keeps a warm Wine prefix for the MinGW cross-build's tests and programs.
#
#   scripts/wine-warm.sh [start] [BUILD_DIR]   create BUILD_DIR/wine-prefix if missing (`wine wineboot -i`, ~10 s
#                                              once), then start a persistent wineserver and the Wine system
#                                              processes (`wine wineboot`), detached from this script's stdio
#   scripts/wine-warm.sh stop [BUILD_DIR]      `wineserver -k` for that prefix only
# BUILD_DIR defaults to build/mingw in this checkout. The environment comes from scripts/wine-env.sh.
# RDPMEND_WINE_LINGER: seconds the warm server outlives the last Wine program (default 900, "forever": no limit).
#
# Why (reference/windows-build-notes.md, pitfall 1): the Wine system processes (services.exe, winedevice.exe, ...)
# inherit the stdio of the Wine program that started them. Started by a test under ctest, they hold ctest's output
# pipe: every test then waits ~2.5 s for them to exit, and a persistent server started that way hangs ctest. So the
# server and wineboot start here with stdin/stdout/stderr redirected and every other fd closed, and the tests
# only ever attach to the already running server (~0.02 s per program). The build's CTestCustom.cmake runs
# `wine-warm.sh start` before every ctest run (cmake/RdpMendWine.cmake), so ctest alone is enough.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=start
case "${1:-}" in
  start | stop) mode=$1; shift ;;
  -h | --help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
build=${1:-$root/build/mingw}
linger=${RDPMEND_WINE_LINGER:-900}

# shellcheck source=wine-env.sh
. "$root/scripts/wine-env.sh" "$build"
build=$(cd "$build" && pwd)
log=$build/wine-warm.log
say() { echo "wine-warm: $*" >&2; }

if ! command -v wine >/dev/null || ! command -v wineserver >/dev/null; then
  say "wine and wineserver are not installed (scripts/setup.sh installs them)"
  exit 77
fi

if [[ $mode == stop ]]; then
  if [[ -d $WINEPREFIX ]]; then
    # Only this prefix's server (and its processes) stop; other prefixes on the machine are left alone.
    wineserver -k 2>/dev/null || true
    wineserver -w 2>/dev/null || true
  fi
  say "stopped the Wine server of $WINEPREFIX"
  exit 0
fi

case $linger in
  forever) persist=-p ;;
  *[!0-9]* | '') say "RDPMEND_WINE_LINGER must be a number of seconds or 'forever', not '$linger'"; exit 2 ;;
  *) persist=-p$linger ;;
esac

# Runs "$@" with stdin from /dev/null, stdout/stderr appended to the log, and every other inherited fd closed
# (ctest's pipes, this script's lock), and waits for it. Whatever it leaves running (the server, the system
# processes) holds nothing of the caller's.
detached() {
  (
    exec </dev/null >>"$log" 2>&1
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      if ((fd > 2)); then eval "exec $fd>&-"; fi
    done
    "$@"
  )
}

# How the running wineserver of this prefix was started: "persistent" (-p, -pN with N > 0), "short-lived" (by an
# ordinary Wine program: it exits 3 s after the last one, taking the system processes with it) or "" (none).
server_kind() {
  local id pid args
  id=$(printf 'server-%x-%x' $(stat -c '%d %i' "$WINEPREFIX"))
  for pid in $(pgrep -x 'wineserver(64)?' || true); do
    [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == */"$id" ]] || continue
    args=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
    if [[ " $args" =~ \ -p(\ |[1-9]) ]]; then echo persistent; else echo short-lived; fi
    return
  done
}

now_ms() { date +%s%3N; }

# Two ctest runs may warm the same prefix at once: one at a time.
exec 9>"$build/.wine-warm.lock"
flock 9
: >"$log"

started=$(now_ms)
if [[ ! -f $WINEPREFIX/system.reg ]]; then
  say "creating the Wine prefix $WINEPREFIX (about 10 s, once per build folder)"
  if ! detached wine wineboot -i; then
    say "wine wineboot -i failed; see $log"
    exit 1
  fi
  # wineboot -i ran under a short-lived server; let it finish writing the registry and exit, then start ours.
  detached wineserver -w || true
fi

# Exit status 2: a server already runs for this prefix (an earlier warm-up, or a Wine program still lingering).
rc=0
detached wineserver "$persist" || rc=$?
case $rc in
  0) server="started a persistent wineserver ($persist)" ;;
  2)
    if [[ $(server_kind) == short-lived ]]; then
      server="a short-lived wineserver was running (started by another Wine program; tests may wait ~2.5 s each"
      server+=" until it exits: 'scripts/wine-warm.sh stop' then warm again)"
    else
      server="a persistent wineserver was already running"
    fi
    ;;
  *) say "wineserver $persist failed (exit $rc); see $log"; exit 1 ;;
esac
if ! detached wine wineboot; then
  say "wine wineboot failed; see $log"
  exit 1
fi
elapsed=$(($(now_ms) - started))
say "$server for $WINEPREFIX; ready in $((elapsed / 1000)).$(printf '%03d' $((elapsed % 1000))) s"
