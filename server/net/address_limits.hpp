// Per-address connection limits: how many connections one client address may hold open at
// once, and how many new ones it may open a second (a token bucket: `burst` at once, then
// `rate` a second). One attacker's address then cannot fill the server's connection limit,
// nor keep the acceptor busy with handshakes.
//
// Addresses are counted as written by Asio ("203.0.113.9"); an IPv6 address counts as its /64
// network, since one host is routinely given a whole /64. Entries of addresses with nothing
// open and a full bucket are forgotten, so memory follows the addresses active recently.
//
// Time comes from an injected clock so tests run instantly.
//
// Thread safety: every member may be called from any thread (one mutex).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace colead::net {

struct address_policy {
  std::size_t max_connections = 64;  // open at once from one address
  double rate = 20;                  // new connections a second, sustained
  double burst = 100;                // new connections at once
};

class address_limits {
 public:
  using clock_fn = std::function<std::chrono::steady_clock::time_point()>;

  enum class verdict {
    admitted,            // counted: call release() when the connection ends
    too_many_open,       // the address holds max_connections already
    too_many_per_second  // the address's bucket is empty
  };

  struct decision {
    verdict outcome = verdict::admitted;
    std::chrono::seconds retry_after{0};  // when refused: a sensible wait before trying again
    bool admitted() const { return outcome == verdict::admitted; }
  };

  explicit address_limits(address_policy policy, clock_fn clock = nullptr);
  address_limits(const address_limits&) = delete;
  address_limits& operator=(const address_limits&) = delete;

  // A new connection from `address`: takes one token and, when admitted, counts it as open.
  decision admit(std::string_view address);

  // A connection counted by admit() has ended.
  void release(std::string_view address);

  // Connections open now from `address` (tests, logs).
  std::size_t open(std::string_view address) const;
  // Addresses remembered now (tests: memory follows recent activity).
  std::size_t tracked() const;

  const address_policy& policy() const { return policy_; }

  // What a refused client is told, one line.
  std::string explain(const decision& d) const;

  // The key an address is counted under: itself, or its /64 for IPv6 (not v4-mapped).
  static std::string key_of(std::string_view address);

 private:
  struct entry {
    std::size_t open = 0;                            // connections counted and not released
    double tokens = 0;                               // the bucket
    std::chrono::steady_clock::time_point refilled;  // when `tokens` was last brought up to date
  };

  void refill(entry& e, std::chrono::steady_clock::time_point now) const;
  void forget_idle(std::chrono::steady_clock::time_point now);

  const address_policy policy_;
  const clock_fn clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, entry> entries_;  // guarded by mutex_
  std::size_t admits_since_sweep_ = 0;              // guarded by mutex_
};

// One admitted connection's place in its address's count, given back when the lease goes.
// Movable, not copyable; the limits must outlive it.
class address_lease {
 public:
  address_lease() = default;
  address_lease(address_limits& limits, std::string address)
      : limits_(&limits), address_(std::move(address)) {}
  ~address_lease() { reset(); }
  address_lease(address_lease&& other) noexcept
      : limits_(std::exchange(other.limits_, nullptr)), address_(std::move(other.address_)) {}
  address_lease& operator=(address_lease&& other) noexcept {
    if (this != &other) {
      reset();
      limits_ = std::exchange(other.limits_, nullptr);
      address_ = std::move(other.address_);
    }
    return *this;
  }
  address_lease(const address_lease&) = delete;
  address_lease& operator=(const address_lease&) = delete;

  // Releases now (nothing when empty).
  void reset() {
    if (limits_) limits_->release(address_);
    limits_ = nullptr;
  }
  bool held() const { return limits_ != nullptr; }
  const std::string& address() const { return address_; }

 private:
  address_limits* limits_ = nullptr;
  std::string address_;
};

}  // namespace colead::net
