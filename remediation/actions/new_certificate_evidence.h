#pragma once
// Whether TermService logged that it made a new self-signed listener certificate: System event 1056 (the
// detection catalog's `rdp-cert-regenerated`) at or after `since`. The restart that follows a removed
// certificate is verified with it (reference: the documented regeneration procedure ends with event 1056).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "events/event.h"

namespace rdpmend::actions {

struct NewCertificateLogged {
  std::uint64_t record_id = 0;
  std::string sha1;  // the new certificate's thumbprint from the event's binary data, when it has one
};

std::optional<NewCertificateLogged> new_certificate_logged(const std::vector<events::Event>& system_events,
                                                           std::chrono::system_clock::time_point since);

}  // namespace rdpmend::actions
