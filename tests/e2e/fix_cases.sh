# Sourced by run.sh: `rdpmend fix --apply` repairs real xrdp faults, confirmed by the probe and by a real
# FreeRDP client (xfreerdp +auth-only over TLS, under Xvfb); then `rollback` puts each file back exactly as
# it was (same bytes, owner and mode) and the fault is back, proving the backup.

# fix_case NAME SETUP "FINDINGS BEFORE" "ACTIONS"
fix_case() {
  local name=$1 setup=$2 want_findings=$3 want_actions=$4
  local dir=$work/fix-$name port ok=1 why=""
  xrdp_new_instance "$dir" "$setup"
  port=$XRDP_PORT
  # Mode Auto and nothing else (issue 16): the defaults allow every repair these faults need.
  xrdp_write_rdpmend_config "$dir" '[policy]' 'Mode = "Auto"'
  # What is on disk before the fix, to compare after the rollback.
  fingerprint() { local f; for f in cert.pem key.pem; do [[ -e $dir/$f ]] && stat -c "$f %U:%G %a" "$dir/$f" && sha256sum <"$dir/$f"; done; }
  fingerprint >"$dir/before.txt"
  if ! xrdp_start "$dir" "$port"; then
    echo "FAIL fix $name: xrdp did not start"
    failed=$((failed + 1))
    return
  fi
  local args=(--config "$dir/rdpmend.toml" --journal "$dir/journal.db")
  "$rdpmend" fix --apply --json "${args[@]}" >"$dir/fix.json" 2>"$dir/fix.err"
  local status=$?
  "$rdpmend" probe "127.0.0.1:$port" --json >"$dir/probe-fixed.json"
  local probe_status=$?
  timeout 30 env HOME="$fix_home" DISPLAY="$fix_display" xfreerdp "/v:127.0.0.1:$port" /u:test /p:test +auth-only \
    /sec:tls /cert:ignore >"$dir/freerdp-fixed.txt" 2>&1
  local freerdp_status=$?

  python3 - "$dir/fix.json" "$want_findings" "$want_actions" >"$dir/check.txt" 2>&1 <<'PY' || { ok=0; why+=" fix: $(cat "$dir/check.txt")"; }
import json, sys
j = json.load(open(sys.argv[1]))
want_findings, want_actions = sys.argv[2].split(), sys.argv[3].split()
missing = [f for f in want_findings if f not in j['findings_before']]
assert not missing, f"findings before {j['findings_before']} lack {missing}"
done = [a['action'] for a in j['actions'] if a['outcome'] == 'succeeded']
assert done == want_actions, f"succeeded {done}, want {want_actions}: {[(a['action'], a['outcome'], a['detail']) for a in j['actions']]}"
assert j['findings_after'] == [], f"findings after: {j['findings_after']}"
assert j['probe_after'] == 'ok', f"probe after: {j['probe_after']}"
PY
  [[ $status == 0 ]] || { ok=0; why+=" fix exit $status ($(head -c 300 "$dir/fix.err"))"; }
  [[ $probe_status == 0 ]] || { ok=0; why+=" probe exit $probe_status"; }
  [[ $freerdp_status == 0 ]] || { ok=0; why+=" xfreerdp exit $freerdp_status ($(grep -m1 ERRCONNECT "$dir/freerdp-fixed.txt"))"; }
  if ((ok)); then
    echo "ok   fix $name: $(python3 -c "import json,sys; print(', '.join(a['action'] for a in json.load(open(sys.argv[1]))['actions'] if a['outcome'] == 'succeeded'))" "$dir/fix.json"); probe ok; xfreerdp +auth-only 0"
    passed=$((passed + 1))
  else
    echo "FAIL fix $name:$why"
    tail -n 5 "$dir/xrdp.log" | sed 's/^/     xrdp.log: /'
    failed=$((failed + 1))
  fi

  # Roll back every action, newest first: the same bytes, owner and mode as before, and the fault is back.
  ok=1 why=""
  local ids
  ids=$(python3 -c "import json,sys; print(' '.join(str(a['action_id']) for a in reversed(json.load(open(sys.argv[1]))['actions']) if a['outcome'] == 'succeeded'))" "$dir/fix.json" 2>/dev/null)
  [[ -n $ids ]] || { ok=0; why+=" nothing to roll back"; }
  for id in $ids; do
    "$rdpmend" rollback "$id" "${args[@]}" >>"$dir/rollback.txt" 2>&1 || { ok=0; why+=" rollback $id failed: $(tail -n 1 "$dir/rollback.txt")"; }
  done
  fingerprint >"$dir/after.txt"
  cmp -s "$dir/before.txt" "$dir/after.txt" || { ok=0; why+=" files differ: $(diff "$dir/before.txt" "$dir/after.txt" | tr '\n' ' ')"; }
  "$rdpmend" probe "127.0.0.1:$port" --json >"$dir/probe-rolled-back.json"
  local verdict
  verdict=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['verdict'])" "$dir/probe-rolled-back.json" 2>/dev/null)
  [[ $verdict != ok ]] || { ok=0; why+=" the probe is still ok after the rollback"; }
  timeout 30 env HOME="$fix_home" DISPLAY="$fix_display" xfreerdp "/v:127.0.0.1:$port" /u:test /p:test +auth-only \
    /sec:tls /cert:ignore >"$dir/freerdp-rolled-back.txt" 2>&1
  # /cert:ignore accepts an expired certificate, so only the other faults must stop the client again.
  [[ $? != 0 || $name == expired-cert ]] || { ok=0; why+=" xfreerdp still authenticates after the rollback"; }
  "$rdpmend" history --json "${args[@]}" >"$dir/history.json"
  python3 -c "import json,sys; s=[a['state'] for a in json.load(open(sys.argv[1]))['actions']]; sys.exit(0 if s and all(x in ('rolled-back','skipped') for x in s) else 1)" "$dir/history.json" ||
    { ok=0; why+=" history: $(head -c 300 "$dir/history.json")"; }
  xrdp_stop
  e2e_report "$ok" "rollback $name: files restored byte for byte, probe '$verdict' again" "rollback $name:$why"
}


