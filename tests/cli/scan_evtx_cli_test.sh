#!/usr/bin/env bash
# Drives `rdpmend scan --evtx` (the built-in .evtx reader, any OS) as a user would: real logs give their
# symptoms, damaged ones their errors, garbage a clear error, and the exit codes of `rdpmend --help`.
# Usage: scan_evtx_cli_test.sh RDPMEND_BINARY TEST_DATA_DIR
set -uo pipefail
rdpmend=$1
data=$2
evtx=$data/evtx
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"

# A dirty System log whose new records lie past the header's chunk count: TermService 1056.
"$rdpmend" scan --json --evtx "$evtx/system-with-rdp-cert-1056.evtx" >"$tmp/cert.json"
check "an info symptom only gives 0" 0 $?
json_check "every record is read, past the header's chunk count too" "j['events_read'] == 1160 and j['errors'] == []" "$tmp/cert.json"
json_check "TermService 1056 is found with its thumbprint" "[s['count'] for s in j['symptoms'] if s['id'] == 'rdp-cert-regenerated'] == [1] and [s['evidence'][-1]['details']['new certificate SHA-1'] for s in j['symptoms'] if s['id'] == 'rdp-cert-regenerated'] == ['59EFF2E3B509C83137E81085E02A1AC63A7E61AA']" "$tmp/cert.json"
json_check "the input is listed as evtx" "j['inputs'] == [{'source': '$evtx/system-with-rdp-cert-1056.evtx', 'kind': 'evtx', 'events': 1160, 'errors': 0}]" "$tmp/cert.json"

# The same record exported as XML by python-evtx gives the same symptom.
"$rdpmend" scan --json --xml "$data/event-xml/rcm-1056-system-raw.xml" >"$tmp/cert-xml.json"
json_check "the XML path finds the same symptom" "[s['id'] for s in j['symptoms']] == ['rdp-cert-regenerated']" "$tmp/cert-xml.json"

# RDP logons that failed (Security 4625, logon type 10): informational.
"$rdpmend" scan --json --evtx "$evtx/security-4625-logon-type-10.evtx" >"$tmp/4625.json"
check "failed RDP logons alone give 0" 0 $?
json_check "both failed logons, with user and client" "[(s['id'], s['count']) for s in j['symptoms']] == [('rdp-auth-failure', 2)] and j['symptoms'][0]['evidence'][-1]['details']['client'] == '10.23.23.9'" "$tmp/4625.json"

# RdpCoreTS/Operational from a VSS copy: torn records, reported, the rest read. Only informational symptoms
# (password guessing from the internet), so the listed input errors decide the exit status.
"$rdpmend" scan --json --evtx "$evtx/rdpcorets-operational.evtx" >"$tmp/corets.json"
check "a damaged log without warnings gives 3" 3 $?
json_check "128 failed logons (RdpCoreTS 140) are found" "[(s['id'], s['count']) for s in j['symptoms']] == [('rdp-auth-failure', 128)]" "$tmp/corets.json"
json_check "all readable records are read and each damage is listed" "j['events_read'] == 1950 and len(j['errors']) == 29 and all(e['message'].startswith('chunk ') for e in j['errors'])" "$tmp/corets.json"
json_check "the checksum mismatch names its chunk" "any(e['message'].startswith('chunk 13 (file offset 0xd1000): event records CRC32 mismatch') for e in j['errors'])" "$tmp/corets.json"

# Failures of Remote Desktop Services in a System log: problems found.
"$rdpmend" scan --json --evtx "$evtx/system-plaso.evtx" >"$tmp/plaso.json"
check "TermService failures give 1" 1 $?
json_check "TermService stopped twice, one new certificate" "[(s['id'], s['count']) for s in j['symptoms']] == [('termservice-stopped', 2), ('rdp-cert-regenerated', 1)]" "$tmp/plaso.json"

# The same logs exported by libevtx (evtxexport -f xml) and scanned as XML give the same report.
if command -v evtxexport >/dev/null; then
  for name in system-plaso system-with-rdp-cert-1056 security-4625-logon-type-10 security-4778-4779-rdp-session security-short-selected; do
    evtxexport -f xml "$evtx/$name.evtx" 2>/dev/null | tail -n +2 >"$tmp/$name.xml"
    "$rdpmend" scan --json --xml "$tmp/$name.xml" >"$tmp/$name.xml.json"
    "$rdpmend" scan --json --evtx "$evtx/$name.evtx" >"$tmp/$name.evtx.json"
    if python3 - "$tmp/$name.xml.json" "$tmp/$name.evtx.json" <<'PY'
