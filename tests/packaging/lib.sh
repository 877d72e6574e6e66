# shellcheck shell=bash
# Shared by the packaging tests: one line per check ("ok - ..." / "not ok - ..." / "skip - ... (why)") and a
# closing "NAME: N passed, N failed, N skipped" line that scripts/test.sh adds to its totals.
pkg_passed=0 pkg_failed=0 pkg_skipped=0

ok() { echo "ok - $*"; pkg_passed=$((pkg_passed + 1)); }
not_ok() { echo "not ok - $*"; pkg_failed=$((pkg_failed + 1)); }
skip() { echo "skip - $*"; pkg_skipped=$((pkg_skipped + 1)); }

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}

quietly() { "$@" >/dev/null 2>&1; }  # for check: the command's output is not the test's

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
  if [[ $2 == "$3" ]]; then ok "$1"; else not_ok "$1: expected '$2', got '$3'"; fi
}

# expect_match DESCRIPTION REGEX TEXT
expect_match() {
  if [[ $3 =~ $2 ]]; then ok "$1"; else not_ok "$1: '$3' does not match /$2/"; fi
}

pkg_summary() {  # pkg_summary NAME; returns 1 when a check failed
  echo "$1: $pkg_passed passed, $pkg_failed failed, $pkg_skipped skipped"
  ((pkg_failed == 0))
}
