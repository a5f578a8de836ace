// "Meeting and reflection": keep the 40 per cent reflection rule in every meeting.
//
// Start a meeting (planned length, reflection target, optionally ending by itself on time);
// while it runs, a timer shows the mode, the time gone and left and the share of reflection so
// far, with one obvious control to switch between the task and reflection. While reflecting,
// the room shows prompts from the guide, one at a time, and any member moves them on. Ending
// below the target asks for a short reason, which may be skipped. At the end every member sees
// the same summary; the room keeps its past meetings as a small chart of reflection share.
//
// Any member can do anything here (power is shared); the server records who did what.
//
// Feed: `welcome.room.meeting`, `.pastMeetings`, `.settings`, then every `meetingState`,
// `nudge` and `roomChanged`. Between states the figures run on locally (meeting_view.js);
// screen readers hear the mode changes, nudges and thresholds, never the seconds.

import { RequestError } from './connection.js';
import { byId, el } from './dom.js';
import * as view from './meeting_view.js';
import * as storage from './storage.js';

const TICK_MS = 250;
const SVG = 'http://www.w3.org/2000/svg';
const ROOM_ACTOR = 'colead';

function errorText(error) {
  if (error instanceof RequestError) return error.message;
  return 'Something went wrong; try again.';
}

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}

