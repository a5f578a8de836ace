// Tests for a document's history as people read it (clients/web/js/history_state.js): edits
// grouped into changes, the pages asked for, and the words of each change.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { diffWords } from '../../clients/web/js/diff_words.js';
import * as h from '../../clients/web/js/history_state.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 7, 10, 0);

/** API revisions (as JSON strings, the way the server sends them). */
function revs(list, first = 1) {
  return list.map(([author, atMs, extra = {}], i) => ({
    rev: String(first + i), author, atMs: String(atMs), inserted: 1, ...extra }));
}

function loaded(list, first = 1) {
  return h.addPage(h.emptyHistory(), { from: first, limit: list.length }, revs(list, first));
}

test('one person typing without a long pause is one change', () => {
  const keys = Array.from({ length: 159 }, (_, i) => ['a', T0 + i * 1000]);
  const changes = h.groupChanges(loaded(keys));
  assert.equal(changes.length, 1);
  assert.deepEqual({ ...changes[0] }, { author: 'a', from: 1, to: 159, startMs: T0,
                                        endMs: T0 + 158_000, edits: 159, inserted: 159,
                                        deleted: 0, restore: false, complete: true });
});

test('another person in between, or a pause of five minutes, starts a new change', () => {
  const changes = h.groupChanges(loaded([
    ['a', T0], ['a', T0 + MIN], ['b', T0 + MIN + 1000], ['a', T0 + 2 * MIN],
    ['a', T0 + 7 * MIN - 1], ['a', T0 + 12 * MIN - 1], ['a', T0 + 12 * MIN + 1000]]));
  assert.deepEqual(changes.map((c) => [c.author, c.from, c.to]),
                   [['a', 6, 7], ['a', 4, 5], ['b', 3, 3], ['a', 1, 2]], 'newest first');
});

test('going back to an earlier version is a change of its own', () => {
  const changes = h.groupChanges(loaded([
    ['a', T0], ['a', T0 + 1000, { editId: 'restore-abc' }], ['a', T0 + 2000]]));
  assert.deepEqual(changes.map((c) => [c.from, c.restore]), [[3, false], [2, true], [1, false]]);
  assert.equal(h.changeTitle(changes[1], () => 'Asha'), 'Asha went back to an earlier version');
  assert.equal(h.changeTitle(changes[0], () => 'Asha'), 'Asha');
});

test('pages are asked for from the newest down, and a change cut by a page is not complete', () => {
  let history = h.emptyHistory();
  assert.equal(h.nextPage(history, 0), null, 'nothing written, nothing to load');
  const first = h.nextPage(history, 700);
  assert.deepEqual(first, { from: 201, limit: 500 });
  const all = revs(Array.from({ length: 700 }, (_, i) => [i < 150 ? 'b' : 'a', T0 + i * 1000]));
  history = h.addPage(history, first, all.slice(200));
  let changes = h.groupChanges(history);
  assert.equal(changes.length, 1);
  assert.equal(changes[0].complete, false, 'it may reach further back');
  assert.equal(h.needsMore(history, 1, 700), true);

  const second = h.nextPage(history, 700);
  assert.deepEqual(second, { from: 1, limit: 200 });
  history = h.addPage(history, second, all.slice(0, 200));
  changes = h.groupChanges(history);
  assert.deepEqual(changes.map((c) => [c.author, c.from, c.to, c.complete]),
                   [['a', 151, 700, true], ['b', 1, 150, true]]);
  assert.equal(h.nextPage(history, 700), null);
  assert.equal(h.needsMore(history, 10, 700), false, 'nothing more to load');
});

test('a page answer holding revisions outside the page asked for is cut to it', () => {
  const history = h.addPage(h.emptyHistory(), { from: 3, limit: 2 },
                            revs([['a', T0], ['a', T0], ['a', T0], ['a', T0], ['a', T0]]));
  assert.deepEqual(history.revisions.map((r) => r.rev), [3, 4]);
});

