#pragma once
// xrdp.ini as xrdp 0.9 reads it: [Globals] port (a number or tcp://ADDR:PORT), address, security_layer,
// certificate and key_file (empty: /etc/xrdp/cert.pem, key.pem; relative: under /etc/xrdp), ssl_protocols.

#include <string>

#include "common/result.h"
#include "inspect/host_state.h"

namespace rdpmend::inspect::linux_host {

Result<ListenerSettings> parse_xrdp_ini(const std::string& text, const std::string& config_dir);
ListenerSettings read_xrdp_ini(const std::string& path);

}  // namespace rdpmend::inspect::linux_host
