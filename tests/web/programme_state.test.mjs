// Tests for a room's programme in words (clients/web/js/programme_state.js): the items it
// raised and the other rooms', the answers and which of this room's items they answer, the
// proposals to start a script, the choice to share the room's learning and who made it, and
// the facilitators' messages and calls of time marked as theirs.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as p from '../../clients/web/js/programme_state.js';

const T0 = 1_800_000_000_000;
const names = { m1: 'Asha', m2: 'Ben' };
const nameOf = (id) => (id === 'm1' ? 'you' : names[id] ?? 'someone');

function state(fields = {}) {
  return {
    cohortId: 'c1', cohortTitle: 'Spring set',
    items: [
      { id: 'i1', roomId: 'r1', roomTitle: 'Pair one', category: 'LOCAL_SYSTEM', text: 'No room to meet',
        anonymous: true, raisedAtMs: String(T0), answerId: 'a1' },
      { id: 'i2', category: 'HOW_WE_WORK', text: 'Rotas', anonymous: true, raisedAtMs: String(T0) },
      { id: 'i3', roomId: 'r2', roomTitle: 'Pair two', category: 'OTHER', text: 'Parking',
        raisedAtMs: String(T0), answerId: 'a1', closed: true, closedAtMs: String(T0 + 1) },
    ],
    answers: [{ id: 'a1', text: 'We booked the library', itemIds: ['i1', 'i3'], answeredBy: 'Sam',
                atMs: String(T0) }],
    proposals: [],
    ...fields,
  };
}

test('a room without a programme has none; the welcome’s state is not news', () => {
  const m = p.createProgramme();
  assert.equal(p.inProgramme(m), false);
  assert.deepEqual(p.takeProgramme(m, undefined), { answers: [], proposals: [] });
  assert.equal(p.inProgramme(m), false);
  const m2 = p.createProgramme();
  assert.deepEqual(p.takeProgramme(m2, state()), { answers: [], proposals: [] });
  assert.equal(p.inProgramme(m2), true);
  assert.equal(p.programmeTitle(m2), 'Spring set');
});

test('new answers and proposals are news once', () => {
  const m = p.createProgramme();
  p.takeProgramme(m, state({ answers: [] }));
  const news = p.takeProgramme(m, state({ proposals: [{ id: 'p1', scriptTitle: 'Troika',
                                                         fromFacilitator: 'Sam' }] }));
  assert.deepEqual(news.answers.map((a) => a.id), ['a1']);
  assert.deepEqual(news.proposals.map((x) => x.id), ['p1']);
  assert.deepEqual(p.takeProgramme(m, state({ proposals: [{ id: 'p1' }] })),
                   { answers: [], proposals: [] });
  assert.equal(p.answerNotice(news.answers[0], m, 'r1'),
               'Sam answered an item your room raised: We booked the library');
  assert.equal(p.answerNotice(news.answers[0], m, 'r9'),
               'Sam answered the programme: We booked the library');
  assert.match(p.proposalNotice(news.proposals[0]), /^Sam \(facilitator\) proposes starting “Troika”/);
});

test('items: this room’s own can be closed once answered; others are named unless anonymous', () => {
  const m = p.createProgramme();
  p.takeProgramme(m, state());
  const [ours, anonymous, named] = p.itemFacts(m, 'r1', () => 'then');
  assert.equal(ours.ours, true);
  assert.equal(ours.from, 'Raised by your room (anonymous to the other rooms)');
  assert.equal(ours.category, 'Our local system');
  assert.equal(ours.answer, 'We booked the library');
  assert.equal(ours.state, 'Answered: does the answer close it for you?');
  assert.equal(ours.canClose, true);
  assert.equal(ours.canReopen, false);
  assert.equal(anonymous.from, 'Raised by another room');
  assert.equal(anonymous.state, 'Not answered yet');
  assert.equal(anonymous.canClose, false);
  assert.equal(named.from, 'Raised by Pair two');
  assert.equal(named.state, 'Closed by the room that raised it then');
  assert.equal(named.canReopen, false);  // not this room's
  const [, , closedOurs] = p.itemFacts(m, 'r2', () => 'then');
  assert.equal(closedOurs.canReopen, true);
  assert.equal(closedOurs.canClose, false);
  assert.equal(closedOurs.state, 'Closed by your room then');
});

