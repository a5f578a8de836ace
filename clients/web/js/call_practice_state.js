// The call shaped by the consult script. When a phase turns this member away (Troika's
// presenter while the consultants discuss), their camera goes off and their microphone is
// muted, while they keep hearing the others; when they turn back, the camera and microphone
// are as they were before. Pausing the round changes nothing: a member turned away stays so
// while the round is paused, and the call stays as it is. The member may override at any time:
// what they change themselves while turned away is theirs, and turning back leaves it alone.
//
// A small state machine, pure: no DOM, no call, no clock. call_practice.js feeds it what the
// consult and the call say and carries out the changes it returns. Tested in
// tests/web/call_practice_state.test.mjs.
//
//     ┌──────────┐ away and in the call: camera off, muted ┌───────────┐
//     │  facing  │ ───────────────────────────────────────▶ │  applied  │ ◀─┐ the member's own
//     │ (normal) │ ◀─────────────────────────────────────── │ (before)  │ ──┘ changes: overridden
//     └──────────┘  turned back: restore what was not        └───────────┘
//                   overridden; left the call: forget

/** The two things the practice changes, as call.state().local names them. */
export const KINDS = Object.freeze(['muted', 'cameraOn']);

/** The values a turned-away member's call takes. */
const AWAY_VALUES = Object.freeze({ muted: true, cameraOn: false });

/** What is shown (and said) while the practice holds the camera and microphone off. */
export const AWAY_WORDS = 'Your camera and microphone are off while you are turned away; you ' +
                          'can still hear the others.';

/** A practice that has done nothing yet. */
export function initialPractice() {
  return Object.freeze({ applied: false, told: false, before: null,
                         overridden: Object.freeze({ muted: false, cameraOn: false }) });
}

/** A practice that holds the devices off, `before` being what to give back. */
function holding(before, told) {
  return Object.freeze({ ...initialPractice(), applied: true, told,
                         before: Object.freeze({ muted: before.muted === true,
                                                 cameraOn: before.cameraOn === true }) });
}

/**
 * Whether the consult's run turns member `me` away now. A paused round does not change it
 * (the room says nobody is turned away while it is paused, but pausing leaves the call as it
 * is): while paused, the phase says whether its presenter is turned away. A run that stopped
 * or finished turns nobody away.
 */
export function turnedAway(run, me) {
  if (!run?.consultId || run.active !== true || !me) return false;
  if (run.paused === true) {
    const phase = (run.phases ?? [])[Number(run.phaseIndex ?? 0)];
    return phase?.presenterTurnedAway === true && run.presenter === me;
  }
  return (run.roles ?? []).some((r) => r.memberId === me && r.turnedAway === true);
}

/**
 * One step: `away` (turnedAway above), `phase` of this member in the call ('out', 'joining',
 * 'in', as call.state() says) and `media` ({ muted, cameraOn } of this member now). Returns
 * { practice, changes, said }: `changes` holds the values to set (only those that differ from
 * `media`), `said` is 'away' when the practice has just turned the devices off, 'back' when it
 * has just given them back, else null. While joining, nothing changes.
 */
export function step(practice, { away, phase, media }) {
  const changes = {};
  if (phase === 'joining') return { practice, changes, said: null };
  if (phase !== 'in') {
    // Out of the call there is nothing to hold off; joining again while still turned away
    // starts over from what that join brings.
    return { practice: practice.applied ? initialPractice() : practice, changes, said: null };
  }
  if (away && (!practice.applied || !practice.told)) {
    const next = practice.applied ? holding(practice.before, true) : holding(media, true);
    for (const kind of KINDS) {
      if (media[kind] !== AWAY_VALUES[kind]) changes[kind] = AWAY_VALUES[kind];
    }
    return { practice: next, changes, said: 'away' };
  }
  if (practice.applied && !away) {
    for (const kind of KINDS) {
      if (!practice.overridden[kind] && media[kind] !== practice.before[kind]) {
        changes[kind] = practice.before[kind];
      }
    }
    return { practice: initialPractice(), changes, said: practice.told ? 'back' : null };
  }
  return { practice, changes, said: null };
}

/**
 * The options to join the call with, when the member asks for `wanted` ({ muted, cameraOn,
 * noMicrophone }): turned away, they join muted with the camera off (the camera never shows,
 * not even for a moment), and `wanted` is what they get back when they turn back.
 * Returns { practice, options }.
 */
export function joinOptions(practice, { away, wanted }) {
  if (!away) return { practice, options: { ...wanted } };
  return { practice: holding(wanted, false),
           options: { ...wanted, muted: true, cameraOn: false } };
}

/**
 * The member changed `kind` themselves (pressed Microphone or Camera). While the practice
 * holds the devices off, that choice is theirs and turning back leaves it alone.
 */
export function userSet(practice, kind) {
  if (!practice.applied || !KINDS.includes(kind)) return practice;
  return Object.freeze({ ...practice,
                         overridden: Object.freeze({ ...practice.overridden, [kind]: true }) });
}

/**
 * The line shown in the call strip while the practice holds, or '' when it does not. After
 * an override it says what the member chose instead; while the round is paused, that the
 * call stays as it is.
 */
export function line(practice, media, { paused = false } = {}) {
  if (!practice.applied) return '';
  const { overridden } = practice;
  if (!overridden.muted && !overridden.cameraOn) {
    return paused ? 'The round is paused; your camera and microphone stay as they are until ' +
                    'you turn back.'
                  : AWAY_WORDS;
  }
  const parts = [];
  if (overridden.muted) parts.push(media.muted ? 'your microphone is muted' : 'your microphone is on');
  if (overridden.cameraOn) parts.push(media.cameraOn ? 'your camera is on' : 'your camera is off');
  return `You are turned away; as you chose, ${parts.join(' and ')}.`;
}

/** What is said aloud when the practice acts (`said` from step). */
export function announcement(said, changes) {
  if (said === 'away') return AWAY_WORDS;
  if (said === 'back') {
    return Object.keys(changes).length
      ? 'You have turned back: your camera and microphone are as they were before.'
      : 'You have turned back.';
  }
  return '';
}
