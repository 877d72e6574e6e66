#!/usr/bin/env bash
# The checked-in Group Policy template (policies/RdpMend.admx, policies/en-US/RdpMend.adml, which the MSI installs)
# is byte for byte what `rdpmend policy template` writes from the policy table, and the generator writes the same
# bytes every run. Usage: admx_drift_test.sh RDPMEND_BINARY SOURCE_DIR
set -uo pipefail
rdpmend=$1
source_dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"

"$rdpmend" policy template --out "$tmp/generated" >/dev/null
check "policy template gives 0" 0 $?
"$rdpmend" policy template --out "$tmp/again" >/dev/null
if diff -r "$tmp/generated" "$tmp/again" >/dev/null; then
  echo "ok   two runs write the same bytes"
else
  echo "FAIL two runs wrote different files: $(diff -r "$tmp/generated" "$tmp/again" | head -20)"
  failures=$((failures + 1))
fi

for file in RdpMend.admx en-US/RdpMend.adml; do
  if cmp -s "$source_dir/policies/$file" "$tmp/generated/$file"; then
    echo "ok   policies/$file is what the policy table generates"
  else
    echo "FAIL policies/$file differs from what the policy table generates:"
    diff -u --label "policies/$file (checked in)" --label "policies/$file (generated)" \
      "$source_dir/policies/$file" "$tmp/generated/$file"
    echo "The template is generated from policies/policy_table.cpp: run scripts/gen-admx.sh build/native/service/rdpmend"
    echo "and commit the regenerated files."
    failures=$((failures + 1))
  fi
done

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all ADMX drift checks passed"
