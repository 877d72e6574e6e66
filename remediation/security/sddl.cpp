#include "security/sddl.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <iterator>
#include <map>
#include <tuple>

#include "util/number_text.h"

namespace rdpmend::security {
namespace {

struct Alias {
  const char* alias;
  const char* sid;  // nullptr: relative to a domain or to this machine, kept as the alias
};

// learn.microsoft.com/windows/win32/secauthz/sid-strings
constexpr Alias kAliases[] = {
    {"AA", "S-1-5-32-579"}, {"AC", "S-1-15-2-1"},   {"AN", "S-1-5-7"},      {"AO", "S-1-5-32-548"},
    {"AP", nullptr},        {"AS", "S-1-18-1"},     {"AU", "S-1-5-11"},     {"BA", "S-1-5-32-544"},
    {"BG", "S-1-5-32-546"}, {"BO", "S-1-5-32-551"}, {"BU", "S-1-5-32-545"}, {"CA", nullptr},
    {"CD", "S-1-5-32-574"}, {"CG", "S-1-3-1"},      {"CN", nullptr},        {"CO", "S-1-3-0"},
    {"CY", "S-1-5-32-569"}, {"DA", nullptr},        {"DC", nullptr},        {"DD", nullptr},
    {"DG", nullptr},        {"DU", nullptr},        {"EA", nullptr},        {"ED", "S-1-5-9"},
    {"EK", nullptr},        {"ER", "S-1-5-32-573"}, {"ES", "S-1-5-32-576"}, {"HA", "S-1-5-32-578"},
    {"HI", "S-1-16-12288"}, {"IS", "S-1-5-32-568"}, {"IU", "S-1-5-4"},      {"KA", nullptr},
    {"LA", nullptr},        {"LG", nullptr},        {"LS", "S-1-5-19"},     {"LU", "S-1-5-32-559"},
    {"LW", "S-1-16-4096"},  {"ME", "S-1-16-8192"},  {"MP", "S-1-16-8448"},  {"MS", "S-1-5-32-577"},
    {"MU", "S-1-5-32-558"}, {"NO", "S-1-5-32-556"}, {"NS", "S-1-5-20"},     {"NU", "S-1-5-2"},
    {"OW", "S-1-3-4"},      {"PA", nullptr},        {"PO", "S-1-5-32-550"}, {"PS", "S-1-5-10"},
    {"PU", "S-1-5-32-547"}, {"RA", "S-1-5-32-575"}, {"RC", "S-1-5-12"},     {"RD", "S-1-5-32-555"},
    {"RE", "S-1-5-32-552"}, {"RM", "S-1-5-32-580"}, {"RO", nullptr},        {"RS", nullptr},
    {"RU", "S-1-5-32-554"}, {"SA", nullptr},        {"SI", "S-1-16-16384"}, {"SO", "S-1-5-32-549"},
    {"SS", "S-1-18-2"},     {"SU", "S-1-5-6"},      {"SY", "S-1-5-18"},     {"UD", "S-1-5-84-0-0-0-0-0"},
    {"WD", "S-1-1-0"},      {"WR", "S-1-5-33"},
};

struct Code {
  const char* letters;
  std::uint32_t value;
};

constexpr Code kRightCodes[] = {
    // generic
    {"GA", 0x10000000},
    {"GR", 0x80000000},
    {"GW", 0x40000000},
    {"GX", 0x20000000},
    // standard
    {"RC", 0x00020000},
    {"SD", 0x00010000},
    {"WD", 0x00040000},
    {"WO", 0x00080000},
    // directory service
    {"RP", 0x00000010},
    {"WP", 0x00000020},
    {"CC", 0x00000001},
    {"DC", 0x00000002},
    {"LC", 0x00000004},
    {"SW", 0x00000008},
    {"LO", 0x00000080},
    {"DT", 0x00000040},
    {"CR", 0x00000100},
    // file
    {"FA", 0x001f01ff},
    {"FR", 0x00120089},
    {"FW", 0x00120116},
    {"FX", 0x001200a0},
    // registry
    {"KA", 0x000f003f},
    {"KR", 0x00020019},
    {"KW", 0x00020006},
    {"KX", 0x00020019},
    // mandatory label
    {"NW", 0x00000001},
    {"NR", 0x00000002},
    {"NX", 0x00000004},
};

// Shown as letters when a mask is exactly one of these (in this order of preference).
constexpr Code kRightDisplay[] = {
    {"FA", 0x001f01ff}, {"FR", 0x00120089}, {"FW", 0x00120116}, {"FX", 0x001200a0},
    {"KA", 0x000f003f}, {"KR", 0x00020019}, {"KW", 0x00020006}, {"GA", 0x10000000},
    {"GR", 0x80000000}, {"GW", 0x40000000}, {"GX", 0x20000000},
};

// In the order Windows writes them.
constexpr Code kAceFlagCodes[] = {
    {"OI", 0x01}, {"CI", 0x02}, {"NP", 0x04}, {"IO", 0x08}, {"ID", 0x10},
    {"CR", 0x20}, {"SA", 0x40}, {"FA", 0x80}, {"TP", 0x40},  // TRUST_PROTECTED_FILTER_ACE_FLAG (access filter
                                                             // ACEs); written back as SA
};

constexpr const char* kAceTypes[] = {"A",  "D",  "OA", "OD", "AU", "AL", "OU", "OL", "ML",
                                     "XA", "XD", "ZA", "XU", "SP", "RA", "TL", "FL"};

bool is_object_ace(std::string_view type) {
  return type == "OA" || type == "OD" || type == "OU" || type == "OL" || type == "ZA";
}

const Alias* find_alias(std::string_view alias) {
  for (const auto& a : kAliases)
    if (alias == a.alias) return &a;
  return nullptr;
}

std::string hex(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%x", static_cast<unsigned>(value));
  return text;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "S-1-5-32-544" (any case of the S, authority in decimal or 0x hex) -> canonical text.
std::optional<std::string> canonical_sid_string(std::string_view s) {
  if (s.size() < 4 || (s[0] != 'S' && s[0] != 's') || s[1] != '-') return std::nullopt;
  std::vector<std::string_view> parts;
  std::size_t start = 2;
  for (;;) {
    std::size_t dash = s.find('-', start);
    parts.push_back(s.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  // revision, authority, then 0..15 sub-authorities
  if (parts.size() < 2 || parts.size() > 17 || parts[0] != "1") return std::nullopt;
  std::optional<std::uint64_t> authority;
  if (parts[1].size() > 2 && parts[1][0] == '0' && (parts[1][1] == 'x' || parts[1][1] == 'X'))
    authority = util::parse_number<std::uint64_t>(parts[1].substr(2), 16);
  else
    authority = util::parse_number<std::uint64_t>(parts[1], 10);
  if (!authority || *authority > 0xffffffffffffULL) return std::nullopt;  // the authority has 48 bits
  std::string out = "S-1-";
  if (*authority > 0xffffffffULL) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%012llX", static_cast<unsigned long long>(*authority));
    out += text;
  } else {
    out += std::to_string(*authority);
  }
  for (std::size_t i = 2; i < parts.size(); ++i) {
    auto sub = util::parse_number<std::uint32_t>(parts[i]);
    if (!sub) return std::nullopt;
    out += "-" + std::to_string(*sub);
  }
  return out;
}

bool is_guid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string shortened(std::string_view s) {
  constexpr std::size_t kMax = 120;
  return s.size() <= kMax ? std::string(s) : std::string(s.substr(0, kMax)) + "...";
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Result<SecurityDescriptor> run() {
    SecurityDescriptor sd;
    skip_space();
    if (at_end()) return fail("empty security descriptor");
    while (!at_end()) {
      if (!at_component()) return fail("expected O:, G:, D: or S:");
      char part = s_[pos_];
      pos_ += 2;
      switch (part) {
        case 'O':
        case 'G': {
          auto& slot = part == 'O' ? sd.owner : sd.group;
          if (slot) return fail(std::string("duplicate ") + part + ":");
          std::size_t begin = pos_;
          while (!at_end() && !at_component()) ++pos_;
          std::string_view value = trim(s_.substr(begin, pos_ - begin));
          if (value.empty()) return fail(std::string(part == 'O' ? "owner" : "group") + " has no SID", begin);
          auto sid = canonical_sid(value);
          if (!sid) return fail("unknown SID '" + std::string(value) + "'", begin);
          slot = *sid;
          break;
        }
        case 'D':
        case 'S': {
          auto& slot = part == 'D' ? sd.dacl : sd.sacl;
          if (slot) return fail(std::string("duplicate ") + part + ":");
          auto acl = parse_acl(part == 'D' ? "DACL" : "SACL");
          if (!acl) return acl.error();
          slot = std::move(acl).value();
          break;
        }
      }
      skip_space();
    }
    return sd;
  }

 private:
  bool at_end() const { return pos_ >= s_.size(); }
  bool at_component() const {
    return pos_ + 1 < s_.size() && s_[pos_ + 1] == ':' &&
           (s_[pos_] == 'O' || s_[pos_] == 'G' || s_[pos_] == 'D' || s_[pos_] == 'S');
  }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  static std::string_view trim(std::string_view v) {
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
    return v;
  }
  bool consume(std::string_view token) {
    if (s_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }

  Error fail(const std::string& why) const { return fail(why, pos_); }
  Error fail(const std::string& why, std::size_t at) const {
    return Error{"parse SDDL", shortened(s_), why + " at offset " + std::to_string(at)};
  }

  Result<Acl> parse_acl(const char* name) {
    Acl acl;
    skip_space();
    while (!at_end() && s_[pos_] != '(' && !at_component()) {
      if (consume("NO_ACCESS_CONTROL"))
        acl.is_null = true;
      else if (consume("P"))
        acl.is_protected = true;
      else if (consume("AI"))
        acl.auto_inherited = true;
      else if (consume("AR"))
        acl.auto_inherit_req = true;
      else if (std::isspace(static_cast<unsigned char>(s_[pos_])))
        ++pos_;
      else
        return fail(std::string("unknown ") + name + " flag");
    }
    while (!at_end() && s_[pos_] == '(') {
      std::size_t begin = pos_;
      auto end = closing_paren(begin);
      if (!end) return fail("ACE without its closing ')'", begin);
      auto ace = parse_ace(s_.substr(begin + 1, *end - begin - 1), begin);
      if (!ace) return ace.error();
      acl.aces.push_back(std::move(ace).value());
      pos_ = *end + 1;
      skip_space();
    }
    if (!at_end() && !at_component()) return fail(std::string("unexpected text in the ") + name);
    if (acl.is_null && !acl.aces.empty())
      return fail(std::string(name) + " is NO_ACCESS_CONTROL but has ACEs");
    return acl;
  }

  // The ')' that closes the '(' at `open`: conditional expressions nest parentheses and quote strings.
  std::optional<std::size_t> closing_paren(std::size_t open) const {
    int depth = 0;
    bool quoted = false;
    for (std::size_t i = open; i < s_.size(); ++i) {
      char c = s_[i];
      if (quoted) {
        if (c == '"') quoted = false;
      } else if (c == '"') {
        quoted = true;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (--depth == 0) return i;
      }
    }
    return std::nullopt;
  }

  Result<Ace> parse_ace(std::string_view body, std::size_t at) const {
    std::array<std::string_view, 6> field;
    std::size_t start = 0;
    for (std::size_t i = 0; i < field.size(); ++i) {
      std::size_t semi = body.find(';', start);
      if (semi == std::string_view::npos) {
        if (i + 1 != field.size())
          return fail("ACE (" + std::string(body) + ") has " + std::to_string(i + 1) + " fields, expected 6",
                      at);
        field[i] = body.substr(start);
        start = body.size() + 1;
      } else {
        field[i] = body.substr(start, semi - start);
        start = semi + 1;
      }
    }
    Ace ace;
    if (start <= body.size()) ace.application_data = std::string(body.substr(start));
    const std::string ace_text = "ACE (" + std::string(body) + ")";

    std::string_view type = trim(field[0]);
    if (std::none_of(std::begin(kAceTypes), std::end(kAceTypes), [&](const char* t) { return type == t; }))
      return fail(ace_text + ": unknown ACE type '" + std::string(type) + "'", at);
    ace.type = std::string(type);
    if (!ace.application_data.empty() && ace.type != "XA" && ace.type != "XD" && ace.type != "XU" &&
        ace.type != "ZA" && ace.type != "RA")
      return fail(ace_text + " has more than 6 fields", at);

    std::string_view flags = trim(field[1]);
    if (flags.size() % 2) return fail(ace_text + ": bad ACE flags '" + std::string(flags) + "'", at);
    for (std::size_t i = 0; i < flags.size(); i += 2) {
      auto code = flags.substr(i, 2);
      auto it = std::find_if(std::begin(kAceFlagCodes), std::end(kAceFlagCodes),
                             [&](const Code& c) { return code == c.letters; });
      if (it == std::end(kAceFlagCodes))
        return fail(ace_text + ": unknown ACE flag '" + std::string(code) + "'", at);
      ace.flags |= it->value;
    }

    auto rights = parse_rights(trim(field[2]));
    if (!rights) return fail(ace_text + ": bad rights '" + std::string(trim(field[2])) + "'", at);
    ace.rights = *rights;

    for (int g = 0; g < 2; ++g) {
      std::string_view guid = trim(field[3 + g]);
      if (guid.empty()) continue;
      if (!is_object_ace(ace.type)) return fail(ace_text + ": only object ACEs carry GUIDs", at);
      if (!is_guid(guid)) return fail(ace_text + ": bad GUID '" + std::string(guid) + "'", at);
      (g == 0 ? ace.object_guid : ace.inherit_object_guid) = lower(guid);
    }

    std::string_view sid = trim(field[5]);
    if (sid.empty()) return fail(ace_text + " has no SID", at);
    auto canonical = canonical_sid(sid);
    if (!canonical) return fail(ace_text + ": unknown SID '" + std::string(sid) + "'", at);
    ace.sid = *canonical;
    return ace;
  }

  static std::optional<std::uint32_t> parse_rights(std::string_view text) {
    if (text.empty()) return 0u;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
      return util::parse_number<std::uint32_t>(text.substr(2), 16);
    }
    if (all_digits(text)) {
      return util::parse_number<std::uint32_t>(text);
    }
    if (text.size() % 2) return std::nullopt;
    std::uint32_t mask = 0;
    for (std::size_t i = 0; i < text.size(); i += 2) {
      auto code = text.substr(i, 2);
      auto it = std::find_if(std::begin(kRightCodes), std::end(kRightCodes),
                             [&](const Code& c) { return code == c.letters; });
      if (it == std::end(kRightCodes)) return std::nullopt;
      mask |= it->value;
    }
    return mask;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

// What makes two ACEs the same: everything, with the rights mapped for the object type.
using AceKey =
    std::tuple<std::string, std::uint32_t, std::uint32_t, std::string, std::string, std::string, std::string>;

AceKey key_of(const Ace& ace, const GenericMapping& mapping) {
  std::uint32_t rights = (ace.flags & kAceInheritOnly) || is_object_ace(ace.type)
                             ? ace.rights
                             : map_generic_rights(ace.rights, mapping);
  return {ace.type, ace.flags,           rights, ace.object_guid, ace.inherit_object_guid,
          ace.sid,  ace.application_data};
}

void compare_acl(const char* name, const std::optional<Acl>& actual, const Acl& expected,
                 const GenericMapping& mapping, std::vector<std::string>& out) {
  std::string expected_flags = format_acl_flags(expected);
  if (!actual) {
    out.push_back(std::string(name) + " is not in the descriptor");
    return;
  }
  if (actual->is_null != expected.is_null) {
    out.push_back(actual->is_null
                      ? std::string(name) + " is NULL (no access control: everyone has full access)"
                      : std::string(name) + " has ACEs, expected NO_ACCESS_CONTROL");
    return;
  }
  if (expected.is_protected && !actual->is_protected)
    out.push_back(std::string(name) + " not protected (" + expected_flags + ")");
  else if (!expected.is_protected && actual->is_protected)
    out.push_back(std::string(name) + " protected (P), expected to inherit from its parent");

  std::map<AceKey, int> remaining;
  for (const auto& ace : actual->aces) ++remaining[key_of(ace, mapping)];
  std::vector<std::string> missing;
  for (const auto& ace : expected.aces) {
    auto it = remaining.find(key_of(ace, mapping));
    if (it != remaining.end() && it->second > 0)
      --it->second;
    else
      out.push_back("missing ACE " + format_ace(ace));
  }
  for (const auto& ace : actual->aces) {
    auto it = remaining.find(key_of(ace, mapping));
    if (it->second > 0) {
      --it->second;
      out.push_back("extra ACE " + format_ace(ace));
    }
  }
}

void compare_sid(const char* name, const std::optional<std::string>& actual,
                 const std::optional<std::string>& expected, std::vector<std::string>& out) {
  if (!expected) return;
  if (!actual)
    out.push_back(std::string(name) + " is not in the descriptor, expected " + display_sid(*expected));
  else if (*actual != *expected)
    out.push_back(std::string(name) + " is " + display_sid(*actual) + ", expected " + display_sid(*expected));
}

}  // namespace

std::optional<std::string> canonical_sid(std::string_view alias_or_sid) {
  if (alias_or_sid.size() == 2) {
    const Alias* alias = find_alias(alias_or_sid);
    if (!alias) return std::nullopt;
    return std::string(alias->sid ? alias->sid : alias->alias);
  }
  return canonical_sid_string(alias_or_sid);
}

std::string display_sid(std::string_view canonical) {
  for (const auto& a : kAliases)
    if (a.sid && canonical == a.sid) return a.alias;
  return std::string(canonical);
}

std::string format_acl_flags(const Acl& acl) {
  if (acl.is_null) return "NO_ACCESS_CONTROL";
  std::string flags;
  if (acl.is_protected) flags += "P";
  if (acl.auto_inherit_req) flags += "AR";
  if (acl.auto_inherited) flags += "AI";
  return flags;
}

std::string format_ace(const Ace& ace) {
  std::string flags;
  std::uint32_t left = ace.flags;
  for (const auto& c : kAceFlagCodes) {
    if ((left & c.value) == c.value && c.value) {
      flags += c.letters;
      left &= ~c.value;
    }
  }
  if (left) flags += hex(left);
  std::string rights;
  auto named = std::find_if(std::begin(kRightDisplay), std::end(kRightDisplay),
                            [&](const Code& c) { return c.value == ace.rights; });
  if (named != std::end(kRightDisplay))
    rights = named->letters;
  else if (ace.rights)
    rights = hex(ace.rights);
  std::string text = "(" + ace.type + ";" + flags + ";" + rights + ";" + ace.object_guid + ";" +
                     ace.inherit_object_guid + ";" + display_sid(ace.sid);
  if (!ace.application_data.empty()) text += ";" + ace.application_data;
  return text + ")";
}

std::uint32_t map_generic_rights(std::uint32_t rights, const GenericMapping& mapping) {
  constexpr std::uint32_t kGenericRead = 0x80000000, kGenericWrite = 0x40000000, kGenericExecute = 0x20000000,
                          kGenericAll = 0x10000000;
  std::uint32_t out = rights & ~(kGenericRead | kGenericWrite | kGenericExecute | kGenericAll);
  if (rights & kGenericRead) out |= mapping.read;
  if (rights & kGenericWrite) out |= mapping.write;
  if (rights & kGenericExecute) out |= mapping.execute;
  if (rights & kGenericAll) out |= mapping.all;
  return out;
}

Result<SecurityDescriptor> parse_sddl(std::string_view sddl) {
  return Parser(sddl).run();
}

std::vector<std::string> compare_security_descriptors(const SecurityDescriptor& actual,
                                                      const SecurityDescriptor& expected,
                                                      const GenericMapping& mapping) {
  std::vector<std::string> out;
  compare_sid("owner", actual.owner, expected.owner, out);
  compare_sid("group", actual.group, expected.group, out);
  if (expected.dacl) compare_acl("DACL", actual.dacl, *expected.dacl, mapping, out);
  if (expected.sacl) compare_acl("SACL", actual.sacl, *expected.sacl, mapping, out);
  return out;
}

AccessDecision check_access(const SecurityDescriptor& descriptor,
                            const std::vector<std::string>& principal_sids, std::uint32_t desired,
                            const GenericMapping& mapping) {
  constexpr std::uint32_t kReadControl = 0x00020000, kWriteDac = 0x00040000;
  const std::string kOwnerRights = "S-1-3-4";
  auto holds = [&](const std::string& sid) {
    return std::find(principal_sids.begin(), principal_sids.end(), sid) != principal_sids.end();
  };
  std::uint32_t wanted = map_generic_rights(desired, mapping);
  AccessDecision decision;
  if (!descriptor.dacl) {
    decision.missing = wanted;
    decision.reason = "the descriptor has no DACL to judge";
    return decision;
  }
  const Acl& dacl = *descriptor.dacl;
  if (dacl.is_null) return {true, 0, "granted: NULL DACL (no access control)"};

  std::uint32_t remaining = wanted;
  const bool is_owner = descriptor.owner && holds(*descriptor.owner);
  const bool owner_rights_ace = std::any_of(dacl.aces.begin(), dacl.aces.end(), [&](const Ace& a) {
    return a.sid == kOwnerRights && !(a.flags & kAceInheritOnly);
  });
  if (is_owner && !owner_rights_ace) remaining &= ~(kReadControl | kWriteDac);

  std::string not_judged;
  for (const auto& ace : dacl.aces) {
    if (ace.flags & kAceInheritOnly) continue;
    const bool applies = holds(ace.sid) || (is_owner && ace.sid == kOwnerRights);
    if (!applies) continue;
    const std::uint32_t mask = map_generic_rights(ace.rights, mapping);
    if (ace.type == "A") {
      remaining &= ~mask;
    } else if (ace.type == "D" || ace.type == "XD") {
      if (mask & remaining) {
        decision.missing = remaining;
        decision.reason = "denied by " + format_ace(ace);
        return decision;
      }
    } else if (ace.type == "XA") {
      not_judged = " (conditional ACE " + format_ace(ace) + " not judged)";
    }
    if (remaining == 0) return {true, 0, "granted"};
  }
  if (remaining == 0) return {true, 0, "granted"};
  decision.missing = remaining;
  decision.reason = "no ACE grants " + hex(remaining) + not_judged;
  return decision;
}

}  // namespace rdpmend::security
