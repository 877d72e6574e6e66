// libFuzzer target: arbitrary bytes as a server's reply to the probe (Connection Confirm, what comes
// where TLS was expected, a certificate). The decoders must never crash or read out of bounds.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "probe/certificate_info.h"
#include "probe/rdp_negotiation.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rdpmend::probe;
  std::span<const std::uint8_t> bytes(data, size);
  auto confirm = decode_connection_confirm(bytes);
  if (auto* rsp = std::get_if<NegotiationResponse>(&confirm)) {
    (void)protocol_names(rsp->selected_protocol);
    (void)response_flag_names(rsp->flags);
  } else if (auto* failure = std::get_if<NegotiationFailure>(&confirm)) {
    (void)failure_code_name(failure->code);
  }
  (void)tpkt_length(bytes);
  (void)classify_reply(bytes);
  (void)describe_certificate(bytes, std::chrono::system_clock::now(), 14);
  return 0;
}
