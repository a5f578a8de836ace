// The 40 per cent reflection rule's numbers, defined once for the server: the target's range
// and default, the share of a meeting kept for reflection, how a share is shown, and when the
// target is met. The browser's copy is clients/web/js/reflection_rule.js; both are held to
// the cases in tests/vectors/reflection_rule.json. Whole-per-cent targets keep the rule
// exact: "reflection is at least pct% of task and reflection together" never goes through
// floating point.
#pragma once

#include <cstdint>
#include <string>

namespace colead::room::reflection_rule {

inline constexpr int default_target_pct = 40;  // the guide's rule
inline constexpr int min_target_pct = 1;
inline constexpr int max_target_pct = 100;

// True for a target a meeting or a room may have.
constexpr bool valid_target(std::int64_t pct) {
  return pct >= min_target_pct && pct <= max_target_pct;
}

// What is wrong with a target that is not valid, in words a member can act on.
inline std::string target_problem(std::int64_t pct) {
  return "The reflection target must be a whole per cent from " + std::to_string(min_target_pct) +
         " to " + std::to_string(max_target_pct) + "; it was " + std::to_string(pct) + "%.";
}

// Met: reflection_ms * 100 >= pct * (task_ms + reflection_ms). With no time kept at all,
// nothing was kept for reflection either, so no target is met.
constexpr bool met(std::int64_t task_ms, std::int64_t reflection_ms, int pct) {
  const std::int64_t total = task_ms + reflection_ms;
  if (total <= 0) return false;
  return reflection_ms * 100 >= std::int64_t{pct} * total;
}

// The reflection time `pct` per cent of `active_ms` asks for, rounded up to the millisecond.
constexpr std::int64_t required_ms(std::int64_t active_ms, int pct) {
  return (std::int64_t{pct} * active_ms + 99) / 100;
}

// The share of task and reflection kept for reflection, 0 to 1 (0 when no time was kept).
constexpr double share(std::int64_t task_ms, std::int64_t reflection_ms) {
  const std::int64_t total = task_ms + reflection_ms;
  if (total <= 0) return 0;
  return static_cast<double>(reflection_ms) / static_cast<double>(total);
}

// The share as the whole per cent people see, rounded down, so 39.9% is never shown as the
// 40% it did not reach: every screen, reminder and export shows this number.
constexpr int shown_percent(std::int64_t task_ms, std::int64_t reflection_ms) {
  const std::int64_t total = task_ms + reflection_ms;
  if (total <= 0) return 0;
  return static_cast<int>(reflection_ms * 100 / total);
}

}  // namespace colead::room::reflection_rule
