#!/usr/bin/env bash
# Installs every Debian package RdpMend needs to build, test and package itself.
# Idempotent; runs on a bare Debian 12 machine as root. Also enables deb-src so that
# scripts/mingw-deps.sh can fetch Debian's own sources of the libraries Debian ships no MinGW build of.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "setup.sh: must run as root (it installs Debian packages)" >&2
  exit 77
fi

export DEBIAN_FRONTEND=noninteractive

packages=(
  # native toolchain
  build-essential cmake ninja-build pkg-config git clang libclang-rt-14-dev clang-format
  # libraries (the product card's five, and the ones the project prefers to hand-written code)
  libboost-dev libssl-dev openssl libsqlite3-dev libsqlitecpp-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev googletest libpugixml-dev nlohmann-json3-dev libcli11-dev
  libtomlplusplus-dev libbenchmark-dev
  # Windows cross-build and its test runner
  g++-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64 mingw-w64-tools wine wine64 dpkg-dev perl make
  # end-to-end peers and tools
  xrdp freerdp2-x11 freerdp2-shadow-x11 xvfb nftables iproute2 libevtx-utils wixl msitools
  python3 procps psmisc libxml2-utils osslsigncode time
)

# Sources for the MinGW dependencies (SQLiteCpp + its SQLite amalgamation, OpenSSL).
src_list=/etc/apt/sources.list.d/rdpmend-deb-src.sources
if [[ ! -f $src_list ]]; then
  cat >"$src_list" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  rm -f /var/lib/apt/periodic/rdpmend-updated
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})) || ! apt-cache showsrc sqlitecpp >/dev/null 2>&1 || [[ -z $(apt-cache showsrc sqlitecpp 2>/dev/null) ]]; then
  apt-get update -qq
fi
if ((${#missing[@]})); then
  echo "setup.sh: installing ${missing[*]}" >&2
  # policy-rc.d keeps package scripts from starting xrdp on this machine; the tests start their own.
  # An administrator's own policy-rc.d is left as it is.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup.sh: all packages present" >&2
