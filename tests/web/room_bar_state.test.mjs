// Tests for the room bar's words and shapes (clients/web/js/room_bar_state.js): who is here,
// the meeting's mode and time left, the reflection share beside the task time with the target,
// an overrun said in words, and a consult's phase.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as bar from '../../clients/web/js/room_bar_state.js';

const MIN = 60000;
const T0 = 1_800_000_000_000;

function meeting(fields = {}, leadMinutes = 5) {
  return {
    leadMinutes,
    state: {
      meetingId: 'm1', mode: 'TASK', serverTimeMs: String(T0), plannedMs: String(60 * MIN),
      targetPct: 40, taskMs: '0', reflectionMs: '0', pausedMs: '0', elapsedMs: '0',
      remainingMs: String(60 * MIN), status: 'ON_TRACK', timeScale: 1, ...fields,
    },
  };
}

const members = [
  { memberId: 'a', name: 'Asha', online: true },
  { memberId: 'b', name: 'Ben', online: true },
  { memberId: 'c', name: 'Chen', online: false },
];

test('who is here: a count, the names with "you", and who is away', () => {
  const p = bar.people(members, 'a');
  assert.equal(p.count, '2 here');
  assert.equal(p.names, 'Asha (you), Ben');
  assert.equal(p.away, '1 away');
  assert.equal(bar.people([members[0]], 'a').count, 'Only you here');
  assert.equal(bar.people(members, 'a', false).count, 'Not connected');
  assert.equal(bar.people(members, 'a', false).names, '');
});

test('no meeting: nothing to draw', () => {
  assert.equal(bar.meetingFacts(null, T0), null);
  assert.equal(bar.meetingFacts({ state: { meetingId: 'm1', mode: 'ENDED' } }, T0), null);
});

test('a meeting in task: its mode, its mark and the time left', () => {
  const f = bar.meetingFacts(meeting(), T0 + 10 * MIN);
  assert.equal(f.modeWords, 'Task');
  assert.equal(f.mark, '■');
  assert.equal(f.over, false);
  assert.equal(f.timeWords, '50:00 left');
  assert.equal(f.taskPct, 100);
  assert.equal(f.reflectionPct, 0);
  assert.equal(f.shareWords, 'Reflection 0%');
  assert.equal(f.targetWords, 'target 40%');
  assert.equal(f.targetPct, 40);
});

test('the share is the meeting panel’s: task and reflection drawn together, rounded down', () => {
  // 20 minutes of task, then reflection for 13 minutes 20 seconds: 40% exactly.
  const state = meeting({ mode: 'REFLECTION', taskMs: String(20 * MIN), elapsedMs: String(20 * MIN),
                          remainingMs: String(40 * MIN) });
  const f = bar.meetingFacts(state, T0 + 13 * MIN + 20000);
  assert.equal(f.modeWords, 'Reflection');
  assert.equal(f.shareWords, 'Reflection 40%');
  assert.ok(Math.abs(f.reflectionPct - 40) < 1e-9);
  assert.ok(Math.abs(f.taskPct - 60) < 1e-9);
  assert.equal(f.met, true);
  assert.match(f.drawing, /Reflection 40% .*target is 40%, reached\./);
  // One second less reads 39%, never 40%.
  const g = bar.meetingFacts(state, T0 + 13 * MIN + 19000);
  assert.equal(g.shareWords, 'Reflection 39%');
  assert.equal(g.met, false);
  assert.match(g.drawing, /not reached yet/);
});

test('an overrun is said in words, not only shown', () => {
  const f = bar.meetingFacts(meeting({ remainingMs: String(2 * MIN) }), T0 + 3 * MIN + 5000);
  assert.equal(f.over, true);
  assert.equal(f.timeWords, 'Over by 1:05');
});

test('paused: its mark, and the clock does not run on the task', () => {
  const f = bar.meetingFacts(meeting({ mode: 'PAUSED', taskMs: String(5 * MIN),
                                       remainingMs: String(55 * MIN) }), T0 + MIN);
  assert.equal(f.modeWords, 'Paused');
  assert.equal(f.mark, '❚❚');
  assert.equal(f.timeWords, '54:00 left');
  assert.equal(f.taskPct, 100);
});

test('a consult: its phase and the time left in it', () => {
  const run = { consultId: 'c1', active: true, phaseIndex: 1, paused: false,
                phases: [{ title: 'Presenting' }, { title: 'Questions' }, { title: 'Discussion' }],
                roles: [{ memberId: 'a', turnedAway: false }] };
  const c = bar.consultFacts(run, 90500, 'a');
  assert.equal(c.words, 'Consult: phase 2 of 3, Questions');
  assert.equal(c.timeWords, '1:31 left');
  assert.equal(bar.consultFacts({ ...run, paused: true }, 1000, 'a').timeWords, 'paused');
  assert.equal(bar.consultFacts({ ...run, active: false }, 0, 'a'), null);
  assert.equal(bar.consultFacts(null, 0, 'a'), null);
});

test('what is happening now: a consult before a meeting, else the meeting', () => {
  const run = { consultId: 'c1', active: true };
  assert.equal(bar.activity(meeting().state, run), 'consult');
  assert.equal(bar.activity(meeting().state, null), 'meeting');
  assert.equal(bar.activity({ meetingId: 'm1', mode: 'ENDED' }, null), null);
  assert.equal(bar.activity(null, { consultId: 'c1', active: false }), null);
});

test('the whole bar in one call', () => {
  const facts = bar.barFacts({ meeting: meeting(), members, me: 'b', serverNowMs: T0 + MIN });
  assert.equal(facts.people.names, 'Asha, Ben (you)');
  assert.equal(facts.meeting.timeWords, '59:00 left');
  assert.equal(facts.consult, null);
  assert.equal(facts.activity, 'meeting');
});
