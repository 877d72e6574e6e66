#!/usr/bin/env bash
# Builds the release packages into dist/:
#   dist/rdpmend-VERSION-x64.msi      Windows: the MinGW build of rdpmend.exe, the service, the ADMX/ADML
#   dist/rdpmend_VERSION_amd64.deb    Debian/Ubuntu: the native build, the systemd unit, /etc/rdpmend
# VERSION is the project version in CMakeLists.txt. Builds what is missing (incrementally), like
# scripts/build.sh; scripts/setup.sh installs the tools.
#
#   scripts/package.sh [--sign-cert CERT.pem --sign-key KEY.pem [--sign-chain CHAIN.pem]]
#
# With a certificate, rdpmend.exe and the MSI are Authenticode-signed with osslsigncode (no timestamp: that
# needs a time-stamping server; release signing can add one).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

sign=()
while (($#)); do
  case $1 in
    --sign-cert | --sign-key | --sign-chain) sign+=("$1" "${2:?$1 needs a file}"); shift 2 ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package.sh: unknown argument '$1' (--help)" >&2; exit 2 ;;
  esac
done

version=$(sed -n 's/^project(RdpMend VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[[ -n $version ]] || { echo "package.sh: no project version in CMakeLists.txt" >&2; exit 1; }

native=$(BUILD_DIR=$root/build/native scripts/build.sh | tail -n 1)

mingw_dir=$root/build/mingw
if [[ ! -f $mingw_dir/build.ninja ]]; then
  prefix=$(scripts/mingw-deps.sh | tail -n 1)
  RDPMEND_MINGW_PREFIX=$prefix cmake -S . -B "$mingw_dir" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/mingw-w64-x86_64.cmake" -DCMAKE_BUILD_TYPE=Release \
    -DRDPMEND_WERROR=ON >&2
fi
cmake --build "$mingw_dir" -j "$(nproc)" --target rdpmend >&2
exe=$mingw_dir/service/rdpmend.exe

mkdir -p dist
packaging/wix/build-msi.sh --exe "$exe" --admx policies/RdpMend.admx --adml policies/en-US/RdpMend.adml \
  --version "$version" --out "dist/rdpmend-$version-x64.msi" "${sign[@]}"
packaging/debian/build-deb.sh "$native" "$version" dist
