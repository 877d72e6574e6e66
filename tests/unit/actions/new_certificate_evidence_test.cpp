// Event 1056 (a new self-signed listener certificate) as the restart's verification evidence, on a real
// record.

#include "actions/new_certificate_evidence.h"

#include <gtest/gtest.h>

#include "events/event_xml.h"

namespace rdpmend::actions {
namespace {

std::vector<events::Event> read(const std::string& name) {
  std::vector<events::Event> out;
  events::read_event_xml_file(
      std::string(RDPMEND_TEST_DATA) + "/event-xml/" + name,
      [&](events::Event&& e) { out.push_back(std::move(e)); }, [](events::ReadError&&) {});
  return out;
}

TEST(NewCertificateEvidence, FindsTermService1056AfterTheRestartWithItsThumbprint) {
  auto events = read("rcm-1056-system-raw.xml");
  ASSERT_EQ(events.size(), 1u);
  const auto logged_at = *events[0].time_created;
  auto before =
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(logged_at) - std::chrono::minutes(1);
  auto found = new_certificate_logged(events, before);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->record_id, 201u);
  EXPECT_EQ(found->sha1, "59EFF2E3B509C83137E81085E02A1AC63A7E61AA");
  // Logged before the restart: not evidence of this regeneration.
  EXPECT_FALSE(new_certificate_logged(events, before + std::chrono::minutes(2)));
  // Other events are not evidence.
  EXPECT_FALSE(
      new_certificate_logged(read("rcm-1149-win10-19044.xml"), before - std::chrono::hours(24 * 365 * 10)));
}

}  // namespace
}  // namespace rdpmend::actions
