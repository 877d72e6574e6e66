# Sourced by run.sh: `rdpmend run` in Auto mode beside a real xrdp. Each fault is made while the agent runs;
# nobody runs a command: the agent must notice (xrdp's log when a client fails, or its health check), repair,
# and the probe and a real FreeRDP client must then succeed. Prints the time from the fault to the probe green.

# agent_case NAME FAULT_FUNCTION CONNECT(yes|no) "ACTION THAT MUST SUCCEED"
agent_case() {
  local name=$1 fault=$2 connect=$3 want_action=$4
  local dir=$work/agent-$name port ok=1 why=""
  xrdp_new_instance "$dir" healthy
  port=$XRDP_PORT
  xrdp_write_start_script "$dir" "$port"
  # The restart command only starts an instance (the killed-xrdp case): a restart is kept off, since xrdp reads
  # a repaired certificate and key at each connection; everything else is the defaults of Mode Auto.
  xrdp_write_rdpmend_config "$dir" "restart = [\"/bin/sh\", \"$dir/start-xrdp.sh\"]" '[policy]' 'Mode = "Auto"' \
    'AllowRestartRdpService = false'
  if ! xrdp_start "$dir" "$port"; then
    e2e_report 0 "" "agent $name: xrdp did not start"
    return
  fi
  "$rdpmend" -v run --config "$dir/rdpmend.toml" --journal "$dir/journal.db" --log-dir "$dir/logs" --settle 0.3 \
    --health-interval 2 2>"$dir/agent.err" &
  local agent=$!
  # The agent is up when its start pass is logged.
  for _ in $(seq 1 100); do grep -q "pass (start" "$dir/agent.err" 2>/dev/null && break; sleep 0.05; done

  local t0 verdict="" t1
  t0=$(date +%s%N)
  "$fault" "$dir"
  [[ $connect == yes ]] && python3 "$here/lib/rdp_connect.py" 127.0.0.1 "$port" >/dev/null 2>&1
  for _ in $(seq 1 120); do
    verdict=$("$rdpmend" probe "127.0.0.1:$port" --timeout 1000 --json 2>/dev/null |
      python3 -c "import json,sys; print(json.load(sys.stdin)['verdict'])" 2>/dev/null)
    [[ $verdict == ok ]] && break
    sleep 0.25
  done
  t1=$(date +%s%N)
  local ms=$(((t1 - t0) / 1000000))
  [[ $verdict == ok ]] || { ok=0; why+=" probe still '$verdict' after ${ms} ms"; }
  timeout 30 env HOME="$fix_home" DISPLAY="$fix_display" xfreerdp "/v:127.0.0.1:$port" /u:test /p:test +auth-only \
    /sec:tls /cert:ignore >"$dir/freerdp.txt" 2>&1 || { ok=0; why+=" xfreerdp failed"; }
  kill -TERM "$agent" 2>/dev/null
  wait "$agent"
  local agent_status=$?
  [[ $agent_status == 0 ]] || { ok=0; why+=" the agent exited $agent_status on SIGTERM"; }
  "$rdpmend" history --json --config "$dir/rdpmend.toml" --journal "$dir/journal.db" >"$dir/history.json"
  python3 -c "
import json, sys
actions = json.load(open(sys.argv[1]))['actions']
done = [a['action'] for a in actions if a['state'] == 'succeeded']
assert sys.argv[2] in done, f'{sys.argv[2]} not among the successes {done}'
assert all(a['state'] != 'intent' for a in actions), 'an action left in flight'
" "$dir/history.json" "$want_action" >"$dir/check.txt" 2>&1 || { ok=0; why+=" $(tail -n 1 "$dir/check.txt")"; }
  grep -q "agent stopped" "$dir/agent.err" || { ok=0; why+=" no clean stop in the log"; }
  [[ -s $dir/logs/rdpmend.log ]] || { ok=0; why+=" no log file"; }
  xrdp_stop
  xrdp_kill_started "$dir"
  e2e_report "$ok" "agent $name: $want_action with no human; probe ok ${ms} ms after the fault; xfreerdp +auth-only 0" \
    "agent $name:$why (agent log: $(tail -n 4 "$dir/agent.err" | tr '\n' ' '))"
}

kill_xrdp() { xrdp_stop; }
make_key_mismatch() { key_mismatch "$1"; }
make_expired() {
  xrdp_make_expired_cert "$1"
}

if [[ -x /usr/bin/xfreerdp && -x /usr/bin/Xvfb ]]; then
  fix_home=$work/agent-home
  mkdir -p "$fix_home"
  fix_display=:$((400 + RANDOM % 100))
  Xvfb "$fix_display" -nolisten tcp -screen 0 640x480x24 >/dev/null 2>&1 &
  agent_xvfb=$!
  sleep 0.3
  agent_case key-unreadable key_unreadable yes repair-rdp-key-acl
  agent_case cert-key-mismatch make_key_mismatch yes regenerate-rdp-cert
  agent_case cert-missing cert_missing yes regenerate-rdp-cert
  agent_case expired-cert make_expired no regenerate-rdp-cert
  agent_case xrdp-killed kill_xrdp no start-rdp-service
  kill "$agent_xvfb" 2>/dev/null
  wait "$agent_xvfb" 2>/dev/null
else
  echo "SKIPPED: 5 agent cases: freerdp2-x11 or xvfb missing (scripts/setup.sh installs them)"
  skipped=$((skipped + 5))
fi
