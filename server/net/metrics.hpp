// Server-wide counters, exported at GET /metrics in the Prometheus text format.
// Thread-safe: every field is atomic and updated with relaxed ordering (counters only).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace colead::net {

struct metrics {
  std::atomic<std::int64_t> tcp_connections{0};     // open TCP connections (gauge)
  std::atomic<std::int64_t> websocket_sessions{0};  // open WebSocket sessions (gauge)
  std::atomic<std::uint64_t> messages_in{0};        // client messages received
  std::atomic<std::uint64_t> frames_out{0};         // frames written to clients
  std::atomic<std::uint64_t> bad_frames{0};         // frames that did not decode
  std::atomic<std::uint64_t> rate_limited{0};       // messages refused for rate
  std::atomic<std::uint64_t> slow_disconnects{0};   // members closed for not reading
  std::atomic<std::uint64_t> http_requests{0};      // HTTP requests served
  std::atomic<std::uint64_t> rooms_created{0};      // rooms created since start

  // The Prometheus exposition of every counter plus `rooms_loaded`.
  std::string render(std::size_t rooms_loaded) const;
};

}  // namespace colead::net
