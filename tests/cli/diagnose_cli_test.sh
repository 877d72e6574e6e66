#!/usr/bin/env bash
# Drives `rdpmend diagnose --host sim:FILE` and `collect` as a user would: exit codes, JSON shape, and bad
# snapshots refused with the path of the bad value. Usage: diagnose_cli_test.sh RDPMEND_BINARY TEST_DATA_DIR
set -uo pipefail
rdpmend=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"
healthy=$data/hosts/windows-healthy.json

"$rdpmend" diagnose --host "sim:$healthy" --json >"$tmp/healthy.json"
check "healthy snapshot gives 0" 0 $?
json_check "JSON has host, findings, actions, probe" "j['host']['platform'] == 'windows' and j['findings'] == [] and j['actions'] == [] and j['probe']['verdict'] == 'ok'" "$tmp/healthy.json"

python3 - "$healthy" "$tmp/broken.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j['machinekeys_acl']['matches_default'] = False
j['machinekeys_acl']['differences'] = ['missing ACE (A;;FA;;;BA)']
j['certificate']['info']['expired'] = True
json.dump(j, open(sys.argv[2], 'w'))
PY
"$rdpmend" diagnose --host "sim:$tmp/broken.json" --events "$data/synthetic/system-rdp-failures.xml" --json >"$tmp/broken-out.json"
check "findings give 1" 1 $?
json_check "both findings, ACL repair first" "sorted(f['id'] for f in j['findings']) == ['machinekeys-acl-drift', 'rdp-cert-expired'] and [a['id'] for a in j['actions']] == ['repair-machinekeys-acl', 'regenerate-rdp-cert', 'restart-rdp-service']" "$tmp/broken-out.json"
json_check "each finding has severity, summary, evidence, actions" "all(set(['id','severity','summary','evidence','actions']) <= set(f) for f in j['findings'])" "$tmp/broken-out.json"
json_check "events confirm the ACL finding" "any(e['symptom'] == 'rdp-cert-create-failed' for f in j['findings'] if f['id'] == 'machinekeys-acl-drift' for e in f['evidence']['events'])" "$tmp/broken-out.json"
json_check "events no state confirms are listed as hints" "'termservice-stopped' in [s['symptom'] for s in j['unconfirmed_symptoms']]" "$tmp/broken-out.json"

# The sessions a restart would end: shown as counted, and unknown when the snapshot does not say.
json_check "the healthy snapshot's sessions are unknown" "j['sessions'] is None and j['state']['sessions'] is None" "$tmp/healthy.json"
python3 - "$healthy" "$tmp/sessions.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j['sessions'] = {'active': 2, 'disconnected': 1}
json.dump(j, open(sys.argv[2], 'w'))
PY
"$rdpmend" diagnose --host "sim:$tmp/sessions.json" --json >"$tmp/sessions-out.json"
json_check "counted sessions in diagnose --json" "j['sessions'] == {'active': 2, 'disconnected': 1}" "$tmp/sessions-out.json"
"$rdpmend" diagnose --host "sim:$tmp/sessions.json" >"$tmp/sessions-out.txt"
printable_check "counted sessions in the text" "$tmp/sessions-out.txt" "Sessions: 2 active, 1 disconnected"
"$rdpmend" diagnose --host "sim:$healthy" >"$tmp/unknown-sessions.txt"
printable_check "unknown sessions in the text" "$tmp/unknown-sessions.txt" "Sessions: unknown"

"$rdpmend" diagnose --host "sim:$healthy" --events "$data/synthetic/system-rdp-failures.xml" >"$tmp/forged.txt"
check "events alone on a healthy host give 0" 0 $?

# Hostile text in a snapshot (collected from a host someone else controls): a name that retitles the terminal,
# a state value with an 8-bit CSI and a clear-screen. Shown escaped.
python3 - "$healthy" "$tmp/hostile.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j['hostname'] = 'RDPHOST01\x1b]0;owned\x07'
j['machinekeys_acl']['matches_default'] = False
j['machinekeys_acl']['differences'] = ['missing ACE \x9b2J\x1b[2J']
json.dump(j, open(sys.argv[2], 'w'))
PY
"$rdpmend" diagnose --host "sim:$tmp/hostile.json" >"$tmp/hostile.txt"
check "hostile snapshot: the finding is still reported (1)" 1 $?
printable_check "the host name is shown escaped" "$tmp/hostile.txt" 'Host RDPHOST01\x1b]0;owned\x07 (windows'
printable_check "a state value is shown escaped (C1 as \\u009b)" "$tmp/hostile.txt" 'missing ACE \u009b2J\u001b[2J'

printf '{"snapshot_version": 1, "platform": "windows", "listener": {"port": "3389"}}' >"$tmp/bad.json"
"$rdpmend" diagnose --host "sim:$tmp/bad.json" 2>"$tmp/bad.err" >/dev/null
check "a bad snapshot gives 3" 3 $?
grep -q "/listener/port" "$tmp/bad.err" && echo "ok   the error names the bad value" || { echo "FAIL bad snapshot error: $(cat "$tmp/bad.err")"; failures=$((failures + 1)); }

"$rdpmend" diagnose --host "sim:$tmp/missing.json" 2>/dev/null >/dev/null
check "a missing snapshot gives 3" 3 $?
"$rdpmend" diagnose --host bogus 2>/dev/null >/dev/null
check "an unknown host kind gives 3" 3 $?

"$rdpmend" diagnose --host "sim:$healthy" --since forever >/dev/null 2>&1
check "a bad --since is bad usage (2)" 2 $?

exit $((failures > 0))
