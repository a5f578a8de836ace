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
//
// This file is the mount: it wires the elements (meeting_panel.js, meeting_record.js) to the
// panel's state (meeting_state.js) and to the room.

import { byId, el } from './dom.js';
import { errorText, requester } from './feedback.js';
import { focusKeeper, keepFocusIn } from './focus.js';
import { buildMeetingPanel } from './meeting_panel.js';
import { renderHistory, renderSummary } from './meeting_record.js';
import * as model from './meeting_state.js';
import * as view from './meeting_view.js';
import * as storage from './storage.js';
import { dateAndTime, timeOfDay } from './words.js';

const TICK_MS = 250;

/**
 * Mounts the meeting panel. `links.writeNote()` opens the learning log's form (the prompts'
 * "Write it in the learning log"); `links.notify(text)` tells people what others changed.
 * Returns { titleOf(meetingId), current() } for the room to hand on: current() is
 * { state, leadMinutes }, what the room bar draws.
 */
export function mountMeeting(room, links = {}) {
  const panel = byId('panel-meeting');
  const conn = room.connection;
  const m = model.createMeeting();
  let figures = null;  // the last reading of the live figures
  let nudge = null;  // the reminder on show, worded afresh from the figures at each tick
  const focus = focusKeeper();
  const ui = buildMeetingPanel();
  panel.append(ui.status, ui.message, ui.run, ui.summary, ui.startForm, ui.options, ui.history,
               ui.settingsBox);
  panel.hidden = false;
  // A control that hides itself (Pause while paused, the run at the end) hands the focus on.
  const rescueFocus = keepFocusIn(panel, () => [ui.switchButton,
                                                document.getElementById('meeting-summary-title'),
                                                ui.status]);

  // ---- helpers -------------------------------------------------------------------------
  const serverNow = () => Date.now() + (conn.clockOffsetMs || 0);
  const leadMs = () => m.leadMinutes * 60000;
  const memberName = (id) => room.members?.nameOf?.(id);
  const nameOf = (id) => model.speakerName(id, conn.memberId, memberName);
  // A moment `meetingMs` of meeting-clock time from now, as the time of day on this device.
  const scale = () => Number(m.state?.timeScale ?? 1) || 1;
  const inTimeOfDay = (meetingMs) => timeOfDay(Date.now() + meetingMs / scale());

  function setMessage(text) {
    ui.message.textContent = text || '';
    ui.message.hidden = !text;
  }
  const command = requester(conn, 'meeting', setMessage);

  // The whole number in `input` if it lies in min..max; otherwise says `problem`, puts the
  // focus on the field and returns null.
  function wholeNumber(input, min, max, problem) {
    const n = model.wholeNumber(input.value, min, max);
    if (n !== null) return n;
    setMessage(problem);
    input.focus();
    return null;
  }

  // ---- start ---------------------------------------------------------------------------
  ui.startForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const minutes = wholeNumber(ui.minutesInput, 1, 480, model.MINUTES_PROBLEM);
    if (minutes === null) return;
    const target = wholeNumber(ui.targetInput, 1, 100, model.TARGET_PROBLEM);
    if (target === null) return;
    const start = { plannedMinutes: minutes, reflectionTargetPct: target,
                    title: ui.titleInput.value.trim() };
    if (ui.endOnTimeInput.checked) start.endOnTime = true;
    if (await command({ start })) {
      ui.titleInput.value = '';
      focus.want(ui.switchButton);
    }
  });

  // ---- running -------------------------------------------------------------------------
  ui.switchButton.addEventListener('click', () => command(model.switchRequest(m.state)));
  // Hidden while paused: the switch button resumes then.
  ui.pauseButton.addEventListener('click', async () => {
    if (await command({ pause: {} })) focus.want(ui.switchButton);
  });

  ui.endButton.addEventListener('click', () => openEndForm());
  ui.endCancel.addEventListener('click', () => closeEndForm(true));
  ui.endSkip.addEventListener('click', () => endMeeting(''));
  ui.endForm.addEventListener('submit', (event) => {
    event.preventDefault();
    endMeeting(ui.reasonField.hidden ? '' : ui.reasonInput.value.trim());
  });

  function openEndForm() {
    ui.endForm.hidden = false;
    tick();  // the question's figure is the timer's, read at the same moment
    (ui.reasonField.hidden ? ui.endConfirm : ui.reasonInput).focus();
  }

  // The end question from the figures the timer shows now; the reason field comes and goes
  // as the share crosses the target.
  function showEndQuestion() {
    const { below, text } = model.endQuestion(figures);
    if (ui.reasonField.hidden === below) {
      const moveFocus = !below && document.activeElement === ui.reasonInput;
      ui.reasonField.hidden = !below;
      ui.endSkip.hidden = !below;
      if (moveFocus) ui.endConfirm.focus();
    }
    if (ui.endText.textContent !== text) ui.endText.textContent = text;
  }

  function closeEndForm(refocus) {
    ui.endForm.hidden = true;
    ui.reasonInput.value = '';
    if (refocus) ui.endButton.focus();
  }

  async function endMeeting(reason) {
    if (await command({ end: reason ? { reason } : {} })) {
      closeEndForm(false);
      focus.want(() => document.getElementById('meeting-summary-title'));
    }
  }

  ui.promptBack.addEventListener('click', () => command({ prompt: { step: -1 } }));
  ui.promptNext.addEventListener('click', () => command({ prompt: { step: 1 } }));
  ui.toLog.addEventListener('click', () => links.writeNote?.());

  ui.newTargetButton.addEventListener('click', async () => {
    const pct = wholeNumber(ui.newTarget, 1, 100, model.TARGET_PROBLEM);
    if (pct === null) return;
    await command({ target: { reflectionTargetPct: pct } });
  });

  ui.hideCount.checked = storage.preference('meeting.hideCount') === 'true';
  ui.hideCount.addEventListener('change', () => {
    storage.setPreference('meeting.hideCount', ui.hideCount.checked ? 'true' : null);
    tick();
  });

  // ---- room settings ---------------------------------------------------------------------
  ui.settingsForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const target = wholeNumber(ui.settingsTarget, 1, 100, model.TARGET_PROBLEM);
    if (target === null) return;
    const lead = wholeNumber(ui.settingsLead, 1, 30, model.LEAD_PROBLEM);
    if (lead === null) return;
    setMessage('');
    ui.settingsSaved.textContent = '';
    try {
      await conn.request('room', model.settingsRequest(target, lead, ui.settingsAuto.checked));
      ui.settingsSaved.textContent = 'Saved for everyone in the room.';
    } catch (error) {
      setMessage(errorText(error));
    }
  });

  function takeSettings(next, announceBy = null) {
    if (!next) return;
    const settings = model.takeSettings(m, next);
    ui.settingsTarget.value = settings.targetPct;
    ui.settingsLead.value = settings.leadMinutes;
    ui.settingsAuto.checked = settings.autoReflect;
    if (!view.isRunning(m.state)) ui.targetInput.value = settings.targetPct;
    const said = model.settingsChangedText(announceBy, conn.memberId, nameOf);
    if (said) ui.settingsSaved.textContent = said;
  }

  // ---- rendering -------------------------------------------------------------------------
  function render() {
    const state = m.state;
    const running = view.isRunning(state);
    ui.run.hidden = !running;
    ui.startForm.hidden = running;
    ui.options.querySelector('#meeting-target-field').hidden = !running;
    if (!running && !ui.endForm.hidden) closeEndForm(false);
    ui.status.textContent = model.statusText(state, nameOf, { timeOfDay, dateAndTime });

    if (running) {
      byId('meeting-heading').textContent = state.title || 'This meeting';
      ui.switchButton.textContent = model.switchWords(state);
      ui.pauseButton.hidden = state.mode === 'PAUSED';
      ui.timer.dataset.mode = state.mode;
      if (document.activeElement !== ui.newTarget) ui.newTarget.value = state.targetPct ?? '';
      ui.prompts.hidden = state.mode !== 'REFLECTION';
      const prompt = model.promptOf(state);
      if (prompt) {
        ui.promptSection.textContent = prompt.section;
        ui.promptText.textContent = prompt.text;
        ui.promptPosition.textContent = prompt.position;
        ui.promptBack.disabled = prompt.first;
        ui.promptNext.disabled = prompt.last;
      }
    }
    const summary = state?.mode === 'ENDED' ? state.summary : null;
    ui.summary.hidden = !summary;
    if (summary) renderSummary(ui.summary, summary, (id) => model.recordName(id, memberName));
    ui.history.hidden = m.past.length === 0;
    if (m.past.length) renderHistory(ui, m.past);
    tick();
    focus.settle();
    rescueFocus();
  }

  function tick() {
    if (!view.isRunning(m.state)) {
      figures = null;
      return;
    }
    const before = figures;
    figures = view.live(m.state, serverNow(), leadMs());
    const hidden = ui.hideCount.checked;
    if (ui.modeLine.dataset.mode !== figures.mode) {
      ui.modeLine.dataset.mode = figures.mode;
      ui.modeLine.replaceChildren(
          view.MODE_WORDS[figures.mode],
          figures.mode === 'PAUSED'
            ? el('span', { class: 'meeting-mode-note' },
                 ' — counted as neither task nor reflection')
            : '');
    }
    ui.counts.hidden = hidden;
    ui.shareLine.hidden = hidden;
    ui.shareBar.hidden = hidden;
    byId('meeting-elapsed').textContent = view.clock(figures.elapsedMs);
    byId('meeting-remaining-label').textContent = figures.remainingMs < 0 ? 'Over by' : 'Time left';
    byId('meeting-remaining').textContent = view.clock(figures.remainingMs);
    ui.shareLine.textContent = `Reflection so far: ${view.percent(figures.share)} ` +
                               `(${view.clock(figures.reflectionMs)}) — target ${figures.targetPct}%`;
    ui.shareFill.style.setProperty('width', `${Math.min(100, figures.share * 100)}%`);
    ui.shareTarget.style.setProperty('left', `${Math.min(100, figures.targetPct)}%`);
    ui.timer.dataset.status = figures.status;
    ui.adviceLine.textContent = view.advice(figures, inTimeOfDay);
    ui.adviceLine.dataset.status = figures.status;
    if (!ui.endForm.hidden) showEndQuestion();
    if (nudge && !ui.nudgeBox.hidden) {
      const words = model.nudgeText(nudge, figures, inTimeOfDay);
      if (ui.nudgeBox.textContent !== words) ui.nudgeBox.textContent = words;
    }
    const said = view.threshold(before, figures);
    if (said) room.announce?.(said);
  }

  // Takes a new state. `quiet`: only remember it (joining: what stands is not news).
  function take(next, { quiet = false } = {}) {
    const { previous, hideNudge, resetFigures } = model.takeState(m, next);
    if (hideNudge) ui.nudgeBox.hidden = true;
    if (resetFigures) figures = null;
    render();
    if (quiet) {
      model.markAnnounced(m);
    } else {
      const said = model.announcement(m, previous, nameOf);
      // What another member or the room itself changed is a notice; one's own is only said.
      if (said && links.notify && m.state?.changedBy && m.state.changedBy !== conn.memberId) {
        links.notify(model.noticeOf(m.state, previous, nameOf) || said, said);
      } else if (said) {
        room.announce?.(said);
      }
    }
  }

  conn.on('welcome', (welcome) => {
    m.past = [...(welcome.room?.pastMeetings ?? [])];
    takeSettings(welcome.room?.settings);
    // After a reconnect, a change missed while away is still news; on first joining it is not.
    take(welcome.room?.meeting ?? null, { quiet: !m.welcomed });
    m.welcomed = true;
  });
  conn.on('meetingState', (next) => take(next));
  conn.on('nudge', (next) => {
    // The facilitators' messages and calls of time are the programme's (programme.js).
    if (!next?.message || next.kind === 'FACILITATOR_MESSAGE' || next.kind === 'TIME_CALL') return;
    nudge = next;
    tick();
    const words = model.nudgeText(nudge, figures, inTimeOfDay);
    ui.nudgeBox.textContent = words;
    ui.nudgeBox.dataset.kind = nudge.kind ?? '';
    ui.nudgeBox.hidden = !view.isRunning(m.state);
    room.announce?.(words);
  });
  conn.on('roomChanged', (changed) => takeSettings(changed.settings, changed.changedBy));
  conn.on('presence', () => {
    if (m.state) render();
  });

  setInterval(tick, TICK_MS);
  render();

  return { titleOf: (meetingId) => model.titleOf(m, meetingId, dateAndTime),
           current: () => ({ state: m.state, leadMinutes: m.leadMinutes }) };
}
