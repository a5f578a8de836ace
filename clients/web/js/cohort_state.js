// The facilitators' overview of a cohort in words: each room as the cohort socket last told
// it (who is present, the meeting's mode, its reflection share against the target and whether
// it is at risk, the consult's phase, the last activity), the cohort's reflection shares across
// meetings, the items the rooms raised with the programme and its answers, and the commands a
// facilitator sends. Pure: no DOM and no clock of its own; tested in
// tests/web/cohort_state.test.mjs.
//
// Every figure comes from a RoomOverview (JSON mapping: int64 as strings, defaults left out).
// The time of a running meeting is carried forward between two overviews as the room page
// carries its own: every real ms after `serverTimeMs` adds `timeScale` meeting ms.

import { categoryWords } from './notes_state.js';
import * as view from './meeting_view.js';
import { listOfNames } from './words.js';

/** Shapes that repeat each mode's word, as the room bar's, so no mode is told by colour alone. */
const MODE_MARKS = Object.freeze({ TASK: '■', REFLECTION: '●', PAUSED: '❚❚',
                                   ENDED: '✓' });

const RUNNING = new Set(['TASK', 'REFLECTION', 'PAUSED']);

/** A fresh overview: nothing known until the welcome. */
export function createCohort() {
  return { id: '', title: '', facilitator: '', timeScale: 1, rooms: [],
           items: [], answers: [], welcomed: false };
}

/** Replaces everything with a CohortWelcome. */
export function takeWelcome(model, welcome) {
  model.id = welcome?.cohortId ?? '';
  model.title = (welcome?.title ?? '').trim();
  model.facilitator = (welcome?.name ?? '').trim();
  model.timeScale = Number(welcome?.timeScale ?? 1) || 1;
  model.rooms = [...(welcome?.rooms ?? [])];
  model.items = [...(welcome?.programme?.items ?? [])];
  model.answers = [...(welcome?.programme?.answers ?? [])];
  model.welcomed = true;
}

/**
 * Takes one room's new overview. Returns the sentence a facilitator hears about it, or null
 * when nothing worth saying changed: a meeting starting, switching mode or ending, the room
 * falling at risk of missing its target, a consult starting.
 */
export function takeRoom(model, overview) {
  if (!overview?.roomId) return null;
  const at = model.rooms.findIndex((r) => r.roomId === overview.roomId);
  const before = at >= 0 ? model.rooms[at] : null;
  if (at >= 0) model.rooms[at] = overview;
  else model.rooms = [...model.rooms, overview];
  return roomChange(before, overview);
}

function modeOf(overview) {
  const mode = overview?.mode;
  return mode && mode !== 'MODE_UNSPECIFIED' ? mode : '';
}

/** What changed in a room that a facilitator hears, or null. */
export function roomChange(before, after) {
  const title = roomTitle(after);
  const was = modeOf(before);
  const now = modeOf(after);
  if (before && was !== now) {
    if (now === 'TASK' && !RUNNING.has(was)) return `${title} started a meeting.`;
    if (now === 'ENDED') return `${title} ended its meeting.`;
    if (now === 'REFLECTION') return `${title} switched to reflection.`;
    if (now === 'TASK') return `${title} went back to the task.`;
    if (now === 'PAUSED') return `${title} paused its meeting.`;
  }
  if (before && RUNNING.has(now) && before.status !== after.status) {
    if (after.status === 'AT_RISK') return `${title} is at risk of missing its reflection target.`;
    if (after.status === 'MISSED') return `${title} can no longer reach its reflection target.`;
  }
  if (before && !before.consultScript && after.consultScript) {
    return `${title} started a consult: ${after.consultScript}.`;
  }
  return null;
}

/** A room's name as the page shows it. */
export function roomTitle(overview) {
  return (overview?.title ?? '').trim() || 'A room';
}

/**
 * Takes the programme's new items and answers. Returns the items raised since the last
 * state (newest last), for the page to tell the facilitator about.
 */
export function takeProgramme(model, programme) {
  const known = new Set(model.items.map((i) => i.id));
  model.items = [...(programme?.items ?? [])];
  model.answers = [...(programme?.answers ?? [])];
  return model.items.filter((i) => i.id && !known.has(i.id));
}

