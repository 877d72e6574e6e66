#!/usr/bin/env bash
# The README's demo. Until the agent exists, it shows detection: rdpmend scan over the bundled real
# Windows events (recorded on real hosts and published in public repositories), then over a set of
# host failures (TermService 1057/1058, Schannel 36870, TermService crashes), then over what a real
# xrdp logs when its key is unreadable. On a bare Debian machine run it as root: it installs what it needs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ $(id -u) -eq 0 ]]; then scripts/setup.sh; fi
rdpmend=$(scripts/build.sh | tail -n 1)

banner() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

banner "1. 69 real event records (RDP host, client, Schannel, TermDD, SCM, firewall) from public samples"
"$rdpmend" scan --xml tests/data/event-xml/*.xml --timeline-lines 12 || true

banner "2. A host whose listener key broke: the System log around a 0x904 failure"
"$rdpmend" scan --xml tests/data/synthetic/system-rdp-failures.xml --timeline-lines 10 || true

if [[ -x /usr/sbin/xrdp && $(id -u) -eq 0 ]]; then
  banner "3. A real xrdp on 127.0.0.1 whose key the xrdp user cannot read; one client connects"
  source tests/e2e/lib/xrdp_instance.sh
  dir=$(mktemp -d /tmp/rdpmend-demo.XXXXXX)
  chmod 755 "$dir"
  trap 'xrdp_stop; rm -rf "$dir"' EXIT
  port=$(xrdp_free_port)
  xrdp_make_cert "$dir"
  chown root:root "$dir/key.pem"
  xrdp_write_ini "$dir" "$port" negotiate
  xrdp_start "$dir" "$port"
  echo "client: $(python3 tests/e2e/lib/rdp_connect.py 127.0.0.1 "$port" | tr '\n' ' ')(selected=0 is Standard RDP Security: TLS was silently dropped)"
  xrdp_stop
  "$rdpmend" scan --xrdp-log "$dir/xrdp.log" || true
fi
printf '\nThe JSON form of any of these: add --json. Exit status 1 means problems were found.\n'
