// Tests for the parts of the room a person moves between (clients/web/js/views_state.js).
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as views from '../../clients/web/js/views_state.js';

test('every panel of the room belongs to exactly one part', () => {
  const panels = views.VIEWS.flatMap((v) => v.panels);
  assert.equal(new Set(panels).size, panels.length);
  for (const id of ['panel-roles', 'panel-meeting', 'panel-documents', 'panel-consult',
                    'panel-notes', 'panel-presence', 'panel-call', 'panel-programme']) {
    assert.ok(views.viewOfPanel(id), id);
  }
  assert.equal(views.viewOfPanel('panel-notes'), 'log');
  assert.equal(views.viewOfPanel('panel-programme'), 'log', 'the programme is with the learning');
  assert.equal(views.viewOfPanel('panel-call'), 'people', 'the call’s larger view is with who is here');
  assert.equal(views.viewOfPanel('nowhere'), null);
});

test('the first part shown: the one shown before, else what happens now, else the meeting', () => {
  assert.equal(views.firstView('log', 'consult'), 'log');
  assert.equal(views.firstView(null, 'consult'), 'consult');
  assert.equal(views.firstView('bogus', null), 'meeting');
  assert.equal(views.firstView(null, null), 'meeting');
});

test('the navigation marks where something is happening now', () => {
  assert.deepEqual(views.navWords('consult', 'consult'), { words: 'Consult', now: 'now' });
  assert.deepEqual(views.navWords('meeting', 'consult'), { words: 'Meeting', now: '' });
  assert.equal(views.navWords('nothing', null).words, '');
});
