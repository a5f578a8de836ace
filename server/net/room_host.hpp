// Drives one room: owns it, its strand and its timer, and is its journal. Every call into
// the room goes through `post`, so the room's state changes only on its strand; store
// completions come back to the same strand.
//
// Lifetime: the registry keeps a loaded room; sessions and API requests hold it through
// leases (see room_registry::find). A room with no connection, no write in flight and no
// lease is unloaded after a quiet period, and at once if a write failed (broken).
//
// Thread safety: `post`, `id` and the lease counter may be used from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/beast.hpp"
#include "room/room.hpp"
#include "store/store.hpp"

namespace colead::net {

class room_registry;
class cohort_registry;

// The server's clock: steady time scaled by --time-scale for rooms, system time for people.
class server_clock final : public room::clock {
 public:
  explicit server_clock(double scale);
  std::int64_t now_ms() const override;
  std::int64_t wall_ms() const override;
  double scale() const override { return scale_; }

 private:
  std::chrono::steady_clock::time_point origin_;  // room time 0
  double scale_;                                  // room ms per real ms
};

class room_host : public room::journal, public std::enable_shared_from_this<room_host> {
 public:
  room_host(asio::io_context& ioc, room_registry& registry, store::store& store,
            room::room_model model, const room::clock& clock, const room::room_options& options);

  room_host(const room_host&) = delete;
  room_host& operator=(const room_host&) = delete;

  const std::string& id() const { return id_; }

  // Runs `f(room)` on the room's strand, then re-arms the room's timer and checks whether
  // the room may be unloaded.
  template <typename F>
  void post(F&& f) {
    asio::post(strand_, [self = shared_from_this(), f = std::forward<F>(f)]() mutable {
      f(self->room_);
      self->after_task();
    });
  }

  // room::journal: submits to the store and completes on the strand.
  void save(store::write_batch batch, std::function<void(store::status)> then) override;

  // Leases held on this room (sessions, API requests). Changed only by the registry.
  std::atomic<int> leases{0};

 private:
  void after_task();
  void rearm();
  void on_timer(beast::error_code ec);

  const std::string id_;                                  // the room's id (immutable)
  room_registry& registry_;                               // owns this host
  store::store& store_;                                   // where the room's changes go
  asio::strand<asio::io_context::executor_type> strand_;  // serialises the room
  room::room room_;                                       // guarded by strand_
  asio::steady_timer timer_;                              // guarded by strand_
  asio::steady_timer idle_timer_;                         // guarded by strand_
  const room::clock& clock_;                              // room time
  std::optional<std::int64_t> armed_for_;                 // guarded by strand_
  std::uint64_t overview_sent_ = 0;  // room::overview_generation last sent; guarded by strand_
  bool idle_pending_ = false;        // guarded by strand_
  bool erased_ = false;              // guarded by strand_
};

// Every room this server has loaded, by id, over the store that keeps them.
// Thread safety: all members may be called from any thread.
class room_registry {
 public:
  room_registry(asio::io_context& ioc, const room::clock& clock, store::store& store,
                room::room_options options);

  // What create reports: the room and its seats' invite tokens, or why it failed.
  using created_fn = std::function<void(std::shared_ptr<room_host> room,
                                        std::vector<std::string> tokens, store::status)>;

  // Creates a room with `seats` seats (the last kept for a facilitator with
  // `facilitator_seat`) and writes it durably; `done` runs on the store's writer thread once
  // the room is durable (or failed).
  void create(std::string title, unsigned seats, bool facilitator_seat, created_fn done);

  // The room with this id, loaded from the store if needed; null when there is none (or, with
  // `error` set, when it could not be loaded). The pointer is a lease: the room stays loaded
  // while any copy of it lives.
  std::shared_ptr<room_host> find(const std::string& id, std::string* error = nullptr);

  // Drops `host` if it is still the loaded room of its id and nobody holds a lease, or
  // whatever the leases if `force` (a broken room).
  void unload(const room_host* host, bool force);

  // The room if it is loaded now (a lease), else null: nothing is read from the store.
  std::shared_ptr<room_host> loaded(const std::string& id);

  // The cohorts rooms belong to; set once before serving (null: rooms know no cohort).
  void serve_cohorts(cohort_registry* cohorts) { cohorts_ = cohorts; }
  cohort_registry* cohorts() const { return cohorts_; }

  // Rooms loaded now.
  std::size_t size() const;

  // Every loaded room (leases), so callers post without holding the lock.
  std::vector<std::shared_ptr<room_host>> all();

  store::store& store() { return store_; }

 private:
  std::shared_ptr<room_host> lease(const std::shared_ptr<room_host>& host);

  asio::io_context& ioc_;
  const room::clock& clock_;
  store::store& store_;
  const room::room_options options_;
  cohort_registry* cohorts_ = nullptr;  // see serve_cohorts
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<room_host>> rooms_;  // guarded by mutex_
};

}  // namespace colead::net