test('answers say which of this room’s items they answer', () => {
  const m = p.createProgramme();
  p.takeProgramme(m, state());
  const [a] = p.answerFacts(m, 'r1', () => 'then');
  assert.equal(a.by, 'Sam, then');
  assert.deepEqual(a.answers, ['No room to meet', 'Parking']);
  assert.equal(a.ours, 'It answers one of your room’s items.');
  assert.equal(p.answerFacts(m, 'r9')[0].ours, '');
});

test('raising: the words are checked, and the request says the category and anonymity', () => {
  assert.equal(p.raiseProblem(''), 'Say what gets in your way first.');
  assert.match(p.raiseProblem('x'.repeat(2001)), /at most 2,000/);
  assert.equal(p.raiseProblem('Rotas'), null);
  assert.deepEqual(p.raiseRequest('HOW_WE_WORK', 'Rotas', true),
                   { raise: { category: 'HOW_WE_WORK', text: 'Rotas', anonymous: true } });
  assert.deepEqual(p.closeRequest('i1'), { close: { itemId: 'i1', reopen: false } });
  assert.deepEqual(p.closeRequest('i1', true), { close: { itemId: 'i1', reopen: true } });
});

test('proposals: who proposed what, who accepted, and whether this member did', () => {
  const m = p.createProgramme();
  p.takeProgramme(m, state({ proposals: [{ id: 'p1', scriptId: 'troika', scriptTitle: 'Troika',
                                           fromFacilitator: 'Sam', acceptedBy: ['m2'] }] }));
  const [f] = p.proposalFacts(m, 'm1', nameOf);
  assert.match(f.words, /^Sam, facilitator, proposes that you start “Troika”/);
  assert.equal(f.accepted, 'Accepted so far by Ben.');
  assert.equal(f.mine, false);
  const [g] = p.proposalFacts(m, 'm2', nameOf);
  assert.equal(g.mine, true);
});

test('sharing the room’s learning: the choice, who made it and when', () => {
  const m = p.createProgramme();
  p.takeSettings(m, { reflectionTargetPct: 40 });
  let w = p.shareWords(m, nameOf, () => 'then');
  assert.match(w.state, /keeps its learning to itself/);
  assert.equal(w.by, '');
  p.takeSettings(m, { shareWithCohort: true, shareChangedBy: 'm2', shareChangedAtMs: String(T0) });
  w = p.shareWords(m, nameOf, () => 'then');
  assert.match(w.state, /shares its learning/);
  assert.equal(w.by, 'Turned on by Ben, then.');
  assert.equal(p.shareNotice(m, nameOf), 'Ben chose to share the room’s learning with the programme.');
  assert.deepEqual(p.shareRequest(false), { settings: { shareWithCohort: 'AUTO_OFF' } });
  p.takeSettings(m, { shareChangedBy: 'm1' });
  assert.equal(p.shareWords(m, nameOf).by, 'Turned off by you.');
});

test('a facilitator’s message and call of time are marked as theirs', () => {
  assert.equal(p.fromFacilitator({ kind: 'REFLECT_SOON' }), false);
  assert.equal(p.fromFacilitator({ kind: 'TIME_CALL' }), true);
  assert.equal(p.facilitatorText({ kind: 'FACILITATOR_MESSAGE', fromFacilitator: 'Sam',
                                   message: 'Back in the hall at 3' }),
               'From Sam (facilitator): Back in the hall at 3');
  assert.equal(p.facilitatorText({ kind: 'TIME_CALL', fromFacilitator: 'Sam', minutesLeft: 5 }),
               'Sam (facilitator) calls time: 5 minutes left.');
  assert.equal(p.facilitatorText({ kind: 'TIME_CALL', minutesLeft: 1, message: 'Wrap up' }),
               'the facilitator (facilitator) calls time: 1 minute left. Wrap up');
});
