// Rate limits shared by every connection of one member (seat), so a member with several
// devices or tabs gets one fair share of a room, not one per socket.
//
// A member's bucket is found by room id and member id; it lives while some connection holds
// it and is freed with the last one. The clock is passed in, so the buckets can be tested
// without waiting.
//
// Thread safety: every member may be called from any thread; a bucket is shared by sessions
// on different threads and guards itself.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "net/rate_bucket.hpp"

namespace colead::net {

// A token bucket: `rate` tokens a second, at most `burst` saved up.
class token_bucket {
 public:
  token_bucket(double rate, double burst, limit_clock::time_point now);

  // Takes one token at `now`; false (and nothing taken) when none is left.
  bool take(limit_clock::time_point now);

 private:
  std::mutex mutex_;
  rate_bucket bucket_;  // guarded by mutex_
};

class member_limits {
 public:
  // Each member may send `rate` messages a second, `burst` at once, across its connections.
  member_limits(double rate, double burst);
  member_limits(const member_limits&) = delete;
  member_limits& operator=(const member_limits&) = delete;

  // The bucket of `member_id` in `room_id`, shared with the member's other connections; a new
  // full one if none holds it. Keep the pointer while the connection lives.
  std::shared_ptr<token_bucket> acquire(const std::string& room_id, const std::string& member_id,
                                        limit_clock::time_point now);

  // Members with a bucket now (for tests).
  std::size_t size() const;

 private:
  struct shared;
  const double rate_;
  const double burst_;
  std::shared_ptr<shared> shared_;  // the map, kept alive by the buckets' deleters too
};

}  // namespace colead::net
