// The room bar's words and shapes: who is here, what the room is doing now (a meeting in task,
// reflection or paused, a consult's phase), the time left, and the reflection share drawn
// beside the task time with the target marked. Pure: no DOM and no clock of its own; it reads
// what the features already hold (the meeting's state, the consult's run, presence) and the
// figures come from meeting_view.js, so the bar and the meeting panel never disagree.
// Tested in tests/web/room_bar_state.test.mjs.

import { formatDuration } from './consult_state.js';
import * as view from './meeting_view.js';

/** Shapes that repeat each mode's word, so no mode is told by colour alone. */
export const MODE_MARKS = Object.freeze({ TASK: '■', REFLECTION: '●', PAUSED: '❚❚' });

/** "Only you are here", "2 here", with the names in full and how many are away. */
export function people(members, me, connected = true) {
  const all = members ?? [];
  const online = all.filter((m) => m.online);
  const names = online.map((m) => (m.memberId === me ? `${m.name} (you)` : m.name));
  const away = all.length - online.length;
  let count;
  if (!connected) count = 'Not connected';
  else if (online.length === 1 && online[0].memberId === me && away === 0) count = 'Only you here';
  else count = `${online.length} here`;
  return {
    count,
    names: connected ? names.join(', ') : '',
    away: connected && away > 0 ? `${away} away` : '',
  };
}

/**
 * The meeting as the bar shows it, or null when none runs. `meeting` is { state,
 * leadMinutes } as the meeting panel holds them; `hideCount` is the person's choice to hide
 * the running count (then only the mode and the time left show).
 */
export function meetingFacts(meeting, serverNowMs, { hideCount = false } = {}) {
  const state = meeting?.state;
  if (!view.isRunning(state)) return null;
  const figures = view.live(state, serverNowMs, (meeting.leadMinutes ?? 5) * 60000);
  const over = figures.remainingMs < 0;
  const active = figures.taskMs + figures.reflectionMs;
  const reflectionPct = active > 0 ? (figures.reflectionMs / active) * 100 : 0;
  const shown = view.percent(figures.share);
  return {
    mode: figures.mode,
    mark: MODE_MARKS[figures.mode] ?? '',
    modeWords: view.MODE_WORDS[figures.mode] ?? figures.mode,
    over,
    timeWords: over ? `Over by ${view.clock(figures.remainingMs)}`
                    : `${view.clock(figures.remainingMs)} left`,
    hideCount,
    // The bar: reflection from the left, task time after it, the target as a mark.
    reflectionPct: active > 0 ? reflectionPct : 0,
    taskPct: active > 0 ? 100 - reflectionPct : 0,
    targetPct: Math.min(100, Math.max(0, figures.targetPct)),
    shareWords: `Reflection ${shown}`,
    timesWords: `reflection ${view.clock(figures.reflectionMs)}, task ${view.clock(figures.taskMs)}`,
    targetWords: `target ${figures.targetPct}%`,
    met: figures.targetMetNow,
    // What a screen reader hears for the drawing, which itself is hidden from it.
    drawing: `Reflection ${shown} of the time so far (${view.clock(figures.reflectionMs)}), ` +
             `task ${view.clock(figures.taskMs)}; the target is ${figures.targetPct}%` +
             (figures.targetMetNow ? ', reached.' : ', not reached yet.'),
  };
}

/**
 * The consult as the bar shows it, or null when none runs: "Consult: phase 2 of 4,
 * Questions" and the time left in the phase. `remainingMs` is carried forward by the caller.
 */
export function consultFacts(run, remainingMs, me) {
  if (!run?.consultId || run.active !== true) return null;
  const phases = run.phases ?? [];
  const index = Number(run.phaseIndex ?? 0);
  const phase = phases[index] ?? {};
  const mine = (run.roles ?? []).find((r) => r.memberId === me);
  return {
    words: `Consult: phase ${index + 1} of ${phases.length}` +
           (phase.title ? `, ${phase.title}` : ''),
    timeWords: run.paused ? 'paused' : `${formatDuration(remainingMs)} left`,
    turnedAway: Boolean(mine?.turnedAway) && !run.paused,
  };
}

/** Which part of the room holds what is happening now: 'consult', 'meeting' or null. */
export function activity(meetingState, run) {
  if (run?.consultId && run.active === true) return 'consult';
  if (view.isRunning(meetingState)) return 'meeting';
  return null;
}

/** Everything the bar shows. */
export function barFacts({ meeting = null, consult = null, consultRemainingMs = 0, members = [],
                           me = '', connected = true, serverNowMs = 0, hideCount = false } = {}) {
  return {
    people: people(members, me, connected),
    meeting: meetingFacts(meeting, serverNowMs, { hideCount }),
    consult: consultFacts(consult, consultRemainingMs, me),
    activity: activity(meeting?.state, consult),
    idle: 'No meeting running',
  };
}
