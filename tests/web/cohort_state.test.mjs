// Tests for the facilitators' overview in words (clients/web/js/cohort_state.js): each room's
// card from its RoomOverview, the time carried forward between overviews, what a facilitator
// hears when a room changes, the cohort's chart, the items grouped and answered, and the
// commands with their limits.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as commands from '../../clients/web/js/cohort_commands.js';
import * as cohort from '../../clients/web/js/cohort_state.js';

const MIN = 60000;
const T0 = 1_800_000_000_000;

function overview(fields = {}) {
  return { roomId: 'r1', title: 'Pair one', seats: 2, members: 2, present: ['Asha', 'Ben'],
           mode: 'TASK', share: 0.1, targetPct: 40, status: 'ON_TRACK',
           elapsedMs: String(10 * MIN), plannedMs: String(60 * MIN), meetingTitle: 'Week 1',
           lastActivityMs: String(T0), serverTimeMs: String(T0), ...fields };
}

function welcome(rooms, programme = {}) {
  return { cohortId: 'c1', title: ' Spring set ', facilitator: 1, name: 'Sam', timeScale: 1,
           rooms, programme: { cohortId: 'c1', ...programme } };
}

test('the welcome gives the rooms in order, the items and the answers', () => {
  const m = cohort.createCohort();
  cohort.takeWelcome(m, welcome([overview(), overview({ roomId: 'r2', title: 'Pair two' })],
                                { items: [{ id: 'i1', text: 'x' }], answers: [] }));
  assert.equal(m.title, 'Spring set');
  assert.equal(m.facilitator, 'Sam');
  assert.deepEqual(m.rooms.map((r) => r.roomId), ['r1', 'r2']);
  assert.equal(m.items.length, 1);
  assert.equal(m.welcomed, true);
});

test('a room’s card: who is here, the mode, the time left, the share against the target', () => {
  const f = cohort.roomFacts(overview(), T0 + 5 * MIN, { dateAndTime: () => '14:00' });
  assert.equal(f.title, 'Pair one');
  assert.equal(f.people, 'Here now: Asha and Ben');
  assert.equal(f.seats, '2 of 2 seats taken');
  assert.equal(f.modeWords, 'Task — Week 1');
  assert.equal(f.mark, '■');
  assert.equal(f.time, '45:00 left of 1 hour');
  assert.equal(f.share, 'Reflection so far 10%, target 40%');
  assert.equal(f.status, 'On track');
  assert.equal(f.atRisk, false);
  assert.equal(f.consult, 'No consult running');
  assert.equal(f.activity, 'Last activity 14:00');
  assert.equal(f.sharing, 'Keeps its learning to itself');
});

test('at risk and over time are said in words, not colour alone', () => {
  const risky = cohort.roomFacts(overview({ status: 'AT_RISK' }), T0);
  assert.equal(risky.atRisk, true);
  assert.match(risky.status, /^At risk/);
  const over = cohort.roomFacts(overview({ elapsedMs: String(70 * MIN), status: 'MISSED' }), T0);
  assert.equal(over.over, true);
  assert.match(over.time, /^Over by 10:00 \(1 hour planned\)/);
  assert.match(over.status, /^Missed/);
});

test('the time runs at the server’s time scale, and stands still when no meeting runs', () => {
  assert.equal(cohort.meetingTime(overview(), T0 + MIN, 60).elapsedMs, 70 * MIN);
  const ended = overview({ mode: 'ENDED' });
  assert.equal(cohort.meetingTime(ended, T0 + MIN, 60).elapsedMs, 10 * MIN);
  const empty = cohort.roomFacts({ roomId: 'r3', seats: 3 }, T0);
  assert.equal(empty.title, 'A room');
  assert.equal(empty.people, 'Nobody here now');
  assert.equal(empty.seats, '0 of 3 seats taken');
  assert.equal(empty.modeWords, 'No meeting yet');
  assert.equal(empty.time, '');
  assert.equal(empty.share, '');
  assert.equal(empty.status, '');
});

test('a consult’s script and phase, and a room that shares its learning', () => {
  const f = cohort.roomFacts(overview({ consultScript: 'Troika', consultPhase: 'Questions',
                                        consultPaused: true, sharesLearning: true }), T0);
  assert.equal(f.consult, 'Consult: Troika, Questions (paused)');
  assert.equal(f.sharing, 'Shares its learning with the programme');
});

test('a room’s change is heard once, in words', () => {
  const m = cohort.createCohort();
  cohort.takeWelcome(m, welcome([overview({ mode: undefined, status: undefined })]));
  assert.equal(cohort.takeRoom(m, overview()), 'Pair one started a meeting.');
  assert.equal(cohort.takeRoom(m, overview()), null);
  assert.equal(cohort.takeRoom(m, overview({ mode: 'REFLECTION' })), 'Pair one switched to reflection.');
  assert.equal(cohort.takeRoom(m, overview({ mode: 'REFLECTION', status: 'AT_RISK' })),
               'Pair one is at risk of missing its reflection target.');
  assert.equal(cohort.takeRoom(m, overview({ mode: 'ENDED' })), 'Pair one ended its meeting.');
  assert.equal(cohort.takeRoom(m, overview({ mode: 'ENDED', consultScript: 'Troika' })),
               'Pair one started a consult: Troika.');
  // A room not in the welcome is added at the end; an overview without a room is ignored.
  assert.equal(cohort.takeRoom(m, overview({ roomId: 'r9', title: 'Late' })), null);
  assert.deepEqual(m.rooms.map((r) => r.roomId), ['r1', 'r9']);
  assert.equal(cohort.takeRoom(m, { title: 'x' }), null);
  assert.equal(m.rooms.length, 2);
});

