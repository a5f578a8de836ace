// A room's programme in words: whether the room belongs to one, the items it raised ("you
// said") and where they stand, the programme's answers ("we did") and which of this room's
// items they answer, the facilitators' proposals to start a consulting script, the room's
// choice to share its learning with the programme (and who made it), and the facilitators'
// messages and calls of time. Pure: no DOM and no clock; tested in
// tests/web/programme_state.test.mjs.

import { CATEGORIES, categoryWords } from './notes_state.js';

export { CATEGORIES };

export const RAISE_MAX = 2000;

/** A fresh state: no programme, not sharing. */
export function createProgramme() {
  return { programme: null, share: false, shareBy: '', shareAtMs: 0, answersSeen: null,
           proposalsSeen: new Set() };
}

/** True when the room belongs to a programme. */
export function inProgramme(model) {
  return Boolean(model.programme?.cohortId);
}

/** The room's settings (RoomSettings), for the sharing choice. */
export function takeSettings(model, settings) {
  if (!settings) return;
  model.share = settings.shareWithCohort === true;
  model.shareBy = settings.shareChangedBy ?? '';
  model.shareAtMs = Number(settings.shareChangedAtMs ?? 0) || 0;
}

/**
 * Takes the programme's state (welcome.room.programme, or a `programme` push). Returns what
 * is news for the room: { answers, proposals } that it had not seen (none on the first state).
 */
export function takeProgramme(model, programme) {
  const first = model.answersSeen === null;
  model.programme = programme?.cohortId ? programme : null;
  const answers = model.programme?.answers ?? [];
  const proposals = model.programme?.proposals ?? [];
  const newAnswers = first ? [] : answers.filter((a) => !model.answersSeen.has(a.id));
  const newProposals = first ? [] : proposals.filter((p) => !model.proposalsSeen.has(p.id));
  model.answersSeen = new Set(answers.map((a) => a.id));
  model.proposalsSeen = new Set(proposals.map((p) => p.id));
  return { answers: newAnswers, proposals: newProposals };
}

/** The programme's name as the panel says it. */
export function programmeTitle(model) {
  return (model.programme?.cohortTitle ?? '').trim() || 'your programme';
}

/** What is wrong with an item's words (trimmed), or null. */
export function raiseProblem(words) {
  if (!words) return 'Say what gets in your way first.';
  if ([...words].length > RAISE_MAX) {
    return `An item is at most ${RAISE_MAX.toLocaleString('en')} characters.`;
  }
  return null;
}

/** The request that raises an item. */
export function raiseRequest(category, text, anonymous) {
  return { raise: { category, text, anonymous: Boolean(anonymous) } };
}

/** The request that closes (or reopens) one of this room's items. */
export function closeRequest(itemId, reopen = false) {
  return { close: { itemId, reopen } };
}

/** The request that says what the room chose about sharing its learning. */
export function shareRequest(on) {
  return { settings: { shareWithCohort: on ? 'AUTO_ON' : 'AUTO_OFF' } };
}

/**
 * The sharing choice in words. `nameOf(id)` names a member ("you" for this one);
 * `dateAndTime(ms)` words the moment.
 */
export function shareWords(model, nameOf, dateAndTime = String) {
  const state = model.share
    ? 'Your room shares its learning with the programme’s facilitators: the notes of the ' +
      'learning log that are not personal, and consult takeaways.'
    : 'Your room keeps its learning to itself. The programme’s facilitators see only how your ' +
      'meetings go (who is here, the time, the reflection share, the consult’s phase), never ' +
      'your documents, notes or questions.';
  if (!model.shareBy) return { state, by: '' };
  const who = nameOf(model.shareBy);
  const at = model.shareAtMs ? `, ${dateAndTime(model.shareAtMs)}` : '';
  return { state, by: `${model.share ? 'Turned on' : 'Turned off'} by ${who}${at}.` };
}

/** What the others hear when a member changes the sharing choice. */
export function shareNotice(model, nameOf) {
  const who = nameOf(model.shareBy);
  return model.share ? `${who} chose to share the room’s learning with the programme.`
                     : `${who} stopped sharing the room’s learning with the programme.`;
}

/**
 * The items as this room reads them, oldest first: this room's own (which it can close once
 * answered) and the other rooms' (named, unless raised anonymously).
 */
