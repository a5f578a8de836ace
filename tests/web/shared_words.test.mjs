// Tests for what every panel shares (clients/web/js/feedback.js, words.js): the sentences for
// failed requests and the way lists of people are said.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { RequestError } from '../../clients/web/js/connection.js';
import { documentErrorText, errorText, isTransient, requester } from '../../clients/web/js/feedback.js';
import { capital, listOfNames, when } from '../../clients/web/js/words.js';

test('a refused request is said in the server’s words, anything else as try again', () => {
  assert.equal(errorText(new RequestError('BAD_REQUEST', 'No such thing.')), 'No such thing.');
  assert.equal(errorText(new Error('boom')), 'Something went wrong. Try again.');
});

test('a document change made offline says so plainly', () => {
  const offline = new RequestError('NOT_CONNECTED', 'Not connected to the room.');
  assert.equal(isTransient(offline), true);
  assert.equal(documentErrorText(offline),
               'Not connected to the room just now. Try again once it says Connected.');
  assert.equal(documentErrorText(new RequestError('CONFLICT', 'Taken.')), 'Taken.');
  assert.equal(documentErrorText(null), 'That did not work. Try again.');
});

test('a requester clears the last message, then says the error or hands the answer on', async () => {
  const said = [];
  const ok = requester({ request: async (kind, body) => ({ kind, body }) }, 'note', (t) => said.push(t));
  assert.deepEqual(await ok({ text: 'x' }), { kind: 'note', body: { text: 'x' } });
  const refused = requester({ request: async () => { throw new RequestError('NO', 'Refused.'); } },
                            'note', (t) => said.push(t));
  assert.equal(await refused({}), null);
  assert.deepEqual(said, ['', '', 'Refused.']);
});

test('lists of names read as a sentence', () => {
  assert.equal(listOfNames([]), 'nobody yet');
  assert.equal(listOfNames(['Asha']), 'Asha');
  assert.equal(listOfNames(['Asha', 'Ben', 'Chen']), 'Asha, Ben and Chen');
  assert.equal(capital('you'), 'You');
  assert.equal(when(0), 'at a time not recorded');
});
