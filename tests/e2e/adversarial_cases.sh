# Sourced by run.sh: the trust boundary (docs/SECURITY.md), tried as an attacker holding only the xrdp account
# would. Each case builds a real xrdp instance folder, plants the attack, runs rdpmend as root, and checks that
# the victim file's owner, group, mode, link count and bytes are unchanged and the command returned the
# documented status. The race cases run a bounded number of rounds.

# facts PATH: what must not change about a victim (no link following).
facts() { stat -c '%F %U:%G %a links=%h' "$1" 2>&1; [[ -f $1 && ! -L $1 ]] && sha256sum <"$1"; }

# adv_instance NAME: a fresh instance folder (certificate, key, ini) in $adv_dir, and its rdpmend.toml in Auto.
adv_instance() {
  adv_dir=$work/adv-$1
  xrdp_new_instance "$adv_dir" healthy
  adv_args=(--config "$adv_dir/rdpmend.toml" --journal "$adv_dir/journal.db")
}

# adv_victim PATH [CONTENT]: a root-only file standing for /etc/shadow.
adv_victim() {
  mkdir -p "$(dirname "$1")"
  printf '%s\n' "${2:-root:secret-hash:19000:0:99999:7:::}" >"$1"
  chown root:root "$1"
  chmod 600 "$1"
}

# adv_check NAME VICTIM BEFORE STATUS WANT_STATUS JSON FINDING: one case's verdict.
adv_check() {
  local name=$1 victim=$2 before=$3 status=$4 want_status=$5 json=$6 finding=$7 ok=1 why=""
  local after
  after=$(facts "$victim")
  [[ $after == "$before" ]] || { ok=0; why+=" victim changed: '$before' -> '$after'"; }
  [[ $status == "$want_status" ]] || { ok=0; why+=" exit $status (want $want_status)"; }
  if [[ -n $finding ]]; then
    python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
ids = [f['id'] for f in j.get('findings', [])] or j.get('findings_before', [])
assert sys.argv[2] in ids, f'{sys.argv[2]} not among {ids}'
" "$json" "$finding" >"$adv_dir/check.txt" 2>&1 || { ok=0; why+=" $(tail -n 1 "$adv_dir/check.txt")"; }
  fi
  e2e_report "$ok" "adversarial $name: victim unchanged, exit $status${finding:+, $finding}" "adversarial $name:$why"
}

# adv_fix NAME VICTIM FINDING: `fix --apply` in Auto with every action allowed must change nothing of VICTIM.
adv_fix() {
  local name=$1 victim=$2 finding=$3 before status
  before=$(facts "$victim")
  timeout 60 "$rdpmend" fix --apply --json "${adv_args[@]}" >"$adv_dir/fix.json" 2>"$adv_dir/fix.err"
  status=$?
  "$rdpmend" diagnose --json --config "$adv_dir/rdpmend.toml" >"$adv_dir/diagnose.json" 2>/dev/null
  adv_check "$name" "$victim" "$before" "$status" 1 "$adv_dir/diagnose.json" "$finding"
}

adv_policy=('[policy]' 'Mode = "Auto"' 'AllowRegenerateRdpCert = true' 'XrdpKeyAccess = "file-group"')

# 1. xrdp.ini owned by the xrdp user names a root-only file as its key.
adv_instance ini-owned-by-xrdp
adv_victim "$adv_dir/shadow"
sed -i "s|^key_file=.*|key_file=$adv_dir/shadow|" "$adv_dir/xrdp.ini"
chown xrdp:xrdp "$adv_dir/xrdp.ini"
xrdp_write_rdpmend_config "$adv_dir" "${adv_policy[@]}"
adv_fix ini-owned-by-xrdp "$adv_dir/shadow" untrusted-path

# 2. The key in a folder the xrdp user can write (it could swap the file at any moment).
adv_instance key-in-xrdp-folder
mkdir "$adv_dir/keys"
chown xrdp:xrdp "$adv_dir/keys"
adv_victim "$adv_dir/keys/key.pem" "$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null)"
sed -i "s|^key_file=.*|key_file=$adv_dir/keys/key.pem|" "$adv_dir/xrdp.ini"
xrdp_write_rdpmend_config "$adv_dir" "${adv_policy[@]}"
adv_fix key-in-xrdp-folder "$adv_dir/keys/key.pem" untrusted-path

