#!/usr/bin/env bash
# Builds, for the MinGW-w64 cross-build, the libraries Debian ships no MinGW package of:
#   GoogleTest  from /usr/src/googletest (package googletest),
#   SQLiteCpp   and the SQLite amalgamation it bundles, from Debian's `sqlitecpp` source package,
#   OpenSSL     (libcrypto, libssl) from Debian's `openssl` source package.
# Everything comes from Debian's own registry. The result is cached outside the checkout, keyed by
# the toolchain and source versions, so CI pays the ~4 minutes once per machine.
# Prints the install prefix as its last line.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
toolchain=$root/cmake/mingw-w64-x86_64.cmake
cache=${RDPMEND_CACHE:-/var/cache/rdpmend}
jobs=${JOBS:-$(nproc)}

gcc_version=$(x86_64-w64-mingw32-g++-posix -dumpfullversion)
gtest_version=$(dpkg-query -W -f='${Version}' googletest)
sqlitecpp_version=$(apt-cache showsrc sqlitecpp | awk '/^Version:/{print $2; exit}')
pugixml_version=$(dpkg-query -W -f='${Version}' libpugixml-dev)
mapfile -t openssl_versions < <(apt-cache showsrc openssl | awk '/^Version:/{print $2}' | sort -rV)
key=$(printf '%s|%s|%s|%s|%s|%s' "$gcc_version" "$gtest_version" "$sqlitecpp_version" "$pugixml_version" "${openssl_versions[*]}" \
  "$(cat "$0" "$toolchain" | sha256sum)" | sha256sum | cut -c1-12)  # content only: any clone path gives one key
prefix=$cache/mingw-deps-$key

if [[ -f $prefix/.complete ]]; then
  echo "$prefix"
  exit 0
fi

# One build at a time per cache: a second caller waits, then finds the finished prefix.
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [[ -f $prefix/.complete ]]; then
  echo "$prefix"
  exit 0
fi

work=$(mktemp -d "$cache/work.XXXXXX" 2>/dev/null || { mkdir -p "$cache" && mktemp -d "$cache/work.XXXXXX"; })
trap 'rm -rf "$work"' EXIT
rm -rf "$prefix"
mkdir -p "$prefix"
log() { echo "mingw-deps: $*" >&2; }

log "GoogleTest $gtest_version"
cmake -S /usr/src/googletest -B "$work/gtest" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -Dgtest_disable_pthreads=OFF >/dev/null
cmake --build "$work/gtest" -j "$jobs" >/dev/null
cmake --install "$work/gtest" >/dev/null

log "SQLiteCpp $sqlitecpp_version (with its bundled SQLite amalgamation)"
(cd "$work" && apt-get source -qq "sqlitecpp=$sqlitecpp_version" >/dev/null 2>&1)
sqlitecpp_src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'sqlitecpp-*' | head -1)
[[ -f $sqlitecpp_src/sqlite3/sqlite3.c ]] || { log "no sqlite3/sqlite3.c in $sqlitecpp_src"; exit 1; }
cmake -S "$sqlitecpp_src" -B "$work/sqlitecpp" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -DSQLITECPP_INTERNAL_SQLITE=ON \
  -DSQLITECPP_RUN_CPPLINT=OFF -DSQLITECPP_RUN_CPPCHECK=OFF -DSQLITECPP_BUILD_TESTS=OFF \
  -DSQLITECPP_BUILD_EXAMPLES=OFF -DSQLITE_ENABLE_COLUMN_METADATA=ON >/dev/null
cmake --build "$work/sqlitecpp" -j "$jobs" >/dev/null
cmake --install "$work/sqlitecpp" >/dev/null
# SQLiteCpp 3.2 installs its own library but not the bundled SQLite: install both by hand.
install -m 644 "$sqlitecpp_src/sqlite3/sqlite3.h" "$prefix/include/sqlite3.h"
find "$work/sqlitecpp" -name 'libsqlite3.a' -exec install -m 644 {} "$prefix/lib/libsqlite3.a" \;
[[ -f $prefix/lib/libsqlite3.a ]] || { log "the SQLite amalgamation did not build"; exit 1; }

log "pugixml $pugixml_version"
(cd "$work" && apt-get source -qq "pugixml=$pugixml_version" >/dev/null 2>&1)
pugixml_src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'pugixml-*' | head -1)
[[ -f $pugixml_src/CMakeLists.txt ]] || { log "no pugixml source in $work"; exit 1; }
cmake -S "$pugixml_src" -B "$work/pugixml" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -DBUILD_SHARED_LIBS=OFF -DPUGIXML_BUILD_TESTS=OFF >/dev/null
cmake --build "$work/pugixml" -j "$jobs" >/dev/null
cmake --install "$work/pugixml" >/dev/null

# apt-get source picks the newest Version; a security upload may be listed before its .dsc is
# served, so fall back to the older versions Debian still lists.
openssl_src=
for v in "${openssl_versions[@]}"; do
  log "OpenSSL: trying source $v"
  rm -rf "$work/openssl-src" && mkdir -p "$work/openssl-src"
  if (cd "$work/openssl-src" && apt-get source -qq "openssl=$v" >/dev/null 2>&1); then
    openssl_src=$(find "$work/openssl-src" -mindepth 1 -maxdepth 1 -type d -name 'openssl-*' | head -1)
    [[ -n $openssl_src ]] && break
  fi
done
[[ -n $openssl_src ]] || { log "no openssl source version could be fetched"; exit 1; }
log "OpenSSL from $(basename "$openssl_src") (about 2 minutes on 2 cores)"
(cd "$openssl_src" &&
  ./Configure mingw64 no-shared no-tests --cross-compile-prefix=x86_64-w64-mingw32- \
    --prefix="$prefix" --libdir=lib >/dev/null &&
  make -j "$jobs" build_libs >/dev/null 2>&1 &&
  make install_dev >/dev/null)

for f in lib/libgtest.a lib/libgmock.a lib/libSQLiteCpp.a lib/libsqlite3.a lib/libpugixml.a lib/libssl.a \
  lib/libcrypto.a lib/cmake/GTest lib/cmake/SQLiteCpp include/sqlite3.h include/openssl/ssl.h; do
  [[ -e $prefix/$f ]] || { log "incomplete: $prefix/$f is missing"; exit 1; }
done
touch "$prefix/.complete"
# Older cache entries belong to other toolchain/source versions.
find "$cache" -maxdepth 1 -name 'mingw-deps-*' ! -name "mingw-deps-$key" -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
echo "$prefix"
