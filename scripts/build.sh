#!/usr/bin/env bash
# Native build (incremental). Prints the path of the rdpmend binary as its last line.
# BUILD_DIR and BUILD_TYPE may be set; the defaults are build/native and Release. Arguments go to cmake
# (configure), e.g. -DRDPMEND_BUILD_BENCHMARKS=ON.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build/native}
build_type=${BUILD_TYPE:-Release}

if [[ ! -f $build_dir/build.ninja || $# -gt 0 ]]; then
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DRDPMEND_WERROR=ON "$@" >&2
fi
cmake --build "$build_dir" -j "$(nproc)" >&2
echo "$build_dir/service/rdpmend"
