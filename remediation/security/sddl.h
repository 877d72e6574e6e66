#pragma once
// SDDL (Security Descriptor Definition Language) read into a structure, so that two descriptors are compared
// by meaning, not as strings: owner and group as SIDs (aliases like SY resolved), the DACL's protected flag,
// and the ACEs as a set (order ignored) with their rights as masks (FA == 0x1f01ff, GA mapped like a file's
// GENERIC_ALL). Portable: no Windows headers. Bad SDDL is an Error value. Reference:
// learn.microsoft.com/windows/win32/secauthz/ security-descriptor-string-format, ace-strings, sid-strings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace rdpmend::security {

// ACE flags, as in winnt.h.
inline constexpr std::uint32_t kAceObjectInherit = 0x01;     // OI
inline constexpr std::uint32_t kAceContainerInherit = 0x02;  // CI
inline constexpr std::uint32_t kAceNoPropagate = 0x04;       // NP
inline constexpr std::uint32_t kAceInheritOnly = 0x08;       // IO
inline constexpr std::uint32_t kAceInherited = 0x10;         // ID

// Access rights used by the checks (winnt.h).
inline constexpr std::uint32_t kFileAllAccess = 0x1f01ff;    // FA
inline constexpr std::uint32_t kFileGenericRead = 0x120089;  // FR

struct Ace {
  std::string type;          // "A", "D", "OA", "AU", "ML", ... as written
  std::uint32_t flags = 0;   // kAce* bits (and SA 0x40, FA 0x80, CR 0x20)
  std::uint32_t rights = 0;  // as written, generic bits not mapped
  std::string object_guid;   // object ACEs only, lower case
  std::string inherit_object_guid;
  std::string sid;               // canonical "S-1-5-32-544"; a domain-relative alias ("DA") stays as written
  std::string application_data;  // conditional expression / resource attribute, as written
};

struct Acl {
  bool is_null = false;           // NO_ACCESS_CONTROL: no DACL at all, everyone has full access
  bool is_protected = false;      // P: not inheriting from the parent
  bool auto_inherit_req = false;  // AR
  bool auto_inherited = false;    // AI
  std::vector<Ace> aces;
};

struct SecurityDescriptor {
  std::optional<std::string> owner;  // canonical SIDs, as in Ace::sid
  std::optional<std::string> group;
  std::optional<Acl> dacl;  // unset: the string had no D: part
  std::optional<Acl> sacl;
};

Result<SecurityDescriptor> parse_sddl(std::string_view sddl);

// "S-1-5-18" for "SY" or "s-1-5-18"; nullopt when it is neither a known alias nor a well-formed SID.
std::optional<std::string> canonical_sid(std::string_view alias_or_sid);
// The short form for messages: the alias when there is one ("SY"), else the SID.
std::string display_sid(std::string_view canonical);
// "(A;OICI;FA;;;BA)": flags in Windows' order, rights as FA/FR/... when they are exactly one of those, else
// hex.
std::string format_ace(const Ace& ace);
// "PAI", "P", "" (and "NO_ACCESS_CONTROL").
std::string format_acl_flags(const Acl& acl);

// How GENERIC_READ/WRITE/EXECUTE/ALL translate for an object type (GENERIC_MAPPING).
struct GenericMapping {
  std::uint32_t read = 0;
  std::uint32_t write = 0;
  std::uint32_t execute = 0;
  std::uint32_t all = 0;
};
inline constexpr GenericMapping kFileGenericMapping{0x120089, 0x120116, 0x1200a0, 0x1f01ff};
std::uint32_t map_generic_rights(std::uint32_t rights, const GenericMapping& mapping);

// Differences of `actual` from `expected`, in words; empty when they mean the same. Only what `expected`
// states is checked (a descriptor without G: does not check the group). Rights are compared as masks, generic
// rights mapped with `mapping` (except on inherit-only ACEs, which Windows stores unmapped). The AI/AR flags
// are bookkeeping and are not compared; the protected flag is.
//   "owner is BA, expected SY"   "DACL not protected (PAI)"   "missing ACE (A;;FA;;;BA)"   "extra ACE
//   (A;;FA;;;WD)"
std::vector<std::string> compare_security_descriptors(const SecurityDescriptor& actual,
                                                      const SecurityDescriptor& expected,
                                                      const GenericMapping& mapping = kFileGenericMapping);

// The documented DACL evaluation ("How DACLs Control Access to an Object"): ACEs in order, inherit-only ones
// skipped, the first deny of a wanted bit refuses, allows accumulate; a NULL DACL grants everything, an empty
// one nothing; the owner gets READ_CONTROL | WRITE_DAC unless an OWNER RIGHTS (S-1-3-4) ACE says otherwise.
// Privileges (backup, take ownership), integrity labels and conditional ACEs are not evaluated: callback ACEs
// ("XA", "XD", ...) are reported in `reason` as not judged, and a callback deny makes the answer "denied".
struct AccessDecision {
  bool allowed = false;
  std::uint32_t missing = 0;  // wanted bits nothing granted
  std::string reason;         // "granted", "denied by (D;;FR;;;WD)", "no ACE grants 0x9 ..."
};
AccessDecision check_access(const SecurityDescriptor& descriptor,
                            const std::vector<std::string>& principal_sids, std::uint32_t desired,
                            const GenericMapping& mapping = kFileGenericMapping);

}  // namespace rdpmend::security
