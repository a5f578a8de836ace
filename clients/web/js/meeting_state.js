// The meeting panel's state as a person meets it: which meeting stands, the past ones, the
// room's settings, and what the panel says and reads out about them. Pure: no DOM, no clock
// of its own (the figures between states come from meeting_view.js); tested in
// tests/web/meeting_state.test.mjs.

import * as view from './meeting_view.js';
import { DEFAULT_TARGET_PCT } from './reflection_rule.js';

/** The member id the server gives to what the room does by itself (ending on time, ...). */
export const ROOM_ACTOR = 'colead';

export const TARGET_PROBLEM = 'The reflection target is a whole per cent, 1 to 100.';
export const MINUTES_PROBLEM = 'The planned length is a whole number of minutes, 1 to 480.';
export const LEAD_PROBLEM = 'The reminder comes 1 to 30 minutes ahead.';

/** A fresh panel state: no meeting, no past, the server's default settings. */
export function createMeeting() {
  return { state: null, past: [], leadMinutes: 5, lastAnnounced: '', welcomed: false };
}

/** The whole number in `text` if it lies in min..max, else null. */
export function wholeNumber(text, min, max) {
  const n = Number(text);
  return String(text).trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/**
 * How a member is named in running text: "you", "the room itself", their name, "someone".
 * `memberName(id)` is the room's name for a member (or nothing).
 */
export function speakerName(id, me, memberName) {
  if (!id) return 'someone';
  if (id === ROOM_ACTOR) return 'the room itself';
  if (id === me) return 'you';
  return memberName(id) || 'someone';
}

/** How a record (a summary, a timeline) names a member: by name, never "you". */
export function recordName(id, memberName) {
  return id === ROOM_ACTOR ? 'the room itself' : memberName(id) || 'someone';
}

const upper = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Takes a new MeetingState into `model`. Returns what the panel must do about it:
 * { previous, hideNudge, resetFigures }.
 */
export function takeState(model, next) {
  const previous = model.state;
  const state = next?.meetingId ? next : null;
  model.state = state;
  if (state?.mode === 'ENDED' && state.summary?.meetingId &&
      !model.past.some((m) => m.meetingId === state.summary.meetingId)) {
    model.past = [...model.past, state.summary];
  }
  // A nudge stays until a member changes the mode (the room's own switch is what it said).
  const memberChange = state?.mode !== previous?.mode && state?.changedBy !== ROOM_ACTOR;
  return {
    previous,
    hideNudge: !view.isRunning(state) || state?.meetingId !== previous?.meetingId || memberChange,
    // Thresholds are counted within one mode.
    resetFigures: previous?.mode !== state?.mode,
  };
}

/** The room's meeting settings as the panel keeps them: { targetPct, leadMinutes, autoReflect }. */
export function takeSettings(model, settings) {
  const targetPct = Number(settings.reflectionTargetPct) || DEFAULT_TARGET_PCT;
  model.leadMinutes = Number(settings.nudgeLeadMinutes ?? 5) || 5;
  return { targetPct, leadMinutes: model.leadMinutes, autoReflect: settings.autoReflect === true };
}

/** The request body for the room's settings form. */
export function settingsRequest(targetPct, leadMinutes, autoReflect) {
  return { settings: { reflectionTargetPct: targetPct, nudgeLeadMinutes: leadMinutes,
                       autoReflect: autoReflect ? 'AUTO_ON' : 'AUTO_OFF' } };
}

/** The request that the one obvious control makes: resume, or switch task and reflection. */
export function switchRequest(state) {
  if (state?.mode === 'PAUSED') return { resume: {} };
  return { mode: { mode: state?.mode === 'REFLECTION' ? 'TASK' : 'REFLECTION' } };
}

/** The words of that control. */
export function switchWords(state) {
  if (state?.mode === 'PAUSED') return 'Resume';
  return state?.mode === 'REFLECTION' ? 'Back to the task' : 'Switch to reflection';
}

/** The line at the top of the panel. `nameOf` is speakerName bound to this member. */
export function statusText(state, nameOf, { timeOfDay, dateAndTime }) {
  if (!state) return 'No meeting yet. Start one when you are ready.';
  if (state.mode === 'ENDED') {
    return `The last meeting ended ${dateAndTime(view.int(state.summary?.endedAtMs) ||
                                                 view.int(state.serverTimeMs))}.`;
  }
  const by = state.changedBy ? ` Last change by ${nameOf(state.changedBy)}.` : '';
  return `Meeting running since ${timeOfDay(view.int(state.startedAtMs))}: ` +
         `${view.spoken(view.int(state.plannedMs))} planned, ` +
         `${state.targetPct}% for reflection.` +
         (state.endOnTime ? ' It ends by itself at the planned time.' : '') + by;
}

/** The reflection prompt on show, or null: { section, text, position, first, last }. */
export function promptOf(state) {
  const prompt = state?.prompt;
  if (state?.mode !== 'REFLECTION' || !prompt?.text) return null;
  const index = Number(prompt.index ?? 0);
  const count = Number(prompt.count ?? 0);
  return { section: prompt.section ?? '', text: prompt.text,
           position: `Prompt ${index + 1} of ${count}`, first: index === 0,
           last: index + 1 >= count };
}

/** What the end form says, from the figures now: { below, text }. */
export function endQuestion(figures) {
  const below = view.endsBelowTarget(figures);
  const text = below
    ? `So far ${view.percent(figures.share)} of this meeting went to reflection; your target ` +
      `is ${figures.targetPct}%. Ending is fine: say what got in the way, if you like.`
    : `You kept ${view.percent(figures.share)} for reflection (target ${figures.targetPct}%). ` +
      'End the meeting for everyone?';
  return { below, text };
}

/**
 * A reminder's words, with its figures read from the clock now (meeting_view.live), so a
 * reminder on show says the same as the timer. The reminder of the planned end carries the
 * share so far and the minutes left, which change as the meeting goes on: they are worded
 * afresh. The others name a moment (the latest time to start reflecting, the room's own
 * switch), which a member's change of mode would move, and that change takes the reminder
 * away: their words are the server's.
 */
export function nudgeText(nudge, figures, at) {
  const message = nudge?.message ?? '';
  if (nudge?.kind !== 'END_SOON' || !figures || !view.isRunning({ mode: figures.mode })) {
    return message;
  }
  const pct = `${figures.targetPct}%`;
  const left = figures.remainingMs;
  const share = `Reflection so far: ${view.percent(figures.share)} (your target is ${pct}).`;
  if (left <= 0) return `The planned end was at ${at(left)}. ${share}`;
  const minutes = Math.ceil(left / 60000);
  return `${figures.endOnTime ? 'Your meeting ends by itself at' : 'Your meeting is planned to end at'} ` +
         `${at(left)}, in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}. ${share}`;
}

/** What other panels call a meeting (the learning log says which one a note was written in). */
export function titleOf(model, meetingId, dateAndTime) {
  if (!meetingId) return null;
  if (model.state?.meetingId === meetingId) return model.state.title || 'this meeting';
  const m = model.past.find((p) => p.meetingId === meetingId);
  return m ? (m.title || `the meeting of ${dateAndTime(view.int(m.startedAtMs))}`) : null;
}

function announceKey(state) {
  if (!state) return '';
  return `${state.meetingId}|${state.mode}|${state.prompt?.index ?? ''}|${state.targetPct}`;
}

/** Remembers the standing state as said (joining: what stands is not news). */
export function markAnnounced(model) {
  model.lastAnnounced = announceKey(model.state);
}

/**
 * What to say aloud about the change from `previous` to the model's state, or null; each
 * change is said once.
 */
export function announcement(model, previous, nameOf) {
  const state = model.state;
  if (!state) return null;
  const key = announceKey(state);
  if (key === model.lastAnnounced) return null;
  model.lastAnnounced = key;
  if (!previous && state.mode === 'ENDED') return null;  // joining after the end: nothing new
  const byText = state.changedBy === ROOM_ACTOR ? 'by itself' : `by ${nameOf(state.changedBy)}`;
  if (previous?.meetingId !== state.meetingId && view.isRunning(state)) {
    return `${upper(nameOf(state.changedBy))} started a meeting: ` +
           `${view.spoken(view.int(state.plannedMs))}, ${state.targetPct}% for reflection.`;
  }
  if (previous?.mode !== state.mode) return modeAnnouncement(state, byText);
  if (previous?.prompt?.index !== state.prompt?.index && state.prompt?.text) {
    return `Next prompt: ${state.prompt.text}`;
  }
  if (previous?.targetPct !== state.targetPct) {
    return `${upper(nameOf(state.changedBy))} changed the target to ${state.targetPct}%.`;
  }
  return null;
}

/**
 * The short notice of what another member (or the room itself) changed from `previous` to
 * `state`; `announcement` says the same in full.
 */
export function noticeOf(state, previous, nameOf) {
  if (!state) return '';
  const who = state.changedBy === ROOM_ACTOR ? 'The room' : upper(nameOf(state.changedBy));
  if (previous?.meetingId !== state.meetingId) {
    return view.isRunning(state) ? `${who} started a meeting.` : '';
  }
  if (previous?.mode !== state.mode) {
    switch (state.mode) {
      case 'REFLECTION':
        return `${who} switched the meeting to reflection.`;
      case 'TASK':
        return previous?.mode === 'PAUSED' ? `${who} resumed the meeting.`
                                           : `${who} switched the meeting back to the task.`;
      case 'PAUSED':
        return `${who} paused the meeting.`;
      case 'ENDED':
        return state.changedBy === ROOM_ACTOR ? 'The meeting ended by itself.'
                                              : `${who} ended the meeting.`;
      default:
        return '';
    }
  }
  if (previous?.prompt?.index !== state.prompt?.index && state.prompt?.text) {
    return `${who} moved to prompt ${Number(state.prompt.index ?? 0) + 1} of ` +
           `${Number(state.prompt.count ?? 0)}.`;
  }
  if (previous?.targetPct !== state.targetPct) {
    return `${who} changed the target to ${state.targetPct}%.`;
  }
  return '';
}

function modeAnnouncement(state, byText) {
  switch (state.mode) {
    case 'REFLECTION':
      return `Now reflecting, switched ${byText}.` + (state.prompt?.text ? ` ${state.prompt.text}` : '');
    case 'TASK':
      return `Back to the task, ${byText}.`;
    case 'PAUSED':
      return `The meeting is paused ${byText}: the time counts as neither task nor reflection.`;
    case 'ENDED': {
      const s = state.summary ?? {};
      return `The meeting has ended ${byText}. ${view.percent(Number(s.share ?? 0))} ` +
             `in reflection: the target was ${s.met ? 'met' : 'not met'}.`;
    }
    default:
      return null;
  }
}

/** Who the settings line says changed the room's settings, or null (nobody else did). */
export function settingsChangedText(changedBy, me, nameOf) {
  if (!changedBy || changedBy === me) return null;
  return `${upper(nameOf(changedBy))} changed the room’s settings.`;
}

/** The timeline with consecutive stretches in one mode joined (a target change splits none). */
export function mergedTimeline(segments) {
  const out = [];
  for (const g of segments ?? []) {
    const last = out[out.length - 1];
    if (last && last.mode === g.mode) last.toMs = g.toMs;
    else out.push({ ...g });
  }
  return out;
}

/**
 * What the summary of an ended meeting shows, in words: { title, met, verdict, rows
 * [[term, value]], reason, reasonLead, timeline [{ mode, words, weight }], notes, purpose }.
 * `named(id)` is recordName bound to the room's members.
 */
export function summaryFacts(s, named) {
  const share = Number(s.share ?? 0) || 0;
  const met = s.met === true;
  const target = view.int(s.targetPct);
  // The room ends a meeting itself on time, or (with a reason) when the server restarted.
  const byRoom = s.endedBy === ROOM_ACTOR;
  const endedBy = !byRoom ? named(s.endedBy)
                : s.reason ? 'Colead' : 'the room itself, at the planned time';
  const timeline = mergedTimeline(s.timeline);
  const total = Math.max(1, ...timeline.map((g) => view.int(g.toMs)));
  return {
    title: s.title ? `What “${s.title}” came to` : 'What this meeting came to',
    met,
    verdict: met ? `You kept ${view.percent(share)} of the meeting for reflection: the ` +
                   `${target}% target was met.`
                 : `${view.percent(share)} of the meeting went to reflection, below the ` +
                   `${target}% target.`,
    rows: [
      ['Task', view.clock(view.int(s.taskMs))],
      ['Reflection', view.clock(view.int(s.reflectionMs))],
      ['Paused', view.clock(view.int(s.pausedMs))],
      ['Reflection share', `${view.percent(share)} (target ${target}%)`],
      ['Target', met ? '✓ Met' : '✗ Not met'],
      ['Ended by', endedBy],
    ],
    reason: s.reason || '',
    reasonLead: byRoom ? 'Why it ended: ' : 'Why it ended below target: ',
    timeline: timeline.map((g) => {
      const from = view.int(g.fromMs);
      const to = view.int(g.toMs);
      return { mode: g.mode ?? '', weight: Math.max(1, to - from) / total,
               words: `${view.MODE_WORDS[g.mode] ?? g.mode} ${view.clock(from)}–` +
                      `${view.clock(to)}${g.by ? `, ${named(g.by)}` : ''}` };
    }),
    notes: (s.notes ?? []).filter((n) => !n.removed)
        .map((n) => ({ text: n.text, by: named(n.author) })),
    purpose: (s.purpose?.text ?? '').trim() ? s.purpose.text : '',
  };
}
