#include "probe/probe.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <boost/asio.hpp>

#include "probe/openssl_util.h"
#include "probe/verdict.h"

namespace rdpmend::probe {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string hex(const std::uint8_t* data, std::size_t n) {
  std::string out;
  char buf[4];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%s%02x", i ? " " : "", data[i]);
    out += buf;
  }
  return out;
}

// Runs one asynchronous operation with a deadline: `start(handler)` begins it; when the deadline passes
// first, `cancel()` aborts it and the result is timed_out.
template <typename Start, typename Cancel>
error_code with_deadline(asio::io_context& io, std::chrono::milliseconds timeout, Start start, Cancel cancel,
                         std::size_t* transferred = nullptr) {
  std::optional<error_code> result;
  io.restart();
  start([&](const error_code& ec, std::size_t n) {
    result = ec;
    if (transferred) *transferred = n;
  });
  io.run_for(timeout);
  if (!result) {
    cancel();
    io.restart();
    io.run();
    return asio::error::timed_out;
  }
  return *result;
}

std::string connect_outcome(const error_code& ec) {
  if (ec == asio::error::connection_refused) return "refused";
  if (ec == asio::error::timed_out) return "timeout";
  if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable) return "unreachable";
  return "error";
}

bool is_reset(const error_code& ec) {
  return ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
         ec == asio::error::broken_pipe;
}

void resolve(asio::io_context& io, ProbeReport& r, std::vector<tcp::endpoint>& endpoints) {
  auto start = Clock::now();
  tcp::resolver resolver(io);
  tcp::resolver::results_type results;
  std::optional<error_code> result;
  io.restart();
  resolver.async_resolve(r.options.host, std::to_string(r.options.port),
                         [&](const error_code& ec, tcp::resolver::results_type res) {
                           result = ec;
                           results = std::move(res);
                         });
  io.run_for(r.options.connect_timeout);
  if (!result) {
    resolver.cancel();
    io.restart();
    io.run();
    result = asio::error::timed_out;
  }
  r.resolve.ms = ms_since(start);
  if (*result) {
    r.resolve.error = result->message();
    return;
  }
  for (const auto& entry : results) {
    endpoints.push_back(entry.endpoint());
    r.resolve.addresses.push_back(entry.endpoint().address().to_string());
  }
  r.resolve.ok = !endpoints.empty();
  if (!r.resolve.ok) r.resolve.error = "no address";
}

void connect(asio::io_context& io, ProbeReport& r, const std::vector<tcp::endpoint>& endpoints,
             tcp::socket& socket) {
  for (const auto& ep : endpoints) {
    auto start = Clock::now();
    error_code open_ec;
    if (socket.is_open()) socket.close(open_ec);
    auto ec = with_deadline(
        io, r.options.connect_timeout,
        [&](auto handler) {
          socket.async_connect(ep, [handler](const error_code& e) mutable { handler(e, 0); });
        },
        [&] { socket.close(open_ec); });
    ConnectAttempt attempt{ep.address().to_string() + ":" + std::to_string(ep.port()),
                           ec ? connect_outcome(ec) : "connected", ec ? ec.message() : "", ms_since(start)};
    r.connect.attempts.push_back(attempt);
    if (!ec) {
      r.connect.ok = true;
      r.connect.address = attempt.address;
      return;
    }
  }
}

