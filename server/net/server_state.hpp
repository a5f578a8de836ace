// What every session of one server shares: options, rooms, counters and the list of open
// WebSocket sessions (so shutdown can close them).
//
// Thread safety: `options` is immutable after start; `rooms` and `stats` are thread-safe;
// the session list is guarded by its mutex.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "net/metrics.hpp"
#include "net/room_host.hpp"
#include "net/server_options.hpp"

namespace colead::net {

class websocket_session;

struct server_state {
  server_state(server_options opts, room_registry& registry)
      : options(std::move(opts)), rooms(registry) {}

  const server_options options;       // immutable after start
  room_registry& rooms;               // thread-safe
  metrics stats;                      // thread-safe
  std::atomic<bool> stopping{false};  // set once on shutdown

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
