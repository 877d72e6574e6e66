#pragma once
// `rdpmend probe --json`: one object with the stages (resolve, connect, negotiate, tls, certificate),
// the verdict and its causes.

#include <nlohmann/json.hpp>

#include "probe/probe.h"

namespace rdpmend::probe {

nlohmann::ordered_json probe_to_json(const ProbeReport& report);
nlohmann::ordered_json certificate_to_json(const CertificateInfo& certificate);

}  // namespace rdpmend::probe
