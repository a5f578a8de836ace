// Tests for the notices of what others did (clients/web/js/notices_state.js): a short list,
// dismissed one by one, and the count in the title of a hidden tab.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as notices from '../../clients/web/js/notices_state.js';

test('notices keep the newest few, each once, and can be dismissed', () => {
  const n = notices.createNotices();
  assert.equal(notices.add(n, '  ', 1), null);
  const first = notices.add(n, 'Ben joined the room.', 1);
  assert.deepEqual(first, { id: 1, text: 'Ben joined the room.', atMs: 1 });
  assert.equal(notices.add(n, 'Ben joined the room.', 2), null, 'the same notice twice in a row');
  for (let i = 0; i < notices.MAX_SHOWN + 1; i += 1) notices.add(n, `Notice ${i}`, 3 + i);
  assert.equal(n.items.length, notices.MAX_SHOWN);
  assert.equal(n.items[0].text, 'Notice 1', 'the oldest go first');
  assert.equal(notices.heading(n), `What others did (${notices.MAX_SHOWN})`);
  assert.equal(notices.dismiss(n, n.items[0].id), true);
  assert.equal(notices.dismiss(n, 999), false);
  assert.equal(n.items.length, notices.MAX_SHOWN - 1);
  notices.clear(n);
  assert.equal(notices.heading(n), 'What others did');
});

test('a hidden tab counts what it missed in the title, and loses the count when shown', () => {
  const n = notices.createNotices();
  notices.add(n, 'Seen while here.', 1);
  assert.equal(n.unseen, 0);
  notices.setHidden(n, true);
  notices.add(n, 'Ben proposed the text.', 2);
  notices.add(n, 'Now reflecting, switched by Ben.', 3);
  assert.equal(n.unseen, 2);
  assert.equal(notices.pageTitle('Pair room — Colead', n.unseen), '(2) Pair room — Colead');
  assert.equal(notices.pageTitle('(1) Pair room — Colead', n.unseen), '(2) Pair room — Colead');
  notices.setHidden(n, false);
  assert.equal(n.unseen, 0);
  assert.equal(notices.pageTitle('(2) Pair room — Colead', n.unseen), 'Pair room — Colead');
  assert.equal(notices.baseTitle('(12) (3) Room'), '(3) Room', 'only the count is taken off');
});

test('the gentle sound is off unless a person turns it on', () => {
  assert.equal(notices.SOUND_PREFERENCE, 'notices.sound');
});