# 3. A folder link planted in a folder the xrdp user can write, leading into root's folder.
adv_instance planted-folder-link
mkdir "$adv_dir/w" "$adv_dir/secret"
chown xrdp:xrdp "$adv_dir/w"
adv_victim "$adv_dir/secret/key.pem" "$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null)"
setpriv --reuid=xrdp --regid=xrdp --clear-groups ln -s "$adv_dir/secret" "$adv_dir/w/link"
sed -i "s|^key_file=.*|key_file=$adv_dir/w/link/key.pem|" "$adv_dir/xrdp.ini"
xrdp_write_rdpmend_config "$adv_dir" "${adv_policy[@]}"
adv_fix planted-folder-link "$adv_dir/secret/key.pem" untrusted-path

# 4. The key is a second hard link to a root-only private key: its permissions are never changed.
adv_instance hard-link
adv_victim "$adv_dir/root-only.key" "$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null)"
rm -f "$adv_dir/key.pem"
ln "$adv_dir/root-only.key" "$adv_dir/key.pem"
openssl req -x509 -new -key "$adv_dir/key.pem" -subj /CN=hard-link -days 30 -out "$adv_dir/cert.pem" 2>/dev/null
xrdp_write_rdpmend_config "$adv_dir" "${adv_policy[@]}"
before=$(facts "$adv_dir/root-only.key")
timeout 60 "$rdpmend" fix --apply --json "${adv_args[@]}" >"$adv_dir/fix.json" 2>"$adv_dir/fix.err"
status=$?
python3 -c "
import json, sys
a = [a for a in json.load(open(sys.argv[1]))['actions'] if a['action'] == 'repair-rdp-key-acl']
assert a and a[0]['outcome'] == 'precondition-failed' and 'hard-linked' in a[0]['detail'], a
" "$adv_dir/fix.json" >"$adv_dir/check.txt" 2>&1 || echo "     $(tail -n 1 "$adv_dir/check.txt")"
adv_check hard-link "$adv_dir/root-only.key" "$before" "$status" 1 "$adv_dir/fix.json" xrdp-key-unreadable

# 5. key_file and certificate name files that are not PEM: never made readable, never overwritten.
adv_instance not-a-key
adv_victim "$adv_dir/shadow"
sed -i "s|^key_file=.*|key_file=$adv_dir/shadow|" "$adv_dir/xrdp.ini"
xrdp_write_rdpmend_config "$adv_dir" "${adv_policy[@]}"
adv_fix not-a-key "$adv_dir/shadow" rdp-file-content-invalid

adv_instance not-a-certificate
adv_victim "$adv_dir/passwd" "root:x:0:0:root:/root:/bin/bash"
chmod 644 "$adv_dir/passwd"
sed -i "s|^certificate=.*|certificate=$adv_dir/passwd|" "$adv_dir/xrdp.ini"
xrdp_write_rdpmend_config "$adv_dir" "${adv_policy[@]}"
adv_fix not-a-certificate "$adv_dir/passwd" rdp-file-content-invalid

# 6. A FIFO as key and a character device as certificate (made with mknod in the test folder): no command
# blocks, and neither node is replaced by a regular file.
adv_instance special-files
rm -f "$adv_dir/key.pem" "$adv_dir/cert.pem"
mkfifo "$adv_dir/key.pem"
mknod "$adv_dir/cert.pem" c 1 5  # like /dev/zero: endless bytes
xrdp_write_rdpmend_config "$adv_dir" "${adv_policy[@]}"
adv_fix special-files-fifo-key "$adv_dir/key.pem" untrusted-path
before=$(facts "$adv_dir/cert.pem")
timeout 60 "$rdpmend" diagnose --json --config "$adv_dir/rdpmend.toml" >"$adv_dir/diagnose2.json" 2>/dev/null
adv_check special-files-device-cert "$adv_dir/cert.pem" "$before" $? 1 "$adv_dir/diagnose2.json" untrusted-path

