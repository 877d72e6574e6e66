#!/usr/bin/env bash
# The MSI: its tables (msiinfo), its signature (osslsigncode), and install / upgrade / downgrade / uninstall
# / purge under Wine. Usage: msi_test.sh RDPMEND_EXE [WORK_DIR]
#   RDPMEND_EXE  the MinGW build's rdpmend.exe (the real payload: the service must run)
#   WORK_DIR     where the MSIs and the throwaway Wine prefix go (default: a temp folder)
# What Wine ignores (MsiLockPermissionsEx, MsiServiceConfigFailureActions/MsiConfigureServices) is checked in
# the tables only; `rdpmend service configure`, which the MSI runs, applies the same settings and is
# checked under Wine.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/packaging/lib.sh
. "$here/lib.sh"

exe=${1:?usage: msi_test.sh RDPMEND_EXE [WORK_DIR]}
work=${2:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
admx=$root/policies/RdpMend.admx
adml=$root/policies/en-US/RdpMend.adml
build=$root/packaging/wix/build-msi.sh

rows() { msiinfo export "$1" "$2" | tr -d '\r' | tail -n +4; }  # the rows of a table, tab-separated
field() { awk -F'\t' -v key="$2" -v col="$3" '$1 == key { print $col }' <<<"$1"; }

build_msi() {  # build_msi VERSION OUT [signing args]
  local version=$1 out=$2
  shift 2
  "$build" --exe "$exe" --admx "$admx" --adml "$adml" --version "$version" --out "$out" "$@" >/dev/null
}

echo "# build"
msi=$work/rdpmend-0.1.0.msi
if ! build_msi 0.1.0 "$msi"; then
  not_ok "build-msi.sh builds the MSI"
  pkg_summary msi
  exit 1
fi
ok "build-msi.sh builds the MSI"
check "build-msi.sh refuses a version that is not major.minor.build" \
  bash -c "! '$build' --exe '$exe' --admx '$admx' --adml '$adml' --version 1.2 --out '$work/bad.msi' 2>/dev/null"

echo "# tables"
expect_match "summary: x64 package, English" 'Template: x64;1033' "$(msiinfo suminfo "$msi")"

components=$(rows "$msi" Component)
not64=$(awk -F'\t' '{ if (int($4 / 256) % 2 != 1) print $1 }' <<<"$components")
expect_eq "every component is 64-bit (attribute 256: registry and files outside WOW6432Node)" "" "$not64"
expect_eq "the initial settings are permanent and conditional (276 = 64-bit + permanent + registry key path)" \
  "276 MODE|276 MAINTENANCEWINDOW" \
  "$(field "$components" C_SettingMode 4) $(field "$components" C_SettingMode 5)|$(field "$components" C_SettingMaintenanceWindow 4) $(field "$components" C_SettingMaintenanceWindow 5)"

services=$(rows "$msi" ServiceInstall)
expect_eq "ServiceInstall: RdpMend, own process (16), automatic (2), vital (32769), LocalSystem, 'service run'" \
  "RdpMend 16 2 32769 LocalSystem service run" \
  "$(field "$services" SI_RdpMend 2) $(field "$services" SI_RdpMend 4) $(field "$services" SI_RdpMend 5) $(field "$services" SI_RdpMend 6) $(field "$services" SI_RdpMend 9) $(field "$services" SI_RdpMend 11)"
expect_eq "ServiceInstall: no dependency (the agent must run while TermService is broken)" "" \
  "$(field "$services" SI_RdpMend 8)"
control=$(rows "$msi" ServiceControl)
# 163 = start on install (1) + stop on install (2) + stop on uninstall (32) + remove on uninstall (128).
expect_eq "ServiceControl: start on install, stop on install and uninstall, remove on uninstall, wait" "163 1" \
  "$(field "$control" SC_RdpMend 3) $(field "$control" SC_RdpMend 5)"

files=$(rows "$msi" File)
expect_eq "File: rdpmend.exe versioned (file-replacement rules treat it as code)" "0.1.0.0" \
  "$(field "$files" F_rdpmend.exe 5)"
directories=$(rows "$msi" Directory)
expect_eq "rdpmend.exe goes to Program Files (64-bit)\\RdpMend" "ProgramFiles64Folder RdpMend" \
  "$(field "$directories" INSTALLDIR 2) $(field "$directories" INSTALLDIR 3)"
expect_eq "the templates go to %WINDIR%\\PolicyDefinitions and its en-US folder" \
  "WindowsFolder PolicyDefinitions POLICYDEFINITIONS en-US" \
  "$(field "$directories" POLICYDEFINITIONS 2) $(field "$directories" POLICYDEFINITIONS 3) $(field "$directories" POLICYDEFINITIONS_ENUS 2) $(field "$directories" POLICYDEFINITIONS_ENUS 3)"
extract=$work/extract
rm -rf "$extract" && mkdir -p "$extract"
msiextract -C "$extract" "$msi" >/dev/null
check "the packed rdpmend.exe is the build's, byte for byte" cmp -s "$exe" "$extract/RdpMend/rdpmend.exe"
check "the packed RdpMend.admx is policies/RdpMend.admx" cmp -s "$admx" "$(find "$extract" -name RdpMend.admx | head -n 1)"
check "the packed RdpMend.adml is policies/en-US/RdpMend.adml" cmp -s "$adml" "$(find "$extract" -name RdpMend.adml | head -n 1)"

registry=$(rows "$msi" Registry)
eventlog='SYSTEM\CurrentControlSet\Services\EventLog\Application\RdpMend'
expect_eq "Event Log source: EventMessageFile is rdpmend.exe (REG_EXPAND_SZ), TypesSupported 7" \
  "$eventlog #%[#F_rdpmend.exe] $eventlog #7" \
  "$(awk -F'\t' '$4 == "EventMessageFile" { print $3, $5 }' <<<"$registry") $(awk -F'\t' '$4 == "TypesSupported" { print $3, $5 }' <<<"$registry")"
expect_eq "settings: MODE and MAINTENANCEWINDOW go to HKLM\\SOFTWARE\\RdpMend (the local settings key)" \
  "2 SOFTWARE\\RdpMend Mode [MODE]|2 SOFTWARE\\RdpMend MaintenanceWindow [MAINTENANCEWINDOW]" \
  "$(awk -F'\t' '$4 == "Mode" { print $2, $3, $4, $5 }' <<<"$registry")|$(awk -F'\t' '$4 == "MaintenanceWindow" { print $2, $3, $4, $5 }' <<<"$registry")"

# The DACL asked of Windows Installer must be the one the agent applies itself (service/windows/data_folders.h).
agent_sddl=$(sed -n 's/.*kDataFolderSddl = "\(.*\)";/\1/p' "$root/service/windows/data_folders.h")
locks=$(rows "$msi" MsiLockPermissionsEx)
expect_eq "MsiLockPermissionsEx: data and log folders get the agent's SDDL ($agent_sddl)" \
  "DATADIR CreateFolder $agent_sddl|LOGDIR CreateFolder $agent_sddl" \
  "$(field "$locks" LPE_DataDir 2) $(field "$locks" LPE_DataDir 3) $(field "$locks" LPE_DataDir 4)|$(field "$locks" LPE_LogDir 2) $(field "$locks" LPE_LogDir 3) $(field "$locks" LPE_LogDir 4)"
wide=$(grep -oE ';(WD|BU|AU|IU|AN|BG|CO)\)' <<<"$locks" || true)
expect_eq "MsiLockPermissionsEx: no ACE for Everyone, Users, Authenticated Users, Interactive, Anonymous, Guests, Creator Owner" "" "$wide"
expect_match "the agent's SDDL is protected (P) and names SYSTEM and Administrators only" \
  '^O:BAG:SYD:P\(A;OICI;FA;;;SY\)\(A;OICI;FA;;;BA\)$' "$agent_sddl"

# Failure actions: the MSI's table says what `rdpmend service configure` sets (service_control.cpp).
restart_delays=$(grep -oE "SC_ACTION_RESTART, [0-9']+" "$root/service/windows/service_control.cpp" | grep -oE "[0-9']+$" | tr -d "'" | paste -sd' ')
failure=$(rows "$msi" MsiServiceConfigFailureActions)
expect_eq "MsiServiceConfigFailureActions: restart, restart, none; reset after a day; as service_control.cpp ($restart_delays)" \
  "RdpMend 1 86400 1[~]1[~]0 ${restart_delays// /[~]}[~]0" \
  "$(field "$failure" SCFA_RdpMend 2) $(field "$failure" SCFA_RdpMend 3) $(field "$failure" SCFA_RdpMend 4) $(field "$failure" SCFA_RdpMend 7) $(field "$failure" SCFA_RdpMend 8)"

sequence=$(rows "$msi" InstallExecuteSequence)
seq_of() { field "$sequence" "$1" 3; }
check "ConfigureService and MsiConfigureServices run after InstallServices and before StartServices" \
  test "$(seq_of InstallServices)" -lt "$(seq_of ConfigureService)" -a "$(seq_of ConfigureService)" -lt "$(seq_of StartServices)" \
  -a "$(seq_of InstallServices)" -lt "$(seq_of MsiConfigureServices)" -a "$(seq_of MsiConfigureServices)" -lt "$(seq_of StartServices)"
check "the purge properties are set before RemoveFiles" \
  test "$(seq_of SetPurgeDataDir)" -lt "$(seq_of RemoveFiles)" -a "$(seq_of SetPurgeLogDir)" -lt "$(seq_of RemoveFiles)"
expect_eq "the purge runs on a full uninstall with PURGE=1 only, never in an upgrade" \
  'REMOVE~="ALL" AND PURGE="1" AND NOT UPGRADINGPRODUCTCODE' "$(field "$sequence" SetPurgeDataDir 2)"
actions=$(rows "$msi" CustomAction)
expect_eq "ConfigureService: rdpmend.exe 'service configure', deferred, as SYSTEM, checked (3090)" \
  "3090 F_rdpmend.exe service configure" \
  "$(field "$actions" ConfigureService 2) $(field "$actions" ConfigureService 3) $(field "$actions" ConfigureService 4)"
# wixl does not check references (a CustomAction whose source is missing builds, and fails on Windows).
dangling=$(awk -F'\t' '{ print $1, $2, $3 }' <<<"$actions" | while read -r id type source; do
  case $((type & 63)) in
    18) [[ -n $(field "$files" "$source" 1) ]] || echo "$id" ;;
    1 | 2 | 5 | 6) [[ -n $(field "$(rows "$msi" Binary)" "$source" 1) ]] || echo "$id" ;;
  esac
