#!/usr/bin/env bash
# Regenerates the checked-in Group Policy template, policies/RdpMend.admx and policies/en-US/RdpMend.adml, from the
# policy table compiled into a built rdpmend. Run it after changing policies/policy_table.cpp and commit the result;
# the test cli.admx_drift fails until the checked-in copies match.
# Usage: scripts/gen-admx.sh RDPMEND_BINARY      (e.g. scripts/gen-admx.sh build/native/service/rdpmend)
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 RDPMEND_BINARY   (e.g. build/native/service/rdpmend)" >&2
  exit 2
fi
rdpmend=$1
if [[ ! -x $rdpmend ]]; then
  echo "gen-admx.sh: $rdpmend is not an executable rdpmend (build it first: cmake --build build/native)" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
"$rdpmend" policy template --out "$root/policies"
