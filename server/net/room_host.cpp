#include "net/room_host.hpp"

#include <cmath>

namespace colead::net {

server_clock::server_clock(double scale)
    : origin_(std::chrono::steady_clock::now()), scale_(scale > 0 ? scale : 1.0) {}

std::int64_t server_clock::now_ms() const {
  auto real = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - origin_);
  return static_cast<std::int64_t>(real.count() * scale_);
}

std::int64_t server_clock::wall_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

room_host::room_host(asio::io_context& ioc, room::room_model model, const room::clock& clock,
                     const room::room_limits& limits)
    : id_(model.id),
      strand_(asio::make_strand(ioc)),
      room_(std::move(model), clock, limits),
      timer_(strand_),
      clock_(clock) {}

void room_host::rearm() {
  auto deadline = room_.next_deadline();
  if (deadline == armed_for_) return;
  armed_for_ = deadline;
  if (!deadline) {
    timer_.cancel();
    return;
  }
  // Room time runs `scale` times faster than the steady clock the timer uses.
  double wait_ms =
      std::max<double>(0, static_cast<double>(*deadline - clock_.now_ms())) / clock_.scale();
  timer_.expires_after(std::chrono::microseconds(static_cast<std::int64_t>(wait_ms * 1000)));
  timer_.async_wait([self = shared_from_this()](beast::error_code ec) { self->on_timer(ec); });
}

void room_host::on_timer(beast::error_code ec) {
  if (ec == asio::error::operation_aborted) return;
  armed_for_.reset();
  room_.on_timer();
  rearm();
}

room_registry::room_registry(asio::io_context& ioc, const room::clock& clock,
                             room::room_limits limits)
    : ioc_(ioc), clock_(clock), limits_(limits) {}

std::shared_ptr<room_host> room_registry::create(std::string title, unsigned seats,
                                                 std::vector<std::string>& tokens) {
  auto made = room::make_room(std::move(title), seats, clock_);
  tokens = std::move(made.tokens);
  auto host = std::make_shared<room_host>(ioc_, std::move(made.model), clock_, limits_);
  std::lock_guard lock(mutex_);
  rooms_.emplace(host->id(), host);
  return host;
}

std::shared_ptr<room_host> room_registry::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(id);
  return it == rooms_.end() ? nullptr : it->second;
}

std::size_t room_registry::size() const {
  std::lock_guard lock(mutex_);
  return rooms_.size();
}

std::vector<std::shared_ptr<room_host>> room_registry::all() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<room_host>> out;
  out.reserve(rooms_.size());
  for (auto& [id, host] : rooms_)
    out.push_back(host);
  return out;
}

}  // namespace colead::net
