#!/usr/bin/env bash
# Builds the RdpMend MSI on Linux: stage the payload, wixl, the msibuild post-fixes for what wixl cannot
# express, optional Authenticode signing with osslsigncode (the exe before it is packed, the MSI last: any
# change after signing breaks the MSI's signature). Prints the MSI's path.
#
#   build-msi.sh --exe rdpmend.exe --admx RdpMend.admx --adml en-US/RdpMend.adml --version 0.1.0 --out X.msi
#                [--sign-cert cert.pem --sign-key key.pem [--sign-chain chain.pem]]
#
# Needs wixl, msibuild (msitools) and, to sign, osslsigncode. The wixl gotchas this works around are in
# ../../../shared/reference/packaging-gpo-notes.md and in packaging/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

usage() { sed -n '5,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
exe='' admx='' adml='' version='' out='' cert='' key='' chain=''
while (($#)); do
  case $1 in
    --exe) exe=$2 ;;
    --admx) admx=$2 ;;
    --adml) adml=$2 ;;
    --version) version=$2 ;;
    --out) out=$2 ;;
    --sign-cert) cert=$2 ;;
    --sign-key) key=$2 ;;
    --sign-chain) chain=$2 ;;
    *) usage ;;
  esac
  shift 2 || usage
done
[[ -n $exe && -n $admx && -n $adml && -n $version && -n $out ]] || usage
# An MSI ProductVersion is major.minor.build, each a number (major, minor < 256, build < 65536).
if ! [[ $version =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,5})$ ]] || ((BASH_REMATCH[1] > 255 || BASH_REMATCH[2] > 255 || BASH_REMATCH[3] > 65535)); then
  echo "build-msi.sh: --version '$version' is not an MSI version (major.minor.build, at most 255.255.65535)" >&2
  exit 2
fi
for f in "$exe" "$admx" "$adml"; do
  [[ -f $f ]] || { echo "build-msi.sh: no such file: $f" >&2; exit 2; }
done
if [[ -n $cert || -n $key ]]; then
  [[ -f $cert && -f $key ]] || { echo "build-msi.sh: --sign-cert and --sign-key name existing files" >&2; exit 2; }
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/payload/en-US"
cp "$here/rdpmend.wxs" "$stage/"
cp "$admx" "$stage/payload/RdpMend.admx"
cp "$adml" "$stage/payload/en-US/RdpMend.adml"

sign() {  # sign IN OUT DESCRIPTION
  local extra=()
  [[ -n $chain ]] && extra=(-ac "$chain")
  osslsigncode sign -certs "$cert" -key "$key" "${extra[@]}" -n "$3" -h sha256 -in "$1" -out "$2" >/dev/null
}
if [[ -n $cert ]]; then
  sign "$exe" "$stage/payload/rdpmend.exe" "RdpMend"
else
  cp "$exe" "$stage/payload/rdpmend.exe"
fi

msi=$stage/rdpmend.msi
# wixl resolves Source= against the working folder; absolute paths are refused.
(cd "$stage" && wixl -a x64 -D Version="$version" -o rdpmend.msi rdpmend.wxs) >"$stage/wixl.log" 2>&1 || {
  cat "$stage/wixl.log" >&2
  echo "build-msi.sh: wixl failed" >&2
  exit 1
}
if grep -E 'CRITICAL|ERROR' "$stage/wixl.log" >&2; then
  echo "build-msi.sh: wixl reported an error (it may still exit 0)" >&2
  exit 1
fi

q() { msibuild "$msi" -q "$1"; }
# The service install is vital: a service that cannot be installed fails the install (wixl ignores Vital).
q "UPDATE \`ServiceInstall\` SET \`ErrorControl\`=32769 WHERE \`ServiceInstall\`='SI_RdpMend'"
# REG_EXPAND_SZ is written as "#%..." in the Registry table; wixl writes a plain string.
q "UPDATE \`Registry\` SET \`Value\`='#%[#F_rdpmend.exe]' WHERE \`Name\`='EventMessageFile'"
# The initial settings: installed only when their property is given, and permanent (upgrade and uninstall
# leave them). 276 = 64-bit (256) + permanent (16) + the registry value is the key path (4).
q "UPDATE \`Component\` SET \`Attributes\`=276, \`Condition\`='MODE' WHERE \`Component\`='C_SettingMode'"
q "UPDATE \`Component\` SET \`Attributes\`=276, \`Condition\`='MAINTENANCEWINDOW' WHERE \`Component\`='C_SettingMaintenanceWindow'"
# A versioned exe (wixl leaves File.Version empty): the file-replacement rules treat it as code, not data.
q "UPDATE \`File\` SET \`Version\`='$version.0', \`Language\`='1033' WHERE \`File\`='F_rdpmend.exe'"
q "DELETE FROM \`MsiFileHash\` WHERE \`File_\`='F_rdpmend.exe'"
# Tables wixl has no element for: the purge rows, failure actions, the data folders' DACL.
for table in RemoveFile MsiServiceConfigFailureActions MsiLockPermissionsEx; do
  msibuild "$msi" -i "$here/idt/$table.idt"
done
# MsiServiceConfigFailureActions takes effect in MsiConfigureServices (Windows Installer 5), between
# InstallServices and StartServices.
q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`,\`Condition\`,\`Sequence\`) VALUES ('MsiConfigureServices','VersionNT >= 600',5870)"

if [[ -n $cert ]]; then
  sign "$msi" "$stage/signed.msi" "RdpMend installer"
  msi=$stage/signed.msi
fi
mkdir -p "$(dirname "$out")"
cp "$msi" "$out"
echo "$out"
