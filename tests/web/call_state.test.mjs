// Tests for the call as the page reads it (clients/web/js/call_state.js): the call from the
// wire, which peer connections to open and close, which signals to drop, what to ask the
// browser for when devices are missing, when ICE restarts, and the speaking detector.
//
// Run: node --test tests/web/

import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as cs from '../../clients/web/js/call_state.js';

const member = (memberId, session, extra = {}) => ({ memberId, session, ...extra });
const callWith = (...members) => cs.callOf({ members, videoLimit: 4 });

test('the call from the wire: defaults for absent fields, join order kept', () => {
  assert.deepEqual(cs.callOf(undefined), { members: [], videoLimit: cs.DEFAULT_VIDEO_LIMIT });
  const call = cs.callOf({
    members: [{ memberId: 'b', session: 'sessionB1', muted: true, joinedAtMs: '1700000000000' },
              { memberId: 'a', session: 'sessionA1', cameraOn: true, noMicrophone: true },
              { session: 'nobody00' }],
    videoLimit: 2,
  });
  assert.equal(call.videoLimit, 2);
  assert.deepEqual(call.members, [
    { memberId: 'b', session: 'sessionB1', muted: true, cameraOn: false, noMicrophone: false,
      joinedAtMs: 1700000000000 },
    { memberId: 'a', session: 'sessionA1', muted: false, cameraOn: true, noMicrophone: true,
      joinedAtMs: 0 },
  ], 'int64 as a string becomes a number; a member without an id is left out');
  assert.equal(cs.callOf({ videoLimit: 0 }).videoLimit, cs.DEFAULT_VIDEO_LIMIT);
});

test('the call is audio only beyond the video limit, and a join that would pass it knows', () => {
  const four = callWith(member('a', 's'), member('b', 's'), member('c', 's'), member('d', 's'));
  assert.equal(cs.isAudioOnly(four), false);
  assert.equal(cs.joiningIsAudioOnly(four, 'e'), true, 'a fifth person');
  assert.equal(cs.joiningIsAudioOnly(four, 'a'), false, 'a member already in it, joining again');
  const five = callWith(...four.members, member('e', 's'));
  assert.equal(cs.isAudioOnly(five), true);
});

test('session ids are what the server accepts, from the random bytes given', () => {
  const zeros = cs.newSession((n) => new Uint8Array(n));
  assert.equal(zeros, 'A'.repeat(cs.SESSION_LENGTH));
  let seed = 7;
  const bytes = (n) => Uint8Array.from({ length: n }, () => (seed = (seed * 131 + 17) % 256));
  const session = cs.newSession(bytes);
  assert.ok(cs.isSession(session), session);
  assert.notEqual(session, cs.newSession(bytes));
  assert.equal(cs.isSession('short'), false);
  assert.equal(cs.isSession('has space in it'), false);
  assert.equal(cs.isSession('x'.repeat(65)), false);
});

test('both sides agree on who is polite', () => {
  assert.equal(cs.isPolite('m1', 'm2'), true);
  assert.equal(cs.isPolite('m2', 'm1'), false);
});

test('links open for every other member once I am in the call with my session', () => {
  const call = callWith(member('a', 'sessA'), member('me', 'mine1'), member('b', 'sessB'));
  assert.deepEqual(cs.peerPlan([], call, 'me', null), { close: [], open: [] },
                   'not in the call: no links');
  assert.deepEqual(cs.peerPlan([], call, 'me', 'mine0'), { close: [], open: [] },
                   'the call still names my earlier session: wait for mine');
  assert.deepEqual(cs.peerPlan([], call, 'me', 'mine1'), {
    close: [], open: [{ memberId: 'a', session: 'sessA' }, { memberId: 'b', session: 'sessB' }],
  });
});

test('links close when their member leaves or joins again, and all of them when I do', () => {
  const held = [{ memberId: 'a', session: 'sessA', mySession: 'mine1' },
                { memberId: 'b', session: 'sessB', mySession: 'mine1' }];
  const same = callWith(member('a', 'sessA'), member('me', 'mine1'), member('b', 'sessB'));
  assert.deepEqual(cs.peerPlan(held, same, 'me', 'mine1'), { close: [], open: [] });

  const bAgain = callWith(member('a', 'sessA'), member('me', 'mine1'), member('b', 'sessB2'));
  assert.deepEqual(cs.peerPlan(held, bAgain, 'me', 'mine1'),
                   { close: ['b'], open: [{ memberId: 'b', session: 'sessB2' }] });

  const aLeft = callWith(member('me', 'mine1'), member('b', 'sessB'));
  assert.deepEqual(cs.peerPlan(held, aLeft, 'me', 'mine1'), { close: ['a'], open: [] });

  const meAgain = callWith(member('a', 'sessA'), member('me', 'mine2'), member('b', 'sessB'));
  assert.deepEqual(cs.peerPlan(held, meAgain, 'me', 'mine2'), {
    close: ['a', 'b'],
    open: [{ memberId: 'a', session: 'sessA' }, { memberId: 'b', session: 'sessB' }],
  }, 'after my re-join every link is new, even to members whose session is the same');

  const meGone = callWith(member('a', 'sessA'), member('b', 'sessB'));
  assert.deepEqual(cs.peerPlan(held, meGone, 'me', 'mine1'), { close: ['a', 'b'], open: [] });
  assert.deepEqual(cs.peerPlan(held, same, 'me', null), { close: ['a', 'b'], open: [] });
});

