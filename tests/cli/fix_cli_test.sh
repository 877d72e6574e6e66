#!/usr/bin/env bash
# Drives fix, approve, rollback and history on a simulated host (a snapshot file the actions write back), as
# an administrator would: preview, apply, look at the history, roll back, crash and recover, and the refusals.
# Usage: fix_cli_test.sh RDPMEND_BINARY TEST_DATA_DIR
set -uo pipefail
rdpmend=$1
data=$2
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"

broken() {  # broken FILE: MachineKeys ACL drift and an expired certificate
  python3 - "$data/hosts/windows-healthy.json" "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s['machinekeys_acl']['matches_default'] = False
s['machinekeys_acl']['file']['sddl'] = 'O:SYG:SYD:PAI(A;;FA;;;WD)'
s['certificate']['info']['expired'] = True
json.dump(s, open(sys.argv[2], 'w'), indent=2)
PY
}
policy() {  # policy FILE MODE
  printf '[policy]\nMode = "%s"\nAllowRegenerateRdpCert = true\nAllowRestartRdpService = true\nAllowServiceRestartWithActiveSessions = true\n' "$2" >"$1"
  chmod 600 "$1"
}
policy "$tmp/auto.toml" Auto
policy "$tmp/approve.toml" Approve
policy "$tmp/observe.toml" Observe

# Usage errors.
"$rdpmend" fix --host "sim:$tmp/none.json" >/dev/null 2>&1
check "fix without --dry-run or --apply is a usage error" 2 $?
"$rdpmend" fix --dry-run --apply --host "sim:$tmp/none.json" >/dev/null 2>&1
check "fix with both is a usage error" 2 $?
"$rdpmend" fix --dry-run --only reticulate-splines --host "sim:$tmp/none.json" >/dev/null 2>&1
check "fix --only with an unknown action is a usage error" 2 $?
"$rdpmend" fix --dry-run --host "sim:$tmp/none.json" >/dev/null 2>&1
check "a missing snapshot is an input error" 3 $?

# Dry run: the plan with checks and backups, nothing changed, nothing recorded.
broken "$tmp/host.json"
cp "$tmp/host.json" "$tmp/original.json"
"$rdpmend" fix --dry-run --json --host "sim:$tmp/host.json" --config "$tmp/auto.toml" >"$tmp/dry.json"
check "dry run on a broken host gives 1" 1 $?
json_check "dry run: every action would apply, none recorded" "j['dry_run'] and [a['action'] for a in j['actions']] == ['repair-machinekeys-acl','regenerate-rdp-cert','restart-rdp-service'] and all(a['outcome'] == 'would-apply' and a['action_id'] is None for a in j['actions'])" "$tmp/dry.json"
cmp -s "$tmp/host.json" "$tmp/original.json"
check "dry run leaves the host as it was" 0 $?

# Observe: findings reported, nothing changed.
"$rdpmend" fix --apply --json --host "sim:$tmp/host.json" --config "$tmp/observe.toml" >"$tmp/observe.json"
check "Observe leaves findings: 1" 1 $?
json_check "Observe skips every action and says why" "all(a['outcome'] == 'skipped' and a['skip'] == 'mode-observe' and 'Observe' in a['detail'] for a in j['actions'])" "$tmp/observe.json"
cmp -s "$tmp/host.json" "$tmp/original.json"
check "Observe leaves the host as it was" 0 $?

# Apply in Auto mode.
"$rdpmend" fix --apply --json --host "sim:$tmp/host.json" --config "$tmp/auto.toml" >"$tmp/apply.json"
check "fix --apply repairs the host: 0" 0 $?
# SessionEnv makes the new certificate on Windows: the TermService restart is not needed (docs/SESSIONS.md).
json_check "the repairs succeeded, in order, with ids; no restart needed" "[a['outcome'] for a in j['actions']] == ['succeeded','succeeded','skipped'] and j['actions'][2]['skip'] == 'nothing-to-restart' and [a['action_id'] for a in j['actions']] == [1,2,None] and j['findings_after'] == [] and j['plan_id'] == 1" "$tmp/apply.json"
"$rdpmend" history --json --host "sim:$tmp/host.json" >"$tmp/history.json"
check "history gives 0" 0 $?
json_check "history lists the two changes with every step's time" "[a['state'] for a in j['actions']] == ['succeeded']*2 and all(a['backup_at'] and a['applied_at'] and a['verified_at'] and a['finished_at'] for a in j['actions'])" "$tmp/history.json"
"$rdpmend" history --host "sim:$tmp/host.json" >"$tmp/history.txt"
grep -q "regenerate-rdp-cert *succeeded" "$tmp/history.txt"
check "history for people names action and state" 0 $?
"$rdpmend" history --since forever --host "sim:$tmp/host.json" >/dev/null 2>&1
check "history with a bad --since is a usage error" 2 $?

