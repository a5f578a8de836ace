// Tests for the call shaped by the consult script (clients/web/js/call_practice_state.js):
// turned away, the camera goes off and the microphone is muted; turning back brings back what
// was there before, except what the member changed themselves; a paused round changes nothing.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as practice from '../../clients/web/js/call_practice_state.js';

const ON = Object.freeze({ muted: false, cameraOn: true });

/** A Troika run in phase `index` (the third, index 2, turns the presenter away). */
function troika(index, fields = {}) {
  const away = index === 2 && fields.paused !== true;
  return {
    consultId: 'c1', active: true, paused: false, presenter: 'a', phaseIndex: index,
    phases: [{ title: 'Explain' }, { title: 'Questions' },
             { title: 'Discuss', presenterTurnedAway: true }, { title: 'Reflect' }],
    roles: [{ memberId: 'a', kind: 'presenter', turnedAway: away },
            { memberId: 'b', kind: 'consultant', turnedAway: false }],
    ...fields,
  };
}

/** Runs one step and returns it with the media the changes leave. */
function run(p, away, media, phase = 'in') {
  const result = practice.step(p, { away, phase, media });
  return { ...result, media: { ...media, ...result.changes } };
}

test('who is turned away: the presenter in a turned-away phase, paused or not', () => {
  assert.equal(practice.turnedAway(troika(2), 'a'), true);
  assert.equal(practice.turnedAway(troika(2), 'b'), false);
  assert.equal(practice.turnedAway(troika(1), 'a'), false);
  // The room says nobody is turned away while paused; the practice keeps the phase's word.
  assert.equal(practice.turnedAway(troika(2, { paused: true }), 'a'), true);
  assert.equal(practice.turnedAway(troika(1, { paused: true }), 'a'), false);
  assert.equal(practice.turnedAway(troika(2, { active: false, status: 'stopped' }), 'a'), false);
  assert.equal(practice.turnedAway(null, 'a'), false);
  assert.equal(practice.turnedAway(troika(2), ''), false);
});

test('turned away: camera off and muted, said why; turned back: as before', () => {
  let p = practice.initialPractice();
  let s = run(p, false, ON);
  assert.deepEqual(s.changes, {});
  assert.equal(s.said, null);

  s = run(s.practice, true, ON);
  assert.deepEqual(s.changes, { muted: true, cameraOn: false });
  assert.equal(s.said, 'away');
  assert.equal(practice.announcement(s.said, s.changes), practice.AWAY_WORDS);
  assert.match(practice.line(s.practice, s.media), /^Your camera and microphone are off while you /);
  assert.match(practice.AWAY_WORDS, /you can still hear the others/);

  // While still turned away, nothing more happens.
  p = s.practice;
  s = run(p, true, s.media);
  assert.deepEqual(s.changes, {});
  assert.equal(s.practice, p);

  s = run(s.practice, false, s.media);
  assert.deepEqual(s.changes, { muted: false, cameraOn: true });
  assert.equal(s.said, 'back');
  assert.match(practice.announcement(s.said, s.changes), /as they were before/);
  assert.equal(practice.line(s.practice, s.media), '');
});

test('what was off before stays off after turning back', () => {
  const before = { muted: true, cameraOn: false };
  let s = run(practice.initialPractice(), true, before);
  assert.deepEqual(s.changes, {}, 'already muted with the camera off: nothing to change');
  assert.equal(s.said, 'away');
  s = run(s.practice, false, s.media);
  assert.deepEqual(s.changes, {});
  assert.equal(practice.announcement(s.said, s.changes), 'You have turned back.');

  // Muted with the camera on: only the camera goes off, and comes back on.
  s = run(practice.initialPractice(), true, { muted: true, cameraOn: true });
  assert.deepEqual(s.changes, { cameraOn: false });
  s = run(s.practice, false, s.media);
  assert.deepEqual(s.changes, { cameraOn: true });
  assert.deepEqual(s.media, { muted: true, cameraOn: true });
});

