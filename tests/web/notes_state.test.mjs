// Tests for the learning log's state (clients/web/js/notes_state.js): keeping the notes the
// server sends, what a filter shows and how it is counted, and the checks on a new note.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as log from '../../clients/web/js/notes_state.js';

const note = (id, fields = {}) => ({ id, text: id, category: 'RELATIONSHIP', atMs: '1', ...fields });

test('a new note needs text, and at most 4,000 characters', () => {
  assert.equal(log.newNoteProblem(''), 'Write something first.');
  assert.equal(log.newNoteProblem('x'.repeat(4000)), null);
  assert.match(log.newNoteProblem('😀'.repeat(4001)), /^A note is at most 4.000 characters\.$/);
});

test('the filter shows one category, newest first, and says how many of all', () => {
  const l = log.createLog();
  log.takeWelcome(l, [note('a', { atMs: '1' }), note('b', { atMs: '3', category: 'OTHER' }),
                      note('c', { atMs: '2' }), note('gone', { removed: true })]);
  assert.deepEqual(log.shownNotes(l, '').shown.map((n) => n.id), ['b', 'c', 'a']);
  assert.equal(log.shownNotes(l, '').count, '3 notes.');
  assert.deepEqual(log.shownNotes(l, 'RELATIONSHIP').shown.map((n) => n.id), ['c', 'a']);
  assert.equal(log.shownNotes(l, 'RELATIONSHIP').count, '2 of 3 notes shown.');
  assert.equal(log.shownNotes(log.createLog(), '').count, 'Nothing in the log yet.');
  log.takeWelcome(l, [note('a')]);
  assert.equal(log.shownNotes(l, '').count, '1 note.');
});

test('a note without a category counts as other', () => {
  const l = log.createLog();
  log.takeNote(l, note('a', { category: undefined }));
  assert.equal(log.shownNotes(l, 'OTHER').shown.length, 1);
  assert.equal(log.categoryWords(undefined), 'Other');
  assert.equal(log.categoryWords('HOW_WE_WORK'), 'How we work');
});

test('removing the note being edited closes its editor; a welcome without it too', () => {
  const l = log.createLog();
  log.takeNote(l, note('a'));
  l.editing = 'a';
  log.takeUpdate(l, note('a', { text: 'changed' }));
  assert.equal(l.editing, 'a');
  log.takeUpdate(l, note('a', { removed: true }));
  assert.equal(l.editing, null);
  l.editing = 'a';
  log.takeWelcome(l, [note('b')]);
  assert.equal(l.editing, null);
  log.takeNote(l, null);
  assert.equal(l.notes.size, 1);
});

test('earlier versions leave out the note as it stands, newest first', () => {
  assert.deepEqual(log.earlierVersions([{ text: '1' }, { text: '2' }, { text: '3' }]),
                   [{ text: '2' }, { text: '1' }]);
  assert.deepEqual(log.earlierVersions(undefined), []);
});
