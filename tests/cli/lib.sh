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

printable_check() {  # printable_check NAME FILE TEXT: FILE shows TEXT literally, is UTF-8, and holds no control
  # character but its line breaks (no ESC, no C1 such as U+009B, no DEL).
  if python3 - "$2" "$3" <<'PY'; then
import re, sys
try:
    text = open(sys.argv[1], 'rb').read().decode('utf-8')
except UnicodeDecodeError as e:
    sys.exit(f'not UTF-8: {e}')
bad = re.search('[\x00-\x09\x0b-\x1f\x7f-\x9f]', text)
if bad:
    sys.exit(f'raw control character {bad.group()!r} at {bad.start()}')
if sys.argv[2] not in text:
    sys.exit(f'{sys.argv[2]!r} not shown')
PY
    echo "ok   $1"
  else
    echo "FAIL $1: $(head -c 600 "$2" | od -c | head -12)"
    failures=$((failures + 1))
  fi
}
