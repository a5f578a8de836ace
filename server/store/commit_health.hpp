// What a store remembers of its commits for store::health(): whether the last one failed,
// and when one last succeeded.
//
// Thread safety: every member function may be called from any thread.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace colead::store {

class commit_health {
 public:
  commit_health() = default;
  commit_health(const commit_health&) = delete;
  commit_health& operator=(const commit_health&) = delete;

  // A commit succeeded now: the store is healthy again.
  void committed();
  // A commit failed now, because of `why`.
  void failed(std::string why);
  // The store's health as of now.
  store_health report() const;

 private:
  mutable std::mutex mu_;
  bool failing_ = false;  // the last commit failed; guarded by mu_
  std::string why_;       // its reason; guarded by mu_
  // When a commit last succeeded; guarded by mu_.
  std::optional<std::chrono::steady_clock::time_point> last_ok_;
};

}  // namespace colead::store