done)
expect_eq "every custom action's file or binary exists" "" "$dangling"
removefile=$(rows "$msi" RemoveFile)
stray=$(awk -F'\t' '!(($2 == "C_LogDir" && $4 == "PURGELOGDIR") || ($2 == "C_DataDir" && $4 == "PURGEDATADIR")) || $5 != 2 { print $1 }' <<<"$removefile")
expect_eq "RemoveFile: every row removes on uninstall through a purge property (empty unless PURGE=1)" "" "$stray"
names() { awk -F'\t' -v c="$1" '$2 == c { print ($3 == "" ? "(folder)" : $3) }' <<<"$removefile" | sort | paste -sd' '; }
# spdlog's rotating sink keeps rdpmend.log and rdpmend.1.log .. rdpmend.N.log (service/cli/logging.cpp).
rotations=$(grep -A1 'rotating_file_sink_mt' "$root/service/cli/logging.cpp" | grep -oE '[0-9]+\);' | tr -d ');')
expected_logs=$( (echo '*'; echo '(folder)'; echo rdpmend.log; for ((i = 1; i <= rotations; i++)); do echo "rdpmend.$i.log"; done) | sort | paste -sd' ')
expect_eq "the purge names the agent's logs (rdpmend.log and its $rotations rotations), the rest, and the folder" \
  "$expected_logs" "$(names C_LogDir)"
