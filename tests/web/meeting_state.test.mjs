// Tests for the meeting panel's state (clients/web/js/meeting_state.js): taking states in,
// what is said aloud about each change, the words of the panel and the summary.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as meeting from '../../clients/web/js/meeting_state.js';
import * as view from '../../clients/web/js/meeting_view.js';

const MIN = 60000;
const names = { a: 'Asha', b: 'Ben' };
const memberName = (id) => names[id];
const nameOf = (id) => meeting.speakerName(id, 'a', memberName);

function state(fields = {}) {
  return { meetingId: 'm1', mode: 'TASK', serverTimeMs: '0', plannedMs: String(60 * MIN),
           targetPct: 40, changedBy: 'b', ...fields };
}

test('members are named as the panel says them', () => {
  assert.equal(nameOf('a'), 'you');
  assert.equal(nameOf('b'), 'Ben');
  assert.equal(nameOf(meeting.ROOM_ACTOR), 'the room itself');
  assert.equal(nameOf(''), 'someone');
  assert.equal(nameOf('x'), 'someone');
  assert.equal(meeting.recordName('a', memberName), 'Asha');
});

test('whole numbers in range only', () => {
  assert.equal(meeting.wholeNumber('40', 1, 100), 40);
  assert.equal(meeting.wholeNumber(' 7 ', 1, 100), 7);
  assert.equal(meeting.wholeNumber('', 1, 100), null);
  assert.equal(meeting.wholeNumber('4.5', 1, 100), null);
  assert.equal(meeting.wholeNumber('0', 1, 100), null);
  assert.equal(meeting.wholeNumber('101', 1, 100), null);
});

test('a state without a meeting id is no meeting', () => {
  const m = meeting.createMeeting();
  const change = meeting.takeState(m, { mode: 'TASK' });
  assert.equal(m.state, null);
  assert.equal(change.hideNudge, true);
  assert.equal(meeting.statusText(m.state, nameOf, {}), 'No meeting yet. Start one when you are ready.');
});

test('an ended meeting joins the past once', () => {
  const m = meeting.createMeeting();
  const ended = state({ mode: 'ENDED', summary: { meetingId: 'm1', share: 0.5, met: true } });
  meeting.takeState(m, ended);
  meeting.takeState(m, ended);
  assert.equal(m.past.length, 1);
});

test('a nudge stays through the room’s own switch, not a member’s', () => {
  const m = meeting.createMeeting();
  meeting.takeState(m, state());
  assert.equal(meeting.takeState(m, state({ mode: 'REFLECTION', changedBy: meeting.ROOM_ACTOR })).hideNudge,
               false);
  assert.equal(meeting.takeState(m, state({ mode: 'TASK', changedBy: 'b' })).hideNudge, true);
});

test('each change is said once, in words', () => {
  const m = meeting.createMeeting();
  let previous = meeting.takeState(m, state()).previous;
  assert.equal(meeting.announcement(m, previous, nameOf),
               'Ben started a meeting: 1 hour, 40% for reflection.');
  assert.equal(meeting.announcement(m, previous, nameOf), null, 'said once');
  previous = meeting.takeState(m, state({ mode: 'REFLECTION', prompt: { index: 0, text: 'How?' } })).previous;
  assert.equal(meeting.announcement(m, previous, nameOf), 'Now reflecting, switched by Ben. How?');
  previous = meeting.takeState(m, state({ mode: 'REFLECTION', prompt: { index: 1, text: 'Why?' } })).previous;
  assert.equal(meeting.announcement(m, previous, nameOf), 'Next prompt: Why?');
  previous = meeting.takeState(m, state({ mode: 'REFLECTION', targetPct: 50, changedBy: 'a',
                                          prompt: { index: 1, text: 'Why?' } })).previous;
  assert.equal(meeting.announcement(m, previous, nameOf), 'You changed the target to 50%.');
  previous = meeting.takeState(m, state({ mode: 'PAUSED', changedBy: meeting.ROOM_ACTOR })).previous;
  assert.match(meeting.announcement(m, previous, nameOf), /^The meeting is paused by itself/);
});

test('joining after the end is not news; a quiet take is not said again', () => {
  const m = meeting.createMeeting();
  const { previous } = meeting.takeState(m, state({ mode: 'ENDED', summary: {} }));
  assert.equal(meeting.announcement(m, previous, nameOf), null);
  const m2 = meeting.createMeeting();
  meeting.takeState(m2, state());
  meeting.markAnnounced(m2);
  assert.equal(meeting.announcement(m2, null, nameOf), null);
});

