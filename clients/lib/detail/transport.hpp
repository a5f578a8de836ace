// What the WebSocket connection and the HTTP request share below the protocol: a TCP connect
// that can start from a chosen local address, and a TLS client set-up that checks the
// server's certificate and name.
//
// Private to colead::client: it includes Beast and OpenSSL, which the library's public
// headers keep out of their users' builds. Free functions with no shared state.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>
#include <string>

namespace colead::client::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

// A TLS-over-TCP stream, as both the HTTP request and the WebSocket use it.
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

// A client TLS context that accepts TLS 1.2 and newer and trusts the certificate authorities
// in the PEM file `ca_file`, or the system's store when `ca_file` is empty. Returns null and
// sets `error` when the file cannot be read or holds no certificate.
std::shared_ptr<ssl::context> make_tls_context(const std::string& ca_file, std::string& error);

// Makes `stream` ask for `host` in its handshake (SNI, for names only: addresses are not sent
// there) and refuse a certificate that is not valid for `host` (a name or an IP address) or
// that does not chain to a trusted authority. Returns false and sets `error` if OpenSSL
// refuses the settings.
bool expect_server(tls_stream& stream, const std::string& host, std::string& error);

// Words for a failed TLS handshake: the certificate check's own reason when that is what
// failed (e.g. "self-signed certificate", "hostname mismatch"), else `ec`'s message.
std::string describe_tls_failure(tls_stream& stream, const beast::error_code& ec);

// The name to look up for `host`: "localhost" is always this machine's loopback, as browsers
// treat it, without asking the resolver (a minimal system may have no hosts entry for it).
// Certificate checks still use `host` itself.
inline std::string lookup_name(const std::string& host) {
  return beast::iequals(host, "localhost") ? std::string("127.0.0.1") : host;
}

// Connects `stream` to the first of `hosts` that answers (like tcp_stream::async_connect),
// or, when `local_address` is not empty, opens the socket bound to that address (any port)
// and connects it to the first of `hosts` of the same family. `handler(error_code)` runs
// exactly once, through the stream's executor. The stream's own deadline applies.
template <class Handler>
void async_connect_from(beast::tcp_stream& stream, const tcp::resolver::results_type& hosts,
                        const std::string& local_address, Handler handler) {
  if (local_address.empty()) {
    stream.async_connect(
        hosts, [handler = std::move(handler)](beast::error_code ec, const tcp::endpoint&) mutable {
          handler(ec);
        });
    return;
  }
  auto fail_soon = [&](beast::error_code ec) {
    asio::post(stream.get_executor(),
               [handler = std::move(handler), ec]() mutable { handler(ec); });
  };
  beast::error_code ec;
  auto local = asio::ip::make_address(local_address, ec);
  if (ec) return fail_soon(ec);
  for (const auto& entry : hosts) {
    auto remote = entry.endpoint();
    if (remote.address().is_v4() != local.is_v4()) continue;
    // A socket that is already bound must not be closed and reopened by a range connect,
    // so it connects to one endpoint.
    stream.socket().open(remote.protocol(), ec);
    if (!ec) stream.socket().bind(tcp::endpoint(local, 0), ec);
    if (ec) {
      beast::error_code ignored;
      stream.socket().close(ignored);
      return fail_soon(ec);
    }
    stream.async_connect(remote, std::move(handler));
    return;
  }
  fail_soon(asio::error::address_family_not_supported);
}

}  // namespace colead::client::detail
