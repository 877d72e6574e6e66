#pragma once
// The probe's verdict: one stable id for where and why the connection died, the causes in plain words,
// and what to do next. A pure function of the stages, so every branch is tested without a network.

#include <string_view>

namespace rdpmend::probe {

struct ProbeReport;

enum class VerdictClass {
  kUsable,       // ok, nla-required
  kServerFault,  // the server answers but TLS, its certificate or negotiation is broken
  kUnreachable,  // name, network, filter or nothing listening
  kNotRdp,       // something else answers on the port
};

// Sets report.verdict, causes and next_steps.
void decide_verdict(ProbeReport& report);

VerdictClass verdict_class(std::string_view verdict);

}  // namespace rdpmend::probe
