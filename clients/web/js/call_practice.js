// The call shaped by the consult script, carried out: when the consult's phase turns this
// member away, their camera goes off and their microphone is muted (they keep hearing the
// others), the strip says why and it is said aloud; when they turn back, what they had comes
// back. The rules are call_practice_state.js; this mount feeds it the consult's run and the
// call's state, and sets the call's microphone and camera as it says.

import * as model from './call_practice_state.js';

const SAY_AFTER_MS = 1500;

/**
 * Mounts the practice. `links.call()` is the call (call.js), `links.consult()` the consult's
 * run, `links.changed()` is told when the practice's line changes. Returns { line(),
 * userSet(kind), joinOptions(wanted) } for the call strip: userSet marks the member's own
 * change (an override while turned away), joinOptions the options a join should ask for.
 */
export function mountCallPractice(room, links = {}) {
  const conn = room.connection;
  let practice = model.initialPractice();
  let subscribed = null;

  const run = () => links.consult?.() ?? null;
  const away = () => model.turnedAway(run(), conn.memberId);
  const mediaOf = (state) => ({ muted: state?.local?.muted === true,
                                cameraOn: state?.local?.cameraOn === true });

  function update() {
    const call = links.call?.();
    if (!call) return;
    if (subscribed !== call) {
      subscribed = call;
      call.subscribe(update);
    }
    const state = call.state();
    const result = model.step(practice, { away: away(), phase: state.phase, media: mediaOf(state) });
    if (result.practice === practice) return;
    // The practice moves on before the call is changed: the call tells its subscribers (this
    // function among them) at once, and the next step must see the new practice.
    practice = result.practice;
    const { changes, said } = result;
    if ('muted' in changes) call.setMuted(changes.muted);
    if ('cameraOn' in changes) {
      Promise.resolve(call.setCamera(changes.cameraOn)).catch(() => {
        room.announce?.('Your camera could not be turned back on; use the Camera button to try ' +
                        'again.');
      });
    }
    if (said) {
      // Said a moment after the consult's own words on the new phase, which share the page's
      // one announcer and would otherwise be replaced before they are read.
      const words = model.announcement(said, changes);
      setTimeout(() => room.announce?.(words), SAY_AFTER_MS);
    }
    links.changed?.();
  }

  conn.on('welcome', update);
  conn.on('consultState', update);
  update();

  return {
    line() {
      const state = links.call?.()?.state();
      return model.line(practice, mediaOf(state), { paused: run()?.paused === true });
    },
    userSet(kind) {
      practice = model.userSet(practice, kind);
    },
    joinOptions(wanted) {
      const result = model.joinOptions(practice, { away: away(), wanted });
      practice = result.practice;
      return result.options;
    },
  };
}