import json, sys
def report(path):
    j = json.load(open(path))
    j.pop('inputs')
    for s in j['symptoms']:
        for e in s['evidence']:
            e.pop('source'); e.pop('line')
    for t in j['timeline']:
        t.pop('source'); t.pop('line')
    return j
sys.exit(0 if report(sys.argv[1]) == report(sys.argv[2]) else 1)
PY
    then echo "ok   $name: scan --evtx reports what scan --xml reports on evtxexport's export"
    else echo "FAIL $name: the two reports differ"; failures=$((failures + 1)); fi
  done
else
  echo "SKIPPED: evtxexport (libevtx-utils) is not installed: no comparison with the XML path"
fi

# Several files at once, human report.
"$rdpmend" scan --evtx "$evtx/system.evtx" --evtx "$evtx/security.evtx" >"$tmp/two.txt"
status=$?
grep -q "^Read 4142 events from 2 inputs" "$tmp/two.txt" && echo "ok   two files in one scan" || { echo "FAIL two files: $(head -3 "$tmp/two.txt")"; failures=$((failures + 1)); }
[[ $status == 0 || $status == 1 ]] && echo "ok   two clean files: no input error" || { echo "FAIL two files: exit $status"; failures=$((failures + 1)); }

# --since applies to .evtx files (these samples are years old).
"$rdpmend" scan --json --since 24h --evtx "$evtx/system-with-rdp-cert-1056.evtx" >"$tmp/since.json"
check "nothing recent gives 0" 0 $?
json_check "--since leaves out older events" "j['events_read'] == 0 and j['symptoms'] == [] and j['errors'] == []" "$tmp/since.json"

# Not an event log: a clear error, exit 3.
printf 'this is not an event log\n' >"$tmp/garbage.evtx"
"$rdpmend" scan --json --evtx "$tmp/garbage.evtx" >"$tmp/garbage.json"
check "garbage gives 3 (input could not be read)" 3 $?
json_check "the error says it is no .evtx file" "j['events_read'] == 0 and len(j['errors']) == 1 and j['errors'][0]['message'].startswith('not an .evtx file') and j['errors'][0]['file'].endswith('garbage.evtx')" "$tmp/garbage.json"
head -c 300000 /dev/urandom >"$tmp/random.evtx"
"$rdpmend" scan --json --evtx "$tmp/random.evtx" >"$tmp/random.json"
check "random bytes give 3" 3 $?
json_check "random bytes: two errors, no event" "j['events_read'] == 0 and len(j['errors']) == 2" "$tmp/random.json"
"$rdpmend" scan --json --evtx "$tmp/missing.evtx" >"$tmp/missing.json"
check "a missing file gives 3" 3 $?
json_check "the missing file is named" "'cannot open' in j['errors'][0]['message']" "$tmp/missing.json"

# A file cut short in its second chunk: the first chunk is read, the cut reported.
head -c $((4096 + 65536 + 30000)) "$evtx/system.evtx" >"$tmp/cut.evtx"
"$rdpmend" scan --json --evtx "$tmp/cut.evtx" >"$tmp/cut.json"
check "a truncated file gives 3" 3 $?
json_check "the truncation is reported and the whole chunk read" "j['events_read'] >= 108 and any('truncated' in e['message'] for e in j['errors'])" "$tmp/cut.json"

# The Windows event log API path is an option, and only on Windows.
if [[ $(uname -s) == Linux ]]; then
  "$rdpmend" scan --evtx-api --evtx "$evtx/system.evtx" >/dev/null 2>"$tmp/api.err"
  check "--evtx-api is not available on Linux (5)" 5 $?
  grep -q "evtx-api needs the Windows event log API" "$tmp/api.err" && echo "ok   --evtx-api says why" || { echo "FAIL --evtx-api: $(cat "$tmp/api.err")"; failures=$((failures + 1)); }
fi

"$rdpmend" scan --help >"$tmp/help.txt"
grep -q -- "--evtx-api" "$tmp/help.txt" && grep -q "built-in reader" "$tmp/help.txt" && echo "ok   help describes --evtx and --evtx-api" || { echo "FAIL help: $(grep -i evtx "$tmp/help.txt")"; failures=$((failures + 1)); }

exit $((failures > 0))
