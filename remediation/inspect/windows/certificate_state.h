#pragma once
// The Windows certificate inspector (port: inspect/certificate_state.h): the listener's certificate is the
// one RDP-Tcp\SSLCertificateSHA1Hash names (looked up in LocalMachine\My, then LocalMachine\Remote Desktop),
// else the newest valid self-signed one in LocalMachine\Remote Desktop. Its private key is found through
// CERT_KEY_PROV_INFO_PROP_ID: a CryptoAPI machine key is the file MachineKeys\<unique container name>
// (PP_UNIQUE_CONTAINER), a CNG key the file Crypto\Keys\<NCRYPT_UNIQUE_NAME_PROPERTY>.
//
// ListenerCertificate::key: `exists` says the key container opened (the key is there); path, sddl and
// readable_by_service describe its file when it is found where Windows keeps it (under Wine the keys live in
// the registry, so the file part stays empty with a reason in key.error). key_matches compares the key's
// public half with the certificate's.

#include <memory>
#include <string>
#include <vector>

#include "inspect/certificate_state.h"
#include "inspect/windows/registry.h"

namespace rdpmend::inspect::windows {

struct CertificateLocations {
  RegistryLocation terminal_server;  // SSLCertificateSHA1Hash is read from WinStations\RDP-Tcp below it
  std::vector<std::wstring> configured_stores{L"My", L"Remote Desktop"};  // LocalMachine system stores
  std::wstring self_signed_store = L"Remote Desktop";
  std::wstring rsa_machine_keys;          // empty: %ProgramData%\Microsoft\Crypto\RSA\MachineKeys
  std::wstring cng_machine_keys;          // empty: %ProgramData%\Microsoft\Crypto\Keys
  std::vector<std::string> service_sids;  // empty: network_service_sids()
};

std::unique_ptr<CertificateInspector> make_certificate_inspector(CertificateLocations where);

}  // namespace rdpmend::inspect::windows
