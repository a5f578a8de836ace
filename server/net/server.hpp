// The colead-server network front: one io_context run by a configurable number of threads,
// a listener (HTTPS when given a certificate, with an optional HTTP listener that redirects
// to it), graceful shutdown on SIGINT/SIGTERM (stop accepting, close every WebSocket with
// 1001 "going away", return within the grace period), and SIGHUP reloading the certificate
// while connected members stay connected.
//
// Thread safety: construct, start and run from one thread; `stop` may be called from any.
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include "net/beast.hpp"
#include "net/server_state.hpp"

namespace colead::net {

class listener;
class cohort_registry;

class server {
 public:
  // `store` keeps the rooms; it must outlive the server.
  server(server_options options, store::store& store);
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and starts listening. Throws std::runtime_error with a readable message when the
  // address cannot be used (start-up code may throw; main catches).
  void start();

  // The address actually bound (the real port when 0 was asked for).
  tcp::endpoint endpoint() const;

  // Serves until a signal or stop(); returns 0 after a clean shutdown.
  int run();

  // Begins the graceful shutdown.
  void stop();

  server_state& state() { return *state_; }

 private:
  void begin_shutdown();
  void wait_for_reload();
  void sweep_idle_rooms();
  void trim_memory();
  void wait_for_sessions();

  asio::io_context ioc_;
  server_clock clock_;
  // What rooms and the store report for /metrics: rooms share it; the store is told of it
  // here and told to forget it when the server goes.
  std::shared_ptr<activity_metrics> activity_;
  // The cohorts: what facilitators watch, and every room's link to its cohort.
  std::shared_ptr<cohort_registry> cohorts_;
  room_registry rooms_;
  std::shared_ptr<server_state> state_;
  std::shared_ptr<listener> listener_;
  std::shared_ptr<listener> redirect_listener_;  // plain HTTP answering with redirects
  asio::signal_set signals_;
  asio::signal_set reload_signals_;  // SIGHUP: reload the TLS certificate and key
  asio::steady_timer shutdown_timer_;
  asio::steady_timer retention_timer_;
  asio::steady_timer trim_timer_;  // gives freed memory back every memory_trim_interval
  std::chrono::steady_clock::time_point shutdown_deadline_;
};

}  // namespace colead::net
