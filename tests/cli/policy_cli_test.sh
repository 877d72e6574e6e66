#!/usr/bin/env bash
# Drives `rdpmend policy show` as a user would and checks its exit codes and JSON.
# Usage: policy_cli_test.sh RDPMEND_BINARY
set -uo pipefail
rdpmend=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"
JSON_PRELUDE="s={x['name']: x for x in j['settings']}"

cat >"$tmp/empty.toml" <<'TOML'
[xrdp]
user = "xrdp"
TOML
chmod 600 "$tmp/empty.toml"
"$rdpmend" policy show --json --config "$tmp/empty.toml" >"$tmp/defaults.json"
check "defaults give 0" 0 $?
json_check "defaults: Observe, every value from the built-in defaults" "j['mode'] == 'Observe' and all(x['source'] == 'default' and x['origin'] == 'built-in' for x in j['settings']) and j['warnings'] == [] and j['errors'] == []" "$tmp/defaults.json"
json_check "every allow switch and limit is listed" "all(n in s for n in ['Mode','AllowRepairMachineKeysAcl','AllowRepairRdpKeyAcl','AllowRegenerateRdpCert','AllowRestoreFirewallRules','AllowStartRdpService','AllowRestartRdpService','AllowServiceRestartWithActiveSessions','MaintenanceWindow','MaxActionsPerHour','CooldownMinutes','BreakerRecurrences','BreakerWindowHours','RenewBeforeDays','XrdpCertKeyType','XrdpCertValidityDays','ProbeIntervalMinutes','JournalRetentionDays'])" "$tmp/defaults.json"
json_check "documented defaults" "s['MaxActionsPerHour']['value'] == '4' and s['CooldownMinutes']['value'] == '30' and s['AllowRestartRdpService']['value'] == 'true' and s['AllowRestoreFirewallRules']['value'] == 'false' and s['MaintenanceWindow']['value'] == ''" "$tmp/defaults.json"

cat >"$tmp/policy.toml" <<'TOML'
[xrdp]
user = "xrdp"

[policy]
Mode = "Auto"
AllowRestartRdpService = true
MaintenanceWindow = "Sat 02:00-04:00"
CooldownMinutes = 0
MaxActionsPerHour = "lots"
XrdpCertKeyType = "ec-p256"
NoSuchThing = 1
TOML
chmod 600 "$tmp/policy.toml"
"$rdpmend" policy show --json --config "$tmp/policy.toml" >"$tmp/policy.json"
check "bad values still give 0" 0 $?
json_check "local values win and name the file" "j['mode'] == 'Auto' and s['Mode']['source'] == 'local' and s['Mode']['origin'].endswith('policy.toml') and s['AllowRestartRdpService']['value'] == 'true' and s['MaintenanceWindow']['value'] == 'Sat 02:00-04:00' and s['XrdpCertKeyType']['value'] == 'ec-p256'" "$tmp/policy.json"
json_check "out of range and wrong type are ignored, the default stays" "s['CooldownMinutes']['value'] == '30' and s['CooldownMinutes']['source'] == 'default' and s['MaxActionsPerHour']['value'] == '4'" "$tmp/policy.json"
json_check "each ignored value is a warning naming source, name, value and why" "sorted(w['name'] for w in j['warnings']) == ['CooldownMinutes','MaxActionsPerHour','NoSuchThing'] and all(w['origin'].endswith('policy.toml') for w in j['warnings']) and [w for w in j['warnings'] if w['name'] == 'CooldownMinutes'][0]['value'] == '0' and 'out of range' in [w for w in j['warnings'] if w['name'] == 'CooldownMinutes'][0]['reason']" "$tmp/policy.json"

"$rdpmend" policy show --config "$tmp/policy.toml" >"$tmp/human.txt"
check "human output gives 0" 0 $?
if grep -q "^  Mode  *Auto  *local (.*policy.toml)" "$tmp/human.txt" && grep -q "CooldownMinutes = 0 ignored: out of range" "$tmp/human.txt"; then
  echo "ok   human output shows value, source and ignored values"
else
  echo "FAIL human output: $(cat "$tmp/human.txt")"
  failures=$((failures + 1))
fi

printf '[policy]\nMode = \n' >"$tmp/broken.toml"
"$rdpmend" policy show --json --config "$tmp/broken.toml" >"$tmp/broken.json"
check "a file that is not TOML gives 3" 3 $?
json_check "the error names the file and line, the defaults still show" "j['errors'][0]['object'].endswith('broken.toml') and 'line 2' in j['errors'][0]['message'] and j['mode'] == 'Observe'" "$tmp/broken.json"

"$rdpmend" policy show --json --config "$tmp/missing.toml" >"$tmp/missing.json"
check "a missing file gives 3" 3 $?
json_check "the missing file is named" "j['errors'][0]['object'].endswith('missing.toml')" "$tmp/missing.json"

if [[ $(id -u) == 0 ]]; then
  cp "$tmp/policy.toml" "$tmp/writable.toml"
  chmod 666 "$tmp/writable.toml"
  "$rdpmend" policy show --json --config "$tmp/writable.toml" >"$tmp/writable.json"
  check "as root, a file others can write gives 3" 3 $?
  json_check "it is refused, not used" "'refused' in j['errors'][0]['message'] and j['mode'] == 'Observe' and s['Mode']['source'] == 'default'" "$tmp/writable.json"
else
  echo "SKIPPED: the refusal of a file others can write applies to root only (running as $(id -un))"
fi

"$rdpmend" policy >/dev/null 2>&1
check "policy without a subcommand is bad usage (2)" 2 $?
"$rdpmend" policy show --help >"$tmp/help.txt"
check "--help gives 0" 0 $?

# Values come from a file: a value or a name with terminal controls is shown escaped, in the table and in the
# warning that quotes it.
cat >"$tmp/hostile.toml" <<'TOML'
[policy]
MaintenanceWindow = "Sat 02:00-04:00\u001b[2J"
"No\u009bSuch" = 1
TOML
chmod 600 "$tmp/hostile.toml"
"$rdpmend" policy show --config "$tmp/hostile.toml" >"$tmp/hostile.txt"
check "hostile values: policy show gives 0" 0 $?
printable_check "a value with ESC is shown as \\x1b" "$tmp/hostile.txt" '02:00-04:00\x1b[2J'
printable_check "a name with an 8-bit CSI is shown as \\u009b" "$tmp/hostile.txt" 'No\u009bSuch'

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all policy CLI checks passed"
