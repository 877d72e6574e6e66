#pragma once
// The Windows key-access inspector (port: inspect/key_access.h).
// - MachineKeys folder: its security descriptor (read without following a link) compared semantically with
// the
//   documented default O:SYG:SYD:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA) (inspect/sddl.h).
// - The RDP key file: the listener key's own file when the certificate inspector found it, else
//   MachineKeys\f686aace6942fb7f7ceb231212eef4a4_<MachineGuid> (TSSecKeySet1). Its default ACL is not
//   published (reference 3.2), so "matches_default" means it meets what the listener needs and no more:
//   NETWORK SERVICE can read it, SYSTEM has full control, it is not a link, and an ordinary user (through
//   Everyone, Users, Authenticated Users, ...) cannot read the private key.

#include <memory>
#include <string>
#include <vector>

#include "inspect/key_access.h"
#include "inspect/windows/registry.h"

namespace rdpmend::inspect::windows {

inline constexpr const char* kRdpKeyFilePrefix = "f686aace6942fb7f7ceb231212eef4a4_";

struct KeyAccessLocations {
  std::wstring machine_keys;  // empty: %ProgramData%\Microsoft\Crypto\RSA\MachineKeys
  RegistryLocation cryptography{HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Cryptography"};  // MachineGuid
  std::vector<std::string> service_sids;  // empty: network_service_sids()
};

std::unique_ptr<KeyAccessInspector> make_key_access_inspector(KeyAccessLocations where);

// The checks behind rdp_key_file(), on a file already described (portable inputs, exposed for the tests).
std::vector<std::string> rdp_key_file_differences(const FileState& file,
                                                  const std::vector<std::string>& service_sids);

}  // namespace rdpmend::inspect::windows
