#include "inspect/windows/key_access.h"

#include "inspect/windows/file_security.h"
#include "platform/windows/win_text.h"
#include "security/sddl.h"

namespace rdpmend::inspect::windows {
namespace {

const char* const kLinkDifference =
    "is a link (reparse point: junction or symlink), not the real item; never followed";

class WindowsKeyAccess final : public KeyAccessInspector {
 public:
  explicit WindowsKeyAccess(KeyAccessLocations where) : where_(std::move(where)) {
    if (where_.service_sids.empty()) where_.service_sids = network_service_sids();
  }

  std::optional<AclCheck> machinekeys_folder() override {
    AclCheck check;
    auto folder = machine_keys();
    if (!folder) {
      check.file.error = folder.error().message();
      return check;
    }
    check.file = inspect_file_security(folder.value(), where_.service_sids);
    if (!check.file.exists && check.file.error.empty()) {
      check.file.error = "the MachineKeys folder does not exist";
      return check;
    }
    if (check.file.sddl.empty()) return check;  // unreadable: check.file.error says why; unknown stays unset
    auto actual = security::parse_sddl(check.file.sddl);
    auto expected = security::parse_sddl(kMachineKeysDefaultSddl);
    if (!actual || !expected) {
      check.file.error = (!actual ? actual : expected).error().message();
      return check;
    }
    if (check.file.is_link) check.differences.push_back(kLinkDifference);
    auto differences = security::compare_security_descriptors(actual.value(), expected.value());
    check.differences.insert(check.differences.end(), differences.begin(), differences.end());
    check.matches_default = check.differences.empty();
    return check;
  }

  std::optional<AclCheck> rdp_key_file(const ListenerCertificate& certificate) override {
    AclCheck check;
    std::wstring path;
    if (!certificate.key.path.empty()) {
      path = win::widen(certificate.key.path);
    } else {
      auto folder = machine_keys();
      if (!folder) {
        check.file.error = folder.error().message();
        return check;
      }
      auto guid = read_registry_string(where_.cryptography, L"MachineGuid");
      if (!guid) {
        check.file.error = guid.error().message();
        return check;
      }
      if (!guid.value() || guid.value()->empty()) {
        check.file.error =
            where_.cryptography.text() + "\\MachineGuid is not set: the RDP key file has no name";
        return check;
      }
      path = folder.value() + L"\\" + win::widen(kRdpKeyFilePrefix) + *guid.value();
    }
    check.file = inspect_file_security(path, where_.service_sids);
    if (!check.file.exists || check.file.sddl.empty())
      return check;  // absent or unreadable: nothing to judge
    check.differences = rdp_key_file_differences(check.file, where_.service_sids);
    check.matches_default = check.differences.empty();
    return check;
  }

 private:
  Result<std::wstring> machine_keys() const {
    if (!where_.machine_keys.empty()) return where_.machine_keys;
    return rsa_machine_keys_folder();
  }

  KeyAccessLocations where_;
};

}  // namespace

std::unique_ptr<KeyAccessInspector> make_key_access_inspector(KeyAccessLocations where) {
  return std::make_unique<WindowsKeyAccess>(std::move(where));
}

std::vector<std::string> rdp_key_file_differences(const FileState& file,
                                                  const std::vector<std::string>& service_sids) {
  // The groups of a LocalSystem token and of an ordinary interactive user, as far as a file ACL can name
  // them.
  static const std::vector<std::string> kSystem{"S-1-5-18", "S-1-5-32-544", "S-1-1-0", "S-1-5-11", "S-1-2-0"};
  static const std::vector<std::string> kOrdinaryUser{"S-1-1-0", "S-1-5-32-545", "S-1-5-11", "S-1-5-4",
                                                      "S-1-2-0", "S-1-2-1",      "S-1-5-15"};
  std::vector<std::string> out;
  if (file.is_link) out.push_back(kLinkDifference);
  auto sd = security::parse_sddl(file.sddl);
  if (!sd) {
    out.push_back("unreadable security descriptor: " + sd.error().message());
    return out;
  }
  auto service = security::check_access(sd.value(), service_sids, security::kFileGenericRead);
  if (!service.allowed) out.push_back("NETWORK SERVICE cannot read the key (" + service.reason + ")");
  auto system = security::check_access(sd.value(), kSystem, security::kFileAllAccess);
  if (!system.allowed) out.push_back("SYSTEM lacks full control (" + system.reason + ")");
  if (security::check_access(sd.value(), kOrdinaryUser, security::kFileGenericRead).allowed)
    out.push_back("ordinary users (Everyone, Users, Authenticated Users) can read the private key");
  return out;
}

}  // namespace rdpmend::inspect::windows
