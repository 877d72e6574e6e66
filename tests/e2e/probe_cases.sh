# Sourced by run.sh: `rdpmend probe` against real xrdp instances with real faults, a FreeRDP shadow
# server with NLA, and filtered ports between two network namespaces.

# probe_case NAME SETUP SECURITY_LAYER WANT_EXIT WANT_VERDICT [PYTHON_CHECK_ON_j] [PROBE_ARGS...]
probe_case() {
  local name=$1 setup=$2 layer=$3 want_exit=$4 want=$5 check=${6:-True}
  shift 6 2>/dev/null || shift $#
  local dir=$work/probe-$name port
  xrdp_new_instance "$dir" "$setup" "$layer"
  port=$XRDP_PORT
  if ! xrdp_start "$dir" "$port"; then
    echo "FAIL probe $name: xrdp did not start"
    failed=$((failed + 1))
    return
  fi
  "$rdpmend" probe "127.0.0.1:$port" --json "$@" >"$dir/probe.json"
  local status=$?
  xrdp_stop
  probe_expect "$name" "$dir/probe.json" "$status" "$want_exit" "$want" "$check" "$dir"
}

# probe_expect NAME JSON STATUS WANT_EXIT WANT_VERDICT CHECK [DIR]
probe_expect() {
  local name=$1 json=$2 status=$3 want_exit=$4 want=$5 check=$6 dir=${7:-}
  local got
  got=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['verdict'])" "$json" 2>/dev/null)
  if [[ $status == "$want_exit" && $got == "$want" ]] &&
     python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($check) else 1)" "$json"; then
    echo "ok   probe $name: $got ($(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['causes'][0][:110])" "$json"))"
    passed=$((passed + 1))
  else
    echo "FAIL probe $name: exit $status (want $want_exit), verdict '$got' (want '$want'), check: $check"
    head -c 1500 "$json" | sed 's/^/     /'
    local log
    for log in xrdp.log out.log; do
      [[ -n $dir && -f $dir/$log ]] && tail -n 8 "$dir/$log" | sed "s/^/     $log: /"
    done
    failed=$((failed + 1))
  fi
}

expired_cert() { xrdp_make_expired_cert "$1"; }

probe_case healthy healthy negotiate 0 ok \
  "j['negotiate']['selected_protocol'] == 'SSL' and j['tls']['ok'] and j['certificate']['subject'] == 'CN=rdpmend-e2e' and j['certificate']['self_signed'] and j['certificate']['sha1'] == open('$work/probe-healthy/sha1').read().strip()"
probe_case key-unreadable-negotiate key_unreadable negotiate 1 tls-downgraded \
  "j['negotiate']['selected_protocol'] == 'RDP' and j['tls']['attempted'] is False"
probe_case key-unreadable-tls key_unreadable tls 1 tls-unavailable \
  "j['negotiate']['failure'] == 'SSL_CERT_NOT_ON_SERVER'"
probe_case expired-cert expired_cert negotiate 1 cert-expired \
  "j['certificate']['expired'] and j['certificate']['not_after'] == '2025-01-01T00:00:00Z' and j['tls']['ok']"
probe_case cert-key-mismatch key_mismatch negotiate 1 tls-plaintext-reply \
  "j['tls']['outcome'] == 'plaintext' and 'Disconnect Provider Ultimatum' in j['tls']['detail']"
probe_case cert-missing cert_missing negotiate 1 tls-downgraded "True"
probe_case tls-only-asked-rdp healthy tls 1 tls-required \
  "j['negotiate']['failure'] == 'SSL_REQUIRED_BY_SERVER'" --protocols rdp

# Nothing listening: a port that was just free.
port=$(xrdp_free_port)
"$rdpmend" probe "127.0.0.1:$port" --json >"$work/refused.json"
probe_expect nothing-listening "$work/refused.json" $? 6 refused "j['connect']['attempts'][0]['outcome'] == 'refused'"

# Something that is not RDP answers: a tiny HTTP-ish server (it serves the readiness check and the probe).
port=$(xrdp_free_port)
timeout 10 python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $port)); s.listen(4)
for _ in range(2):
    c, _ = s.accept(); c.settimeout(2)
    try: c.recv(64); c.sendall(b'HTTP/1.1 400 Bad Request\\r\\n\\r\\n')
    except OSError: pass
    c.close()" &
