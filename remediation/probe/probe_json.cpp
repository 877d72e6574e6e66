#include "probe/probe_json.h"

#include <cstdio>

namespace rdpmend::probe {
namespace {

using Json = nlohmann::ordered_json;

std::string iso(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto day_point = floor<days>(t);
  year_month_day date{day_point};
  hh_mm_ss time{floor<seconds>(t - day_point)};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return buf;
}

template <typename T>
Json optional_json(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

}  // namespace

Json certificate_to_json(const CertificateInfo& c) {
  Json j;
  j["subject"] = c.subject;
  j["issuer"] = c.issuer;
  j["subject_alt_names"] = c.subject_alt_names;
  j["serial"] = c.serial_hex;
  j["not_before"] = iso(c.not_before);
  j["not_after"] = iso(c.not_after);
  j["days_left"] = c.days_left;
  j["expired"] = c.expired;
  j["not_yet_valid"] = c.not_yet_valid;
  j["expiring"] = c.expiring;
  j["self_signed"] = c.self_signed;
  j["key_type"] = c.key_type;
  j["key_bits"] = c.key_bits;
  j["signature_algorithm"] = c.signature_algorithm;
  j["sha1"] = c.sha1;
  j["sha256"] = c.sha256;
  auto ekus = Json::array();
  for (const auto& e : c.extended_key_usages) ekus.push_back({{"oid", e.oid}, {"name", e.name}});
  j["extended_key_usages"] = c.has_eku_extension ? ekus : Json(nullptr);
  j["server_authentication"] = c.allows_server_auth();
  return j;
}

Json probe_to_json(const ProbeReport& r) {
  Json j;
  j["target"] = {{"host", r.options.host}, {"port", r.options.port}};
  j["resolve"] = {{"ok", r.resolve.ok},
                  {"addresses", r.resolve.addresses},
                  {"error", r.resolve.error},
                  {"ms", r.resolve.ms}};
  auto attempts = Json::array();
  for (const auto& a : r.connect.attempts)
    attempts.push_back({{"address", a.address}, {"outcome", a.outcome}, {"error", a.error}, {"ms", a.ms}});
  j["connect"] = {{"ok", r.connect.ok}, {"address", r.connect.address}, {"attempts", attempts}};
  const auto& n = r.negotiate;
  Json neg;
  neg["attempted"] = n.attempted;
  neg["outcome"] = n.outcome;
  neg["requested_protocols"] = n.legacy_request ? Json(nullptr) : Json(protocol_names(n.requested));
  neg["selected_protocol"] = n.selected ? Json(protocol_names(*n.selected)) : Json(nullptr);
  neg["flags"] = n.outcome == "response" ? Json(response_flag_names(n.flags)) : Json(nullptr);
  neg["failure_code"] = optional_json(n.failure_code);
  neg["failure"] = n.failure_code ? Json(failure_code_name(*n.failure_code)) : Json(nullptr);
  neg["detail"] = n.detail;
  neg["reply_hex"] = n.reply_hex;
  neg["ms"] = n.ms;
  j["negotiate"] = std::move(neg);
  const auto& t = r.tls;
  j["tls"] = {{"attempted", t.attempted},
              {"ok", t.ok},
              {"outcome", t.outcome},
              {"version", t.version},
              {"cipher", t.cipher},
              {"alert", optional_json(t.alert)},
              {"detail", t.detail},
              {"first_bytes_hex", t.first_bytes_hex},
              {"ms", t.ms}};
  j["certificate"] = r.certificate ? certificate_to_json(*r.certificate) : Json(nullptr);
  if (!r.certificate_error.empty()) j["certificate_error"] = r.certificate_error;
  if (r.verification)
    j["verification"] = {
        {"ok", r.verification->ok}, {"code", r.verification->code}, {"message", r.verification->message}};
  else if (!r.verification_error.empty())
    j["verification"] = {{"ok", false}, {"error", r.verification_error}};
  j["verdict"] = r.verdict;
  j["causes"] = r.causes;
  j["next_steps"] = r.next_steps;
  j["ms"] = r.total_ms;
  return j;
}

}  // namespace rdpmend::probe