function timeOfDay(unixMs) {
  return new Date(unixMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function dateAndTime(unixMs) {
  return new Date(unixMs).toLocaleString([], { day: 'numeric', month: 'short',
                                               hour: '2-digit', minute: '2-digit' });
}

/** The timeline with consecutive stretches in one mode joined (a target change splits none). */
function mergedTimeline(segments) {
  const out = [];
  for (const g of segments ?? []) {
    const last = out[out.length - 1];
    if (last && last.mode === g.mode) last.toMs = g.toMs;
    else out.push({ ...g });
  }
  return out;
}

function numberField(id, label, { min, max, value }) {
  return el('div', { class: 'field' },
            el('label', { for: id }, label),
            el('input', { type: 'number', id, min, max, value, step: 1, required: true,
                          inputmode: 'numeric' }));
}

/**
 * Mounts the meeting panel. Returns { titleOf(meetingId) } for the other panels (the learning
 * log names the meeting a note was written in).
 */
export function mountMeeting(room) {
  const panel = byId('panel-meeting');
  const conn = room.connection;
  let state = null;  // the latest MeetingState (or null: no meeting yet)
  let past = [];  // MeetingSummary of every ended meeting, oldest first
  let leadMinutes = 5;  // the room's reminder lead, for the status between reminders
  let figures = null;  // the last reading of the live figures
  let lastAnnounced = '';
  let welcomed = false;  // a welcome has come before (so the next one is a reconnect)

  // ---- the DOM -------------------------------------------------------------------------
  const status = el('p', { id: 'meeting-status', class: 'meeting-status' });
  const message = el('p', { id: 'meeting-message', class: 'field-error', role: 'alert',
                            hidden: true });

  const startForm = el(
    'form', { id: 'meeting-start', class: 'stack meeting-start', novalidate: true },
    el('h3', {}, 'Start a meeting'),
    el('p', { class: 'hint' },
       'One pair set themselves a rule: in every meeting, spend at least 40 per cent of the ' +
       'time together in reflection and learning about your relationship, how you are working ' +
       'and what you are learning about your local system. Colead keeps the time honestly.'),
    el('div', { class: 'field' },
       el('label', { for: 'meeting-title-input' }, 'What is this meeting for? (optional)'),
       el('input', { type: 'text', id: 'meeting-title-input', maxlength: 120,
                     placeholder: 'e.g. Monthly check-in' })),
    numberField('meeting-minutes', 'Planned length, in minutes', { min: 1, max: 480, value: 60 }),
    numberField('meeting-target', 'Time to spend in reflection, per cent',
                { min: 1, max: 100, value: 40 }),
    el('p', { class: 'check' },
       el('input', { type: 'checkbox', id: 'meeting-end-on-time' }), ' ',
       el('label', { for: 'meeting-end-on-time' }, 'End the meeting by itself at the planned time')),
    el('div', { class: 'actions' },
       el('button', { type: 'submit', class: 'button primary', id: 'meeting-start-button' },
          'Start the meeting')),
  );
  const titleInput = startForm.querySelector('#meeting-title-input');
  const minutesInput = startForm.querySelector('#meeting-minutes');
  const targetInput = startForm.querySelector('#meeting-target');
  const endOnTimeInput = startForm.querySelector('#meeting-end-on-time');

  // The timer: role="timer" is never read out by itself; the page announces what matters.
  const modeLine = el('p', { id: 'meeting-mode', class: 'meeting-mode' });
  const counts = el('p', { id: 'meeting-counts', class: 'meeting-counts' },
                    el('span', {}, 'Elapsed ', el('strong', { id: 'meeting-elapsed' })),
                    el('span', {}, el('span', { id: 'meeting-remaining-label' }, 'Remaining'), ' ',
                       el('strong', { id: 'meeting-remaining' })));
  const shareFill = el('span', { class: 'share-fill' });
  const shareTarget = el('span', { class: 'share-target' });
  const shareLine = el('p', { id: 'meeting-share', class: 'meeting-share' });
  const shareBar = el('div', { class: 'share-bar', 'aria-hidden': 'true' }, shareFill, shareTarget);
  const timer = el('div', { id: 'meeting-timer', class: 'meeting-timer', role: 'timer',
                            'aria-live': 'off', 'aria-labelledby': 'meeting-mode' },
                   modeLine, counts, shareLine, shareBar);
  const adviceLine = el('p', { id: 'meeting-advice', class: 'meeting-advice' });
  const nudgeBox = el('p', { id: 'meeting-nudge', class: 'notice important', hidden: true });

  const switchButton = el('button', { type: 'button', class: 'button primary meeting-switch',
                                      id: 'meeting-switch' }, 'Switch to reflection');
  const pauseButton = el('button', { type: 'button', class: 'button', id: 'meeting-pause' },
                         'Pause');
  const endButton = el('button', { type: 'button', class: 'button', id: 'meeting-end' },
                       'End the meeting');
  const controls = el('div', { class: 'actions meeting-controls' }, switchButton, pauseButton,
                      endButton);

  const endText = el('p', { id: 'meeting-end-text' });
  const reasonField = el('div', { class: 'field', id: 'meeting-reason-field' },
                         el('label', { for: 'meeting-end-reason' },
                            'What got in the way of reflecting? (optional)'),
                         el('p', { class: 'hint', id: 'meeting-end-reason-hint' },
                            'A sentence is enough. It goes in the summary everyone sees.'),
                         el('textarea', { id: 'meeting-end-reason', rows: 2, maxlength: 1000,
                                          'aria-describedby': 'meeting-end-reason-hint' }));
  const reasonInput = reasonField.querySelector('textarea');
  const endConfirm = el('button', { type: 'submit', class: 'button primary',
                                    id: 'meeting-end-confirm' }, 'End the meeting');
  const endSkip = el('button', { type: 'button', class: 'button', id: 'meeting-end-skip' },
                     'End without a reason');
  const endCancel = el('button', { type: 'button', class: 'button', id: 'meeting-end-cancel' },
                       'Keep going');
  const endForm = el('form', { id: 'meeting-end-form', class: 'notice important stack',
                               hidden: true, 'aria-labelledby': 'meeting-end-text' },
                     endText, reasonField,
                     el('div', { class: 'actions' }, endConfirm, endSkip, endCancel));

  const promptSection = el('p', { id: 'meeting-prompt-section', class: 'hint' });
  const promptText = el('p', { id: 'meeting-prompt', class: 'meeting-prompt' });
  const promptPosition = el('p', { id: 'meeting-prompt-position', class: 'hint' });
  const promptBack = el('button', { type: 'button', class: 'button small',
                                    id: 'meeting-prompt-previous' }, 'Previous prompt');
  const promptNext = el('button', { type: 'button', class: 'button small',
                                    id: 'meeting-prompt-next' }, 'Next prompt');
  const toLog = el('button', { type: 'button', class: 'button small', id: 'meeting-to-log' },
                   'Write it in the learning log');
  const prompts = el('section', { id: 'meeting-prompts', class: 'meeting-prompts', hidden: true,
                                  'aria-labelledby': 'meeting-prompts-title' },
                     el('h4', { id: 'meeting-prompts-title' }, 'Reflect together'),
                     promptSection, promptText, promptPosition,
                     el('div', { class: 'actions' }, promptBack, promptNext, toLog));

  const hideCount = el('input', { type: 'checkbox', id: 'meeting-hide-count' });
  const newTarget = el('input', { type: 'number', id: 'meeting-new-target', min: 1, max: 100,
                                  step: 1, inputmode: 'numeric' });
  const newTargetButton = el('button', { type: 'button', class: 'button small',
                                         id: 'meeting-set-target' }, 'Change the target');
  const options = el('details', { class: 'meeting-options', id: 'meeting-options' },
                     el('summary', {}, 'Meeting options'),
                     el('p', { class: 'check' }, hideCount, ' ',
                        el('label', { for: 'meeting-hide-count' },
                           'Hide the running count (on this device)')),
                     el('div', { class: 'field', id: 'meeting-target-field' },
                        el('label', { for: 'meeting-new-target' },
                           'Reflection target of this meeting, per cent'),
                        el('div', { class: 'inline-row' }, newTarget, newTargetButton)));

  const run = el('div', { id: 'meeting-run', class: 'meeting-run', hidden: true },
                 el('h3', { id: 'meeting-heading' }), timer, adviceLine, nudgeBox, controls,
                 endForm, prompts);

  const summary = el('section', { id: 'meeting-summary', class: 'meeting-summary', hidden: true,
                                  'aria-labelledby': 'meeting-summary-title' });

  const chart = el('div', { id: 'meeting-chart', class: 'meeting-chart' });
  const chartText = el('p', { id: 'meeting-chart-text', class: 'hint' });
  const historyTable = el('tbody');
  const history = el(
    'section', { id: 'meeting-history', class: 'meeting-history', hidden: true,
                 'aria-labelledby': 'meeting-history-title' },
    el('h3', { id: 'meeting-history-title' }, 'Reflection across your meetings'),
    chart, chartText,
    el('details', {},
       el('summary', {}, 'Show every meeting as a table'),
       el('table', { class: 'meeting-table', id: 'meeting-table' },
          el('caption', { class: 'visually-hidden' }, 'Past meetings'),
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Meeting'),
                             el('th', { scope: 'col' }, 'Ended'),
                             el('th', { scope: 'col' }, 'Task'),
                             el('th', { scope: 'col' }, 'Reflection'),
                             el('th', { scope: 'col' }, 'Share'),
                             el('th', { scope: 'col' }, 'Target'))),
          historyTable)));

  const settingsForm = el(
    'form', { id: 'meeting-settings', class: 'stack', novalidate: true },
    numberField('settings-target', 'Reflection target of new meetings, per cent',
                { min: 1, max: 100, value: 40 }),
    numberField('settings-lead', 'Remind us this many minutes before reflection must start, ' +
                'and before the planned end', { min: 1, max: 30, value: 5 }),
    el('p', { class: 'check' },
       el('input', { type: 'checkbox', id: 'settings-auto-reflect' }), ' ',
       el('label', { for: 'settings-auto-reflect' },
          'Switch to reflection by itself at the latest moment that still keeps the target')),
    el('div', { class: 'actions' },
       el('button', { type: 'submit', class: 'button small', id: 'settings-save' },
          'Save the room’s settings'),
       el('span', { id: 'settings-saved', class: 'hint', role: 'status' })),
  );
  const settingsTarget = settingsForm.querySelector('#settings-target');
  const settingsLead = settingsForm.querySelector('#settings-lead');
  const settingsAuto = settingsForm.querySelector('#settings-auto-reflect');
  const settingsSaved = settingsForm.querySelector('#settings-saved');
  const settingsBox = el('details', { class: 'meeting-settings', id: 'meeting-settings-box' },
                         el('summary', {}, 'Room settings for meetings'), settingsForm);

  panel.append(status, message, run, summary, startForm, options, history, settingsBox);
  panel.hidden = false;

  // ---- helpers -------------------------------------------------------------------------
  const me = () => conn.memberId;
  const serverNow = () => Date.now() + (conn.clockOffsetMs || 0);
  const leadMs = () => leadMinutes * 60000;
  const scale = () => Number(state?.timeScale ?? 1) || 1;
  const nameOf = (id) => {
    if (!id) return 'someone';
    if (id === ROOM_ACTOR) return 'the room itself';
    if (id === me()) return 'you';
    return room.members?.nameOf?.(id) || 'someone';
  };
  const Name = (id) => {
    const name = nameOf(id);
    return name.charAt(0).toUpperCase() + name.slice(1);
  };
  // A moment `meetingMs` of meeting-clock time from now, as the time of day on this device.
  const inTimeOfDay = (meetingMs) => timeOfDay(Date.now() + meetingMs / scale());

  function setMessage(text) {
    message.textContent = text || '';
    message.hidden = !text;
  }

  // The whole number in `input` if it lies in min..max; otherwise says `problem`, puts the
  // focus on the field and returns null.
  function wholeNumber(input, min, max, problem) {
    const n = Number(input.value);
    if (input.value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) return n;
    setMessage(problem);
    input.focus();
    return null;
  }
  const TARGET_PROBLEM = 'The reflection target is a whole per cent, 1 to 100.';

  async function command(body) {
    setMessage('');
    try {
      await conn.request('meeting', body);
      return true;
    } catch (error) {
      setMessage(errorText(error));
      return false;
    }
  }

  // ---- start ---------------------------------------------------------------------------
  startForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const minutes = wholeNumber(minutesInput, 1, 480,
                                'The planned length is a whole number of minutes, 1 to 480.');
    if (minutes === null) return;
    const target = wholeNumber(targetInput, 1, 100, TARGET_PROBLEM);
    if (target === null) return;
    const start = { plannedMinutes: minutes, reflectionTargetPct: target,
                    title: titleInput.value.trim() };
    if (endOnTimeInput.checked) start.endOnTime = true;
    const ok = await command({ start });
    if (ok) {
      titleInput.value = '';
      switchButton.focus();
    }
  });

  // ---- running -------------------------------------------------------------------------
  switchButton.addEventListener('click', () => {
    if (state?.mode === 'PAUSED') return command({ resume: {} });
    return command({ mode: { mode: state?.mode === 'REFLECTION' ? 'TASK' : 'REFLECTION' } });
  });
  // Hidden while paused: the switch button resumes then.
  pauseButton.addEventListener('click', () => command({ pause: {} }));

  endButton.addEventListener('click', () => openEndForm());
  endCancel.addEventListener('click', () => closeEndForm(true));
  endSkip.addEventListener('click', () => endMeeting(''));
  endForm.addEventListener('submit', (event) => {
    event.preventDefault();
    endMeeting(reasonField.hidden ? '' : reasonInput.value.trim());
  });

  function openEndForm() {
    const now = view.live(state, serverNow(), leadMs());
    const below = view.endsBelowTarget(now);
    reasonField.hidden = !below;
    endSkip.hidden = !below;
    endText.textContent = below
      ? `So far ${view.percent(now.share)} of this meeting went to reflection; your target ` +
        `is ${now.targetPct}%. Ending is fine: say what got in the way, if you like.`
      : `You kept ${view.percent(now.share)} for reflection (target ${now.targetPct}%). ` +
        'End the meeting for everyone?';
    endForm.hidden = false;
    (below ? reasonInput : endConfirm).focus();
  }

  function closeEndForm(refocus) {
    endForm.hidden = true;
    reasonInput.value = '';
    if (refocus) endButton.focus();
  }

  async function endMeeting(reason) {
    const ok = await command({ end: reason ? { reason } : {} });
    if (ok) closeEndForm(false);
  }

  promptBack.addEventListener('click', () => command({ prompt: { step: -1 } }));
  promptNext.addEventListener('click', () => command({ prompt: { step: 1 } }));
  toLog.addEventListener('click', () => room.notes?.compose?.());

  newTargetButton.addEventListener('click', async () => {
    const pct = wholeNumber(newTarget, 1, 100, TARGET_PROBLEM);
    if (pct === null) return;
    await command({ target: { reflectionTargetPct: pct } });
  });

  hideCount.checked = storage.preference('meeting.hideCount') === 'true';
  hideCount.addEventListener('change', () => {
    storage.setPreference('meeting.hideCount', hideCount.checked ? 'true' : null);
    tick();
  });

  // ---- room settings ---------------------------------------------------------------------
  settingsForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const target = wholeNumber(settingsTarget, 1, 100, TARGET_PROBLEM);
    if (target === null) return;
    const lead = wholeNumber(settingsLead, 1, 30, 'The reminder comes 1 to 30 minutes ahead.');
    if (lead === null) return;
    setMessage('');
    settingsSaved.textContent = '';
    try {
      await conn.request('room', { settings: {
        reflectionTargetPct: target, nudgeLeadMinutes: lead,
        autoReflect: settingsAuto.checked ? 'AUTO_ON' : 'AUTO_OFF' } });
      settingsSaved.textContent = 'Saved for everyone in the room.';
    } catch (error) {
      setMessage(errorText(error));
    }
  });

  function takeSettings(next, announceBy = null) {
    if (!next) return;
    const target = Number(next.reflectionTargetPct ?? 40) || 40;
    leadMinutes = Number(next.nudgeLeadMinutes ?? 5) || 5;
    settingsTarget.value = target;
    settingsLead.value = leadMinutes;
    settingsAuto.checked = next.autoReflect === true;
    if (!view.isRunning(state)) targetInput.value = target;
    if (announceBy && announceBy !== me()) {
      settingsSaved.textContent = `${Name(announceBy)} changed the room’s settings.`;
    }
  }

  // ---- rendering -------------------------------------------------------------------------
  function render() {
    const running = view.isRunning(state);
    const ended = state?.mode === 'ENDED';
    run.hidden = !running;
    startForm.hidden = running;
    options.querySelector('#meeting-target-field').hidden = !running;
    if (!running && !endForm.hidden) closeEndForm(false);

    if (!state) {
      status.textContent = 'No meeting yet. Start one when you are ready.';
    } else if (ended) {
      status.textContent = `The last meeting ended ${dateAndTime(view.int(state.summary?.endedAtMs) ||
                                                                 view.int(state.serverTimeMs))}.`;
    } else {
      const by = state.changedBy ? ` Last change by ${nameOf(state.changedBy)}.` : '';
      status.textContent = `Meeting running since ${timeOfDay(view.int(state.startedAtMs))}: ` +
                           `${view.spoken(view.int(state.plannedMs))} planned, ` +
                           `${state.targetPct}% for reflection.` +
                           (state.endOnTime ? ' It ends by itself at the planned time.' : '') + by;
    }

    if (running) {
      byId('meeting-heading').textContent = state.title || 'This meeting';
      const reflecting = state.mode === 'REFLECTION';
      const paused = state.mode === 'PAUSED';
      switchButton.textContent = paused ? 'Resume' : reflecting ? 'Back to the task'
                                                                : 'Switch to reflection';
      pauseButton.hidden = paused;
      timer.dataset.mode = state.mode;
      if (document.activeElement !== newTarget) newTarget.value = state.targetPct ?? '';

      const prompt = state.prompt;
      prompts.hidden = !reflecting;
      if (reflecting && prompt?.text) {
        const index = Number(prompt.index ?? 0);
        const count = Number(prompt.count ?? 0);
        promptSection.textContent = prompt.section ?? '';
        promptText.textContent = prompt.text;
        promptPosition.textContent = `Prompt ${index + 1} of ${count}`;
        promptBack.disabled = index === 0;
        promptNext.disabled = index + 1 >= count;
      }
    }
    renderSummary();
    renderHistory();
    tick();
  }

  function tick() {
    if (!view.isRunning(state)) {
      figures = null;
      return;
    }
    const before = figures;
    figures = view.live(state, serverNow(), leadMs());
    const hidden = hideCount.checked;
    if (modeLine.dataset.mode !== figures.mode) {
      modeLine.dataset.mode = figures.mode;
      modeLine.replaceChildren(
          view.MODE_WORDS[figures.mode],
          figures.mode === 'PAUSED'
            ? el('span', { class: 'meeting-mode-note' },
                 ' — counted as neither task nor reflection')
            : '');
    }
    counts.hidden = hidden;
    shareLine.hidden = hidden;
    shareBar.hidden = hidden;
    byId('meeting-elapsed').textContent = view.clock(figures.elapsedMs);
    byId('meeting-remaining-label').textContent = figures.remainingMs < 0 ? 'Over by' : 'Remaining';
    byId('meeting-remaining').textContent = view.clock(figures.remainingMs);
    shareLine.textContent = `Reflection so far: ${view.percent(figures.share)} ` +
                            `(${view.clock(figures.reflectionMs)}) — target ${figures.targetPct}%`;
    shareFill.style.setProperty('width', `${Math.min(100, figures.share * 100)}%`);
    shareTarget.style.setProperty('left', `${Math.min(100, figures.targetPct)}%`);
    timer.dataset.status = figures.status;
    adviceLine.textContent = view.advice(figures, inTimeOfDay);
    adviceLine.dataset.status = figures.status;
    const said = view.threshold(before, figures);
    if (said) room.announce?.(said);
  }

  function renderSummary() {
    const s = state?.mode === 'ENDED' ? state.summary : null;
    summary.hidden = !s;
    if (!s) return;
    const task = view.int(s.taskMs);
    const reflection = view.int(s.reflectionMs);
    const paused = view.int(s.pausedMs);
    const share = Number(s.share ?? 0) || 0;
    const met = s.met === true;
    // A record names everyone by name (it is what a pair takes to their board).
    const recordName = (id) => (id === ROOM_ACTOR ? 'the room itself'
                                                  : room.members?.nameOf?.(id) || 'someone');
    // The room ends a meeting itself on time, or (with a reason) when the server restarted.
    const byRoom = s.endedBy === ROOM_ACTOR;
    const endedBy = !byRoom ? recordName(s.endedBy)
                  : s.reason ? 'Colead' : 'the room itself, at the planned time';
    const rows = [
      ['Task', view.clock(task)],
      ['Reflection', view.clock(reflection)],
      ['Paused', view.clock(paused)],
      ['Reflection share', `${view.percent(share)} (target ${view.int(s.targetPct)}%)`],
      ['Target', met ? '✓ Met' : '✗ Not met'],
      ['Ended by', endedBy],
    ];
    const notes = (s.notes ?? []).filter((n) => !n.removed);
    const purpose = s.purpose?.text ?? '';
    const timeline = mergedTimeline(s.timeline);
    const total = Math.max(1, ...timeline.map((g) => view.int(g.toMs)));
    summary.replaceChildren(...[

      el('h3', { id: 'meeting-summary-title' },
         s.title ? `What “${s.title}” came to` : 'What this meeting came to'),
      el('p', { class: `meeting-verdict ${met ? 'is-met' : 'is-missed'}`, id: 'meeting-verdict' },
         met ? `You kept ${view.percent(share)} of the meeting for reflection: the ` +
               `${view.int(s.targetPct)}% target was met.`
             : `${view.percent(share)} of the meeting went to reflection, below the ` +
               `${view.int(s.targetPct)}% target.`),
      el('dl', { class: 'meeting-figures', id: 'meeting-figures' },
         ...rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)])),
      s.reason ? el('p', { id: 'meeting-reason' },
                    el('strong', {}, byRoom ? 'Why it ended: ' : 'Why it ended below target: '),
                    s.reason) : null,
      el('h4', {}, 'How the time went'),
      el('ol', { class: 'meeting-timeline', id: 'meeting-timeline' },
         ...timeline.map((g) => {
           const from = view.int(g.fromMs);
           const to = view.int(g.toMs);
           const words = `${view.MODE_WORDS[g.mode] ?? g.mode} ${view.clock(from)}–` +
                         `${view.clock(to)}${g.by ? `, ${recordName(g.by)}` : ''}`;
           const item = el('li', { class: `segment mode-${(g.mode ?? '').toLowerCase()}`,
                                   title: words },
                           el('span', { class: 'segment-text' }, words));
           item.style.setProperty('flex-grow', String(Math.max(1, to - from) / total));
           return item;
         })),
      el('h4', {}, 'What we learnt in this meeting'),
      notes.length
        ? el('ul', { class: 'meeting-notes', id: 'meeting-summary-notes' },
             ...notes.map((n) => el('li', {}, n.text,
                                    el('span', { class: 'hint' }, ` — ${recordName(n.author)}`))))
        : el('p', { class: 'hint', id: 'meeting-summary-notes' },
             'No notes were written in this meeting.'),
      el('h4', {}, 'Our shared purpose, as it stood at the end'),
      purpose.trim()
        ? el('p', { class: 'meeting-purpose', id: 'meeting-summary-purpose' }, purpose)
        : el('p', { class: 'hint', id: 'meeting-summary-purpose' },
             'The shared purpose was still empty.'),
    ].filter(Boolean));
  }

  function renderHistory() {
    history.hidden = past.length === 0;
    if (!past.length) return;
    const bars = view.chartBars(past);
    const width = 320;
    const height = 140;
    const top = 10;
    const bottom = 24;
    const plot = height - top - bottom;
    const step = width / Math.max(bars.length, 4);
    const y = (share) => top + plot * (1 - Math.min(1, Math.max(0, share)));
    const graphic = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img',
                                 'aria-labelledby': 'meeting-chart-text', class: 'share-chart' });
    graphic.append(svg('line', { x1: 0, x2: width, y1: y(0), y2: y(0), class: 'axis' }));
    bars.forEach((bar, i) => {
      const x = i * step + step * 0.2;
      const w = step * 0.6;
      const g = svg('g', { class: bar.met ? 'bar met' : 'bar missed' });
      g.append(svg('title', {}, `${bar.label}: ${view.percent(bar.share)} (target ${bar.targetPct}%)`));
      g.append(svg('rect', { x, y: y(bar.share), width: w, height: Math.max(1, y(0) - y(bar.share)) }));
      g.append(svg('line', { x1: x - step * 0.1, x2: x + w + step * 0.1, y1: y(bar.targetPct / 100),
                             y2: y(bar.targetPct / 100), class: 'target' }));
      g.append(svg('text', { x: x + w / 2, y: height - 8, 'text-anchor': 'middle' },
                   view.percent(bar.share)));
      graphic.append(g);
    });
    chart.replaceChildren(graphic);
    chartText.textContent = `${view.chartDescription(bars)} The line on each bar is its target.`;
    historyTable.replaceChildren(...past.slice().reverse().map((m) => el(
      'tr', {},
      el('th', { scope: 'row' }, (m.title ?? '').trim() || 'Meeting'),
      el('td', {}, dateAndTime(view.int(m.endedAtMs))),
      el('td', {}, view.clock(view.int(m.taskMs))),
      el('td', {}, view.clock(view.int(m.reflectionMs))),
      el('td', {}, view.percent(Number(m.share ?? 0) || 0)),
      el('td', {}, `${view.int(m.targetPct)}% ${m.met ? '✓ met' : '✗ not met'}`))));
  }

  // ---- what is said aloud ------------------------------------------------------------------
  function announceKey() {
    if (!state) return '';
    return `${state.meetingId}|${state.mode}|${state.prompt?.index ?? ''}|${state.targetPct}`;
  }

  function announceChange(previous) {
    if (!state) return;
    const key = announceKey();
    if (key === lastAnnounced) return;
    const sameMeeting = previous?.meetingId === state.meetingId;
    lastAnnounced = key;
    if (!previous && state.mode === 'ENDED') return;  // joining after the end: nothing new
    const by = nameOf(state.changedBy);
    const byText = state.changedBy === ROOM_ACTOR ? 'by itself' : `by ${by}`;
    if (!sameMeeting && view.isRunning(state)) {
      room.announce?.(`${Name(state.changedBy)} started a meeting: ` +
                      `${view.spoken(view.int(state.plannedMs))}, ${state.targetPct}% for reflection.`);
      return;
    }
    if (previous?.mode !== state.mode) {
      if (state.mode === 'REFLECTION') {
        room.announce?.(`Now reflecting, switched ${byText}.` +
                        (state.prompt?.text ? ` ${state.prompt.text}` : ''));
      } else if (state.mode === 'TASK') {
        room.announce?.(`Back to the task, ${byText}.`);
      } else if (state.mode === 'PAUSED') {
        room.announce?.(`The meeting is paused ${byText}: the time counts as neither task nor ` +
                        'reflection.');
      } else if (state.mode === 'ENDED') {
        const s = state.summary ?? {};
        room.announce?.(`The meeting has ended ${byText}. ${view.percent(Number(s.share ?? 0))} ` +
                        `in reflection: the target was ${s.met ? 'met' : 'not met'}.`);
      }
      return;
    }
    if (previous?.prompt?.index !== state.prompt?.index && state.prompt?.text) {
      room.announce?.(`Next prompt: ${state.prompt.text}`);
    } else if (previous?.targetPct !== state.targetPct) {
      room.announce?.(`${Name(state.changedBy)} changed the target to ${state.targetPct}%.`);
    }
  }

  // Takes a new state. `quiet`: only remember it (joining: what stands is not news).
  function take(next, { quiet = false } = {}) {
    const previous = state;
    state = next?.meetingId ? next : null;
    if (state?.mode === 'ENDED' && state.summary?.meetingId &&
        !past.some((m) => m.meetingId === state.summary.meetingId)) {
      past = [...past, state.summary];
    }
    // A nudge stays until a member changes the mode (the room's own switch is what it said).
    const memberChange = state?.mode !== previous?.mode && state?.changedBy !== ROOM_ACTOR;
    if (!view.isRunning(state) || state?.meetingId !== previous?.meetingId || memberChange) {
      nudgeBox.hidden = true;
    }
    if (previous?.mode !== state?.mode) figures = null;  // thresholds count within one mode
    render();
    if (quiet) {
      lastAnnounced = announceKey();
    } else {
      announceChange(previous);
    }
  }

  conn.on('welcome', (welcome) => {
    past = [...(welcome.room?.pastMeetings ?? [])];
    takeSettings(welcome.room?.settings);
    // After a reconnect, a change missed while away is still news; on first joining it is not.
    take(welcome.room?.meeting ?? null, { quiet: !welcomed });
    welcomed = true;
  });
  conn.on('meetingState', (next) => take(next));
  conn.on('nudge', (nudge) => {
    if (!nudge?.message) return;
    nudgeBox.textContent = nudge.message;
    nudgeBox.dataset.kind = nudge.kind ?? '';
    nudgeBox.hidden = !view.isRunning(state);
    room.announce?.(nudge.message);
  });
  conn.on('roomChanged', (changed) => takeSettings(changed.settings, changed.changedBy));
  conn.on('presence', () => {
    if (state) render();
  });

  setInterval(tick, TICK_MS);
  render();

  return {
    titleOf: (meetingId) => {
      if (!meetingId) return null;
      if (state?.meetingId === meetingId) return state.title || 'this meeting';
      const m = past.find((p) => p.meetingId === meetingId);
      return m ? (m.title || `the meeting of ${dateAndTime(view.int(m.startedAtMs))}`) : null;
    },
  };
}