# xrdp stopped: start-rdp-service runs the configured `[xrdp] restart` argv (here a script that starts this
# instance the way a unit would), the probe and FreeRDP succeed; a start cannot be rolled back, and says so.
service_down_case() {
  local dir=$work/fix-service-down port ok=1 why=""
  xrdp_new_instance "$dir" healthy
  port=$XRDP_PORT
  touch "$dir/xrdp.log"
  chown xrdp:xrdp "$dir/xrdp.log"
  xrdp_write_start_script "$dir" "$port"
  xrdp_write_rdpmend_config "$dir" "restart = [\"/bin/sh\", \"$dir/start-xrdp.sh\"]" '[policy]' 'Mode = "Auto"'
  local args=(--config "$dir/rdpmend.toml" --journal "$dir/journal.db")
  "$rdpmend" fix --apply --json "${args[@]}" >"$dir/fix.json" 2>"$dir/fix.err"
  local status=$?
  "$rdpmend" probe "127.0.0.1:$port" --json >/dev/null
  local probe_status=$?
  timeout 30 env HOME="$fix_home" DISPLAY="$fix_display" xfreerdp "/v:127.0.0.1:$port" /u:test /p:test +auth-only \
    /sec:tls /cert:ignore >"$dir/freerdp.txt" 2>&1
  local freerdp_status=$?
  python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
assert 'rdp-service-not-running' in j['findings_before'], j['findings_before']
assert [(a['action'], a['outcome']) for a in j['actions']] == [('start-rdp-service', 'succeeded')], j['actions']
assert j['findings_after'] == [] and j['probe_after'] == 'ok', (j['findings_after'], j['probe_after'])
" "$dir/fix.json" >"$dir/check.txt" 2>&1 || { ok=0; why+=" $(tail -n 1 "$dir/check.txt")"; }
  [[ $status == 0 && $probe_status == 0 && $freerdp_status == 0 ]] ||
    { ok=0; why+=" exits: fix $status, probe $probe_status, xfreerdp $freerdp_status; $(head -c 200 "$dir/fix.err")"; }
  "$rdpmend" rollback 1 "${args[@]}" >/dev/null 2>"$dir/rollback.err"
  local rollback_status=$?
  [[ $rollback_status == 3 ]] && grep -q "cannot be undone" "$dir/rollback.err" ||
    { ok=0; why+=" rollback of a start: exit $rollback_status $(cat "$dir/rollback.err")"; }
  xrdp_kill_started "$dir"
  e2e_report "$ok" "fix service-down: start-rdp-service ran the configured command; probe ok; xfreerdp +auth-only 0; no rollback of a start" \
    "fix service-down:$why"
}