http_pid=$!
for _ in $(seq 1 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.1).close()" 2>/dev/null && break; sleep 0.05; done
"$rdpmend" probe "127.0.0.1:$port" --json >"$work/http.json"
probe_expect http-server "$work/http.json" $? 7 not-rdp "j['negotiate']['outcome'] == 'not-tpkt'"
kill "$http_pid" 2>/dev/null
wait "$http_pid" 2>/dev/null

# FreeRDP's shadow server with real NLA: asking for TLS only gets HYBRID_REQUIRED_BY_SERVER.
if [[ -x /usr/bin/freerdp-shadow-cli && -x /usr/bin/Xvfb ]]; then
  shadow=$work/shadow
  mkdir -p "$shadow"
  # Xvfb picks a free display itself and writes its number once it accepts clients (-displayfd), so a
  # loaded CI machine or a display left over by another run cannot make the shadow server start blind.
  Xvfb -displayfd 3 -nolisten tcp -screen 0 640x480x24 3>"$shadow/display" >/dev/null 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 1 300); do [[ -s $shadow/display ]] && break; sleep 0.1; done
  display=:$(head -n1 "$shadow/display")
  # The NT hash of "test" (MD4 of its UTF-16LE form).
  echo 'test:::0cb6948805f797bf2a82807973b89537:::' >"$shadow/SAM"
  port=$(xrdp_free_port)
  HOME=$shadow DISPLAY=$display setsid freerdp-shadow-cli "/port:$port" /bind-address:127.0.0.1 +auth /sec:nla \
    "/sam-file:$shadow/SAM" </dev/null >"$shadow/out.log" 2>&1 &
  shadow_pid=$!
  # Up to 30 s: the shadow server generates its certificate and key at start, slow on a busy machine.
  for _ in $(seq 1 300); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.1).close()" 2>/dev/null && break; sleep 0.1; done
  "$rdpmend" probe "127.0.0.1:$port" --protocols ssl --json >"$shadow/nla.json"
  probe_expect shadow-nla-required "$shadow/nla.json" $? 0 nla-required \
    "j['negotiate']['failure'] == 'HYBRID_REQUIRED_BY_SERVER'" "$shadow"
  "$rdpmend" probe "127.0.0.1:$port" --protocols hybrid --json >"$shadow/hybrid.json"
  probe_expect shadow-hybrid-tls "$shadow/hybrid.json" $? 0 ok \
    "j['negotiate']['selected_protocol'] == 'HYBRID' and j['tls']['ok'] and any('CredSSP' in c for c in j['causes'])" "$shadow"
  kill -TERM -- "-$shadow_pid" 2>/dev/null; kill "$xvfb_pid" 2>/dev/null
  wait "$shadow_pid" "$xvfb_pid" 2>/dev/null
else
  echo "SKIPPED: probe shadow-nla-required, shadow-hybrid-tls: freerdp2-shadow-x11 or xvfb missing"
  skipped=$((skipped + 2))
fi

