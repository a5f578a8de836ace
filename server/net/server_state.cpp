#include "net/server_state.hpp"

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

}  // namespace colead::net
