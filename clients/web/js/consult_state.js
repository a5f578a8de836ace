// The consult panel's state in words: the run as each member sees it (their role, prompt,
// whether they are turned away), the countdown carried forward between states, and what is
// said aloud. Pure: no DOM, no clock of its own; tested in tests/web/consult_state.test.mjs.
//
// The words follow the engine (server/room/consult_engine.cpp): a phase moves on when its
// time runs out, when any member presses "Move on now", and, if the run was started so, as
// soon as everyone present is ready. Everyone present counts, the person presenting too,
// even while they are turned away: they have a ready button of their own then.

import { listOfNames } from './words.js';

/** "m:ss" of a countdown, rounded up so it never shows 0:00 while time is left. */
export function formatDuration(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** The same countdown in words, for screen readers. */
export function spokenDuration(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const unit = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes === 0) return unit(seconds, 'second');
  return seconds === 0 ? unit(minutes, 'minute')
                       : `${unit(minutes, 'minute')} ${unit(seconds, 'second')}`;
}

/** The state to keep from a push: a run, or null. */
export function runOf(next) {
  return next && next.consultId ? next : null;
}

/** Time left in the phase, `sinceMs` real ms after the state arrived. */
export function remainingMs(state, sinceMs) {
  if (!state) return 0;
  const remaining = Number(state.phaseRemainingMs ?? 0);
  if (state.paused || !state.active) return remaining;
  const scale = Number(state.timeScale ?? 1) || 1;
  return Math.max(0, remaining - sinceMs * scale);
}

/** The countdown line and its spoken label, `ms` left. */
export function countdown(state, ms) {
  if (!state.active) return { text: '', label: '' };
  return { text: `${formatDuration(ms)} left in this phase${state.paused ? ' (paused)' : ''}`,
           label: `${spokenDuration(ms)} left in this phase` };
}

/** How many people a structure is for: "for 2 people", "for 4 to 8 people". */
export function peopleFor(min, max) {
  return Number(min) === Number(max) ? `for ${min} people` : `for ${min} to ${max} people`;
}

/** A structure in the start form: its option label and its description. */
export function scriptOption(s) {
  return `${s.name} (${peopleFor(s.minMembers, s.maxMembers)})`;
}

/** A role as people read it: the presenter is "the person presenting", whatever the script calls them. */
export function roleWords(role) {
  if (role?.kind === 'presenter') return 'the person presenting';
  return role?.roleName || 'taking part';
}

/** When the phase moves on, in words that match the engine; `waiting` names who is not ready. */
export function movesOnText(advanceWhenReady, waiting, readyCount) {
  if (!advanceWhenReady) {
    return 'This phase moves on when its time runs out, or when someone presses Move on now' +
           (readyCount > 0 ? ` (${readyCount} ready).` : '.');
  }
  const rest = waiting.length ? ` Waiting for ${listOfNames(waiting)}.` : ' Everyone is ready.';
  return 'This phase moves on when everyone here is ready, when its time runs out, or when ' +
         `someone presses Move on now, whichever comes first.${rest}`;
}

/** Whether a script has a facilitator's role (the set's facilitator seat takes it). */
export function hasFacilitatorRole(script) {
  return (script?.roles ?? []).some((r) => r.kind === 'FACILITATOR');
}

/**
 * What the start form says of the set's facilitator seat for `script`: who facilitates and
 * keeps time, or that the facilitator takes part like everyone; '' without such a seat.
 */
export function facilitatorSeatText(script, facilitator) {
  if (!script || !facilitator) return '';
  return hasFacilitatorRole(script)
    ? `${facilitator.name}, in the facilitator seat, facilitates and keeps time; the others ` +
      'take the roles.'
    : `${facilitator.name}, in the facilitator seat, takes part like everyone: this structure ` +
      'has no facilitator.';
}