export function itemFacts(model, roomId, dateAndTime = String) {
  const answers = new Map((model.programme?.answers ?? []).map((a) => [a.id, a]));
  return (model.programme?.items ?? []).map((item) => {
    const ours = Boolean(roomId) && item.roomId === roomId;
    const answer = item.answerId ? answers.get(item.answerId) : null;
    let state = 'Not answered yet';
    if (item.closed) {
      state = `Closed by ${ours ? 'your room' : 'the room that raised it'} ` +
              dateAndTime(Number(item.closedAtMs ?? 0));
    } else if (answer) {
      state = ours ? 'Answered: does the answer close it for you?' : 'Answered';
    }
    const anonymous = item.anonymous ? ' (anonymous to the other rooms)' : '';
    const from = ours ? `Raised by your room${anonymous}`
      : (item.roomTitle ?? '').trim() ? `Raised by ${item.roomTitle.trim()}`
      : 'Raised by another room';
    return {
      id: item.id,
      ours,
      text: item.text ?? '',
      category: categoryWords(item.category),
      from,
      when: dateAndTime(Number(item.raisedAtMs ?? 0)),
      answer: answer ? answer.text ?? '' : '',
      state,
      canClose: ours && Boolean(answer) && !item.closed,
      canReopen: ours && item.closed === true,
    };
  });
}

/** The answers ("we did"), newest first, with the items each answers and how many are ours. */
export function answerFacts(model, roomId, dateAndTime = String) {
  const items = new Map((model.programme?.items ?? []).map((i) => [i.id, i]));
  return [...(model.programme?.answers ?? [])].reverse().map((a) => {
    const answered = (a.itemIds ?? []).map((id) => items.get(id)).filter(Boolean);
    const ours = answered.filter((i) => i.roomId === roomId);
    return {
      id: a.id,
      text: a.text ?? '',
      by: `${(a.answeredBy ?? '').trim() || 'A facilitator'}, ${dateAndTime(Number(a.atMs ?? 0))}`,
      answers: answered.map((i) => i.text ?? ''),
      ours: ours.length === 0 ? ''
        : ours.length === 1 ? 'It answers one of your room’s items.'
        : `It answers ${ours.length} of your room’s items.`,
    };
  });
}

/**
 * The open proposals: { id, words, accepted, mine } where `mine` says this member accepted.
 * `nameOf(id)` names members.
 */
export function proposalFacts(model, me, nameOf) {
  return (model.programme?.proposals ?? []).map((p) => {
    const accepted = p.acceptedBy ?? [];
    const from = (p.fromFacilitator ?? '').trim() || 'A facilitator';
    return {
      id: p.id,
      words: `${from}, facilitator, proposes that you start “${(p.scriptTitle ?? '').trim() ||
             p.scriptId || 'a consulting structure'}”. It starts once everyone here accepts; ` +
             'anyone may decline it.',
      accepted: accepted.length ? `Accepted so far by ${accepted.map(nameOf).join(', ')}.`
                                : 'Nobody has accepted yet.',
      mine: Boolean(me) && accepted.includes(me),
    };
  });
}

/** True for a nudge that comes from a facilitator (a message or a call of time). */
export function fromFacilitator(nudge) {
  return nudge?.kind === 'FACILITATOR_MESSAGE' || nudge?.kind === 'TIME_CALL';
}

/** A facilitator's nudge in words, marked as theirs. */
export function facilitatorText(nudge) {
  const who = (nudge?.fromFacilitator ?? '').trim() || 'the facilitator';
  const message = (nudge?.message ?? '').trim();
  if (nudge?.kind === 'TIME_CALL') {
    const minutes = Number(nudge.minutesLeft ?? 0);
    const left = minutes ? `${minutes} ${minutes === 1 ? 'minute' : 'minutes'} left` : 'time';
    const said = message && !message.includes(left) ? ` ${message}` : '';
    return `${who} (facilitator) calls time: ${left}.${said}`;
  }
  return `From ${who} (facilitator): ${message}`;
}

/** What the room hears when the programme answers: the answer and whether it is for them. */
export function answerNotice(answer, model, roomId) {
  const ours = (answer.itemIds ?? []).some((id) => (model.programme?.items ?? [])
      .some((i) => i.id === id && i.roomId === roomId));
  const by = (answer.answeredBy ?? '').trim() || 'A facilitator';
  const what = ours ? 'an item your room raised' : 'the programme';
  return `${by} answered ${what}: ${answer.text ?? ''}`;
}

/** What the room hears about a new proposal. */
export function proposalNotice(proposal) {
  const from = (proposal.fromFacilitator ?? '').trim() || 'A facilitator';
  return `${from} (facilitator) proposes starting “${(proposal.scriptTitle ?? '').trim() ||
         'a consulting structure'}”. Accept or decline it under Raise with the programme.`;
}
