#pragma once
// Port: the certificate the listener uses and its private key: which one, expiry, whether the key
// exists, whether the RDP service's account can read it, whether they match. Reads state, never changes it.
// windows/: SSLCertificateSHA1Hash, else the self-signed one in LocalMachine\Remote Desktop (crypt32),
// the key container (CERT_KEY_PROV_INFO_PROP_ID) and its file under MachineKeys. linux/: xrdp.ini's files.

#include <chrono>

#include "inspect/host_state.h"

namespace rdpmend::inspect {

class CertificateInspector {
 public:
  virtual ~CertificateInspector() = default;
  virtual ListenerCertificate inspect(const ListenerSettings& listener,
                                      std::chrono::system_clock::time_point now,
                                      int expiring_within_days) = 0;
};

}  // namespace rdpmend::inspect
