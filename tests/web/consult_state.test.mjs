// Tests for the consult panel's state (clients/web/js/consult_state.js): the countdown carried
// forward, the run as each member sees it, and what is said aloud.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as consult from '../../clients/web/js/consult_state.js';

const names = { a: 'Asha', b: 'Ben' };
const memberName = (id) => names[id];
const nameOf = (id) => (id === 'a' ? 'you' : memberName(id) || 'someone');

function run(fields = {}) {
  return {
    consultId: 'c1', active: true, status: 'running', scriptName: 'Pair consult', round: 1,
    roundCount: 2, presenter: 'b', phaseIndex: 1, phaseRemainingMs: '60000', timeScale: 1,
    phases: [{ title: 'Present', minutes: 5 },
             { title: 'Discuss', minutes: 10, presenterTurnedAway: true },
             { title: 'Reflect', minutes: 5, reflection: true }],
    roles: [{ memberId: 'a', roleName: 'Consultant', prompt: 'Ask.', mayAskQuestions: true,
              present: true, speaks: true },
            { memberId: 'b', roleName: 'Person presenting', kind: 'presenter', turnedAway: true,
              present: false }],
    ready: ['b'], waitingFor: ['a'], advanceWhenReady: true, ...fields,
  };
}

test('the countdown runs at the clock’s scale and stops while paused', () => {
  assert.equal(consult.remainingMs(run(), 10000), 50000);
  assert.equal(consult.remainingMs(run({ timeScale: 10 }), 10000), 0);
  assert.equal(consult.remainingMs(run({ paused: true }), 10000), 60000);
  assert.equal(consult.remainingMs(null, 10), 0);
  assert.deepEqual(consult.countdown(run(), 61500),
                   { text: '1:02 left in this phase', label: '1 minute 2 seconds left in this phase' });
  assert.equal(consult.spokenDuration(120000), '2 minutes');
  assert.equal(consult.spokenDuration(900), '1 second');
  assert.deepEqual(consult.countdown(run({ active: false }), 1), { text: '', label: '' });
});

test('a structure is described by its phases and their minutes', () => {
  assert.equal(consult.scriptDescription({ description: 'Two people.', phases: [
    { title: 'A', minutes: 5 }, { title: 'B', minutes: 10 }] }),
               'Two people. Each round: A (5 min), B (10 min). 15 minutes a round.');
  assert.equal(consult.scriptDescription(undefined), '');
  assert.equal(consult.scriptOption({ name: 'Troika', minMembers: 3, maxMembers: 4 }),
               'Troika (for 3 to 4 people)');
  assert.equal(consult.scriptOption({ name: 'Pair consult', minMembers: 2, maxMembers: 2 }),
               'Pair consult (for 2 people)');
});

test('the run as a consultant sees it', () => {
  const v = consult.runView(run(), 'a', nameOf, memberName);
  assert.equal(v.round, 'Round 1 of 2: Ben presents.');
  assert.equal(v.phase, 'Phase 2 of 3: Discuss');
  assert.equal(v.myRole, 'Your role: Consultant');
  assert.equal(v.prompt, 'Ask.');
  assert.deepEqual(v.phases.map((p) => p.current), [false, true, false]);
  assert.equal(v.phases[1].text, 'Discuss: 10 min. The person presenting turns away and listens');
  assert.equal(v.roles[0].parts.join(''), 'Asha (you): Consultant, speaking');
  assert.equal(v.roles[1].parts.join(''), 'Ben: the person presenting, turned away and listening, ready, offline');
  assert.equal(v.readyLine, 'This phase moves on when everyone here is ready, when its time runs ' +
                            'out, or when someone presses Move on now, whichever comes first. ' +
                            'Waiting for you.');
  assert.equal(v.showControls, true);
  assert.equal(v.mayAsk, true);
  assert.equal(v.turnedAway, false);
});

test('the presenter turned away gets the notes pane and when they turn back', () => {
  const v = consult.runView(run(), 'b', (id) => (id === 'b' ? 'you' : names[id]), memberName);
  assert.equal(v.turnedAway, true);
  assert.equal(v.showControls, false);
  assert.equal(v.round, 'Round 1 of 2: you present.');
  assert.equal(v.turnBack, 'You turn back for “Reflect”, when this phase ends.');
});

test('takeaways open for the presenter in the last phase, and for all at the end', () => {
  assert.equal(consult.runView(run({ phaseIndex: 2 }), 'b', nameOf, memberName).mayTakeAway, true);
  assert.equal(consult.runView(run({ phaseIndex: 2 }), 'a', nameOf, memberName).mayTakeAway, false);
  assert.equal(consult.runView(run({ active: false, status: 'finished' }), 'a', nameOf, memberName)
                   .mayTakeAway, true);
});

test('the status line and what is said aloud, once each', () => {
  assert.equal(consult.statusText(null, nameOf), 'No consult yet. Start one below when you are ready.');
  assert.equal(consult.statusText(run({ paused: true, pausedBy: 'b' }), nameOf),
               'Ben paused the round: the time has stopped.');
  assert.equal(consult.statusText(run({ status: 'stopped', changedBy: 'a' }), nameOf),
               'The consult was stopped by you.');
  const said = { key: '' };
  assert.equal(consult.announcement(run(), 'a', said), 'Now: Discuss. Ask.');
  assert.equal(consult.announcement(run(), 'a', said), null);
  assert.equal(consult.announcement(run({ paused: true }), 'a', said), 'The round is paused.');
  assert.equal(consult.announcement(run({ active: false, status: 'finished' }), 'a', said),
               'The consult has finished.');
  assert.equal(consult.announcement(null, 'a', said), null);
});

