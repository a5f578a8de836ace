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
               std::shared_ptr<void> tls_context, bool redirect_only = false);
  ~http_session();

  void run();

 private:
  void on_handshake(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void upgrade(http::request<http::string_body> req);
  void send(http::response<http::string_body> res);
  void on_write(bool close, beast::error_code ec, std::size_t bytes);
  void do_shutdown();

  Stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<server_state> state_;
  connection_info info_;
  std::shared_ptr<void> tls_context_;
  const bool redirect_only_;
  std::optional<http::request_parser<http::string_body>> parser_;  // the request being read
  std::shared_ptr<http::response<http::string_body>> response_;    // the response being sent
  bool counted_ = true;  // whether this connection is in the tcp_connections gauge
};

// Starts serving one accepted connection: TLS when the server has a TLS context (and this is
// not the redirect listener), plain otherwise.
void start_http_session(tcp::socket&& socket, const std::shared_ptr<server_state>& state,
                        bool redirect_only);

}  // namespace colead::net
