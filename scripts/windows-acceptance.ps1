<#
.SYNOPSIS
  RdpMend acceptance on a throwaway Windows VM: install the MSI in Mode Auto, break each 0x904 fault in turn,
  wait for the agent to repair it, check with `rdpmend probe` and `rdpmend diagnose --json`, put the host back,
  uninstall. One PASS/FAIL line per case, then "N passed, N failed". Exit status 0 only when all passed.

.DESCRIPTION
  Run it elevated, from the VM's console (Hyper-V or VMware console, not an RDP session: the TermService case
  stops Remote Desktop Services, which ends every RDP session). Windows PowerShell 5.1, no module needed beyond
  what Windows ships (NetSecurity, PKI). It changes security settings of the machine: use a VM you can throw
  away or revert to a checkpoint.

  The cases (issue 16, docs/SESSIONS.md):
    machinekeys-acl   the MachineKeys folder DACL reduced to Administrators and SYSTEM (Everyone's entry gone,
                      as reported after feature upgrades), so TermService cannot make its key
    certificate       the self-signed listener certificate removed from LocalMachine\Remote Desktop
    firewall          the built-in Remote Desktop rules disabled, with AllowRestoreFirewallRules set
    termservice       TermService stopped
  The agent's health pass runs every minute during the test (ProbeIntervalMinutes = 1), so each case waits at
  most -WaitSeconds for it.

