// Tests for the call strip's words (clients/web/js/call_bar_state.js): what joining means,
// the microphone and camera in words, a tile for each person, audio only beyond the video
// limit, and the notices of others muting.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as strip from '../../clients/web/js/call_bar_state.js';

const NAMES = { a: 'Asha Patel', b: 'Ben', c: 'Chidi' };
const nameOf = (id) => NAMES[id] ?? 'Someone';
const STREAM = {};

function member(id, fields = {}) {
  return { memberId: id, session: `s-${id}-000`, muted: false, cameraOn: true,
           noMicrophone: false, joinedAtMs: 1, speaking: false, link: 'connected',
           stream: STREAM, ...fields };
}

function inCall(fields = {}, local = {}) {
  return { phase: 'in', local: { muted: false, cameraOn: true, noMicrophone: false,
                                 speaking: false, stream: STREAM, ...local },
           members: [member('b'), member('c')], videoLimit: 4, audioOnly: false, error: null,
           ...fields };
}

test('before joining: the consent line says where the call goes and that nothing is kept', () => {
  assert.match(strip.CONSENT, /straight to the others’ browsers, encrypted/);
  assert.match(strip.CONSENT, /Nothing of the call passes through or is kept on the server/);
  assert.match(strip.CONSENT, /nothing is recorded\.$/);
  const v = strip.stripView({ phase: 'out', local: {}, members: [member('b')] },
                            { me: 'a', nameOf });
  assert.equal(v.showJoin, true);
  assert.equal(v.consentOpen, false);
  assert.equal(v.who, 'In the call: Ben');
  assert.deepEqual(v.tiles, []);
  assert.equal(strip.stripView({ phase: 'out', members: [] }, { me: 'a', nameOf, consentOpen: true })
                   .consentOpen, true);
  assert.equal(strip.stripView(null).showJoin, true, 'no call yet: still offered');
  assert.equal(strip.stripView(null).who, '');
});

test('joining: said in words, with nothing to press twice', () => {
  const v = strip.stripView({ phase: 'joining', local: {}, members: [] }, { consentOpen: true });
  assert.equal(v.showJoin, false);
  assert.equal(v.consentOpen, false);
  assert.equal(v.joiningWords, 'Joining the call…');
});

test('the microphone and camera in words, not colour alone', () => {
  assert.equal(strip.micWords({ muted: false }), 'Microphone on');
  assert.equal(strip.micWords({ muted: true }), 'Muted');
  assert.equal(strip.micWords({ noMicrophone: true, muted: true }), 'Listening only (no microphone)');
  assert.equal(strip.cameraWords({ cameraOn: true }), 'Camera on');
  assert.equal(strip.cameraWords({ cameraOn: false }), 'Camera off');

  let v = strip.stripView(inCall(), { me: 'a', nameOf });
  assert.deepEqual(v.mic, { pressed: true, disabled: false, words: 'Microphone on' });
  assert.deepEqual(v.camera, { pressed: true, disabled: false, words: 'Camera on' });
  v = strip.stripView(inCall({}, { muted: true, cameraOn: false }), { me: 'a', nameOf });
  assert.deepEqual(v.mic, { pressed: false, disabled: false, words: 'Muted' });
  assert.equal(v.camera.pressed, false);
  v = strip.stripView(inCall({}, { noMicrophone: true }), { me: 'a', nameOf });
  assert.equal(v.mic.disabled, true);
  assert.equal(v.mic.words, 'Listening only (no microphone)');
});

test('a tile for me first, then each other person in join order, with their state', () => {
  const state = inCall({ members: [member('b', { muted: true, speaking: true }),
                                   member('c', { cameraOn: false, noMicrophone: true,
                                                 link: 'connecting' })] },
                       { speaking: true });
  const v = strip.stripView(state, { me: 'a', nameOf });
  assert.deepEqual(v.tiles.map((t) => t.name), ['You', 'Ben', 'Chidi']);
  const [me, ben, chidi] = v.tiles;
  assert.equal(me.you, true);
  assert.equal(me.initials, 'AP');
  assert.equal(me.words, 'Microphone on, Camera on', 'my own state in words');
  assert.equal(me.speaking, true);
  assert.equal(me.video, true);
  assert.equal(ben.words, 'muted');
  assert.equal(ben.speaking, false, 'a muted microphone is never shown speaking');
  assert.equal(chidi.words, 'listening only, camera off, connecting…');
  assert.equal(chidi.video, false);
  assert.equal(v.anyVideo, true);
  assert.equal(strip.tile(member('b', { link: 'failed' }), { name: 'Ben' }).words,
               'connection lost');
  assert.equal(strip.tile(member('b', { stream: null }), { name: 'Ben' }).video, false,
               'no stream yet: the initials show');
});

