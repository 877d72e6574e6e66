#!/usr/bin/env bash
# End-to-end tests against a real xrdp: each fault is made for real (file modes, a mismatched key, a
# missing certificate), a client connects, and `rdpmend scan --xrdp-log` must name the fault from what
# xrdp logged. Usage: run.sh RDPMEND_BINARY. Last line: "e2e: N passed, N failed, N skipped".
set -uo pipefail
rdpmend=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/xrdp_instance.sh"
passed=0 failed=0 skipped=0

summary() { echo "e2e: $passed passed, $failed failed, $skipped skipped"; }

skip_all() {
  local n=$1 why=$2
  echo "SKIPPED: $n end-to-end tests: $why"
  skipped=$((skipped + n))
  summary
  exit 0
}

readonly kCases=60
[[ -x /usr/sbin/xrdp ]] || skip_all $kCases "xrdp is not installed (scripts/setup.sh installs it)"
[[ $(id -u) -eq 0 ]] || skip_all $kCases "needs root to run xrdp as the unprivileged xrdp user"
id xrdp >/dev/null 2>&1 || skip_all $kCases "the xrdp user does not exist"

work=$(mktemp -d /tmp/rdpmend-e2e.XXXXXX)
chmod 755 "$work"
trap 'xrdp_stop; rm -rf "$work"' EXIT

# run_case NAME SETUP_FUNCTION EXPECTED_EXIT EXPECTED_SYMPTOMS(space-separated, sorted)
run_case() {
  local name=$1 setup=$2 want_exit=$3 want=$4
  local dir=$work/$name port
  xrdp_new_instance "$dir" "$setup"
  port=$XRDP_PORT
  if ! xrdp_start "$dir" "$port"; then
    echo "FAIL $name: xrdp did not start"
    failed=$((failed + 1))
    return
  fi
  local client
  client=$(python3 "$here/lib/rdp_connect.py" 127.0.0.1 "$port" 2>&1)
  xrdp_stop
  "$rdpmend" scan --json --xrdp-log "$dir/xrdp.log" >"$dir/scan.json"
  local status=$?
  local got
  got=$(python3 -c "import json,sys; print(' '.join(sorted(s['id'] for s in json.load(open(sys.argv[1]))['symptoms'])))" "$dir/scan.json")
  if [[ $status == "$want_exit" && $got == "$want" ]]; then
    echo "ok   $name (client: ${client//$'\n'/, }; symptoms: ${got:-none})"
    passed=$((passed + 1))
  else
    echo "FAIL $name: exit $status (want $want_exit), symptoms '$got' (want '$want'), client: $client"
    sed 's/^/     xrdp.log: /' "$dir/xrdp.log" | tail -n 15
    failed=$((failed + 1))
  fi
}

healthy() { :; }
key_unreadable() { chown root:root "$1/key.pem"; chmod 600 "$1/key.pem"; }
cert_missing() { rm -f "$1/cert.pem"; }
key_mismatch() {
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1/key.pem" 2>/dev/null
  chown xrdp:xrdp "$1/key.pem"
  chmod 600 "$1/key.pem"
}

echo "-- rdpmend scan: xrdp faults named from xrdp's own log"
run_case healthy healthy 0 ""
run_case key-unreadable key_unreadable 1 "xrdp-key-unreadable"
run_case cert-missing cert_missing 1 "xrdp-cert-unreadable"
run_case cert-key-mismatch key_mismatch 1 "xrdp-cert-key-mismatch xrdp-tls-accept-failed"

source "$here/lib/expect.sh"
echo "-- rdpmend probe against a real xrdp"
source "$here/probe_cases.sh"

echo "-- rdpmend diagnose on real xrdp faults"
source "$here/diagnose_cases.sh"
echo "-- rdpmend fix --apply and rollback on real xrdp faults"
source "$here/fix_cases.sh"
echo "-- the trust boundary: attacks by the xrdp account change nothing"
source "$here/adversarial_cases.sh"
echo "-- rdpmend run (the agent, Auto mode) repairing faults made while it runs"
source "$here/agent_cases.sh"
summary
((failed == 0))
