// One HTTP connection, plain or TLS: reads requests, answers them through handle_http, and
// hands a WebSocket upgrade at /ws/<room_id> to a websocket_session after checking its
// subprotocol and Origin. A session made for the HTTP-to-HTTPS redirect answers every
// request with a redirect instead.
//
// `Stream` is beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>; both are
// instantiated in http_session.cpp, one implementation for both (as Beast's server-flex).
//
// Thread safety: runs on its own strand; no public member but run().
#pragma once

#include <memory>
#include <optional>

#include "net/beast.hpp"
#include "net/server_state.hpp"

namespace colead::net {

using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

template <class Stream>
class http_session : public std::enable_shared_from_this<http_session<Stream>> {
 public:
  // `tls_context` keeps the TLS context of a TLS stream alive (null for plain streams).
  http_session(Stream&& stream, std::shared_ptr<server_state> state, connection_info info,
               std::shared_ptr<void> tls_context, bool redirect_only, address_lease lease);
  ~http_session();

  void run();
  // The address the connection arrived at (a Host naming it is always allowed).
  void set_local_address(std::string address) { local_address_ = std::move(address); }

 private:
  void on_handshake(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void upgrade(http::request<http::string_body> req);
  // A facilitator's WebSocket to /ws/cohort/<cohort_id>.
  void upgrade_cohort(http::request<http::string_body> req, std::string cohort_id);
  void send(http::response<http::string_body> res);
  void on_write(bool close, beast::error_code ec, std::size_t bytes);
  void do_shutdown();
  void linger();
  bool admit_client(const http::request<http::string_body>& req);

  Stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<server_state> state_;
  connection_info info_;
  std::shared_ptr<void> tls_context_;
  const bool redirect_only_;
  std::optional<http::request_parser<http::string_body>> parser_;  // the request being read
  std::shared_ptr<http::response<http::string_body>> response_;    // the response being sent
  bool counted_ = true;        // whether this connection is in the tcp_connections gauge
  address_lease lease_;        // this connection's place in its client address's count
  std::string local_address_;  // where the connection arrived
  std::chrono::steady_clock::time_point deadline_;  // for the TLS handshake and request now read
  bool first_request_ = true;                       // no request read yet
};

// Starts serving one accepted connection: TLS when the server has a TLS context (and this is
// not the redirect listener), plain otherwise. `lease` is the connection's place in its
// address's count (empty for a trusted proxy's connection: the session counts the client
// named by the request instead).
void start_http_session(tcp::socket&& socket, const std::shared_ptr<server_state>& state,
                        bool redirect_only, address_lease lease);

// Answers a connection refused at accept with `status` (429, 503), Retry-After and `text`,
// then closes it; bounded in time (2 s) and in number (a few at once, the rest and every
// TLS connection are closed without an answer, since a TLS handshake would cost more than
// the refusal is worth).
void refuse_connection(tcp::socket&& socket, const std::shared_ptr<server_state>& state,
                       http::status status, std::chrono::seconds retry_after, std::string text,
                       bool tls);

}  // namespace colead::net
