# Sourced by run.sh: `rdpmend diagnose` on this machine's real xrdp instances, each with a real fault:
# the finding must come from the state (files, modes, processes, nftables) and the real log.

# diagnose_case NAME SETUP STATE(running|stopped) WANT_EXIT "REQUIRED FINDING IDS"
diagnose_case() {
  local name=$1 setup=$2 run_state=$3 want_exit=$4 want=$5
  local dir=$work/diagnose-$name port
  xrdp_new_instance "$dir" "$setup"
  port=$XRDP_PORT
  printf '[xrdp]\nini = "%s"\nlog = "%s"\nuser = "xrdp"\n' "$dir/xrdp.ini" "$dir/xrdp.log" >"$dir/rdpmend.toml"
  if ! xrdp_start "$dir" "$port"; then
    echo "FAIL diagnose $name: xrdp did not start"
    failed=$((failed + 1))
    return
  fi
  python3 "$here/lib/rdp_connect.py" 127.0.0.1 "$port" >/dev/null 2>&1
  [[ $run_state == stopped ]] && xrdp_stop
  "$rdpmend" diagnose --config "$dir/rdpmend.toml" --json >"$dir/diagnose.json"
  local status=$?
  xrdp_stop
  diagnose_expect "$name" "$dir/diagnose.json" "$status" "$want_exit" "$want"
}

healthy_state() { :; }
diagnose_case healthy healthy_state running 0 ""
diagnose_case key-unreadable key_unreadable running 1 "xrdp-key-unreadable listener-tls-unavailable"
diagnose_case expired-cert expired_cert running 1 "rdp-cert-expired"
diagnose_case cert-key-mismatch key_mismatch running 1 "xrdp-cert-key-mismatch listener-tls-unavailable"
diagnose_case cert-missing cert_missing running 1 "rdp-cert-missing"
diagnose_case service-down healthy_state stopped 1 "rdp-service-not-running"

# The diagnosis must also say which symptoms the real log shows for a finding.
python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
f = [f for f in j['findings'] if f['id'] == 'xrdp-key-unreadable'][0]
assert any(e['symptom'] == 'xrdp-key-unreadable' for e in f['evidence']['events']), f
assert [a['id'] for a in j['actions']] == ['repair-rdp-key-acl', 'restart-rdp-service'], j['actions']
" "$work/diagnose-key-unreadable/diagnose.json" 2>&1 && { echo "ok   diagnose key-unreadable: log evidence and ordered actions"; passed=$((passed + 1)); } ||
  { echo "FAIL diagnose key-unreadable: evidence or actions"; failed=$((failed + 1)); }
