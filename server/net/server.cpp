#include "net/server.hpp"

#include <spdlog/spdlog.h>

#include "net/listener.hpp"
#include "net/websocket_session.hpp"

namespace colead::net {

namespace {

room::room_options room_options_of(const server_options& options, const store::store& store) {
  room::room_options out;
  out.limits = options.room_limits;
  out.snapshot_every = store.snapshot_every();
  return out;
}

}  // namespace

server::server(server_options options, store::store& store)
    : ioc_(static_cast<int>(std::max(1u, options.threads))),
      clock_(options.time_scale),
      rooms_(ioc_, clock_, store, room_options_of(options, store)),
      state_(std::make_shared<server_state>(std::move(options), rooms_)),
      signals_(ioc_, SIGINT, SIGTERM),
      shutdown_timer_(ioc_) {}

server::~server() = default;

void server::start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(state_->options.host, ec);
  if (ec) throw std::runtime_error("'" + state_->options.host + "' is not an IP address");
  listener_ =
      std::make_shared<listener>(ioc_, tcp::endpoint(address, state_->options.port), state_);
  listener_->run();
  signals_.async_wait([this](beast::error_code e, int signal) {
    if (e) return;
    spdlog::info("received signal {}; shutting down", signal);
    begin_shutdown();
  });
}

tcp::endpoint server::endpoint() const {
  return listener_->local_endpoint();
}

int server::run() {
  std::vector<std::thread> threads;
  auto extra = std::max(1u, state_->options.threads) - 1;
  threads.reserve(extra);
  for (unsigned i = 0; i < extra; ++i)
    threads.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& t : threads)
    t.join();
  spdlog::info("stopped");
  return 0;
}

void server::stop() {
  asio::post(ioc_, [this] { begin_shutdown(); });
}

void server::begin_shutdown() {
  if (state_->stopping.exchange(true)) return;
  beast::error_code ignored;
  signals_.cancel(ignored);
  listener_->stop();
  for (auto& session : state_->sessions())
    session->close({1001, "server shutting down"});
  shutdown_deadline_ = std::chrono::steady_clock::now() + state_->options.shutdown_grace;
  wait_for_sessions();
}

void server::wait_for_sessions() {
  // Poll rather than count completions: sessions end on their own strands, and a short poll
  // keeps shutdown simple and bounded by the grace period.
  bool done = state_->stats.websocket_sessions.load() == 0;
  if (done || std::chrono::steady_clock::now() >= shutdown_deadline_) {
    if (!done) spdlog::warn("closing the remaining connections after the grace period");
    ioc_.stop();
    return;
  }
  shutdown_timer_.expires_after(std::chrono::milliseconds(20));
  shutdown_timer_.async_wait([this](beast::error_code ec) {
    if (!ec) wait_for_sessions();
  });
}

}  // namespace colead::net
