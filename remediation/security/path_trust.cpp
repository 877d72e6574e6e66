#include "security/path_trust.h"

#include <cstdio>

namespace rdpmend::security {
namespace {

Refused refused(const ComponentFacts& f, Refusal reason, std::string detail) {
  return Refused{reason, "", f.path, f.owner, f.group, f.mode, std::move(detail)};
}

// The owner and write rules every component obeys, whatever it is.
std::optional<Refused> judge_owner_and_writers(const ComponentFacts& f, bool parent_only_add) {
  if (!f.owner_trusted)
    return refused(f, Refusal::kUntrustedOwner,
                   parent_only_add ? "owned by another account, in a folder where others may add entries"
                                   : "owned by another account");
  if (f.others_may_write) return refused(f, Refusal::kWritableByOthers, "another account may change it");
  return std::nullopt;
}

}  // namespace

std::string_view refusal_id(Refusal refusal) {
  switch (refusal) {
    case Refusal::kUntrustedOwner:
      return "untrusted-owner";
    case Refusal::kWritableByOthers:
      return "writable-by-others";
    case Refusal::kNotRegularFile:
      return "not-a-regular-file";
    case Refusal::kNotFolder:
      return "not-a-folder";
    case Refusal::kHardLinked:
      return "hard-linked";
    case Refusal::kTooLarge:
      return "too-large";
    case Refusal::kTooManyLinks:
      return "too-many-links";
    case Refusal::kNotFound:
      return "not-found";
    case Refusal::kNotAbsolute:
      return "not-absolute";
    case Refusal::kChanged:
      return "changed";
    case Refusal::kOsError:
      return "os-error";
  }
  return "os-error";
}

std::string mode_text(std::uint32_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777u));
  return text;
}

std::string Refused::message() const {
  std::string text =
      "refused (" + std::string(refusal_id(reason)) + "): " + (component.empty() ? path : component);
  std::string facts;
  if (!owner.empty()) facts += "owner " + owner;
  if (!group.empty()) facts += (facts.empty() ? "" : ", ") + std::string("group ") + group;
  if (mode) facts += (facts.empty() ? "" : ", ") + std::string("mode ") + mode_text(*mode);
  if (!facts.empty()) text += " (" + facts + ")";
  if (!detail.empty()) text += ": " + detail;
  if (!component.empty() && component != path && !path.empty()) text += ", on the way to " + path;
  return text;
}

Error Refused::to_error(std::string what) const {
  return Error{std::move(what), path, message()};
}

std::optional<Refused> judge_folder_on_the_way(const ComponentFacts& f, bool parent_only_add) {
  if (f.kind != ComponentFacts::Kind::kFolder) return refused(f, Refusal::kNotFolder, "not a folder");
  return judge_owner_and_writers(f, parent_only_add);
}

std::optional<Refused> judge_symlink(const ComponentFacts& f, bool parent_only_add) {
  // A link's own mode means nothing; who made it does: in a folder only trusted accounts can change, only
  // they can have made it, and in a sticky folder its owner is who may remove or replace it.
  if (!f.owner_trusted)
    return refused(f, Refusal::kUntrustedOwner,
                   parent_only_add
                       ? "a link made by another account, in a folder where others may add entries"
                       : "a link made by another account");
  // On Windows a link is an object with its own DACL: whoever may write its reparse data may change where it
  // leads (Linux links cannot be changed, only replaced through their folder: never set there).
  if (f.others_may_write)
    return refused(f, Refusal::kWritableByOthers, "another account may change where the link leads");
  return std::nullopt;
}

std::optional<Refused> judge_final(const ComponentFacts& f, bool parent_only_add, Use use) {
  switch (use) {
    case Use::kFolder:
      return judge_folder_on_the_way(f, parent_only_add);
    case Use::kContent:
      if (f.kind != ComponentFacts::Kind::kRegularFile)
        return refused(f, Refusal::kNotRegularFile, "not a regular file");
      return judge_owner_and_writers(f, parent_only_add);
    case Use::kChange:
      if (f.kind != ComponentFacts::Kind::kRegularFile)
        return refused(f, Refusal::kNotRegularFile, "not a regular file");
      // Another account may own the file (xrdp may own its key), but not an entry it could swap: in a folder
      // where others may add entries, only a trusted account's entry is safe from being renamed away.
      if (parent_only_add && !f.owner_trusted)
        return refused(f, Refusal::kUntrustedOwner,
                       "owned by another account, in a folder where others may add entries");
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace rdpmend::security