expect_eq "the purge names the journal and its SQLite companions, the rest, and the folder" \
  "$(printf '%s\n' '*' '(folder)' journal.db journal.db-journal journal.db-shm journal.db-wal | sort | paste -sd' ')" \
  "$(names C_DataDir)"
# The MODE condition accepts exactly the Mode choices of the policy table.
table_modes=$(sed -n 's/.*kModes = {\(.*\)};/\1/p' "$root/policies/policy_table.cpp" | tr -d '" ' | tr ',' ' ')
launch=$(rows "$msi" LaunchCondition)
msi_modes=$(grep -oE 'MODE~="[A-Za-z]+"' <<<"$launch" | sed 's/MODE~="\(.*\)"/\1/' | paste -sd' ')
expect_eq "the MODE check lists the policy table's modes" "$table_modes" "$msi_modes"
check "a downgrade is refused (LaunchCondition NOT WIX_DOWNGRADE_DETECTED)" grep -q '^NOT WIX_DOWNGRADE_DETECTED' <<<"$launch"

echo "# signature"
pki=$work/pki
mkdir -p "$pki"
if openssl req -x509 -newkey rsa:3072 -nodes -keyout "$pki/ca.key" -out "$pki/ca.pem" -days 2 \
     -subj "/CN=RdpMend Test Root CA" -addext basicConstraints=critical,CA:TRUE \
     -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null &&
   openssl req -newkey rsa:3072 -nodes -keyout "$pki/cs.key" -out "$pki/cs.csr" \
     -subj "/CN=RdpMend Test Code Signing/O=RdpMend tests" 2>/dev/null &&
   printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n' >"$pki/cs.ext" &&
   openssl x509 -req -in "$pki/cs.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 2 \
     -extfile "$pki/cs.ext" -out "$pki/cs.pem" 2>/dev/null; then
  signed=$work/rdpmend-0.1.0-signed.msi
  if build_msi 0.1.0 "$signed" --sign-cert "$pki/cs.pem" --sign-key "$pki/key-missing" 2>/dev/null; then
    not_ok "build-msi.sh refuses a signing key that does not exist"
  else
    ok "build-msi.sh refuses a signing key that does not exist"
  fi
  if build_msi 0.1.0 "$signed" --sign-cert "$pki/cs.pem" --sign-key "$pki/cs.key"; then
    check "the signed MSI verifies against the test CA" quietly osslsigncode verify -CAfile "$pki/ca.pem" -in "$signed"
    check "without the CA it does not verify (unknown issuer)" \
      bash -c "! osslsigncode verify -in '$signed' >/dev/null 2>&1"
    check "the signature is in the DigitalSignature stream" grep -q "DigitalSignature$" <(msiinfo streams "$signed" | tr -d '\r')
    signed_extract=$work/signed-extract
    rm -rf "$signed_extract" && mkdir -p "$signed_extract" && msiextract -C "$signed_extract" "$signed" >/dev/null
    check "the rdpmend.exe inside is signed too and verifies" \
      quietly osslsigncode verify -CAfile "$pki/ca.pem" -in "$signed_extract/RdpMend/rdpmend.exe"
    tampered=$work/tampered.msi
    cp "$signed" "$tampered"
    msibuild "$tampered" -q "UPDATE \`Property\` SET \`Value\`='Evil Corp' WHERE \`Property\`='Manufacturer'"
    check "a tampered MSI (one property changed) fails verification" \
      bash -c "! osslsigncode verify -CAfile '$pki/ca.pem' -in '$tampered' >/dev/null 2>&1"
  else
    not_ok "build-msi.sh builds a signed MSI"
  fi
else
  not_ok "openssl makes the test code-signing certificate"
fi

echo "# install, upgrade, downgrade, uninstall under Wine"
# shellcheck source=tests/packaging/msi_wine_checks.sh
. "$here/msi_wine_checks.sh"
pkg_summary msi
