// Accepts TCP connections and starts an http_session for each, each on its own strand (TLS
// when the server has a certificate). A redirect listener answers every request with a
// redirect to HTTPS.
//
// Refusals cost little and never spin: beyond the server's connection limit (--max-connections,
// lowered at start to fit the descriptor limit) a connection gets "503" and is closed; beyond
// its address's limits (net/address_limits.hpp) "429" with Retry-After. A few refusals are
// answered at a time (over TLS none: they are closed); the rest are closed at once. When
// accept itself fails (EMFILE, ENFILE: out of descriptors) the acceptor pauses 50 ms, doubling
// to 500 ms while it keeps failing, and failures are logged once per 10 s with their count.
//
// Thread safety: `stop` may be called from any thread.
#pragma once

#include <chrono>
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
  void pause_accepting();

  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  std::shared_ptr<server_state> state_;
  const bool redirect_only_;
  asio::steady_timer pause_timer_;      // runs while accept is paused after a failure
  std::chrono::milliseconds pause_{0};  // the current pause; 0 while accept succeeds
};

}  // namespace colead::net