export function scriptDescription(script) {
  if (!script) return '';
  const minutes = (script.phases ?? []).reduce((sum, p) => sum + Number(p.minutes ?? 0), 0);
  const titles = (script.phases ?? []).map((p) => `${p.title} (${p.minutes} min)`).join(', ');
  return `${script.description ?? ''} Each round: ${titles}. ${minutes} minutes a round.`;
}

/**
 * Everything the running panel shows, for member `me`: `nameOf(id)` names a member ("you"
 * for oneself), `memberName(id)` by name always.
 */
export function runView(state, me, nameOf, memberName) {
  const active = state.active === true;
  const phaseList = state.phases ?? [];
  const index = Number(state.phaseIndex ?? 0);
  const phase = phaseList[index] ?? {};
  const mine = (state.roles ?? []).find((r) => r.memberId === me);
  const presenting = state.presenter === me;
  const turnedAway = active && !state.paused && mine?.turnedAway === true;
  const round = Number(state.round ?? 0);
  const ready = new Set(state.ready ?? []);
  const waiting = (state.waitingFor ?? []).map(nameOf);
  const next = phaseList.slice(index + 1).find((p) => !p.presenterTurnedAway);
  const lastPhase = index === phaseList.length - 1;
  const presentedAlready = (state.roles ?? []).length > 0 && round > 0;
  const iAmReady = ready.has(me);
  // A set's facilitator keeps time while present: the others may still pause the round.
  const keeper = state.facilitatorKeepsTime === true && active &&
    (state.roles ?? []).some((r) => r.memberId === state.facilitator && r.present)
    ? state.facilitator : '';
  const mayKeepTime = !keeper || keeper === me;
  return {
    active,
    turnedAway,
    heading: state.scriptName || 'Consult',
    round: `Round ${round} of ${Number(state.roundCount ?? 0)}: ` +
           `${presenting ? 'you present' : `${nameOf(state.presenter)} presents`}.`,
    status: statusText(state, nameOf),
    phase: active ? `Phase ${index + 1} of ${phaseList.length}: ${phase.title ?? ''}`
                  : `Ended in: ${phase.title ?? ''}`,
    myRole: mine ? `Your role: ${roleWords(mine)}` : 'You are not taking part in this consult.',
    prompt: active && mine?.prompt ? mine.prompt : '',
    rule: active && state.phaseRule ? `This phase: ${state.phaseRule}.` : '',
    phases: phaseList.map((p, i) => ({
      current: active && i === index,
      text: `${p.title}: ${p.minutes} min${p.reflection ? ' (reflection)' : ''}` +
            `${p.presenterTurnedAway ? '. The person presenting turns away and listens' : ''}`,
    })),
    roles: (state.roles ?? []).map((r) => ({
      memberId: r.memberId,
      parts: [`${memberName(r.memberId) || 'Someone'}${r.memberId === me ? ' (you)' : ''}: ${roleWords(r)}`,
              r.turnedAway ? ', turned away and listening' : '',
              r.speaks && active ? ', speaking' : '',
              ready.has(r.memberId) ? ', ready' : '',
              r.present ? '' : ', offline'],
    })),
    timeKeeper: !keeper ? ''
      : keeper === me ? 'You keep time in this set: you move on, give more time, resume and ' +
                        'stop. Anyone may pause the round.'
      : `${capitalFirst(nameOf(keeper))} keeps time in this set: ask them to move on or give ` +
        'more time. Anyone may pause the round.',
    mayKeepTime,
    readyLine: !active ? ''
      : state.paused && keeper && keeper !== me
        ? `The round is paused: the time stops until ${nameOf(keeper)} resumes it.`
      : state.paused ? 'The round is paused: the time stops until someone resumes it.'
      : movesOnText(state.advanceWhenReady === true, waiting, ready.size),
    iAmReady,
    readyWords: iAmReady ? 'I am ready (press to take it back)' : 'I am ready to move on',
    // Turned away, the person presenting can still say they are ready (the engine waits
    // for them as for anyone present), from the turned-away pane.
    mayBeReadyAway: turnedAway && state.advanceWhenReady === true,
    showControls: active && !turnedAway && Boolean(mine),
    turnBack: next ? `You turn back for “${next.title}”, when this phase ends.`
                   : 'You turn back when this phase ends.',
    paused: state.paused === true,
    questions: (state.questions ?? []).map((q) => ({ text: q.text,
                                                     by: ` (${nameOf(q.author)}, ${q.phase})` })),
    mayAsk: active && !state.paused && Boolean(mine?.mayAskQuestions),
    takeaways: (state.takeaways ?? []).map((t) => ({
      by: `${memberName(t.memberId) || 'Someone'} (round ${t.round}): `, text: t.text })),
    mayTakeAway: presentedAlready && ((presenting && lastPhase && active) ||
                                      (!active && state.status === 'finished')),
  };
}