test('a question joins its own run once', () => {
  const state = run({ questions: [{ id: 'q1' }] });
  assert.equal(consult.withQuestion(state, { id: 'q1', consultId: 'c1' }), null);
  assert.equal(consult.withQuestion(state, { id: 'q2', consultId: 'other' }), null);
  assert.equal(consult.withQuestion(null, { id: 'q2', consultId: 'c1' }), null);
  assert.equal(consult.withQuestion(state, { id: 'q2', consultId: 'c1' }).questions.length, 2);
  assert.equal(consult.runOf({}), null);
});

test('the phase moves on as the engine moves it: by time, by Move on now, or all ready', () => {
  assert.equal(consult.movesOnText(false, [], 0),
               'This phase moves on when its time runs out, or when someone presses Move on now.');
  assert.equal(consult.movesOnText(false, [], 2),
               'This phase moves on when its time runs out, or when someone presses Move on now ' +
               '(2 ready).');
  assert.match(consult.movesOnText(true, ['Asha', 'Ben'], 0), /Waiting for Asha and Ben\.$/);
  assert.match(consult.movesOnText(true, [], 3), /when its time runs out.*Everyone is ready\.$/);
  const paused = consult.runView(run({ paused: true }), 'a', nameOf, memberName);
  assert.equal(paused.readyLine, 'The round is paused: the time stops until someone resumes it.');
});

test('turned away, the person presenting can say they are ready, as the others wait for them', () => {
  // The engine counts everyone present, the turned-away presenter too.
  const state = run({ roles: [
    { memberId: 'a', roleName: 'Consultant', present: true, speaks: true },
    { memberId: 'b', roleName: 'Person presenting', kind: 'presenter', turnedAway: true, present: true }],
  ready: ['a'], waitingFor: ['b'] });
  const ben = consult.runView(state, 'b', (id) => (id === 'b' ? 'you' : names[id]), memberName);
  assert.equal(ben.turnedAway, true);
  assert.equal(ben.showControls, false);
  assert.equal(ben.mayBeReadyAway, true);
  assert.equal(ben.myRole, 'Your role: the person presenting');
  const asha = consult.runView(state, 'a', nameOf, memberName);
  assert.match(asha.readyLine, /Waiting for Ben\.$/);
  // Without "move on when everyone is ready" readiness moves nothing: no button for it.
  const timed = consult.runView({ ...state, advanceWhenReady: false }, 'b', nameOf, memberName);
  assert.equal(timed.mayBeReadyAway, false);
});

test('stopping asks first, naming who it stops for', () => {
  assert.equal(consult.stopQuestion(['Ben', 'Chidi']),
               'Stop the consult for everyone? It stops for Ben and Chidi too, and cannot be ' +
               'started again where it stopped.');
  assert.equal(consult.stopQuestion([]), 'Stop the consult? It cannot be started again where it stopped.');
  assert.equal(consult.roleWords({ kind: 'presenter', roleName: 'Person presenting' }), 'the person presenting');
  assert.equal(consult.roleWords({ kind: 'consultant', roleName: 'Consultant' }), 'Consultant');
});

test('a notice of the run is short: the prompt is said aloud and shown in the panel', () => {
  assert.equal(consult.noticeOf(run()), 'Pair consult: now “Discuss”.');
  assert.equal(consult.noticeOf(run({ paused: true, pausedBy: 'b' }), run(), nameOf),
               'Ben paused the round of Pair consult.');
  assert.equal(consult.noticeOf(run({ startedBy: 'b' }), null, nameOf), 'Ben started Pair consult.');
  assert.equal(consult.noticeOf(run({ active: false, status: 'stopped' })), 'Pair consult has stopped.');
  assert.equal(consult.noticeOf(null), '');
});

test('a set’s facilitator keeps time while present; the others may only pause', () => {
  const kept = (fields = {}) => run({
    facilitator: 'a', facilitatorKeepsTime: true, paused: true, pausedBy: 'b', ...fields });
  const mine = consult.runView(kept(), 'a', nameOf, memberName);
  assert.equal(mine.mayKeepTime, true);
  assert.match(mine.timeKeeper, /^You keep time in this set/);
  const theirs = consult.runView(kept(), 'b', (id) => (id === 'b' ? 'you' : names[id]), memberName);
  assert.equal(theirs.mayKeepTime, false);
  assert.equal(theirs.timeKeeper,
               'Asha keeps time in this set: ask them to move on or give more time. Anyone may ' +
               'pause the round.');
  assert.equal(theirs.readyLine, 'The round is paused: the time stops until Asha resumes it.');
  // Away, the facilitator keeps no time: the set keeps its own.
  const away = kept({ roles: run().roles.map((r) => ({ ...r, present: r.memberId !== 'a' })) });
  const alone = consult.runView(away, 'b', nameOf, memberName);
  assert.equal(alone.mayKeepTime, true);
  assert.equal(alone.timeKeeper, '');
  assert.equal(consult.runView(run(), 'b', nameOf, memberName).mayKeepTime, true);
});

test('the start form says who takes the facilitator seat’s part', () => {
  const actionLearning = { roles: [{ id: 'issue-holder', kind: 'PRESENTER' },
                                   { id: 'facilitator', kind: 'FACILITATOR' }] };
  const troika = { roles: [{ id: 'client', kind: 'PRESENTER' }] };
  assert.equal(consult.hasFacilitatorRole(actionLearning), true);
  assert.equal(consult.hasFacilitatorRole(troika), false);
  assert.equal(consult.facilitatorSeatText(actionLearning, { name: 'Fay' }),
               'Fay, in the facilitator seat, facilitates and keeps time; the others take the ' +
               'roles.');
  assert.match(consult.facilitatorSeatText(troika, { name: 'Fay' }), /takes part like everyone/);
  assert.equal(consult.facilitatorSeatText(actionLearning, undefined), '');
});
