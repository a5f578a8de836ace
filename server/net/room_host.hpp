// Drives one room: owns it, its strand and its timer. Every call into the room goes through
// `post`, so the room's state changes only on its strand.
//
// Thread safety: `post` and `id` may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/beast.hpp"
#include "room/room.hpp"

namespace colead::net {

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

class room_host : public std::enable_shared_from_this<room_host> {
 public:
  room_host(asio::io_context& ioc, room::room_model model, const room::clock& clock,
            const room::room_limits& limits);

  room_host(const room_host&) = delete;
  room_host& operator=(const room_host&) = delete;

  const std::string& id() const { return id_; }

  // Runs `f(room)` on the room's strand, then re-arms the room's timer for its next deadline.
  template <typename F>
  void post(F&& f) {
    asio::post(strand_, [self = shared_from_this(), f = std::forward<F>(f)]() mutable {
      f(self->room_);
      self->rearm();
    });
  }

 private:
  void rearm();
  void on_timer(beast::error_code ec);

  const std::string id_;                                  // the room's id (immutable)
  asio::strand<asio::io_context::executor_type> strand_;  // serialises the room
  room::room room_;                                       // guarded by strand_
  asio::steady_timer timer_;                              // guarded by strand_
  const room::clock& clock_;                              // room time
  std::optional<std::int64_t> armed_for_;                 // guarded by strand_: deadline set
};

// Every room this server has loaded, by id.
// Thread safety: all members may be called from any thread.
class room_registry {
 public:
  room_registry(asio::io_context& ioc, const room::clock& clock, room::room_limits limits);

  // Creates a room with `seats` seats; fills `tokens` with the seats' invite tokens.
  std::shared_ptr<room_host> create(std::string title, unsigned seats,
                                    std::vector<std::string>& tokens);

  // The room with this id, or null.
  std::shared_ptr<room_host> find(const std::string& id) const;

  // Rooms loaded now.
  std::size_t size() const;

  // Every loaded room (a copy of the list, so callers post without holding the lock).
  std::vector<std::shared_ptr<room_host>> all() const;

 private:
  asio::io_context& ioc_;
  const room::clock& clock_;
  const room::room_limits limits_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<room_host>> rooms_;  // guarded by mutex_
};

}  // namespace colead::net
