// The room's call as this page reads it: pure functions, no DOM, no WebRTC, no clock of their
// own (every time is passed in as ms).
//
// The server says who is in the call (`callState`, and `welcome.room.call`): members in join
// order, each with the session they joined with. This page keeps one peer connection per
// other member in the call (a mesh), rebuilt whenever that member's session or ours changes,
// so a late signal of an earlier session is recognised and dropped. Who offers first never
// matters (perfect negotiation): the member with the smaller id is the polite one and gives
// way when both offer at once.
//
// Also here: the order in which the page asks the browser for devices when some are missing,
// the speaking detector (a level above a threshold, held for a moment), the link's words from
// the browser's connection states, and when a troubled link gets an ICE restart.

/** Cameras are used up to this many people in the call when the server does not say. */
export const DEFAULT_VIDEO_LIMIT = 4;

/** Characters of a call session id (the server accepts 8 to 64 of [A-Za-z0-9_-]). */
const SESSION_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
export const SESSION_LENGTH = 22;

/**
 * A new call session id: SESSION_LENGTH characters the server accepts. `randomBytes(n)`
 * returns n random bytes (crypto.getRandomValues in the page).
 */
export function newSession(randomBytes) {
  const bytes = randomBytes(SESSION_LENGTH);
  let session = '';
  for (let i = 0; i < SESSION_LENGTH; i += 1) session += SESSION_ALPHABET[bytes[i] & 63];
  return session;
}

/** True when `session` is a session id the server accepts. */
export function isSession(session) {
  return typeof session === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(session);
}

/** A CallMember from the wire (JSON mapping: absent fields are false, 0 or empty). */
export function memberOf(member) {
  const joinedAtMs = Number(member?.joinedAtMs ?? 0);
  return {
    memberId: String(member?.memberId ?? ''),
    session: String(member?.session ?? ''),
    muted: member?.muted === true,
    cameraOn: member?.cameraOn === true,
    noMicrophone: member?.noMicrophone === true,
    joinedAtMs: Number.isFinite(joinedAtMs) ? joinedAtMs : 0,
  };
}

/**
 * The call from a CallState on the wire (or null/undefined: nobody in it): { members (join
 * order, those without an id left out), videoLimit }.
 */
export function callOf(callState) {
  const limit = Number(callState?.videoLimit ?? 0);
  return {
    members: (callState?.members ?? []).map(memberOf).filter((m) => m.memberId !== ''),
    videoLimit: Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_VIDEO_LIMIT,
  };
}

/** True when the call has more people than cameras are used for: everyone sends audio only. */
export function isAudioOnly(call) {
  return call.members.length > call.videoLimit;
}

/**
 * True when joining would make the call audio only (`call` as callOf gives it, without me).
 */
export function joiningIsAudioOnly(call, me) {
  const others = call.members.filter((m) => m.memberId !== me).length;
  return others + 1 > call.videoLimit;
}

/** This member's entry in the call, or null. */
export function selfIn(call, me) {
  return call.members.find((m) => m.memberId === me) ?? null;
}

/** The other members in the call, in join order. */
export function othersIn(call, me) {
  return call.members.filter((m) => m.memberId !== me);
}

/**
 * In perfect negotiation the polite peer gives way when both offer at once. Both sides must
 * agree: the member with the smaller id is polite.
 */
export function isPolite(me, them) {
  return me < them;
}

/**
 * What to do with the peer connections when the call changes. `peers` are the connections
 * held now, [{ memberId, session, mySession }]; `call` is callOf(...), `me` my member id and
 * `mySession` the session I am in the call with (null when I am not in it).
 * Returns { close: [memberId], open: [{ memberId, session }] }: a connection is closed when its
 * member left, joined again (a new session) or when I joined again; one is opened for every
 * other member in the call without a current connection. Nothing is opened while I am not in
 * the call with `mySession`.
 */
export function peerPlan(peers, call, me, mySession) {
  const inCall = mySession !== null && selfIn(call, me)?.session === mySession;
  const wanted = new Map(inCall ? othersIn(call, me).map((m) => [m.memberId, m.session]) : []);
  const close = [];
  const kept = new Set();
  for (const peer of peers) {
    if (wanted.get(peer.memberId) === peer.session && peer.mySession === mySession) {
      kept.add(peer.memberId);
    } else {
      close.push(peer.memberId);
    }
  }
  const open = [...wanted].filter(([memberId]) => !kept.has(memberId))
      .map(([memberId, session]) => ({ memberId, session }));
  return { close, open };
}