if [[ -x /usr/bin/xfreerdp && -x /usr/bin/Xvfb ]]; then
  fix_home=$work/fix-home
  mkdir -p "$fix_home"
  fix_display=:$((300 + RANDOM % 100))
  Xvfb "$fix_display" -nolisten tcp -screen 0 640x480x24 >/dev/null 2>&1 &
  fix_xvfb=$!
  sleep 0.3
  fix_case key-unreadable key_unreadable "xrdp-key-unreadable" "repair-rdp-key-acl"
  fix_case expired-cert expired_cert "rdp-cert-expired" "regenerate-rdp-cert"
  fix_case cert-key-mismatch key_mismatch "xrdp-cert-key-mismatch" "regenerate-rdp-cert"
  fix_case cert-missing cert_missing "rdp-cert-missing" "regenerate-rdp-cert"
  service_down_case
  kill "$fix_xvfb" 2>/dev/null
  wait "$fix_xvfb" 2>/dev/null
else
  echo "SKIPPED: 9 fix/rollback cases: freerdp2-x11 or xvfb missing (scripts/setup.sh installs them)"
  skipped=$((skipped + 9))
fi

# XrdpKeyAccess = user-group: the key file (root:<group> 0640, as Debian's snakeoil key is root:ssl-cert) stays as it
# is; the xrdp user joins the policy's group, and `rollback` takes it out again. A key of another group is refused.
key_group_case() {
  local dir=$work/fix-key-group group=rdpmend-e2e-key ok=1 why=""
  groupadd "$group" 2>/dev/null || true
  xrdp_new_instance "$dir" healthy
  chown root:"$group" "$dir/key.pem"
  chmod 640 "$dir/key.pem"
  xrdp_write_rdpmend_config "$dir" '[policy]' 'Mode = "Auto"' 'XrdpKeyAccess = "user-group"' "XrdpKeyGroup = \"$group\""
  local args=(--config "$dir/rdpmend.toml" --journal "$dir/journal.db")
  "$rdpmend" fix --apply --json --only repair-rdp-key-acl "${args[@]}" >"$dir/fix.json" 2>"$dir/fix.err"
  python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
assert 'xrdp-key-unreadable' in j['findings_before'], j['findings_before']
a = [a for a in j['actions'] if a['action'] == 'repair-rdp-key-acl'][0]
assert a['outcome'] == 'succeeded', a
assert 'xrdp-key-unreadable' not in j['findings_after'], j['findings_after']
" "$dir/fix.json" >"$dir/check.txt" 2>&1 || { ok=0; why+=" fix: $(tail -n 1 "$dir/check.txt") $(head -c 200 "$dir/fix.err")"; }
  id -nG xrdp | tr ' ' '\n' | grep -qx "$group" || { ok=0; why+=" xrdp is not in $group"; }
  stat -c '%U:%G %a' "$dir/key.pem" | grep -qx "root:$group 640" || { ok=0; why+=" the key file changed"; }
  "$rdpmend" rollback 1 "${args[@]}" >/dev/null 2>"$dir/rollback.err" || { ok=0; why+=" rollback: $(cat "$dir/rollback.err")"; }
  id -nG xrdp | tr ' ' '\n' | grep -qx "$group" && { ok=0; why+=" xrdp still in $group after the rollback"; }
  # A key of a group the policy does not name: refused, nobody joins anything.
  chown root:root "$dir/key.pem"
  "$rdpmend" fix --apply --json --only repair-rdp-key-acl --config "$dir/rdpmend.toml" --journal "$dir/journal2.db" \
    >"$dir/refused.json" 2>/dev/null
  python3 -c "
import json, sys
a = [a for a in json.load(open(sys.argv[1]))['actions'] if a['action'] == 'repair-rdp-key-acl'][0]
assert a['outcome'] == 'precondition-failed' and 'not to XrdpKeyGroup' in a['detail'], a
" "$dir/refused.json" >"$dir/check2.txt" 2>&1 || { ok=0; why+=" refusal: $(tail -n 1 "$dir/check2.txt")"; }
  groupdel "$group" 2>/dev/null
  e2e_report "$ok" "fix key-group: the xrdp user joined XrdpKeyGroup (key file untouched), rollback took it out, a key of another group refused" \
    "fix key-group:$why"
}
key_group_case