test('the summary counts rooms with people, meetings running and rooms at risk', () => {
  const m = cohort.createCohort();
  cohort.takeWelcome(m, welcome([overview({ status: 'AT_RISK' }),
                                 overview({ roomId: 'r2', present: [], mode: undefined })]));
  assert.equal(cohort.summary(m),
               '2 rooms: people in 1, a meeting running in 1, 1 at risk of missing the reflection target.');
});

test('the chart: one bar per round of meetings, the rooms’ mean share against their target', () => {
  const rooms = [
    overview({ meetings: [{ share: 0.5, targetPct: 40 }, { share: 0.2, targetPct: 40 }] }),
    overview({ roomId: 'r2', meetings: [{ share: 0.3, targetPct: 40 }] }),
  ];
  const bars = cohort.chartBars(rooms);
  assert.equal(bars.length, 2);
  assert.equal(bars[0].label, 'Meeting 1');
  assert.ok(Math.abs(bars[0].share - 0.4) < 1e-9);
  assert.equal(bars[0].targetPct, 40);
  assert.equal(bars[0].rooms, 2);
  assert.equal(bars[0].metRooms, 1);
  assert.equal(bars[1].rooms, 1);
  assert.equal(bars[1].met, false);
  assert.match(cohort.chartDescription(bars), /Meeting 1, 40% in 2 rooms \(target met in 1\)/);
  assert.equal(cohort.chartDescription([]), 'No room has ended a meeting yet.');
  assert.deepEqual(cohort.roomFacts(rooms[0], T0).meetings, ['50% ✓', '20% ✗']);
});

test('new items are told once; items are grouped, ungrouped last, with where they stand', () => {
  const m = cohort.createCohort();
  cohort.takeWelcome(m, welcome([overview()]));
  const items = [
    { id: 'i1', roomId: 'r1', roomTitle: 'Pair one', category: 'LOCAL_SYSTEM', text: 'No rooms to meet in',
      raisedAtMs: String(T0), anonymous: true },
    { id: 'i2', roomId: 'r2', roomTitle: 'Pair two', category: 'HOW_WE_WORK', text: 'Rotas',
      raisedAtMs: String(T0), group: 'Time', answerId: 'a1' },
  ];
  const fresh = cohort.takeProgramme(m, { items: items.slice(0, 1) });
  assert.deepEqual(fresh.map((i) => i.id), ['i1']);
  assert.equal(cohort.raisedText(fresh[0]), 'Pair one raised with the programme: No rooms to meet in');
  const next = cohort.takeProgramme(m, { items, answers: [{ id: 'a1', text: 'Protected time',
                                                            itemIds: ['i2'], answeredBy: 'Sam',
                                                            atMs: String(T0) }] });
  assert.deepEqual(next.map((i) => i.id), ['i2']);
  const groups = cohort.itemGroups(m, () => 'then');
  assert.deepEqual(groups.map((g) => g.group), ['Time', 'Not grouped']);
  assert.equal(groups[0].items[0].state, 'Answered; the room has not closed it yet');
  assert.equal(groups[1].items[0].from, 'Pair one (anonymous to the other rooms)');
  assert.equal(groups[1].items[0].category, 'Our local system');
  assert.equal(groups[1].items[0].state, 'Not answered yet');
  const answers = cohort.answerFacts(m, () => 'then');
  assert.equal(answers[0].by, 'Sam, then');
  assert.deepEqual(answers[0].answers, ['“Rotas”']);
});

test('commands: every room or the chosen ones, with clear problems and nothing sent', () => {
  assert.deepEqual(commands.broadcast('  Back at 3  ', null),
                   { command: { broadcast: { text: 'Back at 3', roomIds: [] } } });
  assert.deepEqual(commands.broadcast('Hi', ['r2']).command.broadcast.roomIds, ['r2']);
  assert.equal(commands.broadcast(' ', null).problem, 'Write the message first.');
  assert.match(commands.broadcast('x'.repeat(501), null).problem, /at most 500/);
  assert.equal(commands.broadcast('Hi', []).problem, 'Choose at least one room.');

  assert.deepEqual(commands.callTime('5', '', null).command,
                   { callTime: { minutesLeft: 5, text: '', roomIds: [] } });
  for (const bad of ['', '0', '121', '2.5', 'five']) {
    assert.match(commands.callTime(bad, '', null).problem, /1 to 120/, bad);
  }
  assert.equal(commands.proposeScript('', null).problem, 'Choose a consulting structure first.');
  assert.deepEqual(commands.proposeScript('troika', ['r1']).command,
                   { proposeScript: { scriptId: 'troika', roomIds: ['r1'] } });

  assert.equal(commands.answer('Done', []).problem, 'Choose the items this answers first.');
  assert.equal(commands.answer(' ', ['i1']).problem, 'Say what was done first.');
  assert.match(commands.answer('x'.repeat(4001), ['i1']).problem, /at most 4,000/);
  assert.deepEqual(commands.answer('Done', ['i1']).command, { answer: { text: 'Done', itemIds: ['i1'] } });
  assert.deepEqual(commands.group(' Time ', ['i1']).command, { group: { itemIds: ['i1'], group: 'Time' } });
  assert.match(commands.group('x'.repeat(81), ['i1']).problem, /at most 80/);
  assert.equal(commands.group('Time', []).problem, 'Choose the items to group first.');

  assert.equal(commands.doneText({ broadcast: {} }, null), 'Message sent to every room.');
  assert.equal(commands.doneText({ callTime: {} }, ['r1']), 'Time called in 1 room.');
  assert.equal(commands.doneText({ group: { group: '' } }), 'Ungrouped.');
  assert.equal(commands.toRooms(['a', 'b']), '2 rooms');
});
