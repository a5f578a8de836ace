// What every session of one server shares: options, rooms, counters, the browser client's
// files, the TLS context and the list of open WebSocket sessions (so shutdown can close them).
//
// Thread safety: `options`, `files` and `tls` are immutable after start (the TLS source is
// itself thread-safe); `rooms` and `stats` are thread-safe; the session list is guarded by its
// mutex.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/address_limits.hpp"
#include "net/member_limits.hpp"
#include "net/metrics.hpp"
#include "net/room_host.hpp"
#include "net/server_options.hpp"
#include "net/static_files.hpp"
#include "net/tls.hpp"

namespace colead::net {

class websocket_session;
class cohort_registry;

// Who is at the other end of one TCP connection, for logs and limits.
struct connection_info {
  std::uint64_t id = 0;  // unique in this process, in accept order
  std::string peer;      // the address the connection came from
  std::string client;    // the real client: `peer`, or the address a trusted proxy forwarded
  bool secure = false;   // TLS here, or https at a trusted proxy
};

// "[conn 12 203.0.113.9] ": the prefix of every log line about one connection. The JSON log
// format turns it into "conn" and "addr" fields.
std::string log_tag(const connection_info& info);

// Counts events of one kind (connections refused, accept failures) and writes one log line
// for them at most once per interval, so a flood of them cannot flood the log.
//
// Thread safety: any thread.
class interval_log {
 public:
  // `what` completes "... N <what> in the last S s".
  interval_log(std::string what, std::chrono::seconds interval = std::chrono::seconds(10))
      : what_(std::move(what)), interval_(interval) {}

  // Counts one event, `detail` saying what the latest was; logs a warning when the interval
  // since the last line has passed (the first event logs at once).
  void count(const std::string& detail);

 private:
  const std::string what_;
  const std::chrono::seconds interval_;
  std::mutex mutex_;
  std::uint64_t pending_ = 0;                          // guarded by mutex_
  std::chrono::steady_clock::time_point last_line_{};  // guarded by mutex_
  bool logged_ = false;                                // guarded by mutex_
};

struct server_state {
  server_state(server_options opts, room_registry& registry)
      : options(std::move(opts)),
        rooms(registry),
        addresses(address_policy{options.max_connections_per_address,
                                 options.connect_rate_per_address,
                                 options.connect_burst_per_address}),
        members(options.member_rate_per_second, options.member_rate_burst) {}

  const server_options options;                     // immutable after start
  room_registry& rooms;                             // thread-safe
  metrics stats;                                    // thread-safe
  std::atomic<bool> stopping{false};                // set once on shutdown
  std::atomic<std::uint64_t> next_connection{1};    // the next connection_info::id
  std::shared_ptr<const static_files> files;        // set before the listener starts
  std::unique_ptr<tls_context_source> tls;          // set before the listener starts; null: no TLS
  address_limits addresses;                         // per-address connection limits; thread-safe
  member_limits members;                            // rate buckets per member; thread-safe
  cohort_registry* cohorts = nullptr;               // set before the listener starts; thread-safe
  std::atomic<int> refusals_in_flight{0};           // refused connections still being answered
  interval_log refused_log{"connections refused"};  // over a limit (429, 503)
  interval_log accept_failures{"accept failures"};  // EMFILE, ENFILE, ...

  // Connections that hold a descriptor now (HTTP and WebSocket, not refusals).
  std::size_t open_connections() const {
    return static_cast<std::size_t>(stats.tcp_connections.load(std::memory_order_relaxed) +
                                    stats.websocket_sessions.load(std::memory_order_relaxed));
  }

  // Records an open WebSocket session.
  void add_session(const std::shared_ptr<websocket_session>& s);
  // Forgets a closed one.
  void remove_session(const websocket_session* s);
  // The open sessions, as strong pointers (the list holds weak ones).
  std::vector<std::shared_ptr<websocket_session>> sessions();

 private:
  std::mutex mutex_;
  std::unordered_map<const websocket_session*, std::weak_ptr<websocket_session>>
      sessions_;  // guarded by mutex_
};

}  // namespace colead::net