# Roll the certificate and the ACL back: the host is broken again exactly as before.
"$rdpmend" rollback 2 --host "sim:$tmp/host.json" >/dev/null
check "rollback 2 gives 0" 0 $?
"$rdpmend" rollback 1 --json --host "sim:$tmp/host.json" >"$tmp/rollback.json"
check "rollback 1 gives 0" 0 $?
json_check "after both rollbacks the findings are back" "sorted(j['findings_after']) == ['machinekeys-acl-drift','rdp-cert-expired'] and j['rollback']['outcome'] == 'rolled-back'" "$tmp/rollback.json"
# Compared as rdpmend reads them (the saved snapshot spells out defaults the hand-made one leaves out).
"$rdpmend" diagnose --json --host "sim:$tmp/host.json" >"$tmp/after-rollback.json"
"$rdpmend" diagnose --json --host "sim:$tmp/original.json" >"$tmp/original-state.json"
python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['state']; b=json.load(open(sys.argv[2]))['state']; sys.exit(0 if a['machinekeys_acl']==b['machinekeys_acl'] and a['certificate']==b['certificate'] else 1)" "$tmp/after-rollback.json" "$tmp/original-state.json"
check "the rolled-back facets equal the original snapshot" 0 $?
"$rdpmend" rollback 3 --host "sim:$tmp/host.json" >/dev/null 2>&1
check "a service restart cannot be rolled back: 3" 3 $?
"$rdpmend" rollback 99 --host "sim:$tmp/host.json" >/dev/null 2>&1
check "an unknown action: 3" 3 $?
"$rdpmend" rollback 1 --host "sim:$tmp/host.json" >"$tmp/twice.txt"
grep -q "already rolled back" "$tmp/twice.txt"
check "rolling back twice says so" 0 $?

# Within the cooldown, the same fix is held back.
"$rdpmend" fix --apply --json --host "sim:$tmp/host.json" --config "$tmp/auto.toml" >"$tmp/cooldown.json"
check "cooldown leaves the findings: 1" 1 $?
json_check "the repeat is held back by the cooldown" "all(a['outcome'] == 'skipped' for a in j['actions']) and any(a['skip'] == 'cooldown' for a in j['actions'])" "$tmp/cooldown.json"

# Approve mode: a proposed plan, then approve runs it once.
broken "$tmp/approve.json"
"$rdpmend" fix --apply --json --host "sim:$tmp/approve.json" --config "$tmp/approve.toml" >"$tmp/proposed.json"
check "Approve mode proposes: 1" 1 $?
json_check "the plan awaits approval" "j['plan_id'] == 1 and all(a['awaits_approval'] and a['outcome'] == 'skipped' for a in j['actions'])" "$tmp/proposed.json"
"$rdpmend" fix --apply --host "sim:$tmp/approve.json" --config "$tmp/approve.toml" >"$tmp/proposed.txt"
grep -q "Plan 1 awaits approval: rdpmend approve 1" "$tmp/proposed.txt"
check "proposing the same again reuses plan 1 and says how to approve" 0 $?
"$rdpmend" approve 1 --json --host "sim:$tmp/approve.json" --config "$tmp/approve.toml" >"$tmp/approved.json"
check "approve 1 repairs: 0" 0 $?
json_check "the approved plan ran" "j['plan_id'] == 1 and [a['outcome'] for a in j['actions']] == ['succeeded','succeeded','skipped']" "$tmp/approved.json"
"$rdpmend" approve 1 --host "sim:$tmp/approve.json" --config "$tmp/approve.toml" >/dev/null 2>&1
check "approving twice: 3" 3 $?

