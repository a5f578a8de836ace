#include "net/address_limits.hpp"

#include <algorithm>
#include <cmath>

#include <boost/asio/ip/address.hpp>

namespace colead::net {

namespace {

// Sweep the table for forgettable entries after this many admits (amortised cost per admit).
constexpr std::size_t sweep_every = 1024;

}  // namespace

address_limits::address_limits(address_policy policy, clock_fn clock)
    : policy_(policy),
      clock_(clock ? std::move(clock) : [] { return std::chrono::steady_clock::now(); }) {}

std::string address_limits::key_of(std::string_view address) {
  boost::system::error_code ec;
  auto parsed = boost::asio::ip::make_address(std::string(address), ec);
  if (ec || !parsed.is_v6()) return std::string(address);
  auto v6 = parsed.to_v6();
  if (v6.is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  }
  if (v6.is_loopback()) return v6.to_string();
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

void address_limits::refill(entry& e, std::chrono::steady_clock::time_point now) const {
  std::chrono::duration<double> gap = now - e.refilled;
  if (gap.count() > 0) e.tokens = std::min(policy_.burst, e.tokens + gap.count() * policy_.rate);
  e.refilled = now;
}

address_limits::decision address_limits::admit(std::string_view address) {
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  if (++admits_since_sweep_ >= sweep_every) forget_idle(now);
  auto key = key_of(address);
  auto [it, fresh] = entries_.try_emplace(key);
  entry& e = it->second;
  if (fresh) {
    e.tokens = policy_.burst;
    e.refilled = now;
  } else {
    refill(e, now);
  }
  decision d;
  if (e.open >= policy_.max_connections) {
    d.outcome = verdict::too_many_open;
    d.retry_after = std::chrono::seconds(5);
    return d;
  }
  if (e.tokens < 1) {
    d.outcome = verdict::too_many_per_second;
    d.retry_after = std::chrono::seconds(
        std::max(1L, static_cast<long>(std::ceil((1 - e.tokens) / policy_.rate))));
    return d;
  }
  e.tokens -= 1;
  ++e.open;
  return d;
}

std::string address_limits::explain(const decision& d) const {
  if (d.outcome == verdict::too_many_open) {
    return "too many connections from your address (at most " +
           std::to_string(policy_.max_connections) + " at once); close some and try again\n";
  }
  return "connections are opened too fast from your address; try again in " +
         std::to_string(d.retry_after.count()) + " s\n";
}

void address_limits::release(std::string_view address) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key_of(address));
  if (it == entries_.end() || it->second.open == 0) return;
  --it->second.open;
}

std::size_t address_limits::open(std::string_view address) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key_of(address));
  return it == entries_.end() ? 0 : it->second.open;
}

std::size_t address_limits::tracked() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void address_limits::forget_idle(std::chrono::steady_clock::time_point now) {
  admits_since_sweep_ = 0;
  // An address with nothing open whose bucket has filled again is as good as unknown.
  for (auto it = entries_.begin(); it != entries_.end();) {
    refill(it->second, now);
    if (it->second.open == 0 && it->second.tokens >= policy_.burst) {
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace colead::net
