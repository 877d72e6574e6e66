# Sourced by run.sh: checks shared by the end-to-end cases.

# diagnose_expect NAME JSON STATUS WANT_EXIT "REQUIRED IDS"
diagnose_expect() {
  local name=$1 json=$2 status=$3 want_exit=$4 want=$5
  local got
  got=$(python3 -c "import json,sys; print(' '.join(sorted(f['id'] for f in json.load(open(sys.argv[1]))['findings'])))" "$json" 2>/dev/null)
  local missing=""
  for id in $want; do [[ " $got " == *" $id "* ]] || missing+=" $id"; done
  if [[ $status == "$want_exit" && -z $missing && ( -n $want || -z $got ) ]]; then
    echo "ok   diagnose $name: ${got:-no findings}"
    passed=$((passed + 1))
  else
    echo "FAIL diagnose $name: exit $status (want $want_exit), findings '$got', missing '$missing'"
    head -c 1200 "$json" | sed 's/^/     /'
    failed=$((failed + 1))
  fi
}


# e2e_report OK OK_TEXT FAIL_TEXT: counts one case as passed (OK = 1) or failed and prints its line.
e2e_report() {
  if (($1)); then
    echo "ok   $2"
    passed=$((passed + 1))
  else
    echo "FAIL $3"
    failed=$((failed + 1))
  fi
}