.PARAMETER Msi
  The RdpMend MSI (default: the newest dist\rdpmend-*.msi next to this script's folder).

.PARAMETER WaitSeconds
  How long to wait for the agent to repair each fault (default 180).

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File scripts\windows-acceptance.ps1 -Msi C:\rdpmend-0.9.0.msi
#>
[CmdletBinding()]
param(
  [string]$Msi = '',
  [int]$WaitSeconds = 180
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$script:Passed = 0
$script:Failed = 0
$PolicyKey = 'HKLM:\SOFTWARE\RdpMend'
$MachineKeys = Join-Path $env:ProgramData 'Microsoft\Crypto\RSA\MachineKeys'
$RdpRules = @('RemoteDesktop-UserMode-In-TCP', 'RemoteDesktop-UserMode-In-UDP')
$Work = Join-Path $env:TEMP ('rdpmend-acceptance-' + [guid]::NewGuid().ToString('N'))

function Test-Elevated {
  $identity = [Security.Principal.WindowsIdentity]::GetCurrent()
  $principal = New-Object Security.Principal.WindowsPrincipal($identity)
  return $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
}

function Write-Result([string]$Case, [bool]$Ok, [string]$Detail) {
  if ($Ok) {
    $script:Passed++
    Write-Output ("PASS {0}: {1}" -f $Case, $Detail)
  } else {
    $script:Failed++
    Write-Output ("FAIL {0}: {1}" -f $Case, $Detail)
  }
}

function Get-RdpMendExe {
  $exe = Join-Path $env:ProgramFiles 'RdpMend\rdpmend.exe'
  if (-not (Test-Path -LiteralPath $exe)) { throw "rdpmend.exe is not at $exe after the install" }
  return $exe
}

# The findings `rdpmend diagnose --json` reports now (ids), or $null when it could not run.
function Get-Findings([string]$Exe) {
  $text = & $Exe diagnose --json 2>$null | Out-String
  if (-not $text) { return $null }
  try { $json = $text | ConvertFrom-Json } catch { return $null }
  return @($json.findings | ForEach-Object { $_.id })
}

function Test-ProbeOk([string]$Exe) {
  & $Exe probe 127.0.0.1 *> $null
  return $LASTEXITCODE -eq 0
}

# Waits until `diagnose` no longer reports $Finding and the probe is ok; returns a sentence saying how it went.
function Wait-Repaired([string]$Exe, [string]$Finding, [scriptblock]$Extra) {
  $deadline = (Get-Date).AddSeconds($WaitSeconds)
  $findings = @()
  do {
    Start-Sleep -Seconds 5
    $findings = Get-Findings $Exe
    $extraOk = $true
    if ($Extra) { $extraOk = [bool](& $Extra) }
    if ($null -ne $findings -and -not ($findings -contains $Finding) -and $extraOk -and (Test-ProbeOk $Exe)) {
      return @{ Ok = $true; Detail = "repaired; probe ok; findings now: " + (($findings -join ' ') -replace '^$', 'none') }
    }
  } while ((Get-Date) -lt $deadline)
  return @{ Ok = $false; Detail = "not repaired within $WaitSeconds s; findings: " + ($findings -join ' ') }
}

function Wait-Service([string]$Name, [string]$Status, [int]$Seconds) {
  $deadline = (Get-Date).AddSeconds($Seconds)
  while ((Get-Date) -lt $deadline) {
    if ((Get-Service -Name $Name).Status -eq $Status) { return $true }
    Start-Sleep -Seconds 1
  }
  return $false
}

function Set-Policy([string]$Name, [object]$Value, [string]$Type) {
  if (-not (Test-Path $PolicyKey)) { New-Item -Path $PolicyKey -Force | Out-Null }
  New-ItemProperty -Path $PolicyKey -Name $Name -Value $Value -PropertyType $Type -Force | Out-Null
}

# Policy is read when the agent starts (issue 17 makes it reload by itself).
function Restart-Agent {
  Restart-Service -Name RdpMend -Force
  if (-not (Wait-Service 'RdpMend' 'Running' 60)) { throw 'the RdpMend service did not come back' }
}

# --- the cases -----------------------------------------------------------------------------------------

function Test-MachineKeysAcl([string]$Exe) {
  # Protected, Administrators and SYSTEM only: Everyone's create-and-read entry is gone.
  $acl = New-Object System.Security.AccessControl.DirectorySecurity
  $acl.SetSecurityDescriptorSddlForm('D:PAI(A;;FA;;;BA)(A;;FA;;;SY)', 'Access')
  Set-Acl -LiteralPath $MachineKeys -AclObject $acl
  $r = Wait-Repaired $Exe 'machinekeys-acl-drift' $null
  Write-Result 'machinekeys-acl' $r.Ok $r.Detail
}

function Test-Certificate([string]$Exe) {
  $store = 'Cert:\LocalMachine\Remote Desktop'
  $before = @(Get-ChildItem -Path $store | ForEach-Object { $_.Thumbprint })
  Get-ChildItem -Path $store | Remove-Item
  $r = Wait-Repaired $Exe 'rdp-cert-missing' {
    @(Get-ChildItem -Path 'Cert:\LocalMachine\Remote Desktop').Count -gt 0
  }
  $after = @(Get-ChildItem -Path $store | ForEach-Object { $_.Thumbprint })
  $new = @($after | Where-Object { $before -notcontains $_ })
  Write-Result 'certificate' ($r.Ok -and $new.Count -gt 0) ($r.Detail + "; new thumbprint: " + ($new -join ' '))
}

function Test-Firewall([string]$Exe) {
  Set-Policy 'AllowRestoreFirewallRules' 1 'DWord'
  Restart-Agent
  Disable-NetFirewallRule -Name $RdpRules
  $r = Wait-Repaired $Exe 'firewall-rdp-rule-disabled' {
    @(Get-NetFirewallRule -Name $RdpRules | Where-Object { $_.Enabled -ne 'True' }).Count -eq 0
  }
  Write-Result 'firewall' $r.Ok $r.Detail
}

function Test-TermService([string]$Exe) {
  Stop-Service -Name TermService -Force
  $r = Wait-Repaired $Exe 'rdp-service-not-running' { (Get-Service -Name TermService).Status -eq 'Running' }
  Write-Result 'termservice' $r.Ok $r.Detail
}

# --- main ------------------------------------------------------------------------------------------------

if (-not (Test-Elevated)) {
  Write-Error 'run this elevated (as Administrator), from the VM console'
  exit 2
}
if (-not $Msi) {
  $dist = Join-Path (Split-Path -Parent $PSScriptRoot) 'dist'
  $found = Get-ChildItem -Path $dist -Filter 'rdpmend-*.msi' -ErrorAction SilentlyContinue |
    Sort-Object LastWriteTime -Descending | Select-Object -First 1
  if (-not $found) { Write-Error "no -Msi given and no rdpmend-*.msi in $dist"; exit 2 }
  $Msi = $found.FullName
}
$Msi = (Resolve-Path -LiteralPath $Msi).Path
New-Item -ItemType Directory -Path $Work -Force | Out-Null

# What is put back at the end, whatever happens.
$aclBackup = Join-Path $Work 'machinekeys.acl'
& icacls.exe $MachineKeys /save $aclBackup /c *> $null
if ($LASTEXITCODE -ne 0) { Write-Error "icacls could not save the MachineKeys ACL"; exit 2 }
$rulesBefore = @{}
foreach ($rule in Get-NetFirewallRule -Name $RdpRules -ErrorAction SilentlyContinue) { $rulesBefore[$rule.Name] = $rule.Enabled }
$hadPolicyKey = Test-Path $PolicyKey

try {
  $log = Join-Path $Work 'install.log'
  $p = Start-Process -FilePath msiexec.exe -ArgumentList @('/i', "`"$Msi`"", '/qn', 'MODE=Auto', '/l*v', "`"$log`"") -Wait -PassThru
  if ($p.ExitCode -ne 0) { throw "msiexec /i exited with $($p.ExitCode) (log: $log)" }
  $exe = Get-RdpMendExe
  if (-not (Wait-Service 'RdpMend' 'Running' 60)) { throw 'the RdpMend service is not running after the install' }
  Set-Policy 'ProbeIntervalMinutes' 1 'DWord'
  Restart-Agent
  $start = Get-Findings $exe
  if ($null -eq $start) { throw 'rdpmend diagnose --json did not run' }
  Write-Output ("findings before the cases: " + (($start -join ' ') -replace '^$', 'none'))

  foreach ($case in @('Test-MachineKeysAcl', 'Test-Certificate', 'Test-Firewall', 'Test-TermService')) {
    try {
      & $case $exe
    } catch {
      Write-Result $case $false ("error: " + $_.Exception.Message)
    }
  }
  & $exe history *> (Join-Path $Work 'history.txt')
  Write-Output "the agent's history: $(Join-Path $Work 'history.txt')"
} catch {
  Write-Result 'setup' $false $_.Exception.Message
} finally {
  # Put the host back: the ACL, the rules as they were, TermService running, the policy values, then uninstall.
  & icacls.exe (Split-Path -Parent $MachineKeys) /restore $aclBackup /c *> $null
  foreach ($name in $rulesBefore.Keys) {
    if ($rulesBefore[$name] -eq 'True') { Enable-NetFirewallRule -Name $name } else { Disable-NetFirewallRule -Name $name }
  }
  if ((Get-Service -Name TermService).Status -ne 'Running') { Start-Service -Name TermService }
  if (Test-Path $PolicyKey) {
    foreach ($name in @('AllowRestoreFirewallRules', 'ProbeIntervalMinutes')) {
      Remove-ItemProperty -Path $PolicyKey -Name $name -ErrorAction SilentlyContinue
    }
  }
  $p = Start-Process -FilePath msiexec.exe -ArgumentList @('/x', "`"$Msi`"", '/qn', 'PURGE=1') -Wait -PassThru
  if ($p.ExitCode -ne 0) { Write-Output "note: msiexec /x exited with $($p.ExitCode)" }
  if (-not $hadPolicyKey -and (Test-Path $PolicyKey)) { Remove-Item -Path $PolicyKey -Recurse -Force }
}

Write-Output ("{0} passed, {1} failed" -f $script:Passed, $script:Failed)
if ($script:Failed -eq 0) { exit 0 } else { exit 1 }