# snakeoil_instance DIR GROUP: a new instance in the stock Debian/Ubuntu layout: key.pem and cert.pem are links
# to the snakeoil pair, the key root:GROUP 0640 in a root:GROUP 0710 folder, the xrdp user not in GROUP; with the restart command of a
# unit (restart-xrdp.sh stops the running instance and starts a new one, as `systemctl restart xrdp` would).
snakeoil_instance() {
  local dir=$1 group=$2
  groupadd "$group" 2>/dev/null || true
  gpasswd -d xrdp "$group" >/dev/null 2>&1
  xrdp_new_instance "$dir" healthy
  mkdir -p "$dir/ssl/private" "$dir/ssl/certs"
  mv "$dir/key.pem" "$dir/ssl/private/ssl-cert-snakeoil.key"
  mv "$dir/cert.pem" "$dir/ssl/certs/ssl-cert-snakeoil.pem"
  chown root:"$group" "$dir/ssl/private" "$dir/ssl/private/ssl-cert-snakeoil.key"
  chmod 710 "$dir/ssl/private"
  chmod 640 "$dir/ssl/private/ssl-cert-snakeoil.key"
  chown root:root "$dir/ssl/certs/ssl-cert-snakeoil.pem"
  ln -s "$dir/ssl/private/ssl-cert-snakeoil.key" "$dir/key.pem"
  ln -s "$dir/ssl/certs/ssl-cert-snakeoil.pem" "$dir/cert.pem"
  # The restart command stops the running instance and starts a new one, as `systemctl restart xrdp` would.
  xrdp_write_start_script "$dir" "$XRDP_PORT"
  cat >"$dir/restart-xrdp.sh" <<SH
#!/bin/sh
# Stop the running instance and wait until it is gone (a zombie counts as gone), then start a new one.
if [ -f "$dir/running.pid" ]; then
  pid=\$(cat "$dir/running.pid")
  /bin/kill -TERM -- "-\$pid" 2>/dev/null
  i=0
  while [ \$i -lt 100 ] && [ -d /proc/\$pid ] && ! grep -q ') Z' /proc/\$pid/stat 2>/dev/null; do
    sleep 0.05; i=\$((i + 1))
  done
  rm -f "$dir/running.pid"
fi
exec /bin/sh "$dir/start-xrdp.sh"
SH
  chmod 700 "$dir/restart-xrdp.sh"
}

