#include "probe/rdp_negotiation.h"

#include <gtest/gtest.h>

namespace rdpmend::probe {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Wire bytes recorded against xrdp 0.9.21 (shared/reference/xrdp-lab.md section 2).
const Bytes kRequestSslHybrid = {0x03, 0x00, 0x00, 0x13, 0x0e, 0xe0, 0x00, 0x00, 0x00, 0x00,
                                 0x00, 0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00};
const Bytes kConfirmSsl = {0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34,
                           0x00, 0x02, 0x01, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00};
const Bytes kConfirmRdp = {0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34,
                           0x00, 0x02, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00};
const Bytes kFailureCertNotOnServer = {0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34,
                                       0x00, 0x03, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00};
const Bytes kLegacyRequest = {0x03, 0x00, 0x00, 0x0b, 0x06, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00};
const Bytes kLegacyConfirm = {0x03, 0x00, 0x00, 0x0b, 0x06, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00};
const Bytes kMismatchPlaintext = {0x03, 0x00, 0x00, 0x09, 0x02, 0xf0, 0x80, 0x21, 0x80};

TEST(RdpNegotiation, EncodesConnectionRequestExactlyAsRecorded) {
  EXPECT_EQ(encode_connection_request({kProtocolSsl | kProtocolHybrid, true, ""}), kRequestSslHybrid);
}

TEST(RdpNegotiation, EncodesLegacyRequestWithoutNegotiation) {
  EXPECT_EQ(encode_connection_request({0, false, ""}), kLegacyRequest);
}

TEST(RdpNegotiation, EncodesCookieBeforeNegotiation) {
  auto bytes = encode_connection_request({kProtocolSsl, true, "test"});
  ASSERT_EQ(bytes.size(), 0x2au);  // as recorded: 03 00 00 2a 25 e0 ...
  EXPECT_EQ(bytes[3], 0x2a);
  EXPECT_EQ(bytes[4], 0x25);
  std::string text(bytes.begin() + 11, bytes.begin() + 11 + 23);
  EXPECT_EQ(text, "Cookie: mstshash=test\r\n");
  EXPECT_EQ(bytes[34], 0x01);  // RDP_NEG_REQ type follows the cookie line
}

TEST(RdpNegotiation, DecodesSelectedSslWithFlags) {
  auto c = decode_connection_confirm(kConfirmSsl);
  auto* rsp = std::get_if<NegotiationResponse>(&c);
  ASSERT_NE(rsp, nullptr);
  EXPECT_EQ(rsp->selected_protocol, kProtocolSsl);
  EXPECT_EQ(response_flag_names(rsp->flags), "EXTENDED_CLIENT_DATA_SUPPORTED");
}

TEST(RdpNegotiation, DecodesDowngradeToStandardRdp) {
  auto c = decode_connection_confirm(kConfirmRdp);
  ASSERT_TRUE(std::holds_alternative<NegotiationResponse>(c));
  EXPECT_EQ(std::get<NegotiationResponse>(c).selected_protocol, kProtocolRdp);
}

TEST(RdpNegotiation, DecodesFailureCodeByName) {
  auto c = decode_connection_confirm(kFailureCertNotOnServer);
  ASSERT_TRUE(std::holds_alternative<NegotiationFailure>(c));
  EXPECT_EQ(failure_code_name(std::get<NegotiationFailure>(c).code), "SSL_CERT_NOT_ON_SERVER");
}

TEST(RdpNegotiation, NamesEveryFailureCode) {
  EXPECT_EQ(failure_code_name(1), "SSL_REQUIRED_BY_SERVER");
  EXPECT_EQ(failure_code_name(2), "SSL_NOT_ALLOWED_BY_SERVER");
  EXPECT_EQ(failure_code_name(4), "INCONSISTENT_FLAGS");
  EXPECT_EQ(failure_code_name(5), "HYBRID_REQUIRED_BY_SERVER");
  EXPECT_EQ(failure_code_name(6), "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER");
  EXPECT_EQ(failure_code_name(77), "UNKNOWN_FAILURE_CODE_77");
}

TEST(RdpNegotiation, DecodesLegacyConfirm) {
  EXPECT_TRUE(std::holds_alternative<LegacyConfirm>(decode_connection_confirm(kLegacyConfirm)));
}

TEST(RdpNegotiation, RejectsMalformedConfirms) {
  auto malformed = [](Bytes b) { return std::holds_alternative<Malformed>(decode_connection_confirm(b)); };
  EXPECT_TRUE(malformed({}));
  EXPECT_TRUE(malformed({'H', 'T', 'T', 'P', '/', '1', '.', '1'}));
  Bytes wrong_length = kConfirmSsl;
  wrong_length[3] = 0x14;
  EXPECT_TRUE(malformed(wrong_length));
  Bytes wrong_li = kConfirmSsl;
  wrong_li[4] = 0x0d;
  EXPECT_TRUE(malformed(wrong_li));
  Bytes not_cc = kConfirmSsl;
  not_cc[5] = 0xe0;
  EXPECT_TRUE(malformed(not_cc));
  Bytes bad_type = kConfirmSsl;
  bad_type[11] = 0x07;
  EXPECT_TRUE(malformed(bad_type));
  Bytes bad_neg_len = kConfirmSsl;
  bad_neg_len[13] = 0x09;
  EXPECT_TRUE(malformed(bad_neg_len));
}

TEST(RdpNegotiation, TpktLengthRejectsNonTpkt) {
  EXPECT_EQ(tpkt_length(kConfirmSsl), 19u);
  EXPECT_FALSE(tpkt_length(Bytes{0x16, 0x03, 0x01, 0x00}));
  EXPECT_FALSE(tpkt_length(Bytes{0x03, 0x00, 0x00, 0x02}));
  EXPECT_FALSE(tpkt_length(Bytes{0x03, 0x00}));
}

TEST(RdpNegotiation, ClassifiesXrdpPlaintextDisconnect) {
  auto c = classify_reply(kMismatchPlaintext);
  EXPECT_EQ(c.kind, ReplyKind::kMcsDisconnectUltimatum);
  EXPECT_NE(c.description.find("reason 3"), std::string::npos) << c.description;
}

TEST(RdpNegotiation, ClassifiesTlsRecordsAndAlerts) {
  EXPECT_EQ(classify_reply(Bytes{0x16, 0x03, 0x03, 0x00, 0x7a}).kind, ReplyKind::kTlsRecord);
  auto alert = classify_reply(Bytes{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28});
  EXPECT_EQ(alert.kind, ReplyKind::kTlsRecord);
  EXPECT_NE(alert.description.find("description 40"), std::string::npos);
  EXPECT_EQ(classify_reply(Bytes{'H', 'T', 'T', 'P'}).kind, ReplyKind::kOther);
}

TEST(RdpNegotiation, ParsesProtocolLists) {
  EXPECT_EQ(parse_protocols("ssl+hybrid"), kProtocolSsl | kProtocolHybrid);
  EXPECT_EQ(parse_protocols("rdp"), kProtocolRdp);
  EXPECT_EQ(parse_protocols("0xB"), 0xBu);
  EXPECT_EQ(parse_protocols("hybrid_ex"), kProtocolHybridEx);
  EXPECT_FALSE(parse_protocols("ssl+bogus"));
  EXPECT_FALSE(parse_protocols(""));
  EXPECT_FALSE(parse_protocols("12abc"));
  EXPECT_EQ(protocol_names(0xB), "SSL|HYBRID|HYBRID_EX");
  EXPECT_EQ(protocol_names(0), "RDP");
}

}  // namespace
}  // namespace rdpmend::probe
