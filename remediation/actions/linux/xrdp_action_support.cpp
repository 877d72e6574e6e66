#include "actions/linux/xrdp_action_support.h"

#include <unistd.h>

#include "inspect/linux/posix_access.h"
#include "probe/openssl_util.h"

namespace rdpmend::actions {

Status need_root(std::string_view action) {
  if (geteuid() != 0) return Error{std::string(action), "", "changing the host needs root"};
  return Ok{};
}

Result<unsigned> primary_gid(const std::string& user) {
  auto account = inspect::linux_host::lookup_account(user);
  if (!account) return account.error();
  return account.value().gid;
}

bool parses_as(const std::string& pem, bool certificate) {
  return certificate ? probe::parse_pem_certificate(pem) != nullptr
                     : probe::parse_pem_private_key(pem) != nullptr;
}

}  // namespace rdpmend::actions
