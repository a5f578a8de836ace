// Accepts TCP connections and starts an http_session for each, each on its own strand (TLS
// when the server has a certificate). Connections beyond --max-connections are closed at
// once. A redirect listener answers every request with a redirect to HTTPS.
//
// Thread safety: `stop` may be called from any thread.
#pragma once

#include <memory>

#include "net/beast.hpp"
#include "net/server_state.hpp"

namespace colead::net {

class listener : public std::enable_shared_from_this<listener> {
 public:
  // Binds `endpoint`; throws std::runtime_error naming the address when it cannot.
  listener(asio::io_context& ioc, tcp::endpoint endpoint, std::shared_ptr<server_state> state,
           bool redirect_only = false);

  void run();
  void stop();
  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);

  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  std::shared_ptr<server_state> state_;
  const bool redirect_only_;
};

}  // namespace colead::net
