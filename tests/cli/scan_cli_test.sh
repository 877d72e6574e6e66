#!/usr/bin/env bash
# Drives `rdpmend scan` as a user would and checks its exit codes and JSON.
# Usage: scan_cli_test.sh RDPMEND_BINARY TEST_DATA_DIR
set -uo pipefail
rdpmend=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"

"$rdpmend" scan --json --xml "$data/synthetic/system-rdp-failures.xml" >"$tmp/failures.json"
check "problems found gives 1" 1 $?
json_check "symptoms listed" "sorted(s['id'] for s in j['symptoms']) == ['rdp-cert-create-failed','rdp-cert-renew-failed','rdp-security-layer-error','termservice-stopped','tls-credential-key-unreadable']" "$tmp/failures.json"
json_check "events_read counts every event" "j['events_read'] == 8 and j['events_matched'] == 6" "$tmp/failures.json"
json_check "evidence has the required keys" "all(set(['channel','provider','event_id','record_id','time']) <= set(e) for s in j['symptoms'] for e in s['evidence'])" "$tmp/failures.json"
json_check "termservice-stopped counted twice" "[s['count'] for s in j['symptoms'] if s['id']=='termservice-stopped'] == [2]" "$tmp/failures.json"

"$rdpmend" scan --json --xml "$data/event-xml/lsm-21-win10-19044.xml" >"$tmp/healthy.json"
check "only context events gives 0" 0 $?
json_check "no symptoms" "j['symptoms'] == [] and len(j['timeline']) == 1" "$tmp/healthy.json"

printf 'not xml at all\n' >"$tmp/bad.txt"
"$rdpmend" scan --json --xml "$tmp/bad.txt" --xml "$data/event-xml/lsm-21-win10-19044.xml" >"$tmp/bad.json"
check "unreadable input gives 3" 3 $?
json_check "the error names the file and position, the good file is still read" "j['errors'][0]['file'].endswith('bad.txt') and j['errors'][0]['line'] == 1 and j['events_read'] == 1" "$tmp/bad.json"

"$rdpmend" scan --json --xml "$tmp/missing.xml" >"$tmp/missing.json"
check "missing file gives 3" 3 $?
json_check "missing file is named" "'cannot open' in j['errors'][0]['message']" "$tmp/missing.json"

"$rdpmend" scan --json --xml "$data/synthetic/system-rdp-failures.xml" --xml "$data/synthetic/system-rdp-failures.xml" >"$tmp/dup.json"
json_check "the same export twice counts once" "j['duplicates'] == 6 and [s['count'] for s in j['symptoms'] if s['id']=='termservice-stopped'] == [2]" "$tmp/dup.json"

"$rdpmend" scan --evtx-api --evtx "$data/../data/none.evtx" >/dev/null 2>&1
status=$?
if [[ $(uname -s) == Linux ]]; then check "--evtx-api (EvtQuery) is unsupported on Linux (5)" 5 $status; fi

"$rdpmend" scan >/dev/null 2>&1
check "no input is bad usage (2)" 2 $?
"$rdpmend" scan --since 5x --xml "$data/synthetic/xrdp.log" >/dev/null 2>&1
check "bad --since is bad usage (2)" 2 $?
# Log lines quote outside text: escaped, so it can neither drive the terminal nor forge a second line.
"$rdpmend" scan --since $'\x1b[2J\nrdpmend: error: forged' --xml "$data/synthetic/xrdp.log" >/dev/null 2>"$tmp/since.err"
if grep -qF '\x1b[2J\x0ardpmend: error: forged' "$tmp/since.err" && ! grep -q $'\x1b' "$tmp/since.err" &&
  [[ $(wc -l <"$tmp/since.err") == 1 ]]; then
  echo "ok   a log line shows control characters as \\xNN, on one line"
else
  echo "FAIL log line not escaped: $(od -c "$tmp/since.err" | head -5)"
  failures=$((failures + 1))
fi
"$rdpmend" frobnicate >/dev/null 2>&1
check "unknown command is bad usage (2)" 2 $?
"$rdpmend" scan --help >"$tmp/help.txt"
check "--help exits 0" 0 $?
grep -q "Exit status" "$tmp/help.txt" && echo "ok   help documents exit codes" || { echo "FAIL help lacks exit codes"; failures=$((failures + 1)); }

"$rdpmend" scan --xrdp-log "$data/synthetic/xrdp.log" >"$tmp/xrdp.txt"
check "xrdp faults give 1" 1 $?
grep -q "xrdp-key-unreadable" "$tmp/xrdp.txt" && echo "ok   human report names the symptom" || { echo "FAIL human report"; failures=$((failures + 1)); }

# Hostile text: a log line that matches a symptom but carries bytes that are not UTF-8 (0xFF, an overlong
# 0xC0 0xAF, a cut-off 0xE2 0x82) and a terminal escape (ESC [ 2 J clears the screen).
printf '[20261123-19:45:01] [ERROR] Cannot read private key file /etc/xrdp/k\xffe\xc0\xafy.pem\x1b[2J: Permission denied \xe2\x82\n' >"$tmp/hostile.log"
"$rdpmend" scan --json --xrdp-log "$tmp/hostile.log" >"$tmp/hostile.json"
check "invalid UTF-8 in a log line: scan --json still reports the symptom (1), no internal error" 1 $?
# The oracle: Python's own decoding of the raw line, which replaces as Unicode recommends (one U+FFFD per
# maximal invalid subpart), as nlohmann's error_handler_t::replace does.
JSON_PRELUDE="raw=open('$tmp/hostile.log','rb').read().decode('utf-8','replace'); log=j['symptoms'][0]['evidence'][-1]['details']['log']" \
  json_check "invalid bytes become U+FFFD in valid JSON, the rest of the line is kept" "[s['id'] for s in j['symptoms']] == ['xrdp-key-unreadable'] and log in raw and log.count('\ufffd') == 4 and '.pem\x1b[2J: Permission' in log" "$tmp/hostile.json"
if grep -q $'\x1b' "$tmp/hostile.json"; then
  echo "FAIL scan --json wrote a raw ESC byte"
  failures=$((failures + 1))
else
  echo "ok   scan --json writes no raw ESC byte"
fi
"$rdpmend" scan --xrdp-log "$tmp/hostile.log" >"$tmp/hostile.txt"
check "the same log in the human report: 1" 1 $?
printable_check "the human report shows the line with \\x1b and \\xNN, no raw control or invalid byte" "$tmp/hostile.txt" \
  'log: Cannot read private key file /etc/xrdp/k\xffe\xc0\xafy.pem\x1b[2J: Permission denied \xe2\x82'

printf '{"version": 1, "symptoms": [], "rules": [{"symptom": "nope"}]}' >"$tmp/catalog.json"
"$rdpmend" scan --catalog "$tmp/catalog.json" --xml "$data/synthetic/system-rdp-failures.xml" >/dev/null 2>"$tmp/catalog.err"
check "a bad catalog is refused (3)" 3 $?
grep -q "rules\[0\]" "$tmp/catalog.err" && echo "ok   catalog error has context" || { echo "FAIL catalog error: $(cat "$tmp/catalog.err")"; failures=$((failures + 1)); }

exit $((failures > 0))