test('others see who the consult turns away; a paused round turns nobody away', () => {
  const run = { consultId: 'c1', active: true, paused: false,
                roles: [{ memberId: 'c', turnedAway: true }, { memberId: 'b', turnedAway: false }] };
  const v = strip.stripView(inCall({ members: [member('b'), member('c', { muted: true,
                                                                          cameraOn: false })] }),
                            { me: 'a', nameOf, run });
  assert.equal(v.tiles[2].turnedAway, true);
  assert.equal(v.tiles[2].words, 'muted, camera off, turned away');
  assert.equal(v.tiles[1].turnedAway, false);
  const mine = strip.stripView(inCall({}, { muted: true, cameraOn: false }),
                               { me: 'c', nameOf, run });
  assert.equal(mine.tiles[0].words, 'Muted, Camera off, turned away');
  assert.deepEqual([...strip.turnedAwayIds({ ...run, paused: true })], []);
  assert.deepEqual([...strip.turnedAwayIds({ ...run, active: false })], []);
  assert.deepEqual([...strip.turnedAwayIds(null)], []);
});

test('beyond the video limit the call is audio only, said so, and no camera shows', () => {
  const members = ['b', 'c', 'd', 'e'].map((id) => member(id));
  const v = strip.stripView(inCall({ members, audioOnly: true, videoLimit: 4 },
                                   { cameraOn: false }), { me: 'a', nameOf });
  assert.equal(v.audioOnly, 'Audio only: more than 4 people');
  assert.equal(v.anyVideo, false);
  assert.ok(v.tiles.every((t) => !t.video));
  assert.equal(v.camera.disabled, true);
  assert.equal(strip.stripView(inCall(), { me: 'a', nameOf }).audioOnly, '');
});

test('the practice’s line and an error show while in the call', () => {
  const v = strip.stripView(inCall({ error: 'The microphone could not be started.' }),
                            { me: 'a', nameOf, practiceLine: 'Turned away.' });
  assert.equal(v.practice, 'Turned away.');
  assert.equal(v.error, 'The microphone could not be started.');
  assert.equal(strip.stripView({ phase: 'out' }, { practiceLine: 'Turned away.' }).practice, '');
});

test('initials of a name', () => {
  assert.equal(strip.initials('Asha Patel'), 'AP');
  assert.equal(strip.initials('ben'), 'B');
  assert.equal(strip.initials('  Élodie  de la Fontaine '), 'ÉD');
  assert.equal(strip.initials(''), '?');
  assert.equal(strip.initials(undefined), '?');
});

test('notices: another person muting or turning their microphone on', () => {
  const before = [member('b'), member('c', { muted: true })];
  const after = [member('b', { muted: true }), member('c')];
  assert.deepEqual(strip.noticesOf(before, after, { nameOf }),
                   ['Ben muted their microphone.', 'Chidi turned their microphone on.']);
  // Muted by the practice while turned away: said so.
  const run = { consultId: 'c1', active: true, roles: [{ memberId: 'b', turnedAway: true }] };
  assert.deepEqual(strip.noticesOf([member('b')], [member('b', { muted: true })], { nameOf, run }),
                   ['Ben is muted while turned away.']);
  // Nothing for a join (the call says it), a new session, a camera change or no microphone.
  assert.deepEqual(strip.noticesOf([], [member('b', { muted: true })], { nameOf }), []);
  assert.deepEqual(strip.noticesOf([member('b')], [member('b', { muted: true, session: 'other-1' })],
                                   { nameOf }), []);
  assert.deepEqual(strip.noticesOf([member('b')], [member('b', { cameraOn: false })], { nameOf }), []);
  assert.deepEqual(strip.noticesOf([member('b', { noMicrophone: true })],
                                   [member('b', { noMicrophone: true, muted: true })], { nameOf }), []);
});

test('device options: labels, or a number when the browser gives none', () => {
  assert.deepEqual(strip.deviceOptions([{ deviceId: 'x', label: 'Desk microphone' },
                                        { deviceId: 'y', label: '' }], 'Microphone'),
                   [{ value: 'x', label: 'Desk microphone' }, { value: 'y', label: 'Microphone 2' }]);
  assert.deepEqual(strip.deviceOptions(undefined, 'Camera'), []);
});