# The stock Debian/Ubuntu layout: /etc/xrdp/key.pem and cert.pem are links to the snakeoil pair, the key
# root:ssl-cert 0640 in a root:ssl-cert 0710 folder, and the xrdp user is not in ssl-cert. With Mode Auto and
# the default XrdpKeyAccess (auto) the repair is group membership and a restart, never a change of the shared
# key: probe ok, the key's owner, group, mode and bytes unchanged. The group membership is put back after.
snakeoil_case() {
  local dir=$work/fix-snakeoil group=rdpmend-e2e-sslcert ok=1 why=""
  snakeoil_instance "$dir" "$group"
  local port=$XRDP_PORT
  local shared_before
  shared_before=$(stat -c '%U:%G %a %h' "$dir/ssl/private/ssl-cert-snakeoil.key"; sha256sum <"$dir/ssl/private/ssl-cert-snakeoil.key")
  xrdp_write_rdpmend_config "$dir" "restart = [\"/bin/sh\", \"$dir/restart-xrdp.sh\"]" '[policy]' 'Mode = "Auto"' \
    'AllowRestartRdpService = true' 'AllowServiceRestartWithActiveSessions = true' "XrdpKeyGroup = \"$group\""
  if ! xrdp_start "$dir" "$port"; then
    e2e_report 0 "" "fix snakeoil: xrdp did not start"
    return
  fi
  echo "$XRDP_PID" >"$dir/running.pid"
  local args=(--config "$dir/rdpmend.toml" --journal "$dir/journal.db")
  "$rdpmend" fix --apply --json "${args[@]}" >"$dir/fix.json" 2>"$dir/fix.err"
  local status=$?
  python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
assert 'xrdp-key-unreadable' in j['findings_before'], j['findings_before']
done = [(a['action'], a['outcome']) for a in j['actions']]
assert ('repair-rdp-key-acl', 'succeeded') in done and ('restart-rdp-service', 'succeeded') in done, done
assert j['findings_after'] == [] and j['probe_after'] == 'ok', (j['findings_after'], j['probe_after'])
" "$dir/fix.json" >"$dir/check.txt" 2>&1 || { ok=0; why+=" $(tail -n 1 "$dir/check.txt") $(head -c 300 "$dir/fix.err")"; }
  [[ $status == 0 ]] || { ok=0; why+=" fix exit $status"; }
  "$rdpmend" probe "127.0.0.1:$port" --json >/dev/null || { ok=0; why+=" probe not ok"; }
  local shared_after
  shared_after=$(stat -c '%U:%G %a %h' "$dir/ssl/private/ssl-cert-snakeoil.key"; sha256sum <"$dir/ssl/private/ssl-cert-snakeoil.key")
  [[ $shared_after == "$shared_before" ]] || { ok=0; why+=" the shared key changed: $shared_before -> $shared_after"; }
  [[ -L $dir/key.pem && -L $dir/cert.pem ]] || { ok=0; why+=" the snakeoil links were replaced"; }
  xrdp_stop
  xrdp_kill_started "$dir"
  gpasswd -d xrdp "$group" >/dev/null 2>&1
  groupdel "$group" 2>/dev/null
  e2e_report "$ok" "fix snakeoil: the xrdp user joined the key's group and xrdp restarted; probe ok; the shared key unchanged" \
    "fix snakeoil:$why"
}
snakeoil_case

