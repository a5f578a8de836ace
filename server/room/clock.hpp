// Where a room takes its time from. Injected, so tests move time by hand and run instantly.
#pragma once

#include <cstdint>

namespace colead::room {

// Thread safety: implementations must allow concurrent const calls.
class clock {
 public:
  virtual ~clock() = default;

  // Room time in milliseconds: monotonic, never jumps back, runs `scale()` times faster than
  // real time. Meeting and consult clocks measure with it.
  virtual std::int64_t now_ms() const = 0;

  // Wall-clock time, Unix milliseconds, for what people read (timestamps, "by 14:32").
  virtual std::int64_t wall_ms() const = 0;

  // Room milliseconds per real millisecond (1 in production; larger with --time-scale).
  virtual double scale() const { return 1.0; }
};

// A clock moved by hand, for tests. Not thread-safe.
class manual_clock final : public clock {
 public:
  explicit manual_clock(std::int64_t now = 0, std::int64_t wall = 1'700'000'000'000)
      : now_(now), wall_(wall) {}

  std::int64_t now_ms() const override { return now_; }
  std::int64_t wall_ms() const override { return wall_; }

  // Moves both clocks forward by `ms`.
  void advance(std::int64_t ms) {
    now_ += ms;
    wall_ += ms;
  }

 private:
  std::int64_t now_;   // room time
  std::int64_t wall_;  // wall-clock time
};

}  // namespace colead::room