test('times are said as a time of day and how long ago', () => {
  assert.equal(h.timeAgo(T0, T0 + 30_000), 'just now');
  assert.equal(h.timeAgo(T0, T0 + MIN), '1 minute ago');
  assert.equal(h.timeAgo(T0, T0 + 3 * MIN + 59_000), '3 minutes ago');
  assert.equal(h.timeAgo(T0, T0 + 125 * MIN), '2 hours ago');
  assert.equal(h.timeAgo(T0, T0 + 25 * 60 * MIN), 'yesterday');
  assert.equal(h.timeAgo(T0, T0 + 4 * 24 * 60 * MIN), '4 days ago');
  const clock = { timeOfDay: () => '10:42', dateAndTime: () => '6 Dec, 10:42',
                  sameDay: (a, b) => Math.abs(a - b) < 12 * 60 * MIN };
  assert.equal(h.changeTime({ endMs: T0 }, T0 + 3 * MIN, clock), '10:42 (3 minutes ago)');
  assert.equal(h.changeTime({ endMs: T0 }, T0 + 30 * 60 * MIN, clock), '6 Dec, 10:42 (yesterday)');
  assert.equal(h.changeTime({ endMs: 0 }, T0, clock), 'at a time not recorded');
});

test('a change is summed up in plain words', () => {
  const say = (a, b) => h.changeSummary(diffWords(a, b));
  assert.equal(say('', 'Better care, designed together by all of us.'), 'added a sentence');
  assert.equal(say('Care.', 'Care. We listen first. We act together.'), 'added 2 sentences');
  assert.equal(say('We keep people well at home. We listen.', 'We keep people well at home.'),
               'removed a sentence');
  assert.equal(say('We keep people well', 'We keep people well at home'), 'added 2 words');
  assert.equal(say('We keep people well', 'We keep well'), 'removed a word');
  assert.equal(say('We keep poeple well', 'We keep people well'), 'changed a word');
  assert.equal(say('We keep people well', 'We help keep all people very well'),
               'added 3 words');
  assert.equal(say('We keep people well at home', 'We keep people safe and home'), 'changed 2 words');
  assert.equal(say('a b c', 'a x y z c'), 'added 3 words and removed a word');
  assert.equal(say('We  keep', 'We keep'), 'changed the spacing');
  assert.equal(say('We care.', 'We care deeply.'), 'added a word');
  assert.equal(say('We care', 'We care!'), 'changed the punctuation');
  assert.equal(say("We don't rush.", "We don't ever rush."), 'added a word');
  assert.equal(say('Care 💙', 'Care'), 'removed a word');
  assert.equal(say('We care.', 'We care. Yes, we do.'), 'added a sentence');
  assert.equal(say('We care. We listen.', 'We care.'), 'removed a sentence');
  assert.equal(say('Same.', 'Same.'), 'made no change in the end');
});

test('the detail names the edits and revisions', () => {
  assert.equal(h.changeDetail({ edits: 1, from: 4, to: 4 }), '1 edit, revision 4');
  assert.equal(h.changeDetail({ edits: 159, from: 1, to: 159 }), '159 edits, revisions 1 to 159');
});

test('long unchanged stretches are shortened around the changes', () => {
  const long = 'x'.repeat(1000);
  const parts = h.trimUnchanged([{ type: 'same', text: long }, { type: 'ins', text: 'new' },
                                 { type: 'same', text: long }, { type: 'del', text: 'old' },
                                 { type: 'same', text: 'end' }], 10);
  assert.deepEqual(parts.map((p) => p.text),
                   [`…${'x'.repeat(10)}`, 'new', `${'x'.repeat(10)}…${'x'.repeat(10)}`, 'old', 'end']);
});

test('a rewritten passage reads as one removal then one addition', () => {
  assert.deepEqual(diffWords('First words. More.', 'Second thoughts.'),
                   [{ type: 'del', text: 'First words. More' }, { type: 'ins', text: 'Second thoughts' },
                    { type: 'same', text: '.' }]);
  assert.deepEqual(diffWords('We keep well', 'We stay well'),
                   [{ type: 'same', text: 'We ' }, { type: 'del', text: 'keep' },
                    { type: 'ins', text: 'stay' }, { type: 'same', text: ' well' }]);
  assert.equal(h.changeSummary(diffWords('First words. More.', 'Second thoughts.')),
               'added a sentence and removed 3 words');
});
