// One HTTP connection: reads requests, answers them through handle_http, and hands a
// WebSocket upgrade at /ws/<room_id> to a websocket_session after checking its subprotocol
// and Origin.
//
// Thread safety: runs on its own strand; no public member but run().
#pragma once

#include <memory>
#include <optional>

#include "net/beast.hpp"
#include "net/server_state.hpp"

namespace colead::net {

class http_session : public std::enable_shared_from_this<http_session> {
 public:
  http_session(tcp::socket&& socket, std::shared_ptr<server_state> state);
  ~http_session();

  void run();

 private:
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void upgrade(http::request<http::string_body> req);
  void send(http::response<http::string_body> res);
  void on_write(bool close, beast::error_code ec, std::size_t bytes);
  void do_shutdown();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<server_state> state_;
  std::optional<http::request_parser<http::string_body>> parser_;  // the request being read
  std::shared_ptr<http::response<http::string_body>> response_;    // the response being sent
  bool counted_ = true;  // whether this connection is in the tcp_connections gauge
};

}  // namespace colead::net
