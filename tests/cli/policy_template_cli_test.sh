#!/usr/bin/env bash
# Drives `rdpmend policy template --out DIR` as a user would: the folders it creates, the files it writes and names,
# and the exit status and message when a folder or file cannot be written.
# Usage: policy_template_cli_test.sh RDPMEND_BINARY
set -uo pipefail
rdpmend=$1
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"

# expect_output NAME PATTERN FILE: FILE has a line matching the extended regular expression PATTERN.
expect_output() {
  if grep -Eq "$2" "$3"; then
    echo "ok   $1"
  else
    echo "FAIL $1: no line matches '$2' in: $(cat "$3")"
    failures=$((failures + 1))
  fi
}

"$rdpmend" policy template --out "$tmp/a/b" >"$tmp/out.txt" 2>&1
check "a new nested folder gives 0" 0 $?
if [[ -s $tmp/a/b/RdpMend.admx && -s $tmp/a/b/en-US/RdpMend.adml ]]; then
  echo "ok   writes DIR/RdpMend.admx and DIR/en-US/RdpMend.adml, creating the folders"
else
  echo "FAIL the files are missing: $(find "$tmp/a" | tr '\n' ' ')"
  failures=$((failures + 1))
fi
expect_output "names both files" "^wrote $tmp/a/b/en-US/RdpMend.adml$" "$tmp/out.txt"

"$rdpmend" policy template --out "$tmp/a/b" >/dev/null 2>&1
check "writing over an earlier template gives 0" 0 $?

"$rdpmend" policy template >/dev/null 2>&1
check "without --out is bad usage (2)" 2 $?

touch "$tmp/file"
"$rdpmend" policy template --out "$tmp/file" >"$tmp/err.txt" 2>&1
check "a folder that is a file gives 3" 3 $?
expect_output "the error names the folder and the OS's reason" \
  "cannot create the folder $tmp/file/en-US: .*[Nn]ot a directory" "$tmp/err.txt"

mkdir -p "$tmp/dir/RdpMend.admx"
"$rdpmend" policy template --out "$tmp/dir" >"$tmp/err.txt" 2>&1
check "a file that cannot be written gives 3" 3 $?
expect_output "the error names the file and the OS's reason" \
  "cannot write $tmp/dir/RdpMend.admx: [Ii]s a directory" "$tmp/err.txt"

if [[ $(id -u) != 0 ]]; then
  mkdir "$tmp/locked"
  chmod 555 "$tmp/locked"
  "$rdpmend" policy template --out "$tmp/locked" >"$tmp/err.txt" 2>&1
  check "a folder the user may not write gives 4" 4 $?
  expect_output "the error says permission denied" \
    "cannot create the folder $tmp/locked/en-US: [Pp]ermission denied" "$tmp/err.txt"
else
  echo "SKIPPED: permission denied cannot happen as root (running as $(id -un))"
fi

"$rdpmend" policy template --help >/dev/null
check "--help gives 0" 0 $?

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all policy template CLI checks passed"
