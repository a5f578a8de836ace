#include "store/commit_health.hpp"

namespace colead::store {

void commit_health::committed() {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  failing_ = false;
  why_.clear();
  last_ok_ = now;
}

void commit_health::failed(std::string why) {
  std::lock_guard lock(mu_);
  failing_ = true;
  why_ = std::move(why);
}

store_health commit_health::report() const {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  store_health out;
  out.ok = !failing_;
  out.last_error = why_;
  if (last_ok_) {
    out.ms_since_commit =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - *last_ok_).count();
  }
  return out;
}

}  // namespace colead::store
