#pragma once
// JSON renderings of events and detection results: the shapes `rdpmend scan --json` prints and the
// golden tests compare.

#include <nlohmann/json.hpp>

#include "events/detection.h"
#include "events/event.h"
#include "events/event_xml.h"

namespace rdpmend::events {

nlohmann::ordered_json event_to_json(const Event& event);
nlohmann::ordered_json evidence_to_json(const Evidence& evidence);
nlohmann::ordered_json symptom_to_json(const SymptomReport& report);
nlohmann::ordered_json timeline_entry_to_json(const TimelineEntry& entry);
nlohmann::ordered_json read_error_to_json(const ReadError& error);

}  // namespace rdpmend::events
