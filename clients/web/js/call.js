// The room's call: audio and video between the members' browsers, peer to peer.
//
// This file is the mount. It follows who is in the call (`welcome.room.call`, then every
// `callState`), joins and leaves with `call` commands, relays the connection setup through
// `signal` (call_peers.js), and owns this device's microphone and camera (call_media.js). It
// shows nothing itself: the call's controls and tiles read call.state() and call the methods
// of the object mountCall returns. It tells people who joined or left the call through
// links.notify.
//
// When the room's WebSocket comes back after a drop, the server has already taken this
// member out of the call; the page joins again with a new session and every link is rebuilt,
// without a reload.
//
// For tests and the console, window.__coleadCall is a read-only view:
// { state(), peerConnections() } where peerConnections() is [{ memberId, pc }].

import {
  arrivalsAndDepartures, callOf, iceServersOf, isAudioOnly, joiningIsAudioOnly, newSession,
  othersIn, selfStatus,
} from './call_state.js';
import { CallMesh } from './call_peers.js';
import { LocalMedia, SpeakingMeters } from './call_media.js';

const LOCAL = 'local'; // the key of this device's voice in the speaking meters

/** A thrown value as words for a person. */
function wordsOf(err, fallback) {
  return typeof err?.message === 'string' && err.message ? err.message : fallback;
}

/**
 * Mounts the call. links.notify(text) tells people who joined or left the call.
 * Returns the call (see docs/web-client.md): { state(), subscribe(fn), join(options), leave(),
 * setMuted(on), setCamera(on), devices(), chooseDevice(kind, deviceId) }.
 */