test('the switch control resumes, or swaps task and reflection', () => {
  assert.deepEqual(meeting.switchRequest(state({ mode: 'PAUSED' })), { resume: {} });
  assert.deepEqual(meeting.switchRequest(state()), { mode: { mode: 'REFLECTION' } });
  assert.deepEqual(meeting.switchRequest(state({ mode: 'REFLECTION' })), { mode: { mode: 'TASK' } });
  assert.equal(meeting.switchWords(state({ mode: 'PAUSED' })), 'Resume');
  assert.equal(meeting.switchWords(state({ mode: 'REFLECTION' })), 'Back to the task');
  assert.equal(meeting.switchWords(state()), 'Switch to reflection');
});

test('the prompt shows its place among the others', () => {
  assert.equal(meeting.promptOf(state()), null);
  assert.deepEqual(meeting.promptOf(state({ mode: 'REFLECTION', prompt: { index: 2, count: 3, text: 'T', section: 'S' } })),
                   { section: 'S', text: 'T', position: 'Prompt 3 of 3', first: false, last: true });
});

test('settings keep the defaults where the server leaves them out', () => {
  const m = meeting.createMeeting();
  assert.deepEqual(meeting.takeSettings(m, {}), { targetPct: 40, leadMinutes: 5, autoReflect: false });
  assert.deepEqual(meeting.takeSettings(m, { reflectionTargetPct: 50, nudgeLeadMinutes: 10, autoReflect: true }),
                   { targetPct: 50, leadMinutes: 10, autoReflect: true });
  assert.equal(m.leadMinutes, 10);
  assert.deepEqual(meeting.settingsRequest(40, 5, false),
                   { settings: { reflectionTargetPct: 40, nudgeLeadMinutes: 5, autoReflect: 'AUTO_OFF' } });
  assert.equal(meeting.settingsChangedText('b', 'a', nameOf), 'Ben changed the room’s settings.');
  assert.equal(meeting.settingsChangedText('a', 'a', nameOf), null);
});

test('ending below the target asks for a reason', () => {
  assert.equal(meeting.endQuestion({ share: 0.2, targetPct: 40, targetMetNow: false }).below, true);
  const met = meeting.endQuestion({ share: 0.5, targetPct: 40, targetMetNow: true });
  assert.equal(met.below, false);
  assert.equal(met.text, 'You kept 50% for reflection (target 40%). End the meeting for everyone?');
});

test('other panels name the current and past meetings', () => {
  const m = meeting.createMeeting();
  m.past = [{ meetingId: 'old', title: '' , startedAtMs: '1' }];
  meeting.takeState(m, state({ title: '' }));
  assert.equal(meeting.titleOf(m, 'm1', () => 'D'), 'this meeting');
  assert.equal(meeting.titleOf(m, 'old', () => 'D'), 'the meeting of D');
  assert.equal(meeting.titleOf(m, 'none', () => 'D'), null);
  assert.equal(meeting.titleOf(m, '', () => 'D'), null);
});

test('the summary joins stretches of one mode and names who ended it', () => {
  const facts = meeting.summaryFacts({
    share: 0.25, met: false, targetPct: 40, taskMs: String(30 * MIN), reflectionMs: String(10 * MIN),
    endedBy: meeting.ROOM_ACTOR, reason: '',
    timeline: [{ mode: 'TASK', fromMs: '0', toMs: String(10 * MIN) },
               { mode: 'TASK', fromMs: String(10 * MIN), toMs: String(30 * MIN), by: 'b' },
               { mode: 'REFLECTION', fromMs: String(30 * MIN), toMs: String(40 * MIN) }],
    notes: [{ text: 'n1', author: 'a' }, { text: 'gone', author: 'b', removed: true }],
    purpose: { text: '  ' },
  }, (id) => meeting.recordName(id, memberName));
  assert.equal(facts.verdict, '25% of the meeting went to reflection, below the 40% target.');
  assert.deepEqual(facts.rows[5], ['Ended by', 'the room itself, at the planned time']);
  assert.equal(facts.timeline.length, 2);
  assert.equal(facts.timeline[0].words, 'Task 0:00–30:00');
  assert.equal(facts.timeline[0].weight, 0.75);
  assert.deepEqual(facts.notes, [{ text: 'n1', by: 'Asha' }]);
  assert.equal(facts.purpose, '');
});

