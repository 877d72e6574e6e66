#!/usr/bin/env bash
# Benchmark (not a test): wall time of `rdpmend probe` against `xfreerdp +auth-only` on the same healthy
# xrdp in one run, and their ratio. Both do TCP + X.224 negotiation + a TLS handshake; xfreerdp also runs
# its client setup and the RDP security exchange up to authentication.
# Usage: tests/bench/probe_vs_xfreerdp.sh [RDPMEND_BINARY] [RUNS]   (as root, on a machine with xrdp)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rdpmend=${1:-$root/build/native/service/rdpmend}
runs=${2:-20}
source "$root/tests/e2e/lib/xrdp_instance.sh"
for tool in /usr/sbin/xrdp /usr/bin/xfreerdp /usr/bin/Xvfb; do
  [[ -x $tool ]] || { echo "SKIPPED: $tool is missing (scripts/setup.sh installs it)"; exit 0; }
done
[[ $(id -u) -eq 0 ]] || { echo "SKIPPED: needs root to run xrdp as the xrdp user"; exit 0; }

work=$(mktemp -d /tmp/rdpmend-bench.XXXXXX)
chmod 755 "$work"
display=:$((200 + RANDOM % 100))
Xvfb "$display" -nolisten tcp -screen 0 640x480x24 >/dev/null 2>&1 &
xvfb=$!
trap 'xrdp_stop; kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
port=$(xrdp_free_port)
xrdp_make_cert "$work"
xrdp_write_ini "$work" "$port" negotiate
xrdp_start "$work" "$port"
sleep 0.3  # let Xvfb come up

# time_runs COMMAND...: prints the wall times in ms, one per line.
time_runs() {
  local i start end
  for i in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 </dev/null || true
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
  done
}
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'; }

"$rdpmend" probe "127.0.0.1:$port" --json | python3 -c "import json,sys; j=json.load(sys.stdin); assert j['verdict']=='ok', j['verdict']"
probe_ms=$(time_runs "$rdpmend" probe "127.0.0.1:$port" | median)
mkdir -p "$work/home"
freerdp_ms=$(time_runs env HOME="$work/home" DISPLAY="$display" xfreerdp "/v:127.0.0.1:$port" /u:test /p:test \
  +auth-only /cert:ignore | median)
echo "runs per tool: $runs (median wall time, ms)"
echo "rdpmend probe:          $probe_ms"
echo "xfreerdp +auth-only:    $freerdp_ms"
python3 -c "print('ratio xfreerdp/probe:   %.1fx' % ($freerdp_ms / $probe_ms))"
