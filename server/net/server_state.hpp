// What every session of one server shares: options, rooms, counters, the browser client's
// files, the TLS context and the list of open WebSocket sessions (so shutdown can close them).
//
// Thread safety: `options`, `files` and `tls` are immutable after start (the TLS source is
// itself thread-safe); `rooms` and `stats` are thread-safe; the session list is guarded by its
// mutex.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/member_limits.hpp"
#include "net/metrics.hpp"
#include "net/room_host.hpp"
#include "net/server_options.hpp"
#include "net/static_files.hpp"
#include "net/tls.hpp"

namespace colead::net {

class websocket_session;

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

struct server_state {
  server_state(server_options opts, room_registry& registry)
      : options(std::move(opts)),
        rooms(registry),
        members(options.member_rate_per_second, options.member_rate_burst) {}

  const server_options options;                   // immutable after start
  room_registry& rooms;                           // thread-safe
  metrics stats;                                  // thread-safe
  member_limits members;                          // thread-safe: rate buckets per member
  std::atomic<bool> stopping{false};              // set once on shutdown
  std::atomic<std::uint64_t> next_connection{1};  // the next connection_info::id
  std::shared_ptr<const static_files> files;      // set before the listener starts
  std::unique_ptr<tls_context_source> tls;        // set before the listener starts; null: no TLS

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
