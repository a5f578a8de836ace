// Tests for the meeting clock as the page reads it (clients/web/js/meeting_view.js): carrying a
// meetingState forward between pushes, the 40 per cent rule's status, and what is said aloud.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as view from '../../clients/web/js/meeting_view.js';

const MIN = 60000;
const T0 = 1_800_000_000_000;  // server wall-clock ms of the state

// A 60-minute meeting at 40%, in JSON as the server sends it (int64 as strings).
function state(fields = {}) {
  return {
    meetingId: 'm1', mode: 'TASK', serverTimeMs: String(T0), plannedMs: String(60 * MIN),
    targetPct: 40, taskMs: '0', reflectionMs: '0', pausedMs: '0', elapsedMs: '0',
    remainingMs: String(60 * MIN), status: 'ON_TRACK', timeScale: 1, ...fields,
  };
}

test('no meeting has no figures', () => {
  assert.equal(view.live(null, T0), null);
  assert.equal(view.live({}, T0), null);
});

test('task time runs on from the state’s server time', () => {
  const f = view.live(state(), T0 + 10 * MIN);
  assert.equal(f.taskMs, 10 * MIN);
  assert.equal(f.reflectionMs, 0);
  assert.equal(f.elapsedMs, 10 * MIN);
  assert.equal(f.remainingMs, 50 * MIN);
  assert.equal(f.share, 0);
  assert.equal(f.reflectByInMs, 26 * MIN, 'latest moment is 36:00');
  assert.equal(f.status, 'ON_TRACK');
});

test('an accelerated clock runs timeScale meeting ms per real ms', () => {
  const f = view.live(state({ timeScale: 600 }), T0 + 1000);
  assert.equal(f.taskMs, 10 * MIN);
});

test('a state from the future (clock offset) never runs backwards', () => {
  const f = view.live(state({ taskMs: String(5 * MIN), elapsedMs: String(5 * MIN) }), T0 - 5000);
  assert.equal(f.taskMs, 5 * MIN);
});

test('at risk within the lead time of the latest moment, missed after it', () => {
  assert.equal(view.live(state(), T0 + 30 * MIN, 5 * MIN).status, 'ON_TRACK');
  assert.equal(view.live(state(), T0 + 31 * MIN, 5 * MIN).status, 'AT_RISK');
  const atLatest = view.live(state(), T0 + 36 * MIN, 5 * MIN);
  assert.equal(atLatest.status, 'AT_RISK', 'starting reflection now still reaches 40% exactly');
  assert.equal(atLatest.reflectByInMs, 0);
  assert.equal(view.live(state(), T0 + 36 * MIN + 1, 5 * MIN).status, 'MISSED');
});

test('reflection reaching the target reads met, exactly at 40%', () => {
  const reflecting = state({ mode: 'REFLECTION', taskMs: String(36 * MIN),
                             elapsedMs: String(36 * MIN), remainingMs: String(24 * MIN) });
  const before = view.live(reflecting, T0 + 24 * MIN - 1);
  assert.equal(before.status, 'ON_TRACK');
  assert.equal(before.targetMetNow, false);
  const at = view.live(reflecting, T0 + 24 * MIN);
  assert.equal(at.reflectionMs, 24 * MIN);
  assert.equal(at.share, 0.4);
  assert.equal(at.targetMetNow, true);
  assert.equal(view.percent(at.share), '40%');
  assert.equal(view.threshold(before, at), 'Target reached: 40% of your time in reflection.');
});

test('met before the planned end once the rest could all go to task', () => {
  const reflecting = state({ mode: 'REFLECTION' });
  assert.equal(view.live(reflecting, T0 + 24 * MIN - 1).status, 'ON_TRACK');
  const met = view.live(reflecting, T0 + 24 * MIN);
  assert.equal(met.status, 'MET');
  assert.equal(view.threshold(view.live(reflecting, T0 + 24 * MIN - 1), met),
               'Target reached: 40% of your time in reflection.');
});

test('pause counts as neither and stops nothing but the share', () => {
  const paused = state({ mode: 'PAUSED', taskMs: String(10 * MIN), elapsedMs: String(10 * MIN),
                         remainingMs: String(50 * MIN) });
  const f = view.live(paused, T0 + 5 * MIN);
  assert.equal(f.taskMs, 10 * MIN);
  assert.equal(f.pausedMs, 5 * MIN);
  assert.equal(f.elapsedMs, 15 * MIN);
  assert.equal(f.remainingMs, 45 * MIN);
  // Paused time shortens what the target asks: 40% of (10 + 45) = 22 minutes.
  assert.equal(f.reflectByInMs, null, 'the latest moment is for task mode');
  assert.equal(f.status, 'ON_TRACK');
});

