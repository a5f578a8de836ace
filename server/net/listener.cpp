#include "net/listener.hpp"

#include <stdexcept>

#include <spdlog/spdlog.h>

#include "net/http_session.hpp"

namespace colead::net {

listener::listener(asio::io_context& ioc, tcp::endpoint endpoint,
                   std::shared_ptr<server_state> state, bool redirect_only)
    : ioc_(ioc),
      acceptor_(asio::make_strand(ioc)),
      state_(std::move(state)),
      redirect_only_(redirect_only),
      pause_timer_(acceptor_.get_executor()) {
  beast::error_code ec;
  auto check = [&](const char* what) {
    if (ec) {
      throw std::runtime_error("cannot " + std::string(what) + " " +
                               endpoint.address().to_string() + ":" +
                               std::to_string(endpoint.port()) + ": " + ec.message());
    }
  };
  acceptor_.open(endpoint.protocol(), ec);
  check("open");
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  check("configure");
  acceptor_.bind(endpoint, ec);
  check("listen on");
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  check("listen on");
}

void listener::run() {
  do_accept();
}

void listener::stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->pause_timer_.cancel();
    self->acceptor_.close(ec);
  });
}

void listener::do_accept() {
  acceptor_.async_accept(asio::make_strand(ioc_),
                         beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec == asio::error::connection_aborted) return do_accept();  // gone before we took it
  if (ec) {
    // Out of descriptors (EMFILE, ENFILE) or memory: accepting again at once would fail again
    // at once, so pause; the pending connection waits in the backlog meanwhile.
    state_->accept_failures.count(ec.message());
    return pause_accepting();
  }
  pause_ = std::chrono::milliseconds(0);
  const auto& options = state_->options;
  if (state_->open_connections() >= options.max_connections) {
    state_->refused_log.count("the server holds " + std::to_string(options.max_connections) +
                              " connections, its limit");
    refuse_connection(std::move(socket), state_, http::status::service_unavailable,
                      std::chrono::seconds(1),
                      "the server is at its connection limit; try again in a moment\n",
                      state_->tls && !redirect_only_);
    return do_accept();
  }
  beast::error_code peer_ec;
  auto peer = socket.remote_endpoint(peer_ec);
  address_lease lease;
  // Behind a trusted proxy the client is known only from the request: the HTTP session counts
  // it there. Anyone else is counted by the address it connects from, before we read a byte.
  if (!peer_ec && !is_trusted(peer.address().to_string(), options.trusted_proxies)) {
    auto address = peer.address().to_string();
    auto decision = state_->addresses.admit(address);
    if (!decision.admitted()) {
      state_->refused_log.count(address + " is over its " +
                                (decision.outcome == address_limits::verdict::too_many_open
                                     ? "connection limit"
                                     : "connection rate"));
      refuse_connection(std::move(socket), state_, http::status::too_many_requests,
                        decision.retry_after, state_->addresses.explain(decision),
                        state_->tls && !redirect_only_);
      return do_accept();
    }
    lease = address_lease(state_->addresses, std::move(address));
  }
  start_http_session(std::move(socket), state_, redirect_only_, std::move(lease));
  do_accept();
}

void listener::pause_accepting() {
  using std::chrono::milliseconds;
  pause_ = pause_.count() == 0 ? milliseconds(50) : std::min(pause_ * 2, milliseconds(500));
  pause_timer_.expires_after(pause_);
  pause_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec && self->acceptor_.is_open()) self->do_accept();
  });
}

}  // namespace colead::net
