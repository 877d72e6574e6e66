#include "security/windows/dacl_rights.h"

#include <cstdio>
#include <cstring>
#include <optional>

namespace rdpmend::security::windows {
namespace {

constexpr ACCESS_MASK kGenericWrites = GENERIC_WRITE | GENERIC_ALL;
constexpr ACCESS_MASK kOwnership = DELETE | WRITE_DAC | WRITE_OWNER;
constexpr ACCESS_MASK kFileChange =
    FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_DELETE_CHILD | kOwnership | kGenericWrites;
constexpr ACCESS_MASK kFolderChange = FILE_DELETE_CHILD | kOwnership | kGenericWrites;
constexpr ACCESS_MASK kFolderAdd = FILE_ADD_FILE | FILE_ADD_SUBDIRECTORY;
constexpr ACCESS_MASK kLinkChange = kFileChange | FILE_WRITE_ATTRIBUTES;

ACCESS_MASK change_mask(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kFolder:
      return kFolderChange;
    case ObjectKind::kFile:
      return kFileChange;
    case ObjectKind::kLink:
      return kLinkChange;
  }
  return kLinkChange;
}

ACCESS_MASK add_mask(ObjectKind kind) {
  return kind == ObjectKind::kFolder ? kFolderAdd : 0;
}

// The SIDs that stand for no caller on the object itself, or for its owner.
bool placeholder(PSID sid) {
  static const WELL_KNOWN_SID_TYPE kTypes[] = {WinCreatorOwnerSid, WinCreatorGroupSid,
                                               WinCreatorOwnerServerSid, WinCreatorGroupServerSid,
                                               WinCreatorOwnerRightsSid};
  for (auto type : kTypes)
    if (IsWellKnownSid(sid, type)) return true;
  return false;
}

// One allow ACE that applies: its rights and to whom (sid null: unreadable, someone else).
struct Grant {
  PSID sid = nullptr;
  ACCESS_MASK mask = 0;
};

// The SID of an ACE at `offset`, if it fits inside the ACE.
PSID sid_at(const ACE_HEADER* ace, std::size_t offset) {
  if (offset + 8 > ace->AceSize) return nullptr;
  auto* sid = const_cast<BYTE*>(reinterpret_cast<const BYTE*>(ace) + offset);
  const std::size_t room = ace->AceSize - offset;
  // The fixed part (revision, count, authority) first, so that IsValidSid reads only what is there.
  if (8 + 4 * static_cast<std::size_t>(sid[1]) > room || !IsValidSid(sid)) return nullptr;
  return sid;
}

std::optional<Grant> grant_of(const ACE_HEADER* ace) {
  if (ace->AceFlags & INHERIT_ONLY_ACE) return std::nullopt;
  if (ace->AceSize < 8) return std::nullopt;
  ACCESS_MASK mask = 0;
  std::memcpy(&mask, reinterpret_cast<const BYTE*>(ace) + 4, sizeof mask);
  switch (ace->AceType) {
    case ACCESS_ALLOWED_ACE_TYPE:
    case ACCESS_ALLOWED_CALLBACK_ACE_TYPE:
      return Grant{sid_at(ace, 8), mask};
    case ACCESS_ALLOWED_OBJECT_ACE_TYPE:
    case ACCESS_ALLOWED_CALLBACK_OBJECT_ACE_TYPE: {
      if (ace->AceSize < 12) return Grant{nullptr, mask};
      DWORD flags = 0;
      std::memcpy(&flags, reinterpret_cast<const BYTE*>(ace) + 8, sizeof flags);
      std::size_t offset = 12;
      if (flags & ACE_OBJECT_TYPE_PRESENT) offset += sizeof(GUID);
      if (flags & ACE_INHERITED_OBJECT_TYPE_PRESENT) offset += sizeof(GUID);
      return Grant{sid_at(ace, offset), mask};
    }
    case ACCESS_ALLOWED_COMPOUND_ACE_TYPE:
      return Grant{nullptr, mask};
    default:
      return std::nullopt;  // deny, audit, alarm, label, attribute and policy ACEs grant nothing
  }
}

void append_evidence(std::string& evidence, const std::string& who, const std::string& rights) {
  if (!evidence.empty()) evidence += "; ";
  evidence += who + ": " + rights;
}

}  // namespace

std::string rights_text(ACCESS_MASK mask, ObjectKind kind) {
  const bool folder = kind == ObjectKind::kFolder;
  struct Name {
    ACCESS_MASK bit;
    const char* file;
    const char* folder;
  };
  static const Name kNames[] = {
      {FILE_WRITE_DATA, "write-data", "add-file"},
      {FILE_APPEND_DATA, "append-data", "add-subfolder"},
      {FILE_WRITE_EA, "write-extended-attributes", "write-extended-attributes"},
      {FILE_DELETE_CHILD, "delete-child", "delete-child"},
      {FILE_WRITE_ATTRIBUTES, "write-attributes", "write-attributes"},
      {DELETE, "delete", "delete"},
      {WRITE_DAC, "write-dac", "write-dac"},
      {WRITE_OWNER, "write-owner", "write-owner"},
      {GENERIC_WRITE, "generic-write", "generic-write"},
      {GENERIC_ALL, "generic-all", "generic-all"},
  };
  const ACCESS_MASK counted = mask & (change_mask(kind) | add_mask(kind));
  std::string text;
  for (const auto& name : kNames) {
    if (!(counted & name.bit)) continue;
    if (!text.empty()) text += ", ";
    text += folder ? name.folder : name.file;
  }
  return text;
}

OthersRights others_rights(const ACL* dacl, ObjectKind kind, const TrustedAccounts& trusted) {
  OthersRights out;
  if (!dacl) {
    out.may_change = true;
    out.may_add = kind == ObjectKind::kFolder;
    out.evidence = "no DACL (NULL DACL): everyone has full control";
    return out;
  }
  const ACCESS_MASK changes = change_mask(kind);
  const ACCESS_MASK adds = add_mask(kind);
  for (DWORD i = 0; i < dacl->AceCount; ++i) {
    void* raw = nullptr;
    if (!GetAce(const_cast<ACL*>(dacl), i, &raw) || !raw) {
      out.may_change = true;
      append_evidence(out.evidence, "ACE " + std::to_string(i), "unreadable");
      continue;
    }
    auto grant = grant_of(static_cast<const ACE_HEADER*>(raw));
    if (!grant) continue;
    if (grant->sid && (trusted.contains(grant->sid) || placeholder(grant->sid))) continue;
    const ACCESS_MASK counted = grant->mask & (changes | adds);
    if (!counted) continue;
    if (counted & changes) out.may_change = true;
    if (counted & adds) out.may_add = true;
    std::string who;
    if (grant->sid) {
      who = account_name(grant->sid);
      const std::string text = sid_string(grant->sid);
      if (who != text) who += " (" + text + ")";
    } else {
      char type[48];
      std::snprintf(type, sizeof type, "an ACE of type 0x%02X the rule cannot read",
                    static_cast<unsigned>(static_cast<const ACE_HEADER*>(raw)->AceType));
      who = type;
    }
    append_evidence(out.evidence, who, rights_text(counted, kind));
  }
  return out;
}

}  // namespace rdpmend::security::windows
