#include "probe/verdict.h"

#include <cstdio>

#include "probe/probe.h"

namespace rdpmend::probe {
namespace {

struct VerdictInfo {
  std::string_view id;
  VerdictClass cls;
};

// Every verdict id the probe can give: the contract with scripts, the engine and the docs.
constexpr VerdictInfo kVerdicts[] = {
    {"ok", VerdictClass::kUsable},
    {"nla-required", VerdictClass::kUsable},
    {"resolve-failed", VerdictClass::kUnreachable},
    {"refused", VerdictClass::kUnreachable},
    {"timeout", VerdictClass::kUnreachable},
    {"unreachable", VerdictClass::kUnreachable},
    {"connect-failed", VerdictClass::kUnreachable},
    {"negotiation-timeout", VerdictClass::kUnreachable},
    {"not-rdp", VerdictClass::kNotRdp},
    {"closed-during-negotiation", VerdictClass::kServerFault},
    {"negotiation-failed", VerdictClass::kServerFault},
    {"tls-required", VerdictClass::kServerFault},
    {"tls-not-allowed", VerdictClass::kServerFault},
    {"tls-unavailable", VerdictClass::kServerFault},
    {"tls-downgraded", VerdictClass::kServerFault},
    {"tls-plaintext-reply", VerdictClass::kServerFault},
    {"tls-failed", VerdictClass::kServerFault},
    {"cert-expired", VerdictClass::kServerFault},
    {"cert-not-yet-valid", VerdictClass::kServerFault},
    {"cert-untrusted", VerdictClass::kServerFault},
    {"cert-wrong-usage", VerdictClass::kServerFault},
    {"cert-expiring", VerdictClass::kServerFault},
};

std::string ms_text(std::chrono::milliseconds ms) {
  return std::to_string(ms.count()) + " ms";
}

void set(ProbeReport& r, std::string_view verdict, std::string cause, std::string next) {
  r.verdict = std::string(verdict);
  r.causes.push_back(std::move(cause));
  if (!next.empty()) r.next_steps.push_back(std::move(next));
}

bool requested_tls(const ProbeReport& r) {
  return !r.options.legacy &&
         (r.options.requested_protocols & (kProtocolSsl | kProtocolHybrid | kProtocolHybridEx)) != 0;
}

void decide_connect_failure(ProbeReport& r) {
  bool refused = false, timeout = false, unreachable = false;
  std::string last_error;
  for (const auto& a : r.connect.attempts) {
    refused |= a.outcome == "refused";
    timeout |= a.outcome == "timeout";
    unreachable |= a.outcome == "unreachable";
    last_error = a.error;
  }
  const std::string port = std::to_string(r.options.port);
  if (refused)
    set(r, "refused",
        "the host refused the TCP connection on port " + port +
            ": nothing listens there (Remote Desktop Services or xrdp stopped, the listener disabled, "
            "another "
            "port configured) or a firewall rejects it; a client reports 0x204",
        "check that TermService (xrdp) runs and listens on port " + port +
            " (PortNumber), and the Remote Desktop firewall rules");
  else if (timeout)
    set(r, "timeout",
        "no answer to the TCP connection request within " + ms_text(r.options.connect_timeout) +
            ": a firewall drops it (port filtered) or the host is down",
        "check the firewall rules for port " + port +
            " (RemoteDesktop-UserMode-In-TCP on Windows) and network filters");
  else if (unreachable)
    set(r, "unreachable", "the network reports the host unreachable (" + last_error + ")",
        "check routing and firewalls that reject with ICMP");
  else
    set(r, "connect-failed", "the TCP connection failed: " + last_error, "");
}

void decide_failure_code(ProbeReport& r, std::uint32_t code) {
  switch (code) {
    case 1:
      set(r, "tls-required",
          "the server requires TLS (security layer SSL/TLS) but the request did not offer it: " +
              failure_code_name(code),
          "probe with --protocols ssl or ssl+hybrid");
      return;
    case 2:
      set(r, "tls-not-allowed",
          "the server allows only Standard RDP Security, not TLS: " + failure_code_name(code),
          "set the security layer to Negotiate or TLS (SecurityLayer / security_layer); Standard RDP "
          "Security is weak");
      return;
    case 3:
      set(r, "tls-unavailable",
          "the server requires TLS but has no usable certificate or private key: SSL_CERT_NOT_ON_SERVER",
          "check the listener certificate and that the RDP service can read its private key (rdpmend "
          "diagnose)");
      return;
    case 5:
      set(r, "nla-required",
          "the server requires Network Level Authentication (CredSSP): HYBRID_REQUIRED_BY_SERVER",
          "clients must support NLA; probe with --protocols ssl+hybrid to test the TLS layer under it");
      return;
    default:
      set(r, "negotiation-failed", "the server refused the negotiation: " + failure_code_name(code), "");
  }
}

void decide_certificate(ProbeReport& r) {
  const auto& c = *r.certificate;
  char days[64];
  if (c.expired) {
    std::snprintf(days, sizeof days, "%lld day%s ago", static_cast<long long>(-c.days_left),
                  c.days_left == -1 ? "" : "s");
    set(r, "cert-expired",
        "the certificate expired " + std::string(c.days_left == 0 ? "today" : days) + " (" + c.subject + ")",
        "regenerate or renew the listener certificate");
  } else if (c.not_yet_valid) {
    set(r, "cert-not-yet-valid", "the certificate is not valid yet (" + c.subject + "); check the clocks",
        "check the server's and the client's time");
  } else if (r.verification && !r.verification->ok) {
    set(r, "cert-untrusted",
        "the certificate does not verify against the given CAs: " + r.verification->message + " (" +
            std::to_string(r.verification->code) + ")",
        "install a certificate issued by a trusted CA, or trust the issuer on the clients");
  } else if (!c.allows_server_auth()) {
    set(r, "cert-wrong-usage",
        "the certificate's extended key usage allows neither Server Authentication nor Remote Desktop "
        "Authentication",
        "use a certificate with the Server Authentication usage");
  } else if (c.expiring) {
    std::snprintf(days, sizeof days, "%lld day%s", static_cast<long long>(c.days_left),
                  c.days_left == 1 ? "" : "s");
    set(r, "cert-expiring", "the certificate expires in " + std::string(days) + " (" + c.subject + ")",
        "renew the listener certificate before it expires");
  } else {
    std::snprintf(days, sizeof days, "%lld days", static_cast<long long>(c.days_left));
    set(r, "ok", "TLS " + r.tls.version + " works; the certificate is valid for " + std::string(days), "");
  }
  if (r.negotiate.selected && (*r.negotiate.selected & (kProtocolHybrid | kProtocolHybridEx)))
    r.causes.push_back("the server selected CredSSP (NLA): clients authenticate before a session starts");
}

}  // namespace

VerdictClass verdict_class(std::string_view verdict) {
  for (const auto& v : kVerdicts)
    if (v.id == verdict) return v.cls;
  return VerdictClass::kServerFault;
}

void decide_verdict(ProbeReport& r) {
  r.causes.clear();
  r.next_steps.clear();
  if (!r.resolve.ok) {
    set(r, "resolve-failed", "the name '" + r.options.host + "' could not be resolved: " + r.resolve.error,
        "check the name and DNS");
    return;
  }
  if (!r.connect.ok) return decide_connect_failure(r);

  const auto& n = r.negotiate;
  if (n.outcome == "closed" || n.outcome == "reset") {
    set(r, "closed-during-negotiation",
        std::string("the server ") + (n.outcome == "reset" ? "reset" : "closed") +
            " the connection during X.224 negotiation: what mstsc reports as 0x904 (socket closed)",
        "look at the host's certificate, private key and security layer events (rdpmend scan, rdpmend "
        "diagnose)");
    return;
  }
  if (n.outcome == "timeout") {
    set(r, "negotiation-timeout",
        "connected, but no X.224 reply within " + ms_text(r.options.read_timeout) +
            ": the service hangs or a filter drops the data packets",
        "check the RDP service's health and filters between client and host");
    return;
  }
  if (n.outcome == "not-tpkt" || n.outcome == "malformed" || n.outcome == "error") {
    set(r, "not-rdp", "the answer on this port is not RDP: " + n.detail, "check the port number");
    return;
  }
  if (n.outcome == "failure") return decide_failure_code(r, *n.failure_code);

  bool tls_in_use = n.selected && (*n.selected & (kProtocolSsl | kProtocolHybrid | kProtocolHybridEx));
  if (!tls_in_use) {
    if (requested_tls(r)) {
      set(r, "tls-downgraded",
          std::string(n.outcome == "legacy" ? "the server answered without negotiation"
                                            : "the server selected Standard RDP Security") +
              " although TLS was requested: its certificate or key is unusable (silent downgrade)",
          "check the listener certificate and that the RDP service can read its private key (rdpmend "
          "diagnose)");
    } else {
      set(r, "ok", "Standard RDP Security, as requested", "");
    }
    return;
  }
  const auto& t = r.tls;
  if (!t.ok) {
    if (t.outcome == "plaintext") {
      set(r, "tls-plaintext-reply",
          "the server answered the TLS handshake in plaintext (" + t.detail +
              "): it cannot load its certificate or private key, or they do not match",
          "regenerate the listener certificate and key as a matching pair");
    } else if (t.outcome == "eof" || t.outcome == "reset") {
      set(r, "tls-failed",
          "the connection was closed during TLS setup: what mstsc reports as 0x904 (" + t.detail + ")",
          "look for Schannel 36870 / xrdp TLS errors: the service may not reach its private key");
    } else {
      set(r, "tls-failed", "the TLS handshake failed: " + t.detail,
          "check the server's TLS settings (protocols, ciphers)");
    }
    return;
  }
  if (!r.certificate) {
    set(r, "tls-failed", "TLS worked but the certificate could not be read: " + r.certificate_error, "");
    return;
  }
  decide_certificate(r);
}

}  // namespace rdpmend::probe
