// The 40 per cent reflection rule's numbers, defined once for the page: the target's range
// and default, the share of a meeting kept for reflection, how a share is shown, and when the
// target is met. The server's copy is server/room/reflection_rule.hpp; both are held to the
// cases in tests/vectors/reflection_rule.json. Targets are whole per cents, so the rule is
// exact in integers.

export const DEFAULT_TARGET_PCT = 40;
export const MIN_TARGET_PCT = 1;
export const MAX_TARGET_PCT = 100;

/** True for a target a meeting or a room may have. */
export function validTarget(pct) {
  return Number.isInteger(pct) && pct >= MIN_TARGET_PCT && pct <= MAX_TARGET_PCT;
}

/** reflectionMs * 100 >= pct * (taskMs + reflectionMs); never with no time kept at all. */
export function met(taskMs, reflectionMs, pct) {
  const total = taskMs + reflectionMs;
  return total > 0 && reflectionMs * 100 >= pct * total;
}

/** The reflection `pct` per cent of `activeMs` asks for, rounded up to the millisecond. */
export function requiredMs(activeMs, pct) {
  return Math.floor((pct * activeMs + 99) / 100);
}

/** The share kept for reflection, 0 to 1 (0 when no time was kept). */
export function share(taskMs, reflectionMs) {
  const total = taskMs + reflectionMs;
  return total > 0 ? reflectionMs / total : 0;
}

/** The share as the whole per cent people see: rounded down, so 39.9% never shows as 40%. */
export function shownPercent(taskMs, reflectionMs) {
  const total = taskMs + reflectionMs;
  return total > 0 ? Math.floor((reflectionMs * 100) / total) : 0;
}

/** shownPercent for a share already worked out (0 to 1), with room for floating-point error. */
export function shownPercentOfShare(value) {
  return Math.floor(Math.max(0, value) * 100 + 1e-9);
}
