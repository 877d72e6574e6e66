#pragma once
// xrdp.ini as xrdp 0.9 reads it: [Globals] port (a number or tcp://ADDR:PORT), address, security_layer,
// certificate and key_file (empty: /etc/xrdp/cert.pem, key.pem; relative: under /etc/xrdp), ssl_protocols.

#include <string>

#include "common/result.h"
#include "inspect/host_state.h"

namespace rdpmend::inspect::linux_host {

Result<ListenerSettings> parse_xrdp_ini(const std::string& text, const std::string& config_dir);
// The settings from xrdp.ini's text (read by the caller under the trust rule); a parse error becomes the
// settings' error.
ListenerSettings parse_xrdp_ini_text(const std::string& text, const std::string& origin);

}  // namespace rdpmend::inspect::linux_host