# A crash after the certificate was replaced but before the journal knew; the next run finishes it first.
broken "$tmp/crash.json"
RDPMEND_TEST_CRASH_AT=after-apply:regenerate-rdp-cert "$rdpmend" fix --apply --host "sim:$tmp/crash.json" --config "$tmp/auto.toml" >/dev/null 2>&1
status=$?
[[ $status -ge 128 || $status -eq 134 ]] && status=aborted
check "the test hook aborts the process" aborted "$status"
"$rdpmend" fix --apply --json --host "sim:$tmp/crash.json" --config "$tmp/auto.toml" >"$tmp/recovered.json"
check "the next run recovers and finishes: 0" 0 $?
json_check "the interrupted action is verified first, then the rest runs" "[(a['action'], a['outcome']) for a in j['recovered']] == [('regenerate-rdp-cert','succeeded')] and j['findings_after'] == []" "$tmp/recovered.json"
# The same crash with a user signed in: the recovered change may not be served yet, and its restart waits for
# the session, pending in the journal; the next run after the user left runs it, and the hold ends.
broken "$tmp/held.json"
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); s['sessions']={'active':1,'disconnected':0}; json.dump(s,open(sys.argv[1],'w'))" "$tmp/held.json"
printf '[policy]\nMode = "Auto"\nAllowRegenerateRdpCert = true\nAllowRestartRdpService = true\n' >"$tmp/guarded.toml"
chmod 600 "$tmp/guarded.toml"
RDPMEND_TEST_CRASH_AT=after-apply:regenerate-rdp-cert "$rdpmend" fix --apply --host "sim:$tmp/held.json" --config "$tmp/guarded.toml" >/dev/null 2>&1
"$rdpmend" fix --apply --json --host "sim:$tmp/held.json" --config "$tmp/guarded.toml" >"$tmp/held-fix.json"
json_check "the restart the recovered change needs is held back and pending" "j['actions'][-1]['action'] == 'restart-rdp-service' and j['actions'][-1]['skip'] == 'active-sessions' and [(h['action'], h['target'], h['reason']) for h in j['held_restarts']] == [('restart-rdp-service','TermService','active-sessions')]" "$tmp/held-fix.json"
"$rdpmend" history --json --host "sim:$tmp/held.json" >"$tmp/held-history.json"
json_check "history --json shows the pending hold with its reason" "[(h['state'], h['reason'], h['ran_as']) for h in j['held_restarts']] == [('pending','active-sessions',None)] and '1 active' in j['held_restarts'][0]['detail']" "$tmp/held-history.json"
"$rdpmend" history --host "sim:$tmp/held.json" >"$tmp/held-history.txt"
grep -q "restart-rdp-service *pending *TermService" "$tmp/held-history.txt" && grep -q "waits (active-sessions): 1 active" "$tmp/held-history.txt"
check "history for people shows the pending restart and what it waits for" 0 $?
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); s['sessions']={'active':0,'disconnected':0}; json.dump(s,open(sys.argv[1],'w'))" "$tmp/held.json"
"$rdpmend" fix --apply --json --host "sim:$tmp/held.json" --config "$tmp/guarded.toml" >"$tmp/held-ran.json"
json_check "with the session gone the pending restart runs" "[(a['action'], a['outcome']) for a in j['actions']] == [('restart-rdp-service','succeeded')] and j['held_restarts'] == []" "$tmp/held-ran.json"
"$rdpmend" history --json --host "sim:$tmp/held.json" >"$tmp/held-history.json"
json_check "the hold ended as the action that ran it" "[h['state'] for h in j['held_restarts']] == ['ran'] and j['held_restarts'][0]['ran_as'] == [a['id'] for a in j['actions'] if a['action'] == 'restart-rdp-service'][0]" "$tmp/held-history.json"
RDPMEND_TEST_CRASH_AT=sometime "$rdpmend" fix --apply --host "sim:$tmp/crash.json" --config "$tmp/auto.toml" >/dev/null 2>&1
check "a malformed crash point is a usage error" 2 $?

