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
      redirect_only_(redirect_only) {
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
    self->acceptor_.close(ec);
  });
}

void listener::do_accept() {
  acceptor_.async_accept(asio::make_strand(ioc_),
                         beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted) return;
  if (ec) {
    spdlog::warn("accept: {}", ec.message());
  } else {
    auto open = state_->stats.tcp_connections.load(std::memory_order_relaxed) +
                state_->stats.websocket_sessions.load(std::memory_order_relaxed);
    if (static_cast<std::size_t>(open) >= state_->options.max_connections) {
      // Over the limit: refuse before reading anything, so a flood costs us nothing.
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      start_http_session(std::move(socket), state_, redirect_only_);
    }
  }
  if (acceptor_.is_open()) do_accept();
}

}  // namespace colead::net
