// Tests for the documents panel's state (clients/web/js/documents_state.js): the order of the
// tabs, what changes in the list are said, and the words of status, agreement and carets.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as docs from '../../clients/web/js/documents_state.js';

const names = { a: 'you', b: 'Ben', c: 'Chen' };
const nameOf = (id) => names[id] ?? 'Someone';
const capital = (t) => t.charAt(0).toUpperCase() + t.slice(1);

test('purpose and principles come first, the rest as they came', () => {
  assert.deepEqual(docs.tabOrder(['x', 'principles', 'y', 'purpose']),
                   ['purpose', 'principles', 'x', 'y']);
});

test('arrow keys wrap around the tabs; Home and End jump', () => {
  const order = ['purpose', 'principles', 'x'];
  assert.equal(docs.tabAfterKey(order, 'purpose', 'ArrowLeft'), 'x');
  assert.equal(docs.tabAfterKey(order, 'x', 'ArrowDown'), 'purpose');
  assert.equal(docs.tabAfterKey(order, 'x', 'Home'), 'purpose');
  assert.equal(docs.tabAfterKey(order, 'purpose', 'End'), 'x');
  assert.equal(docs.tabAfterKey(order, 'purpose', 'a'), null);
});

test('a list push keeps the text out and drops a withdrawn proposal', () => {
  const info = docs.mergeInfo({ id: 'p', text: 'old', proposal: { rev: '1' }, agreed: { rev: '1' } },
                              { id: 'p', title: 'Purpose' });
  assert.equal(info.text, undefined);
  assert.equal('proposal' in info, false);
  assert.equal('agreed' in info, false);
  assert.equal(info.title, 'Purpose');
});

test('changes to the list are said once each', () => {
  const before = new Map([['p', { title: 'Purpose' }], ['gone', { title: 'Old' }],
                          ['q', { title: 'Q' }], ['r', { title: 'R' }]]);
  const after = new Map([['p', { title: 'Our purpose' }], ['new', { title: 'New' }],
                         ['q', { title: 'Q', proposal: {} }],
                         ['r', { title: 'R', agreed: { atMs: '5' } }]]);
  assert.deepEqual(docs.listChanges(before, after, 'Ben'), [
    'Ben renamed “Purpose” to “Our purpose”.',
    'Ben added the document “New”.',
    'Ben proposed the text of “Q” as agreed.',
    'Everyone has agreed to the text of “R”.',
    'Ben removed the document “Old”.',
  ]);
});

test('the save status says catching up, saved, saving or offline', () => {
  assert.equal(docs.saveStatus({ catchingUp: true, saved: true, joined: true }), 'Catching up with the room…');
  assert.equal(docs.saveStatus({ catchingUp: false, saved: true, joined: false }), 'All changes saved.');
  assert.equal(docs.saveStatus({ catchingUp: false, saved: false, joined: true }), 'Saving…');
  assert.match(docs.saveStatus({ catchingUp: false, saved: false, joined: false }), /^Not connected/);
});

test('the agree button proposes, agrees, or says it is done', () => {
  const ready = { me: 'a', revision: 3, saved: true, joined: true };
  assert.deepEqual(docs.agreeButton({}, ready),
                   { text: 'Propose this text as agreed', hidden: false, disabled: false });
  assert.deepEqual(docs.agreeButton({ proposal: { agreedBy: ['a'] } }, ready),
                   { text: 'You have agreed to this text', hidden: false, disabled: true });
  assert.equal(docs.agreeButton({ proposal: { agreedBy: ['b'] } }, ready).text, 'Agree to this text');
  assert.equal(docs.agreeButton({ agreed: { rev: '3' } }, ready).hidden, true);
  assert.equal(docs.agreeButton({}, { ...ready, saved: false }).disabled, true);
});

test('the agreement names who agreed and who is awaited', () => {
  const text = docs.agreementText({ proposal: { proposedBy: 'b', rev: '2', agreedBy: ['b'] } }, 2,
                                  ['a', 'b', 'c'], nameOf, capital);
  assert.equal(text, 'Ben proposed this text as the agreed version. Agreed so far: ' +
                     'Ben. Waiting for: you and Chen. Any change to the text withdraws the proposal.');
  assert.match(docs.agreementText({ agreed: { rev: '2' } }, 2, [], nameOf, capital), /is the agreed version/);
  assert.match(docs.agreementText({ agreed: { rev: '2' } }, 3, [], nameOf, capital), /has changed since/);
  assert.match(docs.agreementText({}, 3, [], nameOf, capital), /^Nothing is agreed yet/);
});

test('earlier agreements leave out the standing one, newest first', () => {
  const agreed = { rev: '3', atMs: '30' };
  assert.deepEqual(docs.earlierAgreements({ agreed, agreedHistory: [{ rev: '1', atMs: '10' },
                                                                    { rev: '2', atMs: '20' }, agreed] }),
                   [{ rev: '2', atMs: '20' }, { rev: '1', atMs: '10' }]);
});

test('carets of others online, by document, in their seat’s colour', () => {
  const byDoc = docs.caretsByDoc([
    { memberId: 'a', online: true, selection: { doc: 'p', anchor: 1, head: 1 } },
    { memberId: 'b', name: 'Ben', seat: 8, online: true, selection: { doc: 'p', anchor: 2, head: 4 } },
    { memberId: 'c', name: 'Chen', online: false, selection: { doc: 'p' } },
    { memberId: 'd', name: ' ', online: true, selection: { doc: 'q' } },
  ], 'a', 6);
  assert.deepEqual(byDoc.get('p'), [{ memberId: 'b', name: 'Ben', anchor: 2, head: 4, colour: 1 }]);
  assert.equal(byDoc.get('q')[0].name, 'Someone');
  assert.equal(docs.othersText([]), '');
  assert.equal(docs.othersText(byDoc.get('p')),
               'Also in this document: Ben. Their carets are marked with their names.');
});

test('a partner agreeing to a proposal, short of everyone, is news too', () => {
  const proposal = { proposedBy: 'a', rev: '4', agreedBy: ['a'] };
  const before = new Map([['p', { title: 'Purpose', proposal }]]);
  const after = new Map([['p', { title: 'Purpose', proposal: { ...proposal, agreedBy: ['a', 'b'] } }]]);
  assert.deepEqual(docs.listChanges(before, after, 'Ben'), ['Ben agreed to the text of “Purpose”.']);
  assert.deepEqual(docs.listChanges(before, before, 'Ben'), []);
});