test('a signal fits only the link of its sender and the sender\'s current session', () => {
  const link = { memberId: 'a', session: 'sessA2' };
  assert.equal(cs.signalFits({ from: 'a', session: 'sessA2', candidate: {} }, link), true);
  assert.equal(cs.signalFits({ from: 'a', session: 'sessA1', candidate: {} }, link), false,
               'a late signal of the earlier session');
  assert.equal(cs.signalFits({ from: 'b', session: 'sessA2' }, link), false);
  assert.equal(cs.signalFits({ from: 'a', session: 'sessA2' }, null), false, 'no link');
  assert.equal(cs.signalFits({ session: 'sessA2' }, link), false, 'no sender');
});

test('descriptions and candidates go to the wire and back unchanged', () => {
  assert.deepEqual(cs.descriptionToWire({ type: 'offer', sdp: 'v=0' }), { type: 'OFFER', sdp: 'v=0' });
  assert.equal(cs.descriptionToWire({ type: 'rollback', sdp: '' }), null);
  assert.deepEqual(cs.descriptionFromWire({ type: 'ANSWER', sdp: 'v=0' }), { type: 'answer', sdp: 'v=0' });
  assert.equal(cs.descriptionFromWire({ type: 'TYPE_UNSPECIFIED', sdp: 'v=0' }), null);
  assert.equal(cs.descriptionFromWire({ type: 'OFFER' }), null, 'no SDP');

  const candidate = { candidate: 'candidate:1 1 udp 2122260223 10.0.0.2 50000 typ host',
                      sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' };
  const wire = cs.candidateToWire(candidate);
  assert.deepEqual(wire, candidate);
  assert.deepEqual(cs.candidateFromWire(wire), candidate);
  assert.deepEqual(cs.candidateFromWire({ candidate: 'c' }),
                   { candidate: 'c', sdpMid: null, sdpMLineIndex: null, usernameFragment: null },
                   'absent fields of the JSON mapping');
  assert.deepEqual(cs.candidateToWire({ candidate: 'c', sdpMid: null, sdpMLineIndex: null }),
                   { candidate: 'c' });
});

test('ICE servers from the welcome keep their credentials; those without a URL go', () => {
  assert.deepEqual(cs.iceServersOf(undefined), []);
  assert.deepEqual(cs.iceServersOf([
    { urls: ['stun:stun.example.org:3478'] },
    { urls: ['turn:turn.example.org:3478?transport=udp'], username: '1700000000:m1',
      credential: 'c2VjcmV0', expiresAtMs: '1700000000000' },
    { urls: [] },
  ]), [
    { urls: ['stun:stun.example.org:3478'] },
    { urls: ['turn:turn.example.org:3478?transport=udp'], username: '1700000000:m1',
      credential: 'c2VjcmV0' },
  ]);
});

test('a join asks for the microphone, and the camera only when wanted and video is on', () => {
  assert.deepEqual(cs.firstAsk({ cameraOn: true, noMicrophone: false, audioOnly: false }),
                   { audio: true, video: true });
  assert.deepEqual(cs.firstAsk({ cameraOn: true, noMicrophone: false, audioOnly: true }),
                   { audio: true, video: false });
  assert.deepEqual(cs.firstAsk({ cameraOn: false, noMicrophone: true, audioOnly: false }), null,
                   'listening only asks for nothing');
  assert.deepEqual(cs.firstAsk({ cameraOn: true, noMicrophone: true, audioOnly: false }),
                   { audio: false, video: true });
});

test('missing devices fall back step by step; a refusal is said in plain words', () => {
  const both = { audio: true, video: true };
  const mic = { audio: true, video: false };
  const camera = { audio: false, video: true };
  assert.deepEqual(cs.afterAskFailed(both, 'NotFoundError', true), { ask: mic },
                   'no camera: the microphone alone');
  assert.deepEqual(cs.afterAskFailed(mic, 'NotFoundError', true), { ask: camera },
                   'no microphone either way: the camera alone');
  assert.deepEqual(cs.afterAskFailed(camera, 'NotFoundError', true), { listenOnly: true });
  assert.deepEqual(cs.afterAskFailed(mic, 'NotReadableError', false), { listenOnly: true },
                   'a microphone another program holds, no camera wanted: listen only');
  const refused = cs.afterAskFailed(both, 'NotAllowedError', true);
  assert.match(refused.refuse, /did not allow the microphone or camera/);
  assert.match(cs.afterAskFailed(mic, 'TypeError', false).refuse, /could not start/);
});

test('a link says how it is, in the words the page shows', () => {
  assert.equal(cs.linkOf('new', false), 'connecting');
  assert.equal(cs.linkOf('connecting', false), 'connecting');
  assert.equal(cs.linkOf('connected', false), 'connected');
  assert.equal(cs.linkOf('disconnected', true), 'reconnecting');
  assert.equal(cs.linkOf('connecting', true), 'reconnecting', 'connecting again after a restart');
  assert.equal(cs.linkOf('failed', true), 'failed');
});

test('ICE restarts at once when failed, after a grace when disconnected, not too often', () => {
  const at = (iceState, downSinceMs, lastRestartMs, nowMs) =>
    cs.shouldRestartIce({ iceState, downSinceMs, lastRestartMs, nowMs });
  assert.equal(at('connected', null, null, 1000), false);
  assert.equal(at('checking', 0, null, 60000), false);
  assert.equal(at('failed', 1000, null, 1000), true);
  assert.equal(at('disconnected', 1000, null, 1000 + cs.DISCONNECTED_GRACE_MS - 1), false,
               'a short disconnection often recovers alone');
  assert.equal(at('disconnected', 1000, null, 1000 + cs.DISCONNECTED_GRACE_MS), true);
  assert.equal(at('failed', 1000, 5000, 5000 + cs.RESTART_AGAIN_MS - 1), false,
               'a restart under way gets its time');
  assert.equal(at('failed', 1000, 5000, 5000 + cs.RESTART_AGAIN_MS), true, 'then again');
});

test('speaking starts above the level and holds through short pauses', () => {
  const silence = new Uint8Array(256).fill(128);
  assert.equal(cs.levelOf(silence), 0);
  assert.equal(cs.levelOf(new Uint8Array(0)), 0);
  const loud = Uint8Array.from({ length: 256 }, (_, i) => (i % 2 ? 128 + 40 : 128 - 40));
  assert.ok(Math.abs(cs.levelOf(loud) - 40 / 128) < 1e-9);

  let d = cs.speakingDetector();
  d = cs.speakingStep(d, 0, 0);
  assert.equal(d.speaking, false);
  d = cs.speakingStep(d, cs.SPEAKING_LEVEL, 100);
  assert.equal(d.speaking, true);
  d = cs.speakingStep(d, 0, 100 + cs.SPEAKING_HOLD_MS - 1);
  assert.equal(d.speaking, true, 'held between words');
  d = cs.speakingStep(d, 0, 100 + cs.SPEAKING_HOLD_MS);
  assert.equal(d.speaking, false);
});

test('others hear who joined and left the call; a re-join is no news, nor am I', () => {
  const names = { a: 'Asha', b: 'Ben' };
  const nameOf = (id) => names[id];
  const before = callWith(member('a', 'sessA'), member('me', 'mine'));
  const after = callWith(member('a', 'sessA2'), member('me', 'mine2'), member('b', 'sessB'),
                         member('x', 'sessX'));
  assert.deepEqual(cs.arrivalsAndDepartures(before, after, 'me', nameOf),
                   ['Ben joined the call.', 'Someone joined the call.']);
  assert.deepEqual(cs.arrivalsAndDepartures(after, callWith(member('b', 'sessB')), 'me', nameOf),
                   ['Asha left the call.', 'Someone left the call.']);
});

test('the page knows when it is in the call, out of it, or replaced by another device', () => {
  const own = new Set(['mine1', 'mine2']);
  assert.equal(cs.selfStatus(callWith(member('me', 'mine2')), 'me', 'mine2', own), 'in');
  assert.equal(cs.selfStatus(callWith(member('me', 'mine1')), 'me', 'mine2', own), 'absent',
               'the server still holds my earlier session');
  assert.equal(cs.selfStatus(callWith(member('me', 'phone123')), 'me', 'mine2', own),
               'elsewhere');
  assert.equal(cs.selfStatus(callWith(member('a', 'sessA')), 'me', 'mine2', own), 'absent');
});
