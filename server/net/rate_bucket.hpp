// A token bucket: `rate` tokens a second, at most `burst` held, refilled from the time passed
// in. Plain data for one owner; token_bucket (member_limits.hpp) shares one across threads.
#pragma once

#include <algorithm>
#include <chrono>

namespace colead::net {

using limit_clock = std::chrono::steady_clock;

struct rate_bucket {
  rate_bucket(double rate_per_second, double most, limit_clock::time_point now)
      : rate(rate_per_second), burst(most), tokens(most), refilled(now) {}

  // Brings `tokens` up to date at `now` (time never runs backwards here).
  void refill(limit_clock::time_point now) {
    if (now <= refilled) return;
    const std::chrono::duration<double> gap = now - refilled;
    tokens = std::min(burst, tokens + gap.count() * rate);
    refilled = now;
  }

  // Takes one token at `now`; false (and nothing taken) when none is left.
  bool take(limit_clock::time_point now) {
    refill(now);
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }

  double rate;
  double burst;
  double tokens;
  limit_clock::time_point refilled;
};

}  // namespace colead::net
