#include "security/windows/accounts.h"

#include <sddl.h>

#include "platform/windows/handles.h"
#include "platform/windows/win_text.h"

namespace rdpmend::security::windows {
namespace {

constexpr const wchar_t* kTrustedInstaller =
    L"S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464";

SidBytes well_known(WELL_KNOWN_SID_TYPE type) {
  BYTE buffer[SECURITY_MAX_SID_SIZE];
  DWORD size = sizeof buffer;
  if (!CreateWellKnownSid(type, nullptr, buffer, &size)) return {};
  return SidBytes(buffer, buffer + size);
}

SidBytes from_string(const wchar_t* text) {
  PSID raw = nullptr;
  if (!ConvertStringSidToSidW(text, &raw)) return {};
  win::LocalPtr<void> owned(raw);
  return sid_bytes(raw);
}

SidBytes process_user() {
  HANDLE raw = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &raw)) return {};
  win::UniqueHandle token(raw);
  DWORD size = 0;
  GetTokenInformation(token.get(), TokenUser, nullptr, 0, &size);
  if (size == 0) return {};
  std::vector<BYTE> buffer(size);
  if (!GetTokenInformation(token.get(), TokenUser, buffer.data(), size, &size)) return {};
  return sid_bytes(reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid);
}

}  // namespace

SidBytes sid_bytes(PSID sid) {
  if (!sid || !IsValidSid(sid)) return {};
  const auto* bytes = static_cast<const BYTE*>(sid);
  return SidBytes(bytes, bytes + GetLengthSid(sid));
}

std::string sid_string(PSID sid) {
  wchar_t* raw = nullptr;
  if (!sid || !ConvertSidToStringSidW(sid, &raw)) return "(invalid SID)";
  win::LocalPtr<wchar_t> text(raw);
  return win::narrow(raw);
}

std::string account_name(PSID sid) {
  wchar_t name[256], domain[256];
  DWORD name_size = 256, domain_size = 256;
  SID_NAME_USE use;
  if (!sid || !LookupAccountSidW(nullptr, sid, name, &name_size, domain, &domain_size, &use))
    return sid_string(sid);
  return win::narrow(domain_size ? std::wstring(domain) + L"\\" + name : std::wstring(name));
}

TrustedAccounts::TrustedAccounts(SidBytes user)
    : sids_{well_known(WinLocalSystemSid), well_known(WinBuiltinAdministratorsSid),
            from_string(kTrustedInstaller)} {
  if (!user.empty()) sids_.push_back(std::move(user));
}

const TrustedAccounts& TrustedAccounts::of_this_process() {
  static const TrustedAccounts accounts(process_user());
  return accounts;
}

bool TrustedAccounts::contains(PSID sid) const {
  if (!sid || !IsValidSid(sid)) return false;
  for (const auto& trusted : sids_)
    if (!trusted.empty() && EqualSid(sid, const_cast<BYTE*>(trusted.data()))) return true;
  return false;
}

}  // namespace rdpmend::security::windows