/**
 * Whether a signal from the server belongs to a peer connection held now: it must come from
 * a member I hold a connection with, of that member's current session. A signal of an
 * earlier session (it crossed a re-join on the way) is dropped.
 */
export function signalFits(signal, peer) {
  return !!peer && typeof signal?.from === 'string' && signal.from === peer.memberId &&
         signal.session === peer.session;
}

/** A SessionDescription for the wire from an RTCSessionDescription ({ type, sdp }). */
export function descriptionToWire({ type, sdp }) {
  if (type !== 'offer' && type !== 'answer') return null;
  return { type: type.toUpperCase(), sdp };
}

/** An RTCSessionDescriptionInit from the wire, or null when it is not an offer or answer. */
export function descriptionFromWire(description) {
  const type = String(description?.type ?? '').toLowerCase();
  if ((type !== 'offer' && type !== 'answer') || typeof description.sdp !== 'string') return null;
  return { type, sdp: description.sdp };
}

/** An IceCandidate for the wire from an RTCIceCandidate (or its JSON). */
export function candidateToWire(candidate) {
  const wire = { candidate: candidate.candidate ?? '' };
  if (candidate.sdpMid !== null && candidate.sdpMid !== undefined) wire.sdpMid = candidate.sdpMid;
  if (Number.isInteger(candidate.sdpMLineIndex)) wire.sdpMLineIndex = candidate.sdpMLineIndex;
  if (candidate.usernameFragment) wire.usernameFragment = candidate.usernameFragment;
  return wire;
}

/** An RTCIceCandidateInit from the wire (sdpMid and sdpMLineIndex null when absent). */
export function candidateFromWire(candidate) {
  const index = Number(candidate?.sdpMLineIndex);
  return {
    candidate: String(candidate?.candidate ?? ''),
    sdpMid: typeof candidate?.sdpMid === 'string' && candidate.sdpMid !== '' ? candidate.sdpMid
                                                                             : null,
    sdpMLineIndex: candidate?.sdpMLineIndex !== undefined && Number.isInteger(index) ? index
                                                                                    : null,
    usernameFragment: candidate?.usernameFragment || null,
  };
}

/** RTCIceServer entries from the welcome's ice_servers (those without a URL left out). */
export function iceServersOf(servers) {
  return (servers ?? []).filter((s) => Array.isArray(s?.urls) && s.urls.length > 0).map((s) => {
    const server = { urls: [...s.urls] };
    if (s.username) server.username = s.username;
    if (s.credential) server.credential = s.credential;
    return server;
  });
}

// ---- asking for devices ----------------------------------------------------------------

/**
 * The first getUserMedia request for a join: the microphone unless the member takes part
 * without one, the camera when they want it and the call is not audio only. Returns
 * { audio, video } booleans, or null when nothing is to be asked (listening only).
 */
export function firstAsk({ cameraOn, noMicrophone, audioOnly }) {
  const ask = { audio: !noMicrophone, video: cameraOn && !audioOnly };
  return ask.audio || ask.video ? ask : null;
}

/** Errors that mean a device is missing or cannot be used, rather than a refusal. */
const MISSING = new Set(['NotFoundError', 'OverconstrainedError', 'NotReadableError',
                         'AbortError', 'DevicesNotFoundError', 'TrackStartError']);

/**
 * After getUserMedia(`ask`) failed with an error named `errorName`: what next. `wantsVideo`
 * says whether the join wants the camera. Returns { ask } to try with fewer devices,
 * { listenOnly: true } to take part without sending anything (no device could be used), or
 * { refuse: words } when the person or the browser refused (asking for fewer devices would
 * only ask again). Which device is missing is not said by the error, so a failed microphone
 * and camera become the microphone alone, a failed microphone the camera alone (when
 * wanted), and a failed camera alone listening only.
 */
export function afterAskFailed(ask, errorName, wantsVideo) {
  if (!MISSING.has(errorName)) {
    if (errorName === 'NotAllowedError' || errorName === 'PermissionDeniedError' ||
        errorName === 'SecurityError') {
      return { refuse: 'The browser did not allow the microphone or camera. Allow them for ' +
                       'this page in the browser\u2019s site settings, then try again.' };
    }
    return { refuse: 'The browser could not start the microphone or camera.' };
  }
  if (ask.audio && ask.video) return { ask: { audio: true, video: false } };
  if (ask.audio && wantsVideo) return { ask: { audio: false, video: true } };
  return { listenOnly: true };
}

