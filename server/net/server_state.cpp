#include "net/server_state.hpp"

#include <spdlog/spdlog.h>

namespace colead::net {

void server_state::add_session(const std::shared_ptr<websocket_session>& s) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(s.get(), s);
}

void server_state::remove_session(const websocket_session* s) {
  std::lock_guard lock(mutex_);
  sessions_.erase(s);
}

std::vector<std::shared_ptr<websocket_session>> server_state::sessions() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<websocket_session>> out;
  for (auto& [key, weak] : sessions_)
    if (auto s = weak.lock()) out.push_back(std::move(s));
  return out;
}

}  // namespace colead::net

namespace colead::net {

std::string log_tag(const connection_info& info) {
  return "[conn " + std::to_string(info.id) + " " + info.client + "] ";
}

void interval_log::count(const std::string& detail) {
  std::lock_guard lock(mutex_);
  ++pending_;
  const auto now = std::chrono::steady_clock::now();
  if (logged_ && now - last_line_ < interval_) return;
  const auto seconds =
      logged_ ? std::chrono::duration_cast<std::chrono::seconds>(now - last_line_).count() : 0;
  if (logged_) {
    spdlog::warn("{} {} in the last {} s; latest: {}", pending_, what_, seconds, detail);
  } else {
    spdlog::warn("{}: {} (further ones are counted, one line per {} s)", what_, detail,
                 interval_.count());
  }
  logged_ = true;
  last_line_ = now;
  pending_ = 0;
}

}  // namespace colead::net