export function mountCall(room, links = {}) {
  const conn = room.connection;
  const me = () => conn.memberId;
  const nameOf = (id) => room.members?.nameOf?.(id);
  const notify = links.notify ?? room.announce ?? (() => {});
  const media = new LocalMedia();
  const listeners = new Set();
  const ownSessions = new Set();

  let call = callOf(null); // the latest call from the server
  let phase = 'out'; // 'out' | 'joining' | 'in'
  let session = null; // my session while joining or in the call
  let local = { muted: false, cameraOn: false, noMicrophone: false };
  let error = null;
  let sendingVideo = null; // the video track the links send (null while audio only)
  let watchingNetwork = false;

  const meters = new SpeakingMeters(() => changed());
  const mesh = new CallMesh({
    me,
    // Signals are not acknowledged. One refused (the member just left, the connection
    // dropped) needs nothing: the next call state closes or rebuilds the link.
    send: (to, body) => conn.send('signal', { to, ...body }),
    onChange: (link) => {
      if (mesh.link(link.memberId) === link && link.stream) meters.measure(link.memberId, link.stream);
      else if (!mesh.link(link.memberId)) meters.forget(link.memberId);
      changed();
    },
  });

  function changed() {
    for (const fn of [...listeners]) {
      try {
        fn();
      } catch (err) {
        console.error('colead: a call listener failed', err);
      }
    }
  }

  /** The tracks every link sends now. */
  function tracks() {
    return { audio: media.audioTrack, video: sendingVideo };
  }

  /** Follows the call: links opened and closed, video sent or not. */
  function follow() {
    const video = isAudioOnly(call) ? null : media.videoTrack;
    if (video !== sendingVideo) {
      sendingVideo = video;
      mesh.setTrack('video', video);
    }
    mesh.update(call, phase === 'in' ? session : null, tracks(), media.stream);
  }

  function take(callState, { announce }) {
    const before = call;
    call = callOf(callState);
    if (announce) {
      for (const text of arrivalsAndDepartures(before, call, me(), nameOf)) notify(text);
    }
    if (phase === 'in' && selfStatus(call, me(), session, ownSessions) === 'elsewhere') {
      end('You joined the call from another device, so it left the call here.');
      return;
    }
    follow();
    changed();
  }

  function mediaCommand() {
    return { muted: local.muted, cameraOn: local.cameraOn, noMicrophone: local.noMicrophone };
  }

  async function sendJoin() {
    session = newSession((n) => crypto.getRandomValues(new Uint8Array(n)));
    ownSessions.add(session);
    const mine = session;
    await conn.request('call', { join: { session: mine, ...mediaCommand() } });
    return mine === session;
  }

  /** Ends the call on this page: links closed, devices stopped, timers gone. */
  function end(why = null) {
    phase = 'out';
    session = null;
    error = why;
    sendingVideo = null;
    mesh.close();
    meters.stop();
    media.stop();
    watchNetwork(false);
    changed();
  }

  // A device that changed networks (Wi-Fi to mobile, back online) restarts ICE at once.
  const onNetwork = () => mesh.restartIce();
  function watchNetwork(on) {
    if (on === watchingNetwork) return;
    watchingNetwork = on;
    const how = on ? 'addEventListener' : 'removeEventListener';
    globalThis[how]?.('online', onNetwork);
    globalThis.navigator?.connection?.[how]?.('change', onNetwork);
  }

  // ---- the room -------------------------------------------------------------------------

  conn.on('welcome', (welcome) => {
    mesh.setIceServers(iceServersOf(welcome.iceServers));
    take(welcome.room?.call, { announce: false });
    if (phase === 'in') rejoin();
  });
  conn.on('callState', (state) => take(state, { announce: true }));
  conn.on('signal', (signal) => mesh.receive(signal));

  /** After the room's connection came back: the same call, a new session, new links. */
  async function rejoin() {
    try {
      const current = await sendJoin();
      if (current) follow();
    } catch (err) {
      if (phase === 'in') {
        end(`The call was lost when the connection dropped: ${wordsOf(err, 'try joining again')}`);
      }
    }
  }

  // ---- what the page asks -----------------------------------------------------------------

  async function join({ muted = false, cameraOn = true, noMicrophone = false } = {}) {
    if (phase !== 'out') return;
    if (!conn.joined) {
      throw new Error('Not connected to the room yet: wait until it is connected, then join.');
    }
    phase = 'joining';
    error = null;
    changed();
    try {
      const got = await media.start({ cameraOn, noMicrophone,
                                       audioOnly: joiningIsAudioOnly(call, me()) });
      if (phase !== 'joining') {
        media.stop(); // left while the browser was asking: the devices go off again
        throw new Error('You left the call before it was joined.');
      }
      local = { muted: muted || got.noMicrophone, cameraOn: cameraOn && got.hasCamera,
                noMicrophone: got.noMicrophone };
      media.setMicrophoneEnabled(!local.muted);
      media.setCameraEnabled(local.cameraOn);
      meters.measure(LOCAL, media.stream);
      await sendJoin();
      if (phase !== 'joining') {
        conn.request('call', { leave: {} }).catch(() => {});
        throw new Error('You left the call before it was joined.');
      }
      phase = 'in';
      watchNetwork(true);
      follow();
      changed();
    } catch (err) {
      const words = `Could not join the call: ${wordsOf(err, 'something went wrong')}`;
      if (phase === 'joining') end(words);
      throw new Error(words, { cause: err });
    }
  }

  function leave() {
    if (phase === 'out') return;
    const wasIn = phase;
    end();
    if (wasIn === 'in') conn.request('call', { leave: {} }).catch(() => {});
  }

  function sayMedia() {
    if (phase === 'in') conn.request('call', { media: mediaCommand() }).catch(() => {});
    changed();
  }

  function setMuted(on) {
    local = { ...local, muted: local.noMicrophone ? true : !!on };
    media.setMicrophoneEnabled(!local.muted);
    sayMedia();
  }

  async function setCamera(on) {
    if (on && phase === 'in' && !media.videoTrack) {
      if (isAudioOnly(call)) {
        error = `Cameras are off while more than ${call.videoLimit} people are in the call.`;
        changed();
        return;
      }
      let track;
      try {
        track = await media.startCamera();
      } catch (err) {
        error = wordsOf(err, 'The camera could not be started.');
        changed();
        return;
      }
      if (!track) {
        error = 'No camera was found on this device.';
        changed();
        return;
      }
      if (phase !== 'in') return;
      meters.measure(LOCAL, media.stream);
      follow();
    }
    local = { ...local, cameraOn: !!on && !!media.videoTrack };
    media.setCameraEnabled(local.cameraOn);
    sayMedia();
  }

  async function chooseDevice(kind, deviceId) {
    if (kind === 'audiooutput') {
      mesh.setSinkId(deviceId || null);
      return;
    }
    if (kind !== 'audioinput' && kind !== 'videoinput') return;
    let track;
    try {
      track = await media.choose(kind, deviceId);
    } catch (err) {
      error = wordsOf(err, 'That device could not be started.');
      changed();
      return;
    }
    if (!track || phase === 'out') return;
    if (kind === 'audioinput') {
      mesh.setTrack('audio', track);
      meters.measure(LOCAL, media.stream);
    } else {
      sendingVideo = null; // follow() sends the new camera unless the call is audio only
      follow();
    }
    changed();
  }

  function state() {
    return {
      phase,
      local: { ...local, speaking: meters.speaking(LOCAL), stream: media.stream },
      members: othersIn(call, me()).map((m) => {
        const link = mesh.link(m.memberId);
        return { ...m, speaking: meters.speaking(m.memberId), link: link?.link ?? 'connecting',
                 stream: link?.stream ?? null };
      }),
      videoLimit: call.videoLimit,
      audioOnly: isAudioOnly(call),
      error,
    };
  }

  const api = Object.freeze({
    state,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    join,
    leave,
    setMuted,
    setCamera,
    devices: () => media.devices(),
    chooseDevice,
  });

  const view = Object.freeze({ state, peerConnections: () => mesh.connections() });
  Object.defineProperty(globalThis, '__coleadCall', { configurable: true, get: () => view });
  return api;
}
