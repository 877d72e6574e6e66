#include "actions/new_certificate_evidence.h"

#include "catalog/catalog_ids.h"
#include "events/catalog.h"

namespace rdpmend::actions {

std::optional<NewCertificateLogged> new_certificate_logged(const std::vector<events::Event>& system_events,
                                                           std::chrono::system_clock::time_point since) {
  std::optional<NewCertificateLogged> found;
  for (const auto& e : system_events) {
    const auto* symptom = events::classify(events::default_catalog(), e);
    if (!symptom || symptom->id != ids::symptom::kRdpCertRegenerated) continue;
    if (!e.time_created || e.time_created->time_since_epoch() < since.time_since_epoch()) continue;
    auto sha1 = events::field_value(e, "@binary_hex");
    found = NewCertificateLogged{e.record_id, sha1.value_or("")};  // the latest wins
  }
  return found;
}

}  // namespace rdpmend::actions
