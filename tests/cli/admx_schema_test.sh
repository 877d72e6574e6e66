#!/usr/bin/env bash
# The checked-in Group Policy template is well-formed and valid against Microsoft's ADMX schema
# (tests/data/admx-schema/, see its README), and the same xmllint call rejects broken copies, so the check can fail.
# What the schema cannot see (dangling string ids, refIds, the policy table) is checked by the unit tests.
# Usage: admx_schema_test.sh SCHEMA_DIR POLICIES_DIR
set -uo pipefail
schema=$1/PolicyDefinitionFiles.xsd
admx=$2/RdpMend.admx
adml=$2/en-US/RdpMend.adml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"

if ! command -v xmllint >/dev/null; then
  echo "SKIPPED: xmllint is not installed (Debian: libxml2-utils; scripts/setup.sh installs it)"
  exit 77
fi

validate() {  # validate FILE: the one xmllint call every case uses; prints its verdict
  xmllint --noout --nonet --schema "$schema" "$1" 2>&1
}

for file in "$admx" "$adml"; do
  out=$(validate "$file")
  status=$?
  check "$(basename "$file") is well-formed and valid ($out)" 0 $status
done

# rejected NAME FILE SED_EXPRESSION: a copy of FILE changed by SED_EXPRESSION must fail validation.
rejected() {
  local copy=$tmp/$1.${2##*.}
  sed "$3" "$2" >"$copy"
  if cmp -s "$2" "$copy"; then
    echo "FAIL $1: the change '$3' did not apply"
    failures=$((failures + 1))
    return
  fi
  local out
  out=$(validate "$copy")
  if [[ $? -ne 0 ]]; then
    echo "ok   $1 is rejected: $(grep -m1 -v 'fails to validate' <<<"$out")"
  else
    echo "FAIL $1 validates: $out"
    failures=$((failures + 1))
  fi
}

rejected "admx-wrong-element" "$admx" '0,/<supportedOn ref=/s//<supportOn ref=/'
rejected "admx-wrong-class" "$admx" '0,/class="Machine"/s//class="Computer"/'
rejected "admx-negative-minimum" "$admx" '0,/minValue="0"/s//minValue="-1"/'
rejected "admx-literal-display-name" "$admx" '0,/displayName="$(string.Mode)"/s//displayName="Remediation mode"/'
rejected "admx-not-well-formed" "$admx" '$d'
rejected "adml-wrong-control" "$adml" '0,/<dropdownList /s//<dropDownList /;0,/<\/dropdownList>/s//<\/dropDownList>/'
rejected "adml-string-without-id" "$adml" '0,/<string id="Mode">/s//<string>/'

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all ADMX schema checks passed"
