#!/usr/bin/env bash
# Restart torture: `rdpmend run` on a simulated host in the middle of an incident, killed again and again (SIGKILL
# at a random moment, or the test hook aborting right after a random executor step), restarted each time, while
# xrdp keeps logging failures. At the end: the host is repaired, every needed action succeeded exactly once,
# nothing is left in flight, every logged line was read (no trigger lost), and the journal is intact.
# Usage: agent_torture_test.sh RDPMEND_BINARY TEST_DATA_DIR [ROUNDS]
set -uo pipefail
rdpmend=$1
data=$2
rounds=${3:-12}
tmp=$(mktemp -d)
trap 'kill -KILL $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"

python3 - "$data/hosts/windows-healthy.json" "$tmp/host.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s['machinekeys_acl']['matches_default'] = False
s['machinekeys_acl']['file']['sddl'] = 'O:SYG:SYD:PAI(A;;FA;;;WD)'
s['certificate']['info']['expired'] = True
json.dump(s, open(sys.argv[2], 'w'), indent=2)
PY
: >"$tmp/xrdp.log"
printf '[xrdp]\nlog = "%s"\n\n[policy]\nMode = "Auto"\nAllowRegenerateRdpCert = true\n' "$tmp/xrdp.log" >"$tmp/rdpmend.toml"
chmod 600 "$tmp/rdpmend.toml"
args=(run --host "sim:$tmp/host.json" --config "$tmp/rdpmend.toml" --journal "$tmp/journal.db" --no-log-file
  --settle 0.05 --health-interval 1)
log_line() { echo "[20261125-15:00:00] [ERROR] Cannot read private key file $tmp/key.pem: Permission denied ($1)" >>"$tmp/xrdp.log"; }

steps=(after-intent after-backup after-apply after-verify)
actions=(repair-machinekeys-acl regenerate-rdp-cert)
line=0
for round in $(seq 1 "$rounds"); do
  if ((RANDOM % 2)); then
    crash="${steps[RANDOM % 4]}:${actions[RANDOM % 2]}"
    RDPMEND_TEST_CRASH_AT=$crash "$rdpmend" "${args[@]}" 2>>"$tmp/agent.err" &
  else
    crash="SIGKILL"
    "$rdpmend" "${args[@]}" 2>>"$tmp/agent.err" &
  fi
  pid=$!
  for _ in 1 2 3; do line=$((line + 1)); log_line $line; done
  sleep "0.$((RANDOM % 6))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  echo "     round $round: $crash"
done

# A last, clean run: it finishes what is left and reads the rest of the log.
for _ in 1 2 3; do line=$((line + 1)); log_line $line; done
"$rdpmend" "${args[@]}" 2>>"$tmp/agent.err" &
pid=$!
size=$(stat -c %s "$tmp/xrdp.log")
for _ in $(seq 1 100); do
  sleep 0.1
  got=$(python3 -c "
import sqlite3, sys
db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
row = db.execute('SELECT bookmark FROM bookmarks').fetchone()
print(row[0].split(':')[1] if row else 0)" "$tmp/journal.db" 2>/dev/null)
  [[ $got == "$size" ]] && break
done
kill -TERM "$pid"
wait "$pid"
check "the last run stops cleanly on SIGTERM" 0 $?
check "every logged line was read (the bookmark is at the end of the log)" "$size" "$got"

python3 - "$tmp/journal.db" >"$tmp/verdict.txt" 2>&1 <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute('PRAGMA integrity_check').fetchone()[0] == 'ok', 'integrity_check failed'
in_flight = db.execute("SELECT id, action, state FROM actions WHERE state IN ('intent','applied','verified')").fetchall()
assert not in_flight, f'left in flight: {in_flight}'
ok = dict(db.execute("SELECT action, COUNT(*) FROM actions WHERE state = 'succeeded' GROUP BY action").fetchall())
assert ok.get('repair-machinekeys-acl') == 1 and ok.get('regenerate-rdp-cert') == 1, f'successes: {ok}'
print('journal ok:', ok)
PY
verdict=$?
check "journal intact, nothing in flight, each action succeeded exactly once ($(tail -n 1 "$tmp/verdict.txt"))" 0 $verdict
"$rdpmend" diagnose --host "sim:$tmp/host.json" --json >"$tmp/after.json"
check "the host ends repaired (diagnose: no findings)" 0 $?

echo "$failures failed"
[[ $failures == 0 ]]
