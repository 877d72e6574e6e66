#!/usr/bin/env bash
# The performance figures of docs/PERFORMANCE.md, in one run on this machine:
#  1. `rdpmend scan --evtx` against libevtx's `evtxexport -f xml` over the same .evtx files, both on one core:
#     records/s, MB/s and the ratio.
#  2. The hot paths (Google Benchmark): event XML -> Event, Event -> symptom, both together, the .evtx reader.
#  3. Peak RSS of `rdpmend scan --evtx` over a 1 GiB .evtx file built from the samples' chunks (and of
#     evtxexport over the same file with --peer-big).
#  4. Peak RSS of the agent while a million xrdp log events are replayed through it (the storm test).
# Usage: scripts/bench.sh [--runs N] [--big-mib N] [--peer-big] [--evtx-dir DIR]
# Needs the packages of scripts/setup.sh (libbenchmark-dev, libevtx-utils, time). Prints figures; asserts nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=5 big_mib=1024 peer_big=0
evtx_dir=$root/tests/data/evtx
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --big-mib) big_mib=$2; shift 2 ;;
    --peer-big) peer_big=1; shift ;;
    --evtx-dir) evtx_dir=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--big-mib N] [--peer-big] [--evtx-dir DIR]" >&2; exit 2 ;;
  esac
done
for tool in evtxexport taskset /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing (scripts/setup.sh installs it)" >&2; exit 2; }
done
mapfile -t files < <(find "$evtx_dir" -maxdepth 1 -name '*.evtx' | sort)
((${#files[@]})) || { echo "bench.sh: no .evtx files in $evtx_dir" >&2; exit 2; }

# The Release build the tests use (build/native), with the benchmark target switched on.
build=${BUILD_DIR:-$root/build/native}
BUILD_DIR=$build scripts/build.sh -DRDPMEND_BUILD_BENCHMARKS=ON >/dev/null 2>&1 ||
  { echo "bench.sh: the build failed (run scripts/build.sh to see why)" >&2; exit 1; }
rdpmend=$build/service/rdpmend
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
one_core=(taskset -c 0)

now_ns() { date +%s%N; }
ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(f'{a / b:.1f}' if b else 'n/a')" "$1" "$2"; }
per_s() { python3 -c "import sys; n, ns = map(float, sys.argv[1:]); print(f'{n / (ns / 1e9):,.0f}')" "$1" "$2"; }
mb_s() { python3 -c "import sys; n, ns = map(float, sys.argv[1:]); print(f'{n / 1e6 / (ns / 1e9):,.1f}')" "$1" "$2"; }

echo "# RdpMend benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "rdpmend $("$rdpmend" --version | cut -d' ' -f2), evtxexport $(dpkg-query -W -f '${Version}' libevtx-utils 2>/dev/null || echo '?')"

echo
echo "## 1. .evtx to events, one core: rdpmend scan --evtx vs evtxexport -f xml ($runs runs over ${#files[@]} files)"
bytes=0
for f in "${files[@]}"; do bytes=$((bytes + $(stat -c %s "$f"))); done
ours_records=$("$rdpmend" scan --json --evtx "${files[@]}" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["events_read"])' || true)
peer_records=0
for f in "${files[@]}"; do
  n=$(evtxexport -f xml "$f" 2>/dev/null | grep -c '^<Event xmlns' || true)
  peer_records=$((peer_records + n))
done
start=$(now_ns)
for ((i = 0; i < runs; i++)); do "${one_core[@]}" "$rdpmend" scan --evtx "${files[@]}" >/dev/null 2>&1 || true; done
ours_ns=$(($(now_ns) - start))
start=$(now_ns)
for ((i = 0; i < runs; i++)); do
  for f in "${files[@]}"; do "${one_core[@]}" evtxexport -f xml "$f" >/dev/null 2>&1 || true; done
done
peer_ns=$(($(now_ns) - start))
printf '%-28s %10s %14s %10s %10s\n' reader records records/s MB/s "s/run"
printf '%-28s %10s %14s %10s %10s\n' "rdpmend scan --evtx" "$ours_records" "$(per_s $((ours_records * runs)) $ours_ns)" \
  "$(mb_s $((bytes * runs)) $ours_ns)" "$(python3 -c "print(f'{$ours_ns / $runs / 1e9:.3f}')")"
printf '%-28s %10s %14s %10s %10s\n' "evtxexport -f xml" "$peer_records" "$(per_s $((peer_records * runs)) $peer_ns)" \
  "$(mb_s $((bytes * runs)) $peer_ns)" "$(python3 -c "print(f'{$peer_ns / $runs / 1e9:.3f}')")"
echo "ratio (evtxexport time / rdpmend time, same files): $(ratio "$peer_ns" "$ours_ns")x; input $((bytes / 1024)) KiB per run"

echo
echo "## 2. Hot paths, one core (Google Benchmark)"
"${one_core[@]}" "$build/tests/rdpmend_bench" --benchmark_min_time=0.5 --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_format=json \
  --benchmark_out="$work/bench.json" --benchmark_out_format=json >/dev/null 2>"$work/bench.err" ||
  { cat "$work/bench.err" >&2; exit 1; }
python3 - "$work/bench.json" <<'PY'
import json, sys
print("(median of 3 repetitions)")
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    items = b.get("items_per_second", 0)
    mbs = b.get("bytes_per_second", 0) / 1e6
    extra = f"{mbs:10.1f} MB/s" if mbs else ""
    print(f'{b["run_name"]:<48} {b["real_time"]:10.0f} {b["time_unit"]}/iter {items:14,.0f} items/s {extra}')
PY

echo
echo "## 3. Peak RSS scanning a ${big_mib} MiB .evtx file (the samples' chunks, repeated)"
python3 tests/bench/make_big_evtx.py "$work/big.evtx" "$big_mib" "${files[@]}"
big_bytes=$(stat -c %s "$work/big.evtx")
start=$(now_ns)
/usr/bin/time -f '%M' -o "$work/rss" "${one_core[@]}" "$rdpmend" scan --json --evtx "$work/big.evtx" \
  >"$work/big.json" 2>/dev/null || true
big_ns=$(($(now_ns) - start))
big_records=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events_read"])' "$work/big.json")
echo "rdpmend scan --evtx: $big_records records in $(python3 -c "print(f'{$big_ns / 1e9:.1f}')") s ($(mb_s "$big_bytes" "$big_ns") MB/s), peak RSS $(($(tail -n 1 "$work/rss") / 1024)) MiB"
if ((peer_big)); then
  start=$(now_ns)
  /usr/bin/time -f '%M' -o "$work/rss-peer" "${one_core[@]}" evtxexport -f xml "$work/big.evtx" >/dev/null 2>&1 || true
  peer_big_ns=$(($(now_ns) - start))
  echo "evtxexport -f xml:   $(python3 -c "print(f'{$peer_big_ns / 1e9:.1f}')") s ($(mb_s "$big_bytes" "$peer_big_ns") MB/s), peak RSS $(($(tail -n 1 "$work/rss-peer") / 1024)) MiB; time ratio $(ratio "$peer_big_ns" "$big_ns")x"
fi
rm -f "$work/big.evtx"

echo
echo "## 4. The agent under a storm of a million events (tests/cli/agent_storm_test.sh, simulated host)"
tests/cli/agent_storm_test.sh "$rdpmend" tests/data 1000000 | grep -E '^(figures|FAIL)'
