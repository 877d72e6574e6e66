#!/usr/bin/env bash
# Benchmark (not a test): time to repair per fault with the agent running (the fault is made -> the probe is
# green, no human), then the agent's idle RSS and CPU over a quiet period beside a healthy xrdp.
# Usage: tests/bench/agent_time_to_repair.sh [RDPMEND_BINARY] [RUNS] [IDLE_SECONDS]   (as root, with xrdp)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rdpmend=${1:-$root/build/native/service/rdpmend}
runs=${2:-3}
idle_seconds=${3:-60}
source "$root/tests/e2e/lib/xrdp_instance.sh"
[[ -x /usr/sbin/xrdp ]] || { echo "SKIPPED: xrdp is missing (scripts/setup.sh installs it)"; exit 0; }
[[ $(id -u) -eq 0 ]] || { echo "SKIPPED: needs root to run xrdp as the xrdp user"; exit 0; }
work=$(mktemp -d /tmp/rdpmend-bench.XXXXXX)
chmod 755 "$work"
agent=""
trap '[[ -n $agent ]] && kill -TERM $agent 2>/dev/null; xrdp_stop; rm -rf "$work"' EXIT

healthy() { :; }
key_unreadable() { chown root:root "$1/key.pem"; chmod 600 "$1/key.pem"; }
cert_missing() { rm -f "$1/cert.pem"; }
expired_cert() { xrdp_make_expired_cert "$1"; }
verdict() { { "$rdpmend" probe "127.0.0.1:$1" --timeout 1000 --json || true; } | python3 -c "import json,sys; print(json.load(sys.stdin)['verdict'])"; }

# start_agent DIR: xrdp + agent (Auto, settle 0.3 s, health check every 2 s); sets agent.
start_agent() {
  local dir=$1
  printf '[xrdp]\nini = "%s"\nlog = "%s"\nuser = "xrdp"\n\n[policy]\nMode = "Auto"\nAllowRegenerateRdpCert = true\n' \
    "$dir/xrdp.ini" "$dir/xrdp.log" >"$dir/rdpmend.toml"
  chmod 600 "$dir/rdpmend.toml"
  xrdp_start "$dir" "$XRDP_PORT"
  "$rdpmend" run --config "$dir/rdpmend.toml" --journal "$dir/journal.db" --no-log-file --settle 0.3 \
    --health-interval "${2:-2}" 2>"$dir/agent.err" &
  agent=$!
  for _ in $(seq 1 100); do grep -q "pass (start" "$dir/agent.err" 2>/dev/null && break; sleep 0.05; done
}

# time_to_repair FAULT CONNECT: ms from the fault to the probe green.
time_to_repair() {
  local fault=$1 connect=$2 dir=$work/$1-$RANDOM t0 t1
  xrdp_new_instance "$dir" healthy
  start_agent "$dir"
  t0=$(date +%s%N)
  "$fault" "$dir"
  [[ $connect == yes ]] && python3 "$root/tests/e2e/lib/rdp_connect.py" 127.0.0.1 "$XRDP_PORT" >/dev/null 2>&1
  for _ in $(seq 1 400); do [[ $(verdict "$XRDP_PORT") == ok ]] && break; sleep 0.05; done
  t1=$(date +%s%N)
  kill -TERM "$agent"; wait "$agent"; agent=""
  xrdp_stop
  echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

echo "time to repair (fault made -> probe green), median of $runs runs, agent settle 0.3 s, health check 2 s:"
for spec in "key_unreadable yes (event: a client fails)" "cert_missing yes (event: a client fails)" \
  "expired_cert no (health check)"; do
  read -r fault connect why <<<"$spec"
  times=$(for _ in $(seq 1 "$runs"); do time_to_repair "$fault" "$connect"; done)
  printf '  %-16s %6s ms  %s  [runs: %s]\n' "$fault" "$(echo "$times" | median)" "$why" "$(echo $times)"
done

dir=$work/idle
xrdp_new_instance "$dir" healthy
start_agent "$dir" 900
ticks() { awk '{print $14 + $15}' "/proc/$agent/stat"; }
hz=$(getconf CLK_TCK)
c0=$(ticks)
sleep "$idle_seconds"
c1=$(ticks)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$agent/status")
echo "idle agent over ${idle_seconds} s beside a healthy xrdp: CPU $(python3 -c "print('%.2f' % (($c1 - $c0) / $hz * 1000 / $idle_seconds))") ms/s ($(((c1 - c0) * 1000 / hz)) ms total), RSS ${rss} KiB"
