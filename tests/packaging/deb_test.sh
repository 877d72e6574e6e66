#!/usr/bin/env bash
# The Debian package, end to end: builds it with packaging/debian/build-deb.sh from BINARY, checks its
# metadata, contents, unit and default configuration, then (as root) really installs it on this machine
# with dpkg: install, the agent run with the packaged defaults, remove (keeps configuration and data),
# reinstall, purge (removes everything), and a postinst that must refuse a /var/lib/rdpmend symlink.
#
#   tests/packaging/deb_test.sh BINARY
#
# One line per check ("ok - ...", "not ok - ...", "skip - ... (why)"), then "deb: N passed, N failed,
# N skipped"; exit 1 when a check failed. A leftover rdpmend package (an interrupted run) is purged first,
# and the package is purged again on exit.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/packaging/lib.sh
source "$here/lib.sh"

if (($# != 1)) || [[ ! -x $1 ]]; then
  echo "usage: $0 BINARY (an executable rdpmend)" >&2
  exit 2
fi
binary=$(realpath "$1")
build_deb=$root/packaging/debian/build-deb.sh
work=$(mktemp -d)
version=$("$binary" version | awk '$1 == "rdpmend" {print $2; exit}')
installed_by_us=0
symlink_made=

cleanup() {
  if ((installed_by_us)); then dpkg -P rdpmend >/dev/null 2>&1 || true; fi
  if [[ -n $symlink_made && -L $symlink_made ]]; then rm -f "$symlink_made"; fi
  rm -rf "$work"
}
trap cleanup EXIT

# dpkg fails at once when another dpkg/apt holds the lock: wait for it (a minute at most).
dpkg_() {
  local out status i
  for ((i = 0; i < 60; i++)); do
    out=$(dpkg "$@" </dev/null 2>&1)
    status=$?
    [[ $status -ne 0 && $out == *"lock"* ]] || break
    sleep 1
  done
  printf '%s\n' "$out" >"$work/dpkg.out"
  return "$status"
}

mode_owner() { stat -c '%a %U:%G %F' "$1" 2>&1; }
pkg_status() { dpkg-query -W -f='${Status}' rdpmend 2>/dev/null; }

# --- build -------------------------------------------------------------------------------------------
deb=$("$build_deb" "$binary" "$version" "$work/out1" 2>"$work/build.err" | tail -n 1)
if [[ -f $deb && $deb == "$work/out1/rdpmend_${version}_amd64.deb" ]]; then
  ok "build-deb.sh builds rdpmend_${version}_amd64.deb and prints its path"
else
  not_ok "build-deb.sh: no package (printed '$deb'): $(tail -n 5 "$work/build.err")"
  pkg_summary deb
  exit 1
fi
deb2=$("$build_deb" "$binary" "$version" "$work/out2" 2>/dev/null | tail -n 1)
expect_eq "a second build is byte for byte the same (reproducible)" \
  "$(sha256sum <"$deb")" "$(sha256sum <"$deb2" 2>/dev/null)"
if "$build_deb" "$binary" 9.9.9 "$work/out3" >/dev/null 2>"$work/mismatch.err"; then
  not_ok "build-deb.sh refuses a version the binary does not report"
else
  expect_match "build-deb.sh refuses a version the binary does not report" "reports version" \
    "$(cat "$work/mismatch.err")"
fi

# --- metadata ----------------------------------------------------------------------------------------
field() { dpkg-deb --field "$deb" "$1"; }
expect_eq "Package" rdpmend "$(field Package)"
expect_eq "Version" "$version" "$(field Version)"
expect_eq "Architecture" amd64 "$(field Architecture)"
expect_eq "Section" admin "$(field Section)"
expect_eq "Priority" optional "$(field Priority)"
expect_match "Maintainer" '^RdpMend developers <.+@.+>$' "$(field Maintainer)"
expect_eq "Recommends" nftables "$(field Recommends)"
expect_eq "Suggests" xrdp "$(field Suggests)"
expect_match "Installed-Size is a number of KiB" '^[0-9]+$' "$(field Installed-Size)"
expect_match "Description: a synopsis and a long text" '^self-healing agent.*'$'\n'' .*Observe' \
  "$(field Description)"
depends=$(field Depends)
expect_match "Depends: usermod/gpasswd's package" '(^|, )passwd($|,)' "$depends"
# Every shared library the binary loads must come from a package named in Depends (or one it provides).
depend_names=$(sed 's/ *([^)]*)//g; s/ *| */\n/g; s/, */\n/g' <<<"$depends")
missing=()
while read -r soname path; do
  owner=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(realpath "$path")" 2>/dev/null)
  owner=${owner%%:*}
  if [[ -z $owner ]]; then
    missing+=("$soname (no package owns $path)")
    continue
  fi
  names=$owner
  provides=$(dpkg-query -W -f='${Provides}' "$owner" 2>/dev/null | sed 's/ *([^)]*)//g; s/,/ /g')
  names+=" $provides"
  found=0
  for name in $names; do
    grep -qxF -- "$name" <<<"$depend_names" && found=1
  done
  ((found)) || missing+=("$soname ($owner)")
done < <(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}')
expect_eq "Depends names the package of every shared library the binary loads" "" "${missing[*]}"

dpkg-deb --control "$deb" "$work/control"
expect_eq "conffiles: the configuration file" /etc/rdpmend/rdpmend.toml "$(cat "$work/control/conffiles")"
for script in postinst prerm postrm; do
  file=$work/control/$script
  if [[ $(stat -c %a "$file" 2>/dev/null) == 755 && $(head -n 1 "$file") == "#!/bin/sh" ]] &&
    grep -qx 'set -e' "$file" && sh -n "$file"; then
    ok "$script: POSIX sh, 0755, set -e"
  else
    not_ok "$script: POSIX sh, 0755, set -e"
  fi
done
if command -v shellcheck >/dev/null; then
  check "the maintainer scripts pass shellcheck -s sh" \
    shellcheck -s sh "$work/control/postinst" "$work/control/prerm" "$work/control/postrm"
else
  skip "shellcheck of the maintainer scripts (shellcheck not installed)"
fi

# --- contents ----------------------------------------------------------------------------------------
expected="drwxr-xr-x ./
drwxr-xr-x ./etc/
drwxr-xr-x ./etc/rdpmend/
-rw-r--r-- ./etc/rdpmend/rdpmend.toml
drwxr-xr-x ./lib/
drwxr-xr-x ./lib/systemd/
drwxr-xr-x ./lib/systemd/system/
-rw-r--r-- ./lib/systemd/system/rdpmend.service
drwxr-xr-x ./usr/
drwxr-xr-x ./usr/bin/
-rwxr-xr-x ./usr/bin/rdpmend
drwxr-xr-x ./usr/share/
drwxr-xr-x ./usr/share/doc/
drwxr-xr-x ./usr/share/doc/rdpmend/
-rw-r--r-- ./usr/share/doc/rdpmend/README.md
-rw-r--r-- ./usr/share/doc/rdpmend/changelog.gz
-rw-r--r-- ./usr/share/doc/rdpmend/copyright"
[[ $version == *-* ]] && expected=${expected/changelog.gz/changelog.Debian.gz}
contents=$(dpkg-deb --contents "$deb")
expect_eq "contents: exactly these paths and modes" "$expected" "$(awk '{print $1, $6}' <<<"$contents")"
expect_eq "contents: every entry owned by root/root" "" "$(awk '$2 != "root/root"' <<<"$contents")"
mtimes=$(awk '{print $4, $5}' <<<"$contents" | sort -u | wc -l)
expect_eq "contents: one mtime for every entry (SOURCE_DATE_EPOCH)" 1 "$mtimes"
dpkg-deb --extract "$deb" "$work/tree"
if readelf -S "$work/tree/usr/bin/rdpmend" | grep -q '\.symtab'; then
  not_ok "the packaged binary is stripped"
else
  ok "the packaged binary is stripped"
fi
expect_eq "the packaged binary runs and reports the version" "rdpmend $version" \
  "$("$work/tree/usr/bin/rdpmend" version | head -n 1)"
check "the conffile is packaging/debian/rdpmend.toml" \
  cmp -s "$work/tree/etc/rdpmend/rdpmend.toml" "$root/packaging/debian/rdpmend.toml"
check "md5sums covers every file" bash -c "cd '$work/tree' && md5sum --quiet -c '$work/control/md5sums' &&
  [[ \$(find . -type f | wc -l) == \$(wc -l <'$work/control/md5sums') ]]"

# --- the unit ----------------------------------------------------------------------------------------
unit=$work/tree/lib/systemd/system/rdpmend.service
if command -v systemd-analyze >/dev/null; then
  sed "s|^ExecStart=/usr/bin/rdpmend |ExecStart=$work/tree/usr/bin/rdpmend |" "$unit" >"$work/rdpmend.service"
  if systemd-analyze verify "$work/rdpmend.service" >"$work/verify.out" 2>&1; then
    ok "systemd-analyze verify accepts the unit"
  else
    not_ok "systemd-analyze verify: $(head -n 3 "$work/verify.out")"
  fi
  exposure=$(systemd-analyze security --offline=yes "$work/rdpmend.service" 2>/dev/null |
    sed -n 's/.*Overall exposure level for rdpmend.service: \([0-9.]*\).*/\1/p')
  if [[ -n $exposure ]] && awk -v e="$exposure" 'BEGIN { exit !(e < 5.0) }'; then
    ok "systemd-analyze security: exposure $exposure (below 5.0)"
  else
    not_ok "systemd-analyze security: exposure '$exposure', expected below 5.0"
  fi
else
  skip "systemd-analyze verify (systemd not installed)"
  skip "systemd-analyze security (systemd not installed)"
fi
unit_value() { sed -n "s/^$1=//p" "$unit" | tail -n 1; }
expect_eq "unit: ExecStart" "/usr/bin/rdpmend run" "$(unit_value ExecStart)"
expect_eq "unit: Restart" on-failure "$(unit_value Restart)"
expect_eq "unit: WantedBy" multi-user.target "$(unit_value WantedBy)"
# The agent changes xrdp's files and /etc/group: /etc must stay writable.
if [[ $(unit_value ProtectSystem) == strict && " $(unit_value ReadWritePaths) " == *" /etc "* ]] ||
  [[ $(unit_value ProtectSystem) =~ ^(yes|true|)$ ]]; then
  ok "unit: /etc stays writable (ProtectSystem=$(unit_value ProtectSystem))"
else
  not_ok "unit: /etc stays writable (ProtectSystem=$(unit_value ProtectSystem), ReadWritePaths=$(unit_value ReadWritePaths))"
fi
expect_eq "unit: no CapabilityBoundingSet (usermod, chown and nft need root's)" "" \
  "$(unit_value CapabilityBoundingSet)"

# --- the default configuration -----------------------------------------------------------------------
conf=$work/tree/etc/rdpmend/rdpmend.toml
policy_out=$("$work/tree/usr/bin/rdpmend" policy show --config "$conf" 2>&1)
status=$?
if ((status == 0)) && [[ $policy_out != *"Ignored values"* && $policy_out != *"Sources not read"* ]]; then
  ok "rdpmend policy show --config accepts the default file (no warning, no error)"
else
  not_ok "rdpmend policy show --config (exit $status): $policy_out"
fi
expect_match "the default file sets Mode Observe" "Mode +Observe +local" "$policy_out"
# Every setting of the table is in the file with its default ("#Name = value" or "Name = value").
defaults=$("$work/tree/usr/bin/rdpmend" policy show --json | python3 -c '
import json, sys
for s in json.load(sys.stdin)["settings"]:
    d = s["default"]
    v = d if d in ("true", "false") or d.isdigit() else "\"" + d + "\""
    print(s["name"] + " = " + v)')
absent=()
while read -r line; do
  grep -qxF -e "$line" -e "#$line" "$conf" || absent+=("${line%% =*}")
done <<<"$defaults"
expect_eq "every policy setting is in the file with its default" "" "${absent[*]}"
# Uncommented, the documented defaults are accepted and are the defaults.
sed 's/^#\([A-Za-z]\{1,\} = \)/\1/' "$conf" >"$work/uncommented.toml"
differ=$("$work/tree/usr/bin/rdpmend" policy show --json --config "$work/uncommented.toml" | python3 -c '
import json, sys
j = json.load(sys.stdin)
bad = [s["name"] for s in j["settings"] if s["source"] != "local" or s["value"] != s["default"]]
print(" ".join(bad + [w["message"] for w in j["warnings"]] + [e["message"] for e in j["errors"]]))')
expect_eq "uncommented, every documented default is accepted and equals the built-in one" "" "$differ"
# The [xrdp] section is read by the commands that inspect the host (exit 3: configuration unusable).
diag_err=$("$work/tree/usr/bin/rdpmend" diagnose --config "$work/uncommented.toml" --no-probe --no-events \
  2>&1 >/dev/null)
status=$?
if ((status != 3)) && [[ $diag_err != *"read configuration"* ]]; then
  ok "the [xrdp] section, uncommented, is accepted (diagnose exit $status)"
else
  not_ok "the [xrdp] section: diagnose exit $status: $diag_err"
fi

# --- installation on this machine --------------------------------------------------------------------
if ((EUID != 0)); then
  skip "install, remove, purge with dpkg (not root)"
  pkg_summary deb
  exit
fi
if [[ -n $(pkg_status) ]]; then
  dpkg_ -P rdpmend || true  # a leftover of an interrupted run
fi
for path in /var/lib/rdpmend /var/log/rdpmend /etc/rdpmend /usr/bin/rdpmend; do
  if [[ -e $path || -L $path ]]; then
    skip "install, remove, purge with dpkg ($path exists and belongs to no package: not touching it)"
    pkg_summary deb
    exit
  fi
done
installed_by_us=1

# The postinst refuses a /var/lib/rdpmend that is a symbolic link, and leaves the link's target alone.
mkdir -m 0755 "$work/elsewhere"
chown 65534:65534 "$work/elsewhere"
before=$(mode_owner "$work/elsewhere")
ln -s "$work/elsewhere" /var/lib/rdpmend
symlink_made=/var/lib/rdpmend
if dpkg_ -i "$deb"; then
  not_ok "dpkg -i fails when /var/lib/rdpmend is a symbolic link"
else
  expect_match "dpkg -i fails when /var/lib/rdpmend is a symbolic link, saying so" \
    "/var/lib/rdpmend is a symbolic link" "$(cat "$work/dpkg.out")"
fi
expect_eq "the link's target keeps its mode and owner" "$before" "$(mode_owner "$work/elsewhere")"
expect_eq "the link is left as it was" "$work/elsewhere" "$(readlink /var/lib/rdpmend)"
rm -f /var/lib/rdpmend
symlink_made=
if dpkg_ --configure rdpmend; then
  ok "with the link removed, dpkg --configure rdpmend finishes the installation"
else
  not_ok "dpkg --configure after removing the link: $(tail -n 3 "$work/dpkg.out")"
fi
dpkg_ -P rdpmend || not_ok "purge after the symlink test: $(tail -n 3 "$work/dpkg.out")"

# A fresh installation (no systemd running here: the unit is enabled, not started).
if dpkg_ -i "$deb"; then
  ok "dpkg -i installs the package$([[ -d /run/systemd/system ]] || echo ' (no systemd running)')"
else
  not_ok "dpkg -i: $(tail -n 5 "$work/dpkg.out")"
fi
expect_eq "dpkg -s: installed" "install ok installed" "$(pkg_status)"
expect_eq "/usr/bin/rdpmend --version prints the package version" "rdpmend $version" \
  "$(/usr/bin/rdpmend --version 2>&1)"
expect_eq "/usr/bin/rdpmend version agrees" "rdpmend $version" "$(/usr/bin/rdpmend version 2>&1 | head -n 1)"
policy_out=$(/usr/bin/rdpmend policy show 2>&1)
status=$?
expect_match "rdpmend policy show reads /etc/rdpmend/rdpmend.toml (exit $status)" \
  "Mode +Observe +local \(/etc/rdpmend/rdpmend.toml\)" "$policy_out"
expect_eq "/var/lib/rdpmend: root:root 0700" "700 root:root directory" "$(mode_owner /var/lib/rdpmend)"
expect_eq "/var/log/rdpmend: root:root 0750" "750 root:root directory" "$(mode_owner /var/log/rdpmend)"
expect_eq "/etc/rdpmend/rdpmend.toml: root:root 0644" "644 root:root regular file" \
  "$(mode_owner /etc/rdpmend/rdpmend.toml)"
expect_eq "/usr/bin/rdpmend: root:root 0755" "755 root:root regular file" "$(mode_owner /usr/bin/rdpmend)"
check "the unit is enabled (multi-user.target.wants)" \
  test -L /etc/systemd/system/multi-user.target.wants/rdpmend.service
if command -v systemd-analyze >/dev/null; then
  check "systemd-analyze verify accepts the installed unit" \
    systemd-analyze verify /lib/systemd/system/rdpmend.service
fi

# The branch taken when systemd runs (not the case in this container): the maintainer scripts run with
# /run/systemd/system pointed at a folder of ours and deb-systemd-helper, deb-systemd-invoke and systemctl
# replaced by stubs that record their arguments. (postinst redoes its folders, which exist already.)
mkdir -p "$work/stubs" "$work/scripts" "$work/run-systemd-system"
for tool in deb-systemd-helper deb-systemd-invoke systemctl; do
  printf '#!/bin/sh\necho "%s $*" >>"%s"\n' "$tool" "$work/calls" >"$work/stubs/$tool"
  chmod 0755 "$work/stubs/$tool"
done
for script in postinst prerm postrm; do
  sed "s|/run/systemd/system|$work/run-systemd-system|g" "$work/control/$script" >"$work/scripts/$script"
  chmod 0755 "$work/scripts/$script"
done
with_systemd() {  # with_systemd SCRIPT ARGS...: the calls the script made, one per line
  : >"$work/calls"
  PATH="$work/stubs:$PATH" "$work/scripts/$1" "${@:2}" >/dev/null 2>&1 || echo "exit status $?"
  cat "$work/calls"
}
calls=$(with_systemd postinst configure)
expect_match "with systemd, postinst configure (first install) enables and starts the unit" \
  "deb-systemd-helper enable rdpmend.service.*daemon-reload.*deb-systemd-invoke start rdpmend.service" \
  "$(tr '\n' ' ' <<<"$calls")"
calls=$(with_systemd postinst configure 0.0.1)
expect_match "with systemd, postinst configure (upgrade) restarts the unit" \
  "deb-systemd-invoke restart rdpmend.service" "$(tr '\n' ' ' <<<"$calls")"
expect_eq "with systemd, prerm remove stops the unit" "deb-systemd-invoke stop rdpmend.service" \
  "$(with_systemd prerm remove)"
expect_eq "with systemd, prerm upgrade leaves it running (the new postinst restarts it)" "" \
  "$(with_systemd prerm upgrade 9.9.9)"
expect_eq "with systemd, postrm remove reloads systemd and masks the unit" \
  "systemctl --system daemon-reload deb-systemd-helper mask rdpmend.service" \
  "$(with_systemd postrm remove | tr '\n' ' ' | sed 's/ $//')"

# The agent starts with the packaged defaults (config, journal, log folder), as the unit runs it. Mode
# Observe: it inspects and changes nothing. Stopped by SIGTERM like systemd does.
/usr/bin/rdpmend run >"$work/agent.log" 2>&1 &
agent=$!
for ((i = 0; i < 100; i++)); do
  [[ -s /var/lib/rdpmend/journal.db && -s /var/log/rdpmend/rdpmend.log ]] && break
  kill -0 "$agent" 2>/dev/null || break
  sleep 0.1
done
kill -TERM "$agent" 2>/dev/null
wait "$agent"
status=$?
if ((status == 0)) && [[ -f /var/lib/rdpmend/journal.db ]]; then
  ok "rdpmend run starts with the packaged defaults and stops on SIGTERM (exit 0)"
else
  not_ok "rdpmend run with the packaged defaults (exit $status): $(tail -n 3 "$work/agent.log")"
fi
expect_eq "the agent's journal: root:root 0600" "600 root:root regular file" \
  "$(mode_owner /var/lib/rdpmend/journal.db)"
[[ -f /var/lib/rdpmend/journal.db ]] || echo "fake journal" >/var/lib/rdpmend/journal.db
journal_sum=$(sha256sum /var/lib/rdpmend/journal.db)
echo "# changed by the administrator" >>/etc/rdpmend/rdpmend.toml
conf_sum=$(sha256sum /etc/rdpmend/rdpmend.toml)

# Remove: the program goes, the configuration and the data stay.
if dpkg_ -r rdpmend; then ok "dpkg -r removes the package"; else not_ok "dpkg -r: $(tail -n 3 "$work/dpkg.out")"; fi
expect_eq "after remove: dpkg -s says config-files" "deinstall ok config-files" "$(pkg_status)"
check "after remove: /usr/bin/rdpmend is gone" test ! -e /usr/bin/rdpmend
check "after remove: the unit file is gone" test ! -e /lib/systemd/system/rdpmend.service
expect_eq "after remove: the changed conffile is kept" "$conf_sum" "$(sha256sum /etc/rdpmend/rdpmend.toml 2>&1)"
expect_eq "after remove: the journal is kept" "$journal_sum" "$(sha256sum /var/lib/rdpmend/journal.db 2>&1)"
check "after remove: the log folder is kept" test -d /var/log/rdpmend

# Reinstall: the administrator's file is kept without a question, the unit enabled again.
if dpkg_ -i "$deb"; then ok "dpkg -i again after remove"; else not_ok "reinstall: $(tail -n 3 "$work/dpkg.out")"; fi
expect_eq "after reinstall: the changed conffile is still the administrator's" "$conf_sum" \
  "$(sha256sum /etc/rdpmend/rdpmend.toml 2>&1)"
expect_eq "after reinstall: the journal is still there" "$journal_sum" \
  "$(sha256sum /var/lib/rdpmend/journal.db 2>&1)"
check "after reinstall: the unit is enabled and not masked" bash -c \
  'test -L /etc/systemd/system/multi-user.target.wants/rdpmend.service && ! test -L /etc/systemd/system/rdpmend.service'

# Purge: everything goes.
if dpkg_ -P rdpmend; then ok "dpkg -P purges the package"; else not_ok "dpkg -P: $(tail -n 3 "$work/dpkg.out")"; fi
left=()
for path in /usr/bin/rdpmend /lib/systemd/system/rdpmend.service /etc/rdpmend /var/lib/rdpmend \
  /var/log/rdpmend /etc/systemd/system/multi-user.target.wants/rdpmend.service \
  /etc/systemd/system/rdpmend.service /var/lib/systemd/deb-systemd-helper-enabled/rdpmend.service.dsh-also \
  /var/lib/systemd/deb-systemd-helper-masked/rdpmend.service; do
  [[ -e $path || -L $path ]] && left+=("$path")
done
expect_eq "after purge: no file, folder, unit link or helper state is left" "" "${left[*]}"
if dpkg -s rdpmend >/dev/null 2>&1; then
  not_ok "after purge: dpkg -s rdpmend fails"
else
  ok "after purge: dpkg -s rdpmend fails"
fi
installed_by_us=0

pkg_summary deb
