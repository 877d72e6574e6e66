#!/usr/bin/env bash
# The README's demo: RdpMend healing a real xrdp with no human. On a bare Debian machine, as root: it installs
# what it needs, builds, starts an xrdp on 127.0.0.1 and `rdpmend run` (Auto mode) beside it, then breaks the
# host the 0x904 way (the private key unreadable by the xrdp user, the certificate expired). A client fails;
# the agent detects it from xrdp's log, diagnoses, repairs, verifies; the probe goes green, a real FreeRDP
# client authenticates, and `rdpmend history` shows what was done. Everything is removed at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ $(id -u) -ne 0 ]]; then
  echo "demo: run it as root (it installs packages and runs xrdp as the xrdp user)" >&2
  exit 4
fi
scripts/setup.sh
rdpmend=$(scripts/build.sh | tail -n 1)

banner() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
probe_verdict() { { "$rdpmend" probe "127.0.0.1:$port" --timeout 1000 --json || true; } | python3 -c "import json,sys; print(json.load(sys.stdin)['verdict'])"; }

source tests/e2e/lib/xrdp_instance.sh
dir=$(mktemp -d /tmp/rdpmend-demo.XXXXXX)
chmod 755 "$dir"
agent=""
display=:$((500 + RANDOM % 100))
Xvfb "$display" -nolisten tcp -screen 0 640x480x24 >/dev/null 2>&1 &
xvfb=$!
cleanup() {
  [[ -n $agent ]] && kill -TERM "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
  xrdp_stop
  kill "$xvfb" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

banner "1. A healthy xrdp on 127.0.0.1, and the RdpMend agent beside it (policy Mode Auto)"
port=$(xrdp_free_port)
xrdp_make_cert "$dir"
xrdp_write_ini "$dir" "$port" negotiate
cat >"$dir/rdpmend.toml" <<TOML
[xrdp]
ini = "$dir/xrdp.ini"
log = "$dir/xrdp.log"
user = "xrdp"

[policy]
Mode = "Auto"
AllowRegenerateRdpCert = true
TOML
chmod 600 "$dir/rdpmend.toml"
cat "$dir/rdpmend.toml"
xrdp_start "$dir" "$port"
"$rdpmend" -v run --config "$dir/rdpmend.toml" --journal "$dir/journal.db" --log-dir "$dir/logs" --settle 0.5 \
  2> >(sed -u 's/^/   [agent] /') &
agent=$!
for _ in $(seq 1 100); do grep -qs "pass (start" "$dir/logs/rdpmend.log" && break; sleep 0.05; done
echo "probe: $(probe_verdict)"

banner "2. The fault: the key becomes unreadable for the xrdp user and the certificate has expired"
xrdp_make_expired_cert "$dir"
chown root:root "$dir/key.pem"
chmod 600 "$dir/key.pem"
ls -l "$dir/key.pem" "$dir/cert.pem" | sed 's/^/   /'
echo "probe: $(probe_verdict)"

banner "3. A user connects and fails; nobody runs a command"
t0=$(date +%s%N)
echo "client: $(python3 tests/e2e/lib/rdp_connect.py 127.0.0.1 "$port" | tr '\n' ' ')(selected=0: TLS was silently dropped, the 0x904 family)"
verdict=""
for _ in $(seq 1 120); do
  verdict=$(probe_verdict)
  [[ $verdict == ok ]] && break
  sleep 0.25
done
t1=$(date +%s%N)
sleep 0.3

banner "4. Verified: the probe, and a real FreeRDP client"
echo "probe: $verdict  (first failure -> verified repair: $(((t1 - t0) / 1000000)) ms)"
mkdir -p "$dir/home"
if HOME="$dir/home" DISPLAY="$display" timeout 30 xfreerdp "/v:127.0.0.1:$port" /u:test /p:test +auth-only /sec:tls \
  /cert:ignore >"$dir/freerdp.txt" 2>&1; then
  echo "xfreerdp +auth-only /sec:tls: exit 0 (TLS and the RDP handshake work again)"
else
  echo "xfreerdp +auth-only /sec:tls: failed: $(grep -m1 ERRCONNECT "$dir/freerdp.txt")"
fi
ls -l "$dir/key.pem" "$dir/cert.pem" | sed 's/^/   /'
openssl x509 -in "$dir/cert.pem" -noout -subject -enddate | sed 's/^/   /'

banner "5. rdpmend history: every step journaled (intent, backup, apply, verify), each one reversible"
"$rdpmend" history --config "$dir/rdpmend.toml" --journal "$dir/journal.db"
echo
echo "Undo any of them with: rdpmend rollback ACTION_ID"
