# Sourced by the CLI test scripts: the checks they share. Each failed check adds one to $failures.
# JSON_PRELUDE, when set, is Python run after loading j (e.g. to index a list by name).
failures=0

check() {  # check NAME EXPECTED_STATUS ACTUAL_STATUS
  if [[ $2 != "$3" ]]; then
    echo "FAIL $1: exit status $3, expected $2"
    failures=$((failures + 1))
  else
    echo "ok   $1"
  fi
}

json_check() {  # json_check NAME PYTHON_EXPRESSION_ON_j FILE
  if python3 -c "import json,sys; j=json.load(open(sys.argv[1])); ${JSON_PRELUDE:-pass}; sys.exit(0 if ($2) else 1)" "$3"; then
    echo "ok   $1"
  else
    echo "FAIL $1: $2 is false for $(head -c 600 "$3")"
    failures=$((failures + 1))
  fi
}