# A corrupt journal: nothing changes, and the error says why.
broken "$tmp/corrupt.json"
cp "$tmp/corrupt.json" "$tmp/corrupt-before.json"
printf 'not a database, just text' >"$tmp/corrupt.json.journal.db"
chmod 600 "$tmp/corrupt.json.journal.db"
"$rdpmend" fix --apply --host "sim:$tmp/corrupt.json" --config "$tmp/auto.toml" >/dev/null 2>"$tmp/err.txt"
check "a corrupt journal: 3" 3 $?
grep -q "nothing was changed" "$tmp/err.txt"
check "and it says nothing was changed" 0 $?
cmp -s "$tmp/corrupt.json" "$tmp/corrupt-before.json"
check "the host is as it was" 0 $?
"$rdpmend" fix --dry-run --host "sim:$tmp/corrupt.json" --config "$tmp/auto.toml" >/dev/null 2>"$tmp/err.txt"
check "a dry run still previews with a corrupt journal: 1" 1 $?

# The configured restart command: an argv list whose program is an absolute path.
printf '[xrdp]\nrestart = "systemctl restart xrdp"\n' >"$tmp/restart-string.toml"
printf '[xrdp]\nrestart = ["systemctl", "restart", "xrdp"]\n' >"$tmp/restart-relative.toml"
printf '[xrdp]\nrestart = []\n' >"$tmp/restart-empty.toml"
printf '[xrdp]\nrestart = ["/usr/bin/systemctl", "restart", "xrdp"]\n' >"$tmp/restart-good.toml"
chmod 600 "$tmp"/restart-*.toml
for bad in string relative empty; do
  "$rdpmend" fix --dry-run --host "sim:$tmp/host.json" --config "$tmp/restart-$bad.toml" >/dev/null 2>"$tmp/err.txt"
  check "[xrdp] restart as $bad is refused: 3" 3 $?
  grep -q "restart" "$tmp/err.txt"
  check "and the error names the setting" 0 $?
done
"$rdpmend" fix --dry-run --host "sim:$tmp/host.json" --config "$tmp/restart-good.toml" >/dev/null 2>&1
[[ $? -le 1 ]]
check "an absolute argv list is accepted" 0 $?

# Changing commands need root on the local host.
if [[ $(id -u) == 0 ]] && command -v setpriv >/dev/null; then
  cp "$rdpmend" "$tmp/rdpmend" && chmod 755 "$tmp/rdpmend"
  setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/rdpmend" fix --apply --journal "$tmp/j.db" 2>"$tmp/err.txt" >/dev/null
  check "fix --apply as nobody: 4" 4 $?
  grep -q "run it as root" "$tmp/err.txt"
  check "and says to run it as root" 0 $?
  setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/rdpmend" rollback 1 --journal "$tmp/j.db" >/dev/null 2>&1
  check "rollback as nobody: 4" 4 $?
else
  echo "ok   (not root: the unprivileged refusal is checked when the tests run as root)"
fi

# Hostile text: the host's name and the MachineKeys path (an action's target, kept in the journal) carry
# terminal controls; fix, history and rollback show them escaped.
broken "$tmp/hostile.json"
python3 - "$tmp/hostile.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s['hostname'] = 'RDPHOST01\x1b[2J'
s['machinekeys_acl']['file']['path'] = 'C:\\ProgramData\\Microsoft\\Crypto\\RSA\\Machine\x1b]0;owned\x07Keys\x9b'
json.dump(s, open(sys.argv[1], 'w'), indent=2)
PY
hostile_target='C:\ProgramData\Microsoft\Crypto\RSA\Machine\x1b]0;owned\x07Keys\u009b'
"$rdpmend" fix --apply --host "sim:$tmp/hostile.json" --config "$tmp/auto.toml" >"$tmp/hostile-fix.txt"
check "hostile host: fix --apply still repairs it (0)" 0 $?
printable_check "fix shows the host name escaped" "$tmp/hostile-fix.txt" 'Host RDPHOST01\x1b[2J (windows'
printable_check "fix shows the target escaped" "$tmp/hostile-fix.txt" "$hostile_target"
"$rdpmend" history --host "sim:$tmp/hostile.json" >"$tmp/hostile-history.txt"
check "hostile host: history gives 0" 0 $?
printable_check "history shows the target from the journal escaped" "$tmp/hostile-history.txt" "$hostile_target"
"$rdpmend" rollback 1 --host "sim:$tmp/hostile.json" >"$tmp/hostile-rollback.txt"
check "hostile host: rollback 1 gives 0" 0 $?
printable_check "rollback shows the target escaped" "$tmp/hostile-rollback.txt" "on $hostile_target: "

echo "$failures failed"
[[ $failures == 0 ]]