test('overtime: the share is over the actual time', () => {
  const over = state({ mode: 'TASK', taskMs: String(36 * MIN), reflectionMs: String(24 * MIN),
                       elapsedMs: String(60 * MIN), remainingMs: '0' });
  const f = view.live(over, T0 + 10 * MIN);
  assert.equal(f.remainingMs, -10 * MIN);
  assert.equal(f.status, 'MISSED', '24 of 70 minutes is below 40%');
  assert.match(view.advice(f, () => '14:32'), /Past the planned end, below your 40%/);
  assert.equal(view.clock(f.remainingMs), '10:00');
});

test('an ended meeting does not run on', () => {
  const ended = state({ mode: 'ENDED', taskMs: String(36 * MIN), reflectionMs: String(24 * MIN),
                        elapsedMs: String(60 * MIN), remainingMs: '0', status: 'MET' });
  const f = view.live(ended, T0 + 10 * MIN);
  assert.equal(f.elapsedMs, 60 * MIN);
  assert.equal(f.status, 'MET');
  assert.equal(view.isRunning(ended), false);
});

test('advice names the time of day to start reflecting', () => {
  const f = view.live(state(), T0 + 32 * MIN, 5 * MIN);
  assert.equal(view.advice(f, (ms) => (ms === 4 * MIN ? '14:32' : '?')),
               'Start reflecting by 14:32 to keep your 40%.');
});

test('ending below target asks for a reason; at the target it does not', () => {
  const task = view.live(state(), T0 + 10 * MIN);
  assert.equal(view.endsBelowTarget(task), true);
  const kept = view.live(state({ taskMs: String(6 * MIN), reflectionMs: String(4 * MIN),
                                 elapsedMs: String(10 * MIN), remainingMs: String(50 * MIN) }), T0);
  assert.equal(view.endsBelowTarget(kept), false);
});

test('thresholds: a status change within one mode, never the passing of time', () => {
  const a = view.live(state(), T0 + 10 * MIN);
  const b = view.live(state(), T0 + 11 * MIN);
  assert.equal(view.threshold(a, b), null);
  assert.equal(view.threshold(view.live(state(), T0 + 30 * MIN), view.live(state(), T0 + 31 * MIN)),
               null, 'the reminder says reflection must start soon');
  assert.equal(view.threshold(view.live(state(), T0 + 36 * MIN), view.live(state(), T0 + 37 * MIN)),
               'The reflection target can no longer be reached by the planned end.');
  const reflecting = view.live(state({ mode: 'REFLECTION' }), T0);
  assert.equal(view.threshold(a, reflecting), null, 'a mode change is announced by itself');
});

test('clock and spoken lengths', () => {
  assert.equal(view.clock(0), '0:00');
  assert.equal(view.clock(59_999), '0:59');
  assert.equal(view.clock(36 * MIN), '36:00');
  assert.equal(view.clock(125 * MIN + 5000), '2:05:05');
  assert.equal(view.spoken(60 * MIN), '1 hour');
  assert.equal(view.spoken(65 * MIN), '1 hour 5 minutes');
  assert.equal(view.spoken(90_000), '1 minute 30 seconds');
  assert.equal(view.spoken(0), '0 minutes');
  assert.equal(view.percent(0.3999), '39%');
  assert.equal(view.percent(0.4), '40%');
});

test('chart bars: the most recent meetings, oldest first, described in words', () => {
  const past = Array.from({ length: 14 }, (_, i) => ({
    meetingId: `m${i}`, title: i === 13 ? 'Board prep' : '', share: i / 20, targetPct: 40,
    met: i / 20 >= 0.4,
  }));
  const bars = view.chartBars(past, 12);
  assert.equal(bars.length, 12);
  assert.equal(bars[0].meetingId, 'm2');
  assert.equal(bars[0].label, 'Meeting 3');
  assert.equal(bars[11].label, 'Board prep');
  assert.match(view.chartDescription(bars), /last 12 meetings, oldest first: 10%, 15%/);
  assert.match(view.chartDescription(bars), /Target met in 6 of 12\./);
  assert.equal(view.chartDescription([]), 'No meetings yet.');
});
