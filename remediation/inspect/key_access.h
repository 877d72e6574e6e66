#pragma once
// Port: permissions of the key storage, compared with their documented defaults. Reads state, never
// changes it; a folder or file that is a link (reparse point, junction, symlink) is reported as such.
// windows/: the MachineKeys folder DACL against O:SYG:SYD:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA), compared
// semantically, and the RDP key file f686aace6942fb7f7ceb231212eef4a4_<MachineGuid>.
// linux/: xrdp's key file: owner, group, mode and the xrdp user's access.

#include <optional>
#include <string_view>

#include "inspect/host_state.h"

namespace rdpmend::inspect {

// The documented default of %ProgramData%\Microsoft\Crypto\RSA\MachineKeys
// (reference/rdp-failure-domain.md 4.2).
inline constexpr std::string_view kMachineKeysDefaultSddl = "O:SYG:SYD:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA)";

class KeyAccessInspector {
 public:
  virtual ~KeyAccessInspector() = default;
  // nullopt where the platform has no such folder (Linux).
  virtual std::optional<AclCheck> machinekeys_folder() = 0;
  virtual std::optional<AclCheck> rdp_key_file(const ListenerCertificate& certificate) = 0;
};

}  // namespace rdpmend::inspect