void negotiate(asio::io_context& io, ProbeReport& r, tcp::socket& socket) {
  auto start = Clock::now();
  auto& n = r.negotiate;
  n.attempted = true;
  n.requested = r.options.requested_protocols;
  n.legacy_request = r.options.legacy;
  ConnectionRequest request{r.options.requested_protocols, !r.options.legacy, r.options.cookie};
  auto bytes = encode_connection_request(request);
  auto cancel = [&] {
    error_code ignored;
    socket.cancel(ignored);
  };
  auto ec = with_deadline(
      io, r.options.read_timeout,
      [&](auto handler) { asio::async_write(socket, asio::buffer(bytes), handler); }, cancel);
  if (ec) {
    n.outcome = is_reset(ec) ? "reset" : ec == asio::error::timed_out ? "timeout" : "error";
    n.detail = "sending the Connection Request: " + ec.message();
    n.ms = ms_since(start);
    return;
  }
  std::array<std::uint8_t, 512> reply{};
  std::size_t got = 0;
  ec = with_deadline(
      io, r.options.read_timeout,
      [&](auto handler) { asio::async_read(socket, asio::buffer(reply.data(), 4), handler); }, cancel, &got);
  if (ec) {
    n.reply_hex = hex(reply.data(), got);
    n.outcome = ec == asio::error::eof         ? "closed"
                : is_reset(ec)                 ? "reset"
                : ec == asio::error::timed_out ? "timeout"
                                               : "error";
    n.detail = ec == asio::error::eof
                   ? "the server closed the connection without answering the Connection Request"
                   : ec.message();
    n.ms = ms_since(start);
    return;
  }
  auto length = tpkt_length(std::span<const std::uint8_t>(reply.data(), 4));
  if (!length) {
    n.outcome = "not-tpkt";
    n.reply_hex = hex(reply.data(), 4);
    n.detail = "the reply is not a TPKT packet: " +
               classify_reply(std::span<const std::uint8_t>(reply.data(), 4)).description;
    n.ms = ms_since(start);
    return;
  }
  if (*length > reply.size()) {
    n.outcome = "malformed";
    n.detail = "TPKT length " + std::to_string(*length) + " is too large for a Connection Confirm";
    n.ms = ms_since(start);
    return;
  }
  ec = with_deadline(
      io, r.options.read_timeout,
      [&](auto handler) { asio::async_read(socket, asio::buffer(reply.data() + 4, *length - 4), handler); },
      cancel, &got);
  n.reply_hex = hex(reply.data(), 4 + got);
  n.ms = ms_since(start);
  if (ec) {
    n.outcome = ec == asio::error::eof         ? "closed"
                : is_reset(ec)                 ? "reset"
                : ec == asio::error::timed_out ? "timeout"
                                               : "error";
    n.detail = "reading the Connection Confirm: " + ec.message();
    return;
  }
  auto confirm = decode_connection_confirm(std::span<const std::uint8_t>(reply.data(), *length));
  if (auto* rsp = std::get_if<NegotiationResponse>(&confirm)) {
    n.outcome = "response";
    n.selected = rsp->selected_protocol;
    n.flags = rsp->flags;
  } else if (auto* failure = std::get_if<NegotiationFailure>(&confirm)) {
    n.outcome = "failure";
    n.failure_code = failure->code;
    n.detail = failure_code_name(failure->code);
  } else if (std::holds_alternative<LegacyConfirm>(confirm)) {
    n.outcome = "legacy";
    n.selected = kProtocolRdp;
  } else {
    n.outcome = "malformed";
    n.detail = std::get<Malformed>(confirm).reason;
  }
}

struct AlertSeen {
  std::optional<int> received;
};

void on_tls_info(const SSL* ssl, int where, int value) {
  if (where & SSL_CB_READ_ALERT) {
    auto* seen = static_cast<AlertSeen*>(SSL_get_app_data(ssl));
    if (seen && !seen->received) seen->received = value & 0xFF;
  }
}