// ---- links -------------------------------------------------------------------------------

/**
 * The link with a member in words the page shows, from RTCPeerConnection.connectionState
 * and whether it was ever connected: 'connecting' | 'connected' | 'reconnecting' | 'failed'.
 */
export function linkOf(connectionState, everConnected) {
  switch (connectionState) {
    case 'connected':
      return 'connected';
    case 'failed':
      return 'failed';
    case 'disconnected':
      return 'reconnecting';
    default:
      return everConnected ? 'reconnecting' : 'connecting';
  }
}

/** How long a link may stay 'disconnected' before ICE restarts (it often recovers alone). */
export const DISCONNECTED_GRACE_MS = 3000;
/** While a link stays down, ICE restarts again after this long. */
export const RESTART_AGAIN_MS = 8000;

/**
 * Whether to restart ICE now. `iceState` is RTCPeerConnection.iceConnectionState, `downSinceMs`
 * when it last left 'connected'/'completed' (null while up), `lastRestartMs` when ICE was last
 * restarted (null: never), `nowMs` the time now. Returns true for 'failed' at once and for
 * 'disconnected' after DISCONNECTED_GRACE_MS; never twice within RESTART_AGAIN_MS.
 */
export function shouldRestartIce({ iceState, downSinceMs, lastRestartMs, nowMs }) {
  if (iceState !== 'failed' && iceState !== 'disconnected') return false;
  if (lastRestartMs !== null && nowMs - lastRestartMs < RESTART_AGAIN_MS) return false;
  if (iceState === 'failed') return true;
  return downSinceMs !== null && nowMs - downSinceMs >= DISCONNECTED_GRACE_MS;
}

// ---- speaking ----------------------------------------------------------------------------

/** A level (0..1, root mean square) above which a voice counts as speaking. */
export const SPEAKING_LEVEL = 0.04;
/** Speaking stays on this long after the level falls, so pauses between words do not flicker. */
export const SPEAKING_HOLD_MS = 600;

/**
 * The root-mean-square level (0..1) of time-domain samples from AnalyserNode
 * getByteTimeDomainData (unsigned bytes, 128 for silence).
 */
export function levelOf(samples) {
  if (!samples || samples.length === 0) return 0;
  let sum = 0;
  for (const byte of samples) {
    const x = (byte - 128) / 128;
    sum += x * x;
  }
  return Math.sqrt(sum / samples.length);
}

/** A speaking detector: { speaking, lastLoudMs }. */
export function speakingDetector() {
  return { speaking: false, lastLoudMs: null };
}

/**
 * Feeds a level measured at `nowMs` to a detector; returns the next detector. Speaking starts
 * as soon as the level is above SPEAKING_LEVEL and stops SPEAKING_HOLD_MS after it last was.
 */
export function speakingStep(detector, level, nowMs) {
  const loud = level >= SPEAKING_LEVEL;
  const lastLoudMs = loud ? nowMs : detector.lastLoudMs;
  const speaking = lastLoudMs !== null && nowMs - lastLoudMs < SPEAKING_HOLD_MS;
  return { speaking, lastLoudMs };
}

// ---- what others are told ---------------------------------------------------------------

/**
 * The notices of who joined and who left the call between two calls (callOf), for members
 * other than me: ["Asha joined the call.", ...]. `nameOf(id)` names a member. A member who
 * joined again (a new session, after a network change) is not news.
 */
export function arrivalsAndDepartures(before, after, me, nameOf) {
  const was = new Set(before.members.map((m) => m.memberId));
  const is = new Set(after.members.map((m) => m.memberId));
  const name = (id) => nameOf(id) || 'Someone';
  const said = [];
  for (const m of after.members) {
    if (m.memberId !== me && !was.has(m.memberId)) said.push(`${name(m.memberId)} joined the call.`);
  }
  for (const m of before.members) {
    if (m.memberId !== me && !is.has(m.memberId)) said.push(`${name(m.memberId)} left the call.`);
  }
  return said;
}

/**
 * Where the call puts this page: 'in' (my member with `session`), 'elsewhere' (my member with
 * a session this page never made: I joined from another device, which took my place), or
 * 'absent' (not in it, or with one of this page's earlier sessions that the server has not
 * yet let go). `ownSessions` is a Set of every session this page joined with.
 */
export function selfStatus(call, me, session, ownSessions) {
  const self = selfIn(call, me);
  if (!self) return 'absent';
  if (self.session === session) return 'in';
  return ownSessions.has(self.session) ? 'absent' : 'elsewhere';
}