# 7. A restart program owned by the xrdp user is never run as root.
adv_instance restart-owned-by-xrdp
printf '#!/bin/sh\ntouch %s/ran-as-root\n' "$adv_dir" >"$adv_dir/restart.sh"
chown xrdp:xrdp "$adv_dir/restart.sh"
chmod 755 "$adv_dir/restart.sh"
xrdp_write_rdpmend_config "$adv_dir" "restart = [\"$adv_dir/restart.sh\"]" "${adv_policy[@]}"
before=$(facts "$adv_dir/restart.sh")
timeout 60 "$rdpmend" fix --apply --json "${adv_args[@]}" >"$adv_dir/fix.json" 2>"$adv_dir/fix.err"  # xrdp is down
status=$?
"$rdpmend" diagnose --json --config "$adv_dir/rdpmend.toml" >"$adv_dir/diagnose.json" 2>/dev/null
[[ -e $adv_dir/ran-as-root ]] && status="ran-as-root"
adv_check restart-owned-by-xrdp "$adv_dir/restart.sh" "$before" "$status" 1 "$adv_dir/diagnose.json" untrusted-path

# 8. The certificate's folder is swapped for a link between the repair and the rollback: the rollback refuses
# and writes nothing into the link's target.
adv_instance swapped-folder
mkdir "$adv_dir/certs" "$adv_dir/other"
mv "$adv_dir/key.pem" "$adv_dir/cert.pem" "$adv_dir/certs/"
sed -i -e "s|^key_file=.*|key_file=$adv_dir/certs/key.pem|" -e "s|^certificate=.*|certificate=$adv_dir/certs/cert.pem|" \
  "$adv_dir/xrdp.ini"
rm -f "$adv_dir/certs/cert.pem"  # the fault: no certificate
adv_victim "$adv_dir/other/key.pem"
xrdp_write_rdpmend_config "$adv_dir" "${adv_policy[@]}"
"$rdpmend" fix --apply --json --only regenerate-rdp-cert "${adv_args[@]}" >"$adv_dir/fix.json" 2>"$adv_dir/fix.err"
action_id=$(python3 -c "import json,sys; print([a['action_id'] for a in json.load(open(sys.argv[1]))['actions'] if a['outcome'] == 'succeeded'][0])" "$adv_dir/fix.json" 2>/dev/null)
mv "$adv_dir/certs" "$adv_dir/certs.old"
ln -s "$adv_dir/other" "$adv_dir/certs"
before=$(facts "$adv_dir/other/key.pem")
"$rdpmend" rollback "${action_id:-1}" "${adv_args[@]}" >"$adv_dir/rollback.out" 2>"$adv_dir/rollback.err"
status=$?
[[ -e $adv_dir/other/cert.pem ]] && status="wrote-into-link-target"
[[ -n $action_id ]] || status="no-repair-to-roll-back:$(head -c 200 "$adv_dir/fix.err")"
adv_check swapped-folder-rollback "$adv_dir/other/key.pem" "$before" "$status" 3 "" ""

# 9. The configuration in a folder the xrdp user can write, its link swapped in a loop between root's file
# (Observe) and the xrdp user's (Auto): Auto is never read. A bounded number of rounds.
adv_instance config-swap
mkdir "$adv_dir/cfg"
chown xrdp:xrdp "$adv_dir/cfg"
xrdp_write_rdpmend_config "$adv_dir" '[policy]' 'Mode = "Observe"'
cp "$adv_dir/rdpmend.toml" "$adv_dir/root.toml"
sed 's/Observe/Auto/' "$adv_dir/root.toml" >"$adv_dir/cfg/evil.toml"
chown xrdp:xrdp "$adv_dir/cfg/evil.toml"
setpriv --reuid=xrdp --regid=xrdp --clear-groups sh -c "
  i=0
  while [ \$i -lt 20000 ]; do
    ln -sfn $adv_dir/root.toml $adv_dir/cfg/rdpmend.toml.new && mv -fT $adv_dir/cfg/rdpmend.toml.new $adv_dir/cfg/rdpmend.toml
    ln -sfn $adv_dir/cfg/evil.toml $adv_dir/cfg/rdpmend.toml.new && mv -fT $adv_dir/cfg/rdpmend.toml.new $adv_dir/cfg/rdpmend.toml
    i=\$((i + 1))
  done" &