/** What a facilitator hears when an item is raised. */
export function raisedText(item) {
  const from = (item.roomTitle ?? '').trim() || 'A room';
  return `${from} raised with the programme: ${item.text ?? ''}`;
}

/** The meeting's time carried forward to `serverNowMs`: { elapsedMs, plannedMs, leftMs }. */
export function meetingTime(overview, serverNowMs, timeScale = 1) {
  const plannedMs = view.int(overview?.plannedMs);
  let elapsedMs = view.int(overview?.elapsedMs);
  if (RUNNING.has(modeOf(overview))) {
    const since = serverNowMs - view.int(overview?.serverTimeMs);
    if (since > 0) elapsedMs += since * (Number(timeScale) || 1);
  }
  return { elapsedMs, plannedMs, leftMs: plannedMs - elapsedMs };
}

const STATUS_WORDS = Object.freeze({
  ON_TRACK: 'On track',
  AT_RISK: 'At risk: reflection needs to start soon',
  MISSED: 'Missed: the target can no longer be reached by the planned end',
  MET: 'Target reached',
});

/**
 * Everything a room's card says, as words: { title, people, seats, mode, mark, running,
 * time, share, status, atRisk, consult, activity, sharing, meetings }.
 * `dateAndTime(ms)` words a moment.
 */
export function roomFacts(overview, serverNowMs, { timeScale = 1, dateAndTime = String } = {}) {
  const present = overview?.present ?? [];
  const seats = view.int(overview?.seats);
  const members = view.int(overview?.members);
  const mode = modeOf(overview);
  const running = RUNNING.has(mode);
  const t = meetingTime(overview, serverNowMs, timeScale);
  const target = view.int(overview?.targetPct);
  const share = Number(overview?.share ?? 0) || 0;
  const status = running ? (overview?.status ?? 'ON_TRACK') : '';
  const meetingName = (overview?.meetingTitle ?? '').trim();
  let modeWords = 'No meeting yet';
  if (mode === 'ENDED') modeWords = 'Last meeting ended';
  else if (running) modeWords = view.MODE_WORDS[mode] + (meetingName ? ` — ${meetingName}` : '');
  const last = view.int(overview?.lastActivityMs);
  const consultScript = (overview?.consultScript ?? '').trim();
  const consultPhase = (overview?.consultPhase ?? '').trim();
  return {
    title: roomTitle(overview),
    people: present.length === 0 ? 'Nobody here now'
      : `Here now: ${listOfNames(present)}`,
    seats: `${members} of ${seats} ${seats === 1 ? 'seat' : 'seats'} taken`,
    mode,
    mark: MODE_MARKS[mode] ?? '',
    modeWords,
    running,
    time: !running ? ''
      : t.leftMs < 0 ? `Over by ${view.clock(t.leftMs)} (${view.spoken(t.plannedMs)} planned)`
      : `${view.clock(t.leftMs)} left of ${view.spoken(t.plannedMs)}`,
    over: running && t.leftMs < 0,
    share: running || mode === 'ENDED'
      ? `Reflection so far ${view.percent(share)}, target ${target}%` : '',
    status: STATUS_WORDS[status] ?? '',
    statusKey: status,
    atRisk: status === 'AT_RISK' || status === 'MISSED',
    consult: consultScript
      ? `Consult: ${consultScript}${consultPhase ? `, ${consultPhase}` : ''}` +
        (overview?.consultPaused ? ' (paused)' : '')
      : 'No consult running',
    activity: last > 0 ? `Last activity ${dateAndTime(last)}` : 'No activity yet',
    sharing: overview?.sharesLearning ? 'Shares its learning with the programme'
      : 'Keeps its learning to itself',
    meetings: (overview?.meetings ?? []).map((m) => `${view.percent(Number(m.share ?? 0) || 0)}` +
        `${Number(m.share ?? 0) * 100 >= view.int(m.targetPct) ? ' ✓' : ' ✗'}`),
  };
}

