#!/usr/bin/env bash
# Builds the Debian package of RdpMend with plain dpkg-deb (no debhelper):
#
#   packaging/debian/build-deb.sh BINARY VERSION OUTDIR
#
# BINARY is a Linux build of rdpmend (stripped into the package), VERSION the package version (its upstream
# part must be the version the binary reports), OUTDIR where OUTDIR/rdpmend_VERSION_amd64.deb is written.
# Prints the path of the .deb. Depends is computed by dpkg-shlibdeps from the binary's shared libraries.
# Reproducible: every mtime is SOURCE_DATE_EPOCH (from the environment, else the last commit's time).
# Runs systemd-analyze verify on the unit, and lintian when it is installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "build-deb.sh: $*" >&2; exit 1; }

(($# == 3)) || { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
binary=$1 version=$2 outdir=$3
[[ -f $binary && -x $binary ]] || die "$binary is not an executable file"
# Debian policy 5.6.12: [epoch:]upstream[-revision], upstream starting with a digit.
[[ $version =~ ^([0-9]+:)?[0-9][A-Za-z0-9.+~-]*$ ]] || die "'$version' is not a Debian version"
for tool in dpkg-deb dpkg-shlibdeps strip readelf gzip md5sum; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install dpkg-dev binutils)"
done
readelf -h "$binary" 2>/dev/null | grep -q 'Machine:.*X86-64' || die "$binary is not an x86-64 ELF file"

# The package must carry what the binary says it is.
upstream=${version#*:}
[[ $upstream == *-* ]] && upstream=${upstream%-*}
reported=$("$binary" version | awk '$1 == "rdpmend" {print $2; exit}')
[[ $reported == "$upstream" ]] ||
  die "$binary reports version '$reported', the package version '$version' says '$upstream'"

if [[ -z ${SOURCE_DATE_EPOCH:-} ]]; then
  SOURCE_DATE_EPOCH=$(git -C "$here" log -1 --format=%ct 2>/dev/null || echo 1735689600)
fi
export SOURCE_DATE_EPOCH
commit=$(git -C "$here" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# dpkg-shlibdeps wants debian/control and the files under debian/<package>.
root=$work/debian/rdpmend
umask 022

install -d -m 0755 "$root"/{DEBIAN,usr/bin,lib/systemd/system,etc/rdpmend,usr/share/doc/rdpmend}
# As dh_strip does for an executable: no symbols, no .comment/.note (the build id stays).
strip --remove-section=.comment --remove-section=.note -o "$root/usr/bin/rdpmend" "$binary"
chmod 0755 "$root/usr/bin/rdpmend"
install -m 0644 "$here/rdpmend.service" "$root/lib/systemd/system/rdpmend.service"
install -m 0644 "$here/rdpmend.toml" "$root/etc/rdpmend/rdpmend.toml"
install -m 0644 "$here/copyright" "$root/usr/share/doc/rdpmend/copyright"
install -m 0644 "$here/README.md" "$root/usr/share/doc/rdpmend/README.md"

# Policy 12.7: changelog.Debian.gz for a version with a Debian revision, changelog.gz for a native one.
changelog=changelog.gz
[[ ${version#*:} == *-* ]] && changelog=changelog.Debian.gz
{
  echo "rdpmend ($version) unstable; urgency=medium"
  echo
  echo "  * Built from the RdpMend source tree at commit $commit."
  echo
  echo " -- RdpMend developers <rdpmend@localhost>  $(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$root/usr/share/doc/rdpmend/$changelog"
chmod 0644 "$root/usr/share/doc/rdpmend/$changelog"

# Depends: the packages of the shared libraries the binary loads, with the versions their symbols need.
mkdir -p "$work/debian"
printf 'Source: rdpmend\n\nPackage: rdpmend\nArchitecture: amd64\n' >"$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O debian/rdpmend/usr/bin/rdpmend | sed -n 's/^shlibs:Depends=//p')
[[ -n $shlibs ]] || die "dpkg-shlibdeps found no dependencies"
rm -rf "$work/debian/control"

for script in postinst prerm postrm; do install -m 0755 "$here/$script" "$root/DEBIAN/$script"; done
install -m 0644 "$here/conffiles" "$root/DEBIAN/conffiles"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
  xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"

# Installed-Size as dpkg-gencontrol counts it: KiB per file rounded up, 1 per directory or link.
installed_size=$(cd "$root" && find . -path ./DEBIAN -prune -o ! -path . -printf '%y %s\n' |
  awk '{ n += ($1 == "f") ? int(($2 + 1023) / 1024) : 1 } END { print n }')
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_size/" -e "s/@SHLIBS_DEPENDS@/$shlibs/" \
  "$here/control.in" >"$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/control"

if command -v systemd-analyze >/dev/null; then
  # The unit as installed, its ExecStart pointed at the staged binary (verify checks it is executable).
  sed "s|^ExecStart=/usr/bin/rdpmend |ExecStart=$root/usr/bin/rdpmend |" "$here/rdpmend.service" \
    >"$work/rdpmend.service"
  systemd-analyze verify "$work/rdpmend.service" >&2 || die "systemd-analyze verify rejects rdpmend.service"
else
  echo "build-deb.sh: systemd-analyze not installed; the unit was not verified" >&2
fi

find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
deb=$outdir/rdpmend_${version#*:}_amd64.deb
dpkg-deb --root-owner-group -Zxz --threads-max=1 --build "$root" "$deb" >/dev/null

if command -v lintian >/dev/null; then
  lintian --info "$deb" >&2 || echo "build-deb.sh: lintian reported problems (above)" >&2
else
  echo "build-deb.sh: lintian not installed; skipped" >&2
fi
echo "$deb"