void tls_handshake(asio::io_context& io, ProbeReport& r, tcp::socket& socket) {
  auto start = Clock::now();
  auto& t = r.tls;
  t.attempted = true;
  auto finish = [&](std::string outcome, std::string detail) {
    t.outcome = std::move(outcome);
    t.detail = std::move(detail);
    t.ms = ms_since(start);
  };

  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return finish("error", "creating the TLS context: " + openssl_error_text());
  // A diagnostic tool must see weak servers to describe them; it sends no secrets over this session.
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_info_callback(ctx.get(), on_tls_info);
  SslPtr ssl(SSL_new(ctx.get()));
  if (!ssl) return finish("error", "creating the TLS session: " + openssl_error_text());
  AlertSeen alerts;
  SSL_set_app_data(ssl.get(), &alerts);
  BIO* rbio = BIO_new(BIO_s_mem());
  BIO* wbio = BIO_new(BIO_s_mem());
  if (!rbio || !wbio) {
    BIO_free(rbio);
    BIO_free(wbio);
    return finish("error", "creating memory BIOs");
  }
  SSL_set_bio(ssl.get(), rbio, wbio);  // the session owns both from here
  boost::system::error_code parse_ec;
  auto address = asio::ip::make_address(r.options.host, parse_ec);
  if (parse_ec) SSL_set_tlsext_host_name(ssl.get(), r.options.host.c_str());
  (void)address;
  SSL_set_connect_state(ssl.get());

  auto deadline = Clock::now() + r.options.tls_timeout;
  std::vector<std::uint8_t> first_bytes;
  auto cancel = [&] {
    error_code ignored;
    socket.cancel(ignored);
  };
  for (;;) {
    int rc = SSL_do_handshake(ssl.get());
    // Send whatever OpenSSL produced.
    std::array<char, 16384> out{};
    while (BIO_ctrl_pending(wbio) > 0) {
      int n = BIO_read(wbio, out.data(), static_cast<int>(out.size()));
      if (n <= 0) break;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      auto ec = with_deadline(
          io, std::max(left, std::chrono::milliseconds(1)),
          [&](auto handler) {
            asio::async_write(socket, asio::buffer(out.data(), static_cast<std::size_t>(n)), handler);
          },
          cancel);
      if (ec)
        return finish(is_reset(ec)                   ? "reset"
                      : ec == asio::error::timed_out ? "timeout"
                                                     : "error",
                      "sending TLS data: " + ec.message());
    }
    if (rc == 1) break;
    int err = SSL_get_error(ssl.get(), rc);
    if (err != SSL_ERROR_WANT_READ) {
      t.alert = alerts.received;
      t.first_bytes_hex = hex(first_bytes.data(), first_bytes.size());
      auto reply = classify_reply(first_bytes);
      if (!first_bytes.empty() && reply.kind != ReplyKind::kTlsRecord)
        return finish("plaintext", reply.description);
      if (alerts.received)
        return finish("alert", std::string("the server sent TLS alert ") +
                                   SSL_alert_desc_string_long(*alerts.received) + " (" +
                                   std::to_string(*alerts.received) + ")");
      return finish("error", openssl_error_text());
    }
    std::array<std::uint8_t, 16384> in{};
    std::size_t got = 0;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return finish("timeout", "the TLS handshake did not finish in time");
    auto ec = with_deadline(
        io, left, [&](auto handler) { socket.async_read_some(asio::buffer(in), handler); }, cancel, &got);
    if (got > 0 && first_bytes.size() < 32)
      first_bytes.insert(first_bytes.end(), in.begin(),
                         in.begin() + static_cast<long>(std::min<std::size_t>(got, 32 - first_bytes.size())));
    if (ec && got == 0) {
      t.first_bytes_hex = hex(first_bytes.data(), first_bytes.size());
      if (!first_bytes.empty()) {
        auto reply = classify_reply(first_bytes);
        if (reply.kind != ReplyKind::kTlsRecord) return finish("plaintext", reply.description);
      }
      if (ec == asio::error::eof)
        return finish("eof", "the server closed the connection during the TLS handshake");
      if (is_reset(ec)) return finish("reset", "the server reset the connection during the TLS handshake");
      if (ec == asio::error::timed_out) return finish("timeout", "no TLS reply in time");
      return finish("error", ec.message());
    }
    BIO_write(rbio, in.data(), static_cast<int>(got));
  }
  t.ok = true;
  t.version = SSL_get_version(ssl.get());
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl.get())) t.cipher = SSL_CIPHER_get_name(cipher);
  if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get())) {
    for (int i = 0; i < sk_X509_num(chain); ++i) {
      X509* c = sk_X509_value(chain, i);
      int len = i2d_X509(c, nullptr);
      if (len <= 0) continue;
      std::vector<std::uint8_t> der(static_cast<std::size_t>(len));
      unsigned char* p = der.data();
      i2d_X509(c, &p);
      t.chain_der.push_back(std::move(der));
    }
  }
  t.first_bytes_hex = hex(first_bytes.data(), first_bytes.size());
  finish("ok", "");
}

bool tls_selected(const NegotiateStage& n) {
  return n.selected && (*n.selected & (kProtocolSsl | kProtocolHybrid | kProtocolHybridEx)) != 0;
}

}  // namespace

ProbeReport run_probe(const ProbeOptions& options) {
  auto start = Clock::now();
  ProbeReport r;
  r.options = options;
  asio::io_context io;
  std::vector<tcp::endpoint> endpoints;
  resolve(io, r, endpoints);
  if (r.resolve.ok) {
    tcp::socket socket(io);
    connect(io, r, endpoints, socket);
    if (r.connect.ok) {
      negotiate(io, r, socket);
      if (r.negotiate.outcome == "response" && tls_selected(r.negotiate)) {
        tls_handshake(io, r, socket);
        if (r.tls.ok && !r.tls.chain_der.empty()) {
          auto info = describe_certificate(r.tls.chain_der.front(), std::chrono::system_clock::now(),
                                           options.expiring_within_days);
          if (info)
            r.certificate = std::move(info).value();
          else
            r.certificate_error = info.error().message();
          if (!options.ca_file.empty()) {
            auto verified = verify_certificate_chain(r.tls.chain_der, options.ca_file);
            if (verified)
              r.verification = verified.value();
            else
              r.verification_error = verified.error().message();
          }
        }
      }
    }
    error_code ignored;
    socket.close(ignored);
  }
  decide_verdict(r);
  r.total_ms = ms_since(start);
  return r;
}

}  // namespace rdpmend::probe