/** The cohort's headline: how many rooms, how many with someone present, how many at risk. */
export function summary(model) {
  const rooms = model.rooms.length;
  const busy = model.rooms.filter((r) => (r.present ?? []).length > 0).length;
  const meeting = model.rooms.filter((r) => RUNNING.has(modeOf(r))).length;
  const atRisk = model.rooms.filter((r) => RUNNING.has(modeOf(r)) &&
                                         (r.status === 'AT_RISK' || r.status === 'MISSED')).length;
  return `${rooms} ${rooms === 1 ? 'room' : 'rooms'}: people in ${busy}, ` +
         `a meeting running in ${meeting}, ${atRisk} at risk of missing the reflection target.`;
}

/**
 * Bars of the cohort's reflection-share chart: one per round of meetings (every room's first
 * meeting, second, ...), the rooms' mean share against their mean target. The shape the
 * room's chart draws: { label, share, targetPct, met, rooms, metRooms }.
 */
export function chartBars(rooms, limit = 12) {
  const rounds = [];
  for (const room of rooms ?? []) {
    (room.meetings ?? []).forEach((m, i) => {
      rounds[i] ??= [];
      rounds[i].push(m);
    });
  }
  return rounds.slice(-limit).map((round, i, list) => {
    const n = round.length;
    const share = round.reduce((sum, m) => sum + (Number(m.share ?? 0) || 0), 0) / n;
    const targetPct = Math.round(round.reduce((sum, m) => sum + view.int(m.targetPct), 0) / n);
    const metRooms = round.filter((m) => (Number(m.share ?? 0) || 0) * 100 >=
                                         view.int(m.targetPct)).length;
    return { label: `Meeting ${rounds.length - list.length + i + 1}`, share, targetPct,
             met: share * 100 >= targetPct, rooms: n, metRooms };
  });
}

/** One sentence for people who cannot see the chart. */
export function chartDescription(bars) {
  if (!bars.length) return 'No room has ended a meeting yet.';
  return 'Mean reflection share of the rooms, meeting by meeting, oldest first: ' +
         bars.map((b) => `${b.label}, ${view.percent(b.share)} in ${b.rooms} ` +
                         `${b.rooms === 1 ? 'room' : 'rooms'} (target met in ${b.metRooms})`)
             .join('; ') + '.';
}

/**
 * The items as the facilitator reads them, grouped: [{ group, items: [facts] }], ungrouped
 * last. Each item's facts: { id, text, category, from, when, anonymous, answered, closed, state }.
 */
export function itemGroups(model, dateAndTime = String) {
  const answers = new Map(model.answers.map((a) => [a.id, a]));
  const groups = new Map();
  for (const item of model.items) {
    const group = (item.group ?? '').trim();
    if (!groups.has(group)) groups.set(group, []);
    const answer = item.answerId ? answers.get(item.answerId) : null;
    groups.get(group).push({
      id: item.id,
      text: item.text ?? '',
      category: categoryWords(item.category),
      from: ((item.roomTitle ?? '').trim() || 'A room') +
            (item.anonymous ? ' (anonymous to the other rooms)' : ''),
      when: `raised ${dateAndTime(view.int(item.raisedAtMs))}`,
      answered: Boolean(answer),
      closed: item.closed === true,
      state: item.closed ? `Closed by the room ${dateAndTime(view.int(item.closedAtMs))}`
        : answer ? 'Answered; the room has not closed it yet' : 'Not answered yet',
    });
  }
  return [...groups.entries()]
      .sort(([a], [b]) => (a === '') - (b === '') || a.localeCompare(b))
      .map(([group, items]) => ({ group: group || 'Not grouped', grouped: group !== '', items }));
}

/** The answers as the facilitator reads them, newest first. */
export function answerFacts(model, dateAndTime = String) {
  const items = new Map(model.items.map((i) => [i.id, i]));
  return [...model.answers].reverse().map((a) => ({
    id: a.id,
    text: a.text ?? '',
    by: `${(a.answeredBy ?? '').trim() || 'A facilitator'}, ${dateAndTime(view.int(a.atMs))}`,
    answers: (a.itemIds ?? []).map((id) => `“${items.get(id)?.text ?? 'an item'}”`),
  }));
}