swapper=$!
auto=0 rounds=0
for _ in $(seq 1 60); do
  out=$("$rdpmend" policy show --json --config "$adv_dir/cfg/rdpmend.toml" 2>/dev/null)
  rounds=$((rounds + 1))
  [[ $out == *'"mode": "Auto"'* || $out == *'"mode":"Auto"'* ]] && auto=$((auto + 1))
done
kill "$swapper" 2>/dev/null
wait "$swapper" 2>/dev/null
((auto == 0)) && ok=1 || ok=0
e2e_report "$ok" "adversarial config-swap: Mode Auto read 0 times in $rounds rounds of a swapped link" \
  "adversarial config-swap: Mode Auto read $auto times in $rounds rounds"

# 10. An empty journal is refused (exit 3) and never re-created.
adv_instance empty-journal
: >"$adv_dir/journal.db"
chmod 600 "$adv_dir/journal.db"
xrdp_write_rdpmend_config "$adv_dir" "${adv_policy[@]}"
before=$(facts "$adv_dir/journal.db")
"$rdpmend" fix --apply --json "${adv_args[@]}" >"$adv_dir/fix.json" 2>"$adv_dir/fix.err"
adv_check empty-journal "$adv_dir/journal.db" "$before" $? 3 "" ""

# 11. Hostile text in xrdp's log: invalid UTF-8 and a terminal escape never crash scan, and never reach the
# screen raw.
adv_instance hostile-text
printf '[20260101-10:00:00] [ERROR] Cannot read private key file %s/key.pem: \xff\xfe \033[2J bad\n' "$adv_dir" \
  >"$adv_dir/xrdp.log"
"$rdpmend" scan --json --xrdp-log "$adv_dir/xrdp.log" >"$adv_dir/scan.json" 2>"$adv_dir/scan.err"
json_status=$?
"$rdpmend" scan --xrdp-log "$adv_dir/xrdp.log" >"$adv_dir/scan.txt" 2>&1
ok=1 why=""
[[ $json_status == 0 || $json_status == 1 ]] || { ok=0; why+=" scan --json exit $json_status"; }
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$adv_dir/scan.json" 2>/dev/null || { ok=0; why+=" not JSON"; }
grep -q $'\033' "$adv_dir/scan.txt" && { ok=0; why+=" a raw ESC reached the text output"; }
e2e_report "$ok" "adversarial hostile-text: scan --json exit $json_status, valid JSON; no raw escape in the text output" \
  "adversarial hostile-text:$why"

# 12. SIGTERM stops the agent within 2 s while it waits on a restart program that takes 30 s.
adv_instance sigterm-busy
printf '#!/bin/sh\nsleep 30\n' >"$adv_dir/slow-restart.sh"
chmod 755 "$adv_dir/slow-restart.sh"
xrdp_write_rdpmend_config "$adv_dir" "restart = [\"/bin/sh\", \"$adv_dir/slow-restart.sh\"]" "${adv_policy[@]}"
"$rdpmend" -v run "${adv_args[@]}" --log-dir "$adv_dir/logs" --settle 0.1 2>"$adv_dir/agent.err" &
agent=$!
for _ in $(seq 1 200); do pgrep -f "$adv_dir/slow-restart.sh" >/dev/null && break; sleep 0.05; done
busy=$(pgrep -f "$adv_dir/slow-restart.sh" >/dev/null && echo yes || echo no)
kill -TERM "$agent"
stopped=no
for _ in $(seq 1 20); do kill -0 "$agent" 2>/dev/null || { stopped=yes; break; }; sleep 0.1; done
kill -KILL "$agent" 2>/dev/null
wait "$agent" 2>/dev/null
pkill -f "$adv_dir/slow-restart.sh" 2>/dev/null
[[ $busy == yes && $stopped == yes ]] && ok=1 || ok=0
e2e_report "$ok" "adversarial sigterm-busy: the agent stopped within 2 s of SIGTERM while its restart program ran" \
  "adversarial sigterm-busy: busy=$busy stopped=$stopped ($(tail -n 3 "$adv_dir/agent.err" | tr '\n' ' '))"