test('a reminder on show says the share the timer shows now, not the one it was sent with', () => {
  // The reminder came when 10% had gone to reflection; later the timer reads 47%.
  const nudge = { kind: 'END_SOON', message: 'Your meeting is planned to end at 10:55, in 5 ' +
                  'minutes. Reflection so far: 10% (your target is 40%).' };
  const later = view.live(state({ mode: 'REFLECTION', taskMs: String(27 * MIN),
                                  reflectionMs: String(23 * MIN + 30000),
                                  elapsedMs: String(50 * MIN + 30000),
                                  remainingMs: String(3 * MIN) }), 0);
  assert.equal(view.percent(later.share), '46%');
  const at = (ms) => `in ${Math.round(ms / 1000)} s`;
  assert.equal(meeting.nudgeText(nudge, later, at),
               'Your meeting is planned to end at in 180 s, in 3 minutes. Reflection so far: 46% ' +
               '(your target is 40%).');
  // A moment later, the same reminder follows the clock.
  const after = view.live(state({ mode: 'REFLECTION', taskMs: String(27 * MIN),
                                  reflectionMs: String(23 * MIN + 30000),
                                  elapsedMs: String(50 * MIN + 30000),
                                  remainingMs: String(3 * MIN) }), 2 * MIN);
  assert.match(meeting.nudgeText(nudge, after, at), /in 1 minute\. Reflection so far: 48%/);
  const ends = view.live(state({ endOnTime: true, remainingMs: String(MIN) }), 0);
  assert.match(meeting.nudgeText(nudge, ends, at), /^Your meeting ends by itself at in 60 s, in 1 minute\./);
});

test('a reminder of a moment keeps the server’s words', () => {
  const figures = view.live(state({ taskMs: String(30 * MIN), elapsedMs: String(30 * MIN),
                                    remainingMs: String(30 * MIN) }), 0);
  const at = (ms) => `+${Math.round(ms / MIN)}min`;
  for (const kind of ['REFLECT_SOON', 'REFLECT_NOW', 'AUTO_REFLECTION']) {
    assert.equal(meeting.nudgeText({ kind, message: 'Start reflecting by 14:32.' }, figures, at),
                 'Start reflecting by 14:32.');
  }
  assert.equal(meeting.nudgeText({ kind: 'END_SOON', message: 'sent' }, null, at), 'sent');
});

test('the end question reads the figures the timer shows', () => {
  const figures = view.live(state({ taskMs: String(33 * MIN), reflectionMs: String(27 * MIN),
                                    elapsedMs: String(60 * MIN), remainingMs: '0',
                                    mode: 'REFLECTION' }), 0);
  assert.equal(view.percent(figures.share), '45%');
  assert.equal(meeting.endQuestion(figures).text,
               'You kept 45% for reflection (target 40%). End the meeting for everyone?');
});

test('what another member changed is a short notice', () => {
  const running = state({ meetingId: 'm1', mode: 'TASK', changedBy: 'b' });
  assert.equal(meeting.noticeOf(running, null, nameOf), 'Ben started a meeting.');
  assert.equal(meeting.noticeOf({ ...running, mode: 'REFLECTION' }, running, nameOf),
               'Ben switched the meeting to reflection.');
  assert.equal(meeting.noticeOf({ ...running, mode: 'PAUSED' }, running, nameOf), 'Ben paused the meeting.');
  assert.equal(meeting.noticeOf(running, { ...running, mode: 'PAUSED' }, nameOf), 'Ben resumed the meeting.');
  assert.equal(meeting.noticeOf({ ...running, mode: 'ENDED', changedBy: meeting.ROOM_ACTOR }, running,
                                nameOf), 'The meeting ended by itself.');
  assert.equal(meeting.noticeOf({ ...running, targetPct: 50 }, running, nameOf),
               'Ben changed the target to 50%.');
  const reflecting = { ...running, mode: 'REFLECTION', prompt: { index: 0, count: 5, text: 'A' } };
  assert.equal(meeting.noticeOf({ ...reflecting, prompt: { index: 1, count: 5, text: 'B' } },
                                reflecting, nameOf), 'Ben moved to prompt 2 of 5.');
});
