#pragma once
// Windows: the accounts whose objects the trust rule (security/path_trust.h) believes, and names for SIDs in
// evidence. Trusted are SYSTEM (S-1-5-18), BUILTIN\Administrators (S-1-5-32-544), NT SERVICE\TrustedInstaller
// (S-1-5-80-956008885-...) and the account this process runs as (its process token's user: a developer's
// own folders, or the service account): what they own steers nothing they could not change already.
// Reads only.

#include <windows.h>

#include <string>
#include <vector>

namespace rdpmend::security::windows {

using SidBytes = std::vector<BYTE>;

// The SID's bytes (empty for an invalid SID), and its string form ("S-1-5-18").
SidBytes sid_bytes(PSID sid);
std::string sid_string(PSID sid);
// "NT AUTHORITY\SYSTEM"; the SID string when the system cannot name it (a deleted account, TrustedInstaller
// under Wine).
std::string account_name(PSID sid);

class TrustedAccounts {
 public:
  // SYSTEM, Administrators, TrustedInstaller and `process_user` (none when empty).
  explicit TrustedAccounts(SidBytes process_user);
  // The accounts of this process (its token's user is read once; if it cannot be read, only the
  // well-known accounts are trusted).
  static const TrustedAccounts& of_this_process();

  bool contains(PSID sid) const;

 private:
  std::vector<SidBytes> sids_;
};

}  // namespace rdpmend::security::windows