# A restart held back while a session runs, and run by the agent when it ends. The snakeoil repair needs a
# restart (xrdp gets its new group only when it starts again), and AllowServiceRestartWithActiveSessions is
# off (the default). The session is one sesman would count: a process pair named xrdp-sesman (a "daemon" and
# its session fork, docs/SESSIONS.md), so the count is 0 active, 1 disconnected. `fix` repairs the group and
# keeps the restart pending; `rdpmend run` keeps holding it while the session lasts and restarts xrdp once it
# ends (it asks every 10 s while a restart waits): probe ok, the hold ran.
held_restart_case() {
  local dir=$work/fix-held group=rdpmend-e2e-held ok=1 why=""
  if pgrep -x xrdp-sesman >/dev/null; then
    echo "SKIPPED held restart: an xrdp-sesman runs on this machine, so the session count is not the test's own"
    skipped=$((skipped + 1))
    return
  fi
  snakeoil_instance "$dir" "$group"
  local port=$XRDP_PORT
  xrdp_write_rdpmend_config "$dir" "restart = [\"/bin/sh\", \"$dir/restart-xrdp.sh\"]" '[policy]' 'Mode = "Auto"' \
    "XrdpKeyGroup = \"$group\""
  if ! xrdp_start "$dir" "$port"; then
    e2e_report 0 "" "held restart: xrdp did not start"
    return
  fi
  echo "$XRDP_PID" >"$dir/running.pid"
  python3 -c 'import ctypes, os, time
ctypes.CDLL(None).prctl(15, b"xrdp-sesman", 0, 0, 0)
if os.fork() == 0:
    time.sleep(300)
    os._exit(0)
os.wait()' &
  local session=$!
  local args=(--config "$dir/rdpmend.toml" --journal "$dir/journal.db")
  local i
  for i in $(seq 1 50); do
    "$rdpmend" diagnose --json --no-probe "${args[0]}" "${args[1]}" 2>/dev/null |
      python3 -c "import json,sys; sys.exit(0 if json.load(sys.stdin)['sessions'] == {'active': 0, 'disconnected': 1} else 1)" && break
    sleep 0.1
  done
  "$rdpmend" fix --apply --json "${args[@]}" >"$dir/fix.json" 2>"$dir/fix.err"
  python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
done = {a['action']: (a['outcome'], a['skip']) for a in j['actions']}
assert done.get('repair-rdp-key-acl') == ('succeeded', None), done
assert done.get('restart-rdp-service') == ('skipped', 'active-sessions'), done
assert [(h['action'], h['target'], h['reason']) for h in j['held_restarts']] == [('restart-rdp-service', 'xrdp', 'active-sessions')], j['held_restarts']
" "$dir/fix.json" >"$dir/check.txt" 2>&1 || { ok=0; why+=" fix: $(tail -n 1 "$dir/check.txt") $(head -c 300 "$dir/fix.err")"; }
  "$rdpmend" probe "127.0.0.1:$port" --json >/dev/null 2>&1 && { ok=0; why+=" the probe is ok before the restart (nothing was held)"; }
  "$rdpmend" -v run "${args[@]}" --log-dir "$dir/logs" --health-interval 3600 >"$dir/agent.out" 2>&1 &
  local agent=$!
  sleep 2
  "$rdpmend" history --json "${args[@]}" | python3 -c "import json,sys; sys.exit(0 if [h['state'] for h in json.load(sys.stdin)['held_restarts']] == ['pending'] else 1)" ||
    { ok=0; why+=" the agent did not keep holding the restart while the session ran"; }
  kill "$session"
  pkill -x -P "$session" xrdp-sesman 2>/dev/null
  pkill -x xrdp-sesman 2>/dev/null
  local probed=1
  for i in $(seq 1 60); do
    "$rdpmend" probe "127.0.0.1:$port" --json >/dev/null 2>&1 && { probed=0; break; }
    sleep 0.5
  done
  [[ $probed == 0 ]] || { ok=0; why+=" the probe is not ok 30 s after the session ended: $(tail -n 3 "$dir/agent.out" | tr '\n' ' ')"; }
  kill -TERM "$agent" 2>/dev/null
  wait "$agent" 2>/dev/null
  "$rdpmend" history --json "${args[@]}" >"$dir/history.json"
  python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
holds = j['held_restarts']
assert [h['state'] for h in holds] == ['ran'], holds
restart = [a for a in j['actions'] if a['id'] == holds[0]['ran_as']][0]
assert restart['action'] == 'restart-rdp-service' and restart['state'] == 'succeeded', restart
" "$dir/history.json" >"$dir/check2.txt" 2>&1 || { ok=0; why+=" history: $(tail -n 1 "$dir/check2.txt")"; }
  xrdp_stop
  xrdp_kill_started "$dir"
  gpasswd -d xrdp "$group" >/dev/null 2>&1
  groupdel "$group" 2>/dev/null
  e2e_report "$ok" "held restart: pending while a sesman session ran, run by the agent when it ended; probe ok, the hold ran" \
    "held restart:$why"
}
held_restart_case