/** The line at the top of the panel. */
export function statusText(state, nameOf) {
  if (!state) return 'No consult yet. Start one below when you are ready.';
  if (state.status === 'finished') return 'The consult has finished: everyone has presented.';
  if (state.status === 'stopped' && state.stoppedReason) return `The consult stopped: ${state.stoppedReason}.`;
  if (state.status === 'stopped') return `The consult was stopped by ${nameOf(state.changedBy)}.`;
  if (state.paused) return `${capitalFirst(nameOf(state.pausedBy))} paused the round: the time has stopped.`;
  return `Consult running: ${state.scriptName}.`;
}

const capitalFirst = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** The stop confirmation's question: who it stops for. `others` names the others taking part. */
export function stopQuestion(others) {
  return others.length
    ? `Stop the consult for everyone? It stops for ${listOfNames(others)} too, and cannot be ` +
      'started again where it stopped.'
    : 'Stop the consult? It cannot be started again where it stopped.';
}

/**
 * What to say aloud about the run now, or null when it was said already; `said` holds the
 * key of what was said last ({ key }), updated here.
 */
export function announcement(state, me, said) {
  if (!state?.consultId) return null;
  const phase = (state.phases ?? [])[Number(state.phaseIndex ?? 0)];
  const key = `${state.status}|${state.round}|${state.phaseIndex}|${state.paused}`;
  if (key === said.key) return null;
  said.key = key;
  if (!state.active) return `The consult has ${state.status === 'finished' ? 'finished' : 'stopped'}.`;
  if (state.paused) return 'The round is paused.';
  if (!phase) return null;
  const mine = (state.roles ?? []).find((r) => r.memberId === me);
  return `Now: ${phase.title}.${mine?.prompt ? ` ${mine.prompt}` : ''}`;
}

/**
 * The short notice of the run's change that `announcement` says in full (the notice leaves
 * out the prompt, which the panel shows): "Pair consult: now “Questions only”." A run that
 * was not there before (`previous`) is said as started, by whom (`nameOf`).
 */
export function noticeOf(state, previous = state, nameOf = () => 'someone') {
  if (!state?.consultId) return '';
  const name = state.scriptName || 'The consult';
  if (state.active && previous?.consultId !== state.consultId) {
    return `${capitalFirst(nameOf(state.startedBy))} started ${name}.`;
  }
  if (!state.active) return `${name} has ${state.status === 'finished' ? 'finished' : 'stopped'}.`;
  if (state.paused) return `${capitalFirst(nameOf(state.pausedBy))} paused the round of ${name}.`;
  const phase = (state.phases ?? [])[Number(state.phaseIndex ?? 0)];
  return phase ? `${name}: now “${phase.title}”.` : '';
}

/** The run with a question added, or null when it does not belong or is known already. */
export function withQuestion(state, q) {
  if (!state || q.consultId !== state.consultId || (state.questions ?? []).some((x) => x.id === q.id)) {
    return null;
  }
  return { ...state, questions: [...(state.questions ?? []), q] };
}
