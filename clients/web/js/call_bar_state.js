// The call's strip in the room bar, in words: what joining means before the browser asks for
// the microphone, the state of this member's microphone and camera, a tile for each person in
// the call (muted, camera off, listening only, speaking, turned away, a link that is still
// connecting), when the call is audio only, and the notices of what others changed. Pure: no
// DOM, no call of its own; it reads call.state() (call.js), the consult's run and names.
// Tested in tests/web/call_bar_state.test.mjs.

/** Said before the browser asks for the microphone: where the call goes, and what is kept. */
export const CONSENT = 'Your voice and video go straight to the others’ browsers, encrypted. ' +
                       'Nothing of the call passes through or is kept on the server, and ' +
                       'nothing is recorded.';

/** This member's microphone in words. */
export function micWords(media) {
  if (media?.noMicrophone) return 'Listening only (no microphone)';
  return media?.muted ? 'Muted' : 'Microphone on';
}

/** This member's camera in words. */
export function cameraWords(media) {
  return media?.cameraOn ? 'Camera on' : 'Camera off';
}

/** Up to two letters for a name: "Asha Patel" → "AP", "ben" → "B". */
export function initials(name) {
  const words = String(name ?? '').trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => [...w][0].toLocaleUpperCase());
  return letters.join('') || '?';
}

const LINK_WORDS = Object.freeze({
  connecting: 'connecting…',
  reconnecting: 'reconnecting…',
  failed: 'connection lost',
});

/** The members the consult's run turns away now (a paused round turns nobody away). */
export function turnedAwayIds(run) {
  if (!run?.consultId || run.active !== true || run.paused === true) return new Set();
  return new Set((run.roles ?? []).filter((r) => r.turnedAway === true).map((r) => r.memberId));
}

/**
 * One tile: { memberId, you, name, initials, words (visible), speaking, turnedAway,
 * video (whether to show the camera), link }. `media` is call.state().local for this member,
 * a call member for the others.
 */
export function tile(media, { memberId, you, name, away, audioOnly }) {
  // My own tile says both states in full ("Microphone on, Camera on"); the others' only what
  // is off, so a tile stays short.
  const words = you ? [micWords(media), cameraWords(media)] : [];
  if (!you && media.noMicrophone) words.push('listening only');
  else if (!you && media.muted) words.push('muted');
  if (!you && !media.cameraOn) words.push('camera off');
  if (away) words.push('turned away');
  const link = you ? '' : LINK_WORDS[media.link] ?? '';
  if (link) words.push(link);
  return {
    memberId,
    you,
    name: you ? 'You' : name,
    initials: initials(name),
    words: words.join(', '),
    speaking: media.speaking === true && !media.muted && !media.noMicrophone,
    turnedAway: away,
    video: media.cameraOn === true && !audioOnly && Boolean(media.stream),
    link: media.link ?? '',
  };
}

/**
 * Everything the strip shows, from `state` (call.state(), or null before the call is there).
 * `me` is this member's id, `nameOf(id)` a member's name, `run` the consult's run,
 * `practiceLine` what the practice says (call_practice_state.line), `consentOpen` whether the
 * person opened "Join the call".
 */
export function stripView(state, { me = '', nameOf = () => 'Someone', run = null,
                                   practiceLine = '', consentOpen = false } = {}) {
  const phase = state?.phase ?? 'out';
  const members = state?.members ?? [];
  const away = turnedAwayIds(run);
  const audioOnly = state?.audioOnly === true;
  const local = state?.local ?? {};
  const inCall = phase === 'in';
  const tiles = inCall
    ? [tile(local, { memberId: me, you: true, name: nameOf(me), away: away.has(me), audioOnly }),
       ...members.map((m) => tile(m, { memberId: m.memberId, you: false, name: nameOf(m.memberId),
                                       away: away.has(m.memberId), audioOnly }))]
    : [];
  const names = members.map((m) => nameOf(m.memberId));
  return {
    phase,
    showJoin: phase === 'out',
    consentOpen: phase === 'out' && consentOpen,
    joining: phase === 'joining',
    joiningWords: phase === 'joining' ? 'Joining the call…' : '',
    who: phase === 'out' && names.length
      ? `In the call: ${names.join(', ')}` : '',
    inCall,
    mic: { pressed: !local.muted && !local.noMicrophone, disabled: local.noMicrophone === true,
           words: micWords(local) },
    camera: { pressed: local.cameraOn === true, disabled: audioOnly && !local.cameraOn,
              words: cameraWords(local) },
    audioOnly: inCall && audioOnly
      ? `Audio only: more than ${Number(state.videoLimit ?? 4)} people` : '',
    practice: inCall ? practiceLine : '',
    error: state?.error ?? '',
    tiles,
    anyVideo: tiles.some((t) => t.video),
  };
}

/**
 * What to tell people of the others' changes between two call states (`before` and `after`,
 * call.state().members): a microphone muted or back on. Joins and leaves are told by the call
 * itself. A member muted while the consult turns them away is said so.
 */
export function noticesOf(before, after, { nameOf = () => 'Someone', run = null } = {}) {
  const was = new Map((before ?? []).map((m) => [m.memberId, m]));
  const away = turnedAwayIds(run);
  const notices = [];
  for (const m of after ?? []) {
    const old = was.get(m.memberId);
    if (!old || old.session !== m.session || m.noMicrophone || old.noMicrophone) continue;
    if (old.muted === m.muted) continue;
    const name = nameOf(m.memberId);
    if (m.muted && away.has(m.memberId)) notices.push(`${name} is muted while turned away.`);
    else notices.push(m.muted ? `${name} muted their microphone.`
                              : `${name} turned their microphone on.`);
  }
  return notices;
}

/** A list of devices as the menu offers them; one the browser does not name gets a number. */
export function deviceOptions(list, kindWords) {
  return (list ?? []).map((d, i) => ({ value: d.deviceId,
                                       label: d.label || `${kindWords} ${i + 1}` }));
}
