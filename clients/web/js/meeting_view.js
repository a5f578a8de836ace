// The meeting clock as a person reads it: pure functions, no DOM, no clock of their own.
//
// The server sends a `meetingState` only when something changes (start, a switch, a pause,
// a nudge...). Between two states the page carries the figures forward itself: a state holds
// at `serverTimeMs`, and every real ms after it adds `timeScale` meeting ms to whichever of
// task, reflection or paused the mode says. `live(state, serverNowMs)` does that, and works out
// the status the way the server does (the 40 per cent rule in docs/protocol.md), so the page
// can say when the target is reached or slips away without any per-second traffic.
//
// Every duration is in meeting-clock ms; every time of day is a wall-clock Unix ms.

import * as rule from './reflection_rule.js';

export const MODE_WORDS = Object.freeze({
  TASK: 'Task',
  REFLECTION: 'Reflection',
  PAUSED: 'Paused',
  ENDED: 'Ended',
});

export const STATUS_WORDS = Object.freeze({
  ON_TRACK: 'On track',
  AT_RISK: 'Reflection needs to start soon',
  MISSED: 'The target can no longer be reached by the planned end',
  MET: 'Target reached',
});

const RUNNING = new Set(['TASK', 'REFLECTION', 'PAUSED']);

/** A JSON int64 (string or number, absent for 0) as a Number. */
export function int(value) {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** True while a meeting runs (task, reflection or paused). */
export function isRunning(state) {
  return RUNNING.has(state?.mode);
}

/**
 * The figures of `state` carried forward to `serverNowMs` (server wall-clock ms), with the
 * status recomputed. `leadMs` is how long before the latest moment the room wants warning
 * (the room's nudge lead). Returns null when there is no meeting.
 */
export function live(state, serverNowMs, leadMs = 5 * 60000) {
  if (!state?.meetingId || !state.mode) return null;
  const scale = Number(state.timeScale ?? 1) || 1;
  const running = isRunning(state);
  const passed = running ? Math.max(0, (serverNowMs - int(state.serverTimeMs)) * scale) : 0;
  const figures = {
    mode: state.mode,
    plannedMs: int(state.plannedMs),
    targetPct: int(state.targetPct),
    taskMs: int(state.taskMs) + (state.mode === 'TASK' ? passed : 0),
    reflectionMs: int(state.reflectionMs) + (state.mode === 'REFLECTION' ? passed : 0),
    pausedMs: int(state.pausedMs) + (state.mode === 'PAUSED' ? passed : 0),
    elapsedMs: int(state.elapsedMs) + passed,
    remainingMs: int(state.remainingMs) - passed,
    reflectByInMs: null,
    endOnTime: state.endOnTime === true,
    status: state.status ?? 'ON_TRACK',
  };
  figures.share = rule.share(figures.taskMs, figures.reflectionMs);
  figures.targetMetNow = rule.met(figures.taskMs, figures.reflectionMs, figures.targetPct);
  if (!running) return figures;

  if (figures.remainingMs <= 0) {
    // Overtime: the share is over the actual time.
    figures.status = figures.targetMetNow ? 'MET' : 'MISSED';
    return figures;
  }
  // Reflection still needed by the planned end, if the rest of the plan is not paused.
  const wouldBeActive = figures.taskMs + figures.reflectionMs + figures.remainingMs;
  const needed = Math.max(0, rule.requiredMs(wouldBeActive, figures.targetPct) -
                                 figures.reflectionMs);
  if (needed === 0) {
    figures.status = 'MET';
    return figures;
  }
  const latestIn = figures.remainingMs - needed;
  if (state.mode === 'TASK') figures.reflectByInMs = latestIn;
  if (latestIn < 0) figures.status = 'MISSED';
  else if (state.mode === 'REFLECTION' || latestIn > leadMs) figures.status = 'ON_TRACK';
  else figures.status = 'AT_RISK';
  return figures;
}

/** "m:ss", or "h:mm:ss" from an hour; negative lengths read as their size. */
export function clock(ms) {
  const total = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
                   : `${minutes}:${seconds}`;
}

/** A length in words for reading aloud or in a summary: "1 hour 5 minutes", "40 seconds". */
export function spoken(ms) {
  const total = Math.round(Math.abs(ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts = [];
  const unit = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (hours) parts.push(unit(hours, 'hour'));
  if (minutes) parts.push(unit(minutes, 'minute'));
  if (seconds && !hours) parts.push(unit(seconds, 'second'));
  return parts.length ? parts.join(' ') : '0 minutes';
}

/** A share 0..1 as the whole per cent people see (reflection_rule.js: rounded down). */
export function percent(share) {
  return `${rule.shownPercentOfShare(share)}%`;
}

/**
 * The sentence under the timer: what the status means now and what to do about it.
 * `timeOfDay(ms)` turns "in ms meeting-clock time from now" into a time of day to read.
 */
export function advice(figures, timeOfDay) {
  if (!figures) return '';
  const target = `${figures.targetPct}%`;
  switch (figures.status) {
    case 'MET':
      return figures.remainingMs <= 0 && figures.mode !== 'ENDED'
        ? `Past the planned end; you are keeping your ${target}.`
        : `You have reached your ${target} of reflection for this meeting.`;
    case 'MISSED':
      return figures.remainingMs <= 0
        ? `Past the planned end, below your ${target}: reflecting now still raises the share.`
        : `Even reflecting from now on would leave you below your ${target}; every minute of ` +
          'reflection still counts.';
    case 'AT_RISK':
      return figures.reflectByInMs !== null
        ? `Start reflecting by ${timeOfDay(figures.reflectByInMs)} to keep your ${target}.`
        : `Reflection needs to start soon to keep your ${target}.`;
    default:
      if (figures.mode === 'REFLECTION') return `Reflecting: on track for your ${target}.`;
      if (figures.reflectByInMs !== null) {
        return `On track: start reflecting by ${timeOfDay(figures.reflectByInMs)} to keep your ` +
               `${target}.`;
      }
      return `On track for your ${target}.`;
  }
}

/** True when ending now would leave the meeting below its target (ask for a reason). */
export function endsBelowTarget(figures) {
  return Boolean(figures) && !figures.targetMetNow;
}

/**
 * What changed between two readings that a person should hear about, or null: the
 * thresholds (target reached, missed, the planned end passed). Not the mode (said where it
 * changes), not "reflection needs to start soon" (the reminder says it), and never the plain
 * passing of time.
 */
export function threshold(before, after) {
  if (!after) return null;
  if (!before || before.mode !== after.mode) return null;  // mode changes are said elsewhere
  if (before.status !== after.status) {
    if (after.status === 'MET') return `Target reached: ${after.targetPct}% of your time in reflection.`;
    // Reflection needing to start soon is what the server's reminder says at that moment.
    if (after.status === 'MISSED') return 'The reflection target can no longer be reached by the planned end.';
  }
  if (before.remainingMs > 0 && after.remainingMs <= 0) return 'The planned time is over.';
  return null;
}

/**
 * Bars of the reflection-share chart, one per past meeting, oldest first: { label, share,
 * targetPct, met, meetingId }. At most `limit` of the most recent.
 */
export function chartBars(pastMeetings, limit = 12) {
  return (pastMeetings ?? []).slice(-limit).map((m, i, list) => ({
    meetingId: m.meetingId ?? '',
    label: (m.title ?? '').trim() || `Meeting ${pastMeetings.length - list.length + i + 1}`,
    share: Number(m.share ?? 0) || 0,
    targetPct: int(m.targetPct),
    met: m.met === true,
    endedAtMs: int(m.endedAtMs),
  }));
}

/** One sentence describing the chart, for people who cannot see it. */
export function chartDescription(bars) {
  if (!bars.length) return 'No meetings yet.';
  const met = bars.filter((b) => b.met).length;
  const shares = bars.map((b) => percent(b.share)).join(', ');
  return `Reflection share of the last ${bars.length === 1 ? 'meeting' : `${bars.length} meetings`}, ` +
         `oldest first: ${shares}. Target met in ${met} of ${bars.length}.`;
}
