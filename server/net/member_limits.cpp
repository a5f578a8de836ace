#include "net/member_limits.hpp"

#include <algorithm>

namespace colead::net {

token_bucket::token_bucket(double rate, double burst, limit_clock::time_point now)
    : bucket_(rate, burst, now) {}

bool token_bucket::take(limit_clock::time_point now) {
  std::lock_guard lock(mutex_);
  return bucket_.take(now);
}

struct member_limits::shared {
  mutable std::mutex mutex;
  // Room id, a NUL, member id (neither holds a NUL) -> the bucket while someone holds it.
  std::unordered_map<std::string, std::weak_ptr<token_bucket>> buckets;  // guarded by mutex
};

member_limits::member_limits(double rate, double burst)
    : rate_(rate), burst_(burst), shared_(std::make_shared<shared>()) {}

std::shared_ptr<token_bucket> member_limits::acquire(const std::string& room_id,
                                                     const std::string& member_id,
                                                     limit_clock::time_point now) {
  std::string key = room_id;
  key.push_back('\0');
  key += member_id;
  std::lock_guard lock(shared_->mutex);
  auto& slot = shared_->buckets[key];
  if (auto held = slot.lock()) return held;
  // The last holder erases the entry, unless a newer bucket took its place meanwhile.
  std::weak_ptr<shared> map = shared_;
  auto* raw = new token_bucket(rate_, burst_, now);
  std::shared_ptr<token_bucket> bucket(raw, [map, key](token_bucket* b) {
    if (auto m = map.lock()) {
      std::lock_guard lock(m->mutex);
      auto it = m->buckets.find(key);
      if (it != m->buckets.end() && it->second.expired()) m->buckets.erase(it);
    }
    delete b;
  });
  slot = bucket;
  return bucket;
}

std::size_t member_limits::size() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->buckets.size();
}

}  // namespace colead::net