test('an override while turned away is the member’s: turning back leaves it alone', () => {
  let s = run(practice.initialPractice(), true, ON);
  // The member unmutes to say something: theirs from now on.
  let p = practice.userSet(s.practice, 'muted');
  let media = { ...s.media, muted: false };
  assert.match(practice.line(p, media), /as you chose, your microphone is on\.$/);
  s = run(p, true, media);
  assert.deepEqual(s.changes, {}, 'the practice does not mute them again');
  // Turning back restores only the camera.
  s = run(s.practice, false, s.media);
  assert.deepEqual(s.changes, { cameraOn: true });
  assert.deepEqual(s.media, { muted: false, cameraOn: true });

  // An override that ends where it started is still the member's: they muted again
  // themselves, so turning back does not unmute them.
  s = run(practice.initialPractice(), true, ON);
  p = practice.userSet(practice.userSet(s.practice, 'muted'), 'muted');
  media = { ...s.media, muted: true };
  s = run(p, false, media);
  assert.deepEqual(s.changes, { cameraOn: true });
  assert.equal(s.media.muted, true);

  // Both overridden: nothing is restored.
  s = run(practice.initialPractice(), true, ON);
  p = practice.userSet(practice.userSet(s.practice, 'cameraOn'), 'muted');
  media = { muted: true, cameraOn: true };
  assert.match(practice.line(p, media), /your microphone is muted and your camera is on/);
  s = run(p, false, media);
  assert.deepEqual(s.changes, {});
});

test('a change made while facing the others is not an override', () => {
  const p = practice.initialPractice();
  assert.equal(practice.userSet(p, 'muted'), p);
  assert.equal(practice.userSet(p, 'speaker'), p);
});

test('a paused round leaves the call as it is', () => {
  let s = run(practice.initialPractice(), practice.turnedAway(troika(2), 'a'), ON);
  assert.equal(s.said, 'away');
  const paused = troika(2, { paused: true });
  s = run(s.practice, practice.turnedAway(paused, 'a'), s.media);
  assert.deepEqual(s.changes, {});
  assert.equal(s.said, null);
  assert.match(practice.line(s.practice, s.media, { paused: true }), /^The round is paused; /);
  // Resumed and moved on: the presenter turns back.
  s = run(s.practice, practice.turnedAway(troika(3), 'a'), s.media);
  assert.deepEqual(s.changes, { muted: false, cameraOn: true });

  // A pause while facing the others changes nothing either.
  s = run(practice.initialPractice(), practice.turnedAway(troika(1, { paused: true }), 'a'), ON);
  assert.deepEqual(s.changes, {});
});

test('out of the call there is nothing to turn off; joining while turned away turns it off', () => {
  let s = run(practice.initialPractice(), true, ON, 'out');
  assert.deepEqual(s.changes, {});
  assert.equal(s.practice.applied, false);
  s = run(s.practice, true, ON, 'in');
  assert.deepEqual(s.changes, { muted: true, cameraOn: false });
  // Leaving the call while turned away forgets the state from before.
  s = run(s.practice, true, s.media, 'out');
  assert.equal(s.practice.applied, false);
  assert.equal(s.said, null);
  // Joining again muted, still turned away, then turning back: the join's state returns.
  s = run(s.practice, true, { muted: true, cameraOn: true });
  assert.deepEqual(s.changes, { cameraOn: false });
  s = run(s.practice, false, s.media);
  assert.deepEqual(s.media, { muted: true, cameraOn: true });
});

test('a stopped consult turns the presenter back', () => {
  let s = run(practice.initialPractice(), practice.turnedAway(troika(2), 'a'), ON);
  s = run(s.practice, practice.turnedAway(troika(2, { active: false, status: 'stopped' }), 'a'),
          s.media);
  assert.equal(s.said, 'back');
  assert.deepEqual(s.media, ON);
});

test('joining while turned away: muted with the camera off from the start, then as asked', () => {
  const wanted = { muted: false, cameraOn: true, noMicrophone: false };
  const joined = practice.joinOptions(practice.initialPractice(), { away: true, wanted });
  assert.deepEqual(joined.options, { muted: true, cameraOn: false, noMicrophone: false });
  // While joining nothing changes; once in, it is said why, with nothing left to turn off.
  let s = run(joined.practice, true, { muted: true, cameraOn: false }, 'joining');
  assert.equal(s.practice, joined.practice);
  assert.equal(s.said, null);
  s = run(s.practice, true, { muted: true, cameraOn: false });
  assert.deepEqual(s.changes, {});
  assert.equal(s.said, 'away');
  // Turning back gives what the join asked for.
  s = run(s.practice, false, s.media);
  assert.deepEqual(s.media, { muted: false, cameraOn: true });
  assert.equal(s.said, 'back');

  // Not turned away: the join is as asked, and the practice stays as it was.
  const plain = practice.joinOptions(practice.initialPractice(), { away: false, wanted });
  assert.deepEqual(plain.options, wanted);
  assert.equal(plain.practice.applied, false);

  // A join that fails forgets what it would have given back.
  s = run(joined.practice, true, { muted: false, cameraOn: false }, 'out');
  assert.equal(s.practice.applied, false);
});