# Filtered and rejected ports: xrdp in one network namespace, the probe in another, nftables rules in
# the server's namespace. Only addresses of these private namespaces are used.
if ip netns add rdpmend-probe-srv 2>/dev/null; then
  ip netns add rdpmend-probe-cli
  cleanup_netns() { ip netns del rdpmend-probe-srv 2>/dev/null; ip netns del rdpmend-probe-cli 2>/dev/null; }
  ip link add rdpm-s type veth peer name rdpm-c
  ip link set rdpm-s netns rdpmend-probe-srv
  ip link set rdpm-c netns rdpmend-probe-cli
  ip -n rdpmend-probe-srv addr add 10.203.77.1/30 dev rdpm-s
  ip -n rdpmend-probe-cli addr add 10.203.77.2/30 dev rdpm-c
  ip -n rdpmend-probe-srv link set rdpm-s up
  ip -n rdpmend-probe-cli link set rdpm-c up
  ip -n rdpmend-probe-srv link set lo up
  ip -n rdpmend-probe-cli link set lo up
  ndir=$work/netns
  mkdir -p "$ndir"
  chmod 755 "$ndir"
  xrdp_make_cert "$ndir"
  xrdp_write_ini "$ndir" 3389 negotiate
  sed -i "s|^port=.*|port=tcp://10.203.77.1:3389|" "$ndir/xrdp.ini"
  touch "$ndir/xrdp.log"
  chown xrdp:xrdp "$ndir/xrdp.log"
  ip netns exec rdpmend-probe-srv setsid setpriv --reuid=xrdp --regid=xrdp --init-groups /usr/sbin/xrdp --nodaemon \
    --config "$ndir/xrdp.ini" </dev/null >/dev/null 2>&1 &
  netns_xrdp=$!
  for _ in $(seq 1 100); do
    ip netns exec rdpmend-probe-cli python3 -c "import socket; socket.create_connection(('10.203.77.1', 3389), 0.2).close()" 2>/dev/null && break
    sleep 0.05
  done
  ip netns exec rdpmend-probe-cli "$rdpmend" probe 10.203.77.1 --json >"$ndir/open.json"
  probe_expect netns-open "$ndir/open.json" $? 0 ok "True"
  ip netns exec rdpmend-probe-srv nft add table inet rdpmend_test
  ip netns exec rdpmend-probe-srv nft add chain inet rdpmend_test input '{ type filter hook input priority 0; policy accept; }'
  ip netns exec rdpmend-probe-srv nft add rule inet rdpmend_test input tcp dport 3389 drop
  ip netns exec rdpmend-probe-cli "$rdpmend" probe 10.203.77.1 --timeout 800 --json >"$ndir/drop.json"
  probe_expect netns-filtered-drop "$ndir/drop.json" $? 6 timeout "j['connect']['attempts'][0]['outcome'] == 'timeout'"
  # diagnose, run where the rule is, reads the nftables ruleset and names the block.
  printf '[xrdp]\nini = "%s"\nlog = "%s"\nuser = "xrdp"\n' "$ndir/xrdp.ini" "$ndir/xrdp.log" >"$ndir/rdpmend.toml"
  ip netns exec rdpmend-probe-srv "$rdpmend" diagnose --config "$ndir/rdpmend.toml" --no-probe --json >"$ndir/diagnose.json"
  diagnose_expect netns-nft-drop "$ndir/diagnose.json" $? 1 "firewall-rdp-rule-missing"
  # fix: one accept rule in each blocking chain (a drop rule in one table, a drop policy in another), the
  # port reachable again from the other namespace; rollback: the ruleset exactly as before, blocked again.
  ip netns exec rdpmend-probe-srv nft add table ip rdpmend_test2
  ip netns exec rdpmend-probe-srv nft add chain ip rdpmend_test2 input '{ type filter hook input priority 10; policy drop; }'
  ip netns exec rdpmend-probe-srv nft list ruleset >"$ndir/ruleset-before.txt"
  printf '[policy]\nMode = "Auto"\nAllowRestoreFirewallRules = true\n' >>"$ndir/rdpmend.toml"
  chmod 600 "$ndir/rdpmend.toml"
  ip netns exec rdpmend-probe-srv "$rdpmend" fix --apply --only restore-firewall-rules --config "$ndir/rdpmend.toml" \
    --journal "$ndir/journal.db" --json >"$ndir/fix.json" 2>"$ndir/fix.err"
  ip netns exec rdpmend-probe-cli "$rdpmend" probe 10.203.77.1 --json >"$ndir/fixed.json"
  fixed_status=$?
  nft_ours=$(ip netns exec rdpmend-probe-srv nft -j list ruleset | python3 -c "import json,sys; print(sum(1 for i in json.load(sys.stdin)['nftables'] if i.get('rule', {}).get('comment') == 'rdpmend restore-firewall-rules'))")
  if python3 -c "import json,sys; a=[x for x in json.load(open(sys.argv[1]))['actions'] if x['action']=='restore-firewall-rules'][0]; sys.exit(0 if a['outcome']=='succeeded' else 1)" "$ndir/fix.json" &&
     [[ $fixed_status == 0 && $nft_ours == 2 ]]; then
    echo "ok   fix netns-nft-drop: an accept rule in each of the 2 blocking chains, the probe from the other namespace ok"
    passed=$((passed + 1))
  else
    echo "FAIL fix netns-nft-drop: probe exit $fixed_status, $nft_ours tagged rules, $(head -c 600 "$ndir/fix.json") $(cat "$ndir/fix.err")"
    failed=$((failed + 1))
  fi
  fw_action=$(python3 -c "import json,sys; print([x for x in json.load(open(sys.argv[1]))['actions'] if x['action']=='restore-firewall-rules'][0]['action_id'])" "$ndir/fix.json" 2>/dev/null)
  ip netns exec rdpmend-probe-srv "$rdpmend" rollback "${fw_action:-0}" --config "$ndir/rdpmend.toml" --journal "$ndir/journal.db" \
    >"$ndir/rollback.txt" 2>&1
  rollback_status=$?
  ip netns exec rdpmend-probe-srv nft list ruleset >"$ndir/ruleset-after.txt"
  ip netns exec rdpmend-probe-cli "$rdpmend" probe 10.203.77.1 --timeout 800 --json >"$ndir/blocked-again.json"
  if [[ $rollback_status == 0 ]] && cmp -s "$ndir/ruleset-before.txt" "$ndir/ruleset-after.txt" &&
     [[ $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['verdict'])" "$ndir/blocked-again.json") == timeout ]]; then
    echo "ok   rollback netns-nft-drop: the ruleset as before, the port filtered again"
    passed=$((passed + 1))
  else
    echo "FAIL rollback netns-nft-drop: status $rollback_status, $(tail -n 2 "$ndir/rollback.txt"), ruleset diff: $(diff "$ndir/ruleset-before.txt" "$ndir/ruleset-after.txt" | head -5 | tr '\n' ' ')"
    failed=$((failed + 1))
  fi
  # The agent in Auto mode finds the same block by its health check and lifts it with no human.
  ip netns exec rdpmend-probe-srv "$rdpmend" run --config "$ndir/rdpmend.toml" --journal "$ndir/agent-journal.db" \
    --no-log-file --health-interval 1 2>"$ndir/agent.err" &
  netns_agent=$!
  agent_t0=$(date +%s%N)
  agent_verdict=""
  for _ in $(seq 1 40); do
    agent_verdict=$(ip netns exec rdpmend-probe-cli "$rdpmend" probe 10.203.77.1 --timeout 500 --json 2>/dev/null |
      python3 -c "import json,sys; print(json.load(sys.stdin)['verdict'])" 2>/dev/null)
    [[ $agent_verdict == ok ]] && break
    sleep 0.25
  done
  agent_ms=$((($(date +%s%N) - agent_t0) / 1000000))
  kill -TERM "$netns_agent" 2>/dev/null
  wait "$netns_agent"
  agent_status=$?
  e2e_report "$([[ $agent_verdict == ok && $agent_status == 0 ]] && echo 1 || echo 0)" \
    "agent netns-nft-drop: the agent lifted both blocks with no human; probe ok ${agent_ms} ms after it started" \
    "agent netns-nft-drop: probe '$agent_verdict', agent exit $agent_status: $(tail -n 3 "$ndir/agent.err" | tr '\n' ' ')"
  ip netns exec rdpmend-probe-srv nft delete table ip rdpmend_test2
  ip netns exec rdpmend-probe-srv nft flush chain inet rdpmend_test input
  ip netns exec rdpmend-probe-srv nft add rule inet rdpmend_test input tcp dport 3389 reject with tcp reset
  ip netns exec rdpmend-probe-cli "$rdpmend" probe 10.203.77.1 --json >"$ndir/reject.json"
  probe_expect netns-reject "$ndir/reject.json" $? 6 refused "j['connect']['attempts'][0]['outcome'] == 'refused'"
  kill -TERM -- "-$netns_xrdp" 2>/dev/null
  kill -KILL -- "-$netns_xrdp" 2>/dev/null
  wait "$netns_xrdp" 2>/dev/null
  cleanup_netns
else
  echo "SKIPPED: probe netns-open, netns-filtered-drop, netns-reject, diagnose netns-nft-drop, fix, rollback and agent netns-nft-drop: cannot create network namespaces (needs root and CAP_SYS_ADMIN)"
  skipped=$((skipped + 7))
fi
