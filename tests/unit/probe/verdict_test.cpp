#include "probe/verdict.h"

#include <gtest/gtest.h>

#include "probe/probe.h"

namespace rdpmend::probe {
namespace {

ProbeReport connected() {
  ProbeReport r;
  r.options.host = "rdp.example";
  r.resolve.ok = true;
  r.connect.ok = true;
  r.negotiate.attempted = true;
  return r;
}

ProbeReport selected(std::uint32_t protocol) {
  auto r = connected();
  r.negotiate.outcome = "response";
  r.negotiate.selected = protocol;
  return r;
}

ProbeReport with_certificate(CertificateInfo c) {
  auto r = selected(kProtocolSsl);
  r.tls.attempted = r.tls.ok = true;
  r.tls.outcome = "ok";
  r.tls.version = "TLSv1.3";
  r.certificate = c;
  return r;
}

std::string verdict_of(ProbeReport r) {
  decide_verdict(r);
  EXPECT_FALSE(r.causes.empty());
  return r.verdict;
}

TEST(Verdict, ResolveFailure) {
  ProbeReport r;
  r.resolve.error = "Host not found";
  EXPECT_EQ(verdict_of(r), "resolve-failed");
}

TEST(Verdict, ConnectOutcomes) {
  for (auto [outcome, verdict] :
       {std::pair{"refused", "refused"}, std::pair{"timeout", "timeout"},
        std::pair{"unreachable", "unreachable"}, std::pair{"error", "connect-failed"}}) {
    ProbeReport r;
    r.resolve.ok = true;
    r.connect.attempts.push_back({"10.0.0.1:3389", outcome, "x", 1});
    EXPECT_EQ(verdict_of(r), verdict) << outcome;
  }
}

TEST(Verdict, RefusedWinsOverTimeoutAcrossAddresses) {
  ProbeReport r;
  r.resolve.ok = true;
  r.connect.attempts = {{"[::1]:3389", "timeout", "", 1}, {"127.0.0.1:3389", "refused", "", 1}};
  EXPECT_EQ(verdict_of(r), "refused");
}

TEST(Verdict, ServerClosingDuringNegotiationIs0x904) {
  auto r = connected();
  r.negotiate.outcome = "closed";
  decide_verdict(r);
  EXPECT_EQ(r.verdict, "closed-during-negotiation");
  EXPECT_NE(r.causes[0].find("0x904"), std::string::npos);
}

TEST(Verdict, NotRdpAndSilence) {
  auto r = connected();
  r.negotiate.outcome = "not-tpkt";
  EXPECT_EQ(verdict_of(r), "not-rdp");
  r.negotiate.outcome = "timeout";
  EXPECT_EQ(verdict_of(r), "negotiation-timeout");
}

TEST(Verdict, FailureCodes) {
  for (auto [code, verdict] :
       {std::pair{1u, "tls-required"}, std::pair{2u, "tls-not-allowed"}, std::pair{3u, "tls-unavailable"},
        std::pair{5u, "nla-required"}, std::pair{6u, "negotiation-failed"}}) {
    auto r = connected();
    r.negotiate.outcome = "failure";
    r.negotiate.failure_code = code;
    EXPECT_EQ(verdict_of(r), verdict) << code;
  }
}

TEST(Verdict, SilentDowngradeWhenTlsWasRequested) {
  auto r = selected(kProtocolRdp);
  decide_verdict(r);
  EXPECT_EQ(r.verdict, "tls-downgraded");
  EXPECT_NE(r.causes[0].find("silent downgrade"), std::string::npos);
}

TEST(Verdict, StandardRdpIsFineWhenThatWasRequested) {
  auto r = selected(kProtocolRdp);
  r.options.requested_protocols = kProtocolRdp;
  EXPECT_EQ(verdict_of(r), "ok");
}

TEST(Verdict, LegacyConfirmToANegotiatingClientIsADowngrade) {
  auto r = connected();
  r.negotiate.outcome = "legacy";
  r.negotiate.selected = kProtocolRdp;
  EXPECT_EQ(verdict_of(r), "tls-downgraded");
}

TEST(Verdict, TlsFailures) {
  auto r = selected(kProtocolSsl);
  r.tls.attempted = true;
  r.tls.outcome = "plaintext";
  EXPECT_EQ(verdict_of(r), "tls-plaintext-reply");
  r.tls.outcome = "eof";
  decide_verdict(r);
  EXPECT_EQ(r.verdict, "tls-failed");
  EXPECT_NE(r.causes[0].find("0x904"), std::string::npos);
  r.tls.outcome = "alert";
  EXPECT_EQ(verdict_of(r), "tls-failed");
}

TEST(Verdict, CertificateStates) {
  CertificateInfo c;
  c.subject = "CN=x";
  c.days_left = 100;
  EXPECT_EQ(verdict_of(with_certificate(c)), "ok");
  auto expired = c;
  expired.expired = true;
  expired.days_left = -12;
  auto r = with_certificate(expired);
  decide_verdict(r);
  EXPECT_EQ(r.verdict, "cert-expired");
  EXPECT_NE(r.causes[0].find("expired 12 days ago"), std::string::npos) << r.causes[0];
  auto future = c;
  future.not_yet_valid = true;
  EXPECT_EQ(verdict_of(with_certificate(future)), "cert-not-yet-valid");
  auto soon = c;
  soon.expiring = true;
  soon.days_left = 5;
  EXPECT_EQ(verdict_of(with_certificate(soon)), "cert-expiring");
  auto client_only = c;
  client_only.has_eku_extension = true;
  client_only.extended_key_usages = {{"1.3.6.1.5.5.7.3.2", "TLS Web Client Authentication"}};
  EXPECT_EQ(verdict_of(with_certificate(client_only)), "cert-wrong-usage");
  auto untrusted = with_certificate(c);
  untrusted.verification = VerifyResult{false, 18, "self-signed certificate"};
  EXPECT_EQ(verdict_of(untrusted), "cert-untrusted");
}

TEST(Verdict, ClassesDriveExitCodes) {
  EXPECT_EQ(verdict_class("ok"), VerdictClass::kUsable);
  EXPECT_EQ(verdict_class("nla-required"), VerdictClass::kUsable);
  EXPECT_EQ(verdict_class("refused"), VerdictClass::kUnreachable);
  EXPECT_EQ(verdict_class("timeout"), VerdictClass::kUnreachable);
  EXPECT_EQ(verdict_class("not-rdp"), VerdictClass::kNotRdp);
  EXPECT_EQ(verdict_class("tls-downgraded"), VerdictClass::kServerFault);
  EXPECT_EQ(verdict_class("cert-expired"), VerdictClass::kServerFault);
}

}  // namespace
}  // namespace rdpmend::probe
