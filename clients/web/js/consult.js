// "Consulting to each other": run a consulting script (Pair consult, Troika Consulting, an
// action-learning round, Wise Crowds, or a programme's own) in the room.
//
// Shows who holds which role now, the current phase's prompt for *my* role, a countdown,
// ready buttons with who is ready, move on / more time / pause / stop (any member, attributed
// by the server), the questions asked and a field to ask one when my role may, and at the end
// the presenters' takeaways. While I present and the phase turns me away, the controls go and
// a private notes pane takes their place, with a clear sign of when I turn back; what I write
// there can be kept as a personal note of the learning log, which only I see.
//
// Feed: `welcome.room.consult`, then every `consultState` (the whole run) and `questionAdded`.
// The countdown runs locally from `serverTimeMs`, `phaseRemainingMs` and `timeScale`.
//
// This file is the mount: it wires the elements (consult_panel.js) to what they show
// (consult_state.js) and to the room.

import { buildConsultPanel } from './consult_panel.js';
import * as consult from './consult_state.js';
import { byId, el, setMessage } from './dom.js';
import { requester } from './feedback.js';
import { focusKeeper, keepFocusIn } from './focus.js';

const TICK_MS = 250;

/**
 * Mounts the consult panel; links.notify(text) tells people what others changed (a phase
 * moving on, a pause, a stop). Returns { state(), stop() }.
 */
export function mountConsult(room, links = {}) {
  const panel = byId('panel-consult');
  const conn = room.connection;
  let scripts = [];
  let state = null; // the latest ConsultState
  let receivedAt = 0; // performance.now() when it arrived
  const said = { key: '' };
  // Set when this member asks for a change of the run; the change it brings is theirs, said
  // aloud only, not a notice of what others did.
  let mine = false;
  const focus = focusKeeper();
  const ui = buildConsultPanel();
  panel.append(ui.status, ui.message, ui.startForm, ui.run);
  panel.hidden = false;
  ui.status.tabIndex = -1;
  ui.heading.tabIndex = -1;
  // A control that goes with the phase (the controls while turned away, the run at the end)
  // hands the focus on to the run's heading or the panel's first line.
  const rescueFocus = keepFocusIn(panel, () => [ui.readyButton, ui.awayReady, ui.heading,
                                                ui.status]);

  const me = () => conn.memberId;
  const memberName = (id) => room.members?.nameOf?.(id);
  const nameOf = (id) => (id === me() ? 'you' : memberName(id) || 'someone');
  const say = (text) => setMessage(ui.message, text);
  const request = requester(conn, 'consult', say);
  const send = async (body) => {
    if (!body.ready && !body.extend) mine = true;
    const answer = await request(body);
    if (!answer) mine = false;
    return answer;
  };

  // ---- start form ------------------------------------------------------------------------
  async function loadScripts() {
    try {
      const response = await fetch('/api/scripts', { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(String(response.status));
      scripts = (await response.json()).scripts ?? [];
    } catch {
      scripts = [];
      say('The consulting structures could not be loaded; reload the page to try again.');
    }
    ui.scriptSelect.replaceChildren(
      ...scripts.map((s) => el('option', { value: s.id }, consult.scriptOption(s))));
    describeScript();
  }

  const chosenScript = () => scripts.find((s) => s.id === ui.scriptSelect.value);
  const seatFacilitator = () => (room.members?.all?.() ?? []).find((m) => m.facilitator);

  function describeScript() {
    const script = chosenScript();
    ui.scriptInfo.textContent = [consult.scriptDescription(script),
                                 consult.facilitatorSeatText(script, seatFacilitator())]
      .filter(Boolean).join(' ');
  }

  // The set's facilitator never presents in a structure with a facilitator's role.
  function fillPresenters() {
    const chosen = ui.presenterSelect.value;
    const facilitating = consult.hasFacilitatorRole(chosenScript());
    const members = (room.members?.all?.() ?? []).filter((m) => !(facilitating && m.facilitator));
    ui.presenterSelect.replaceChildren(
      ...members.map((m) => el('option', { value: m.memberId },
                               m.memberId === me() ? `${m.name} (you)` : m.name)),
    );
    if (members.some((m) => m.memberId === chosen)) ui.presenterSelect.value = chosen;
    else if (members.some((m) => m.memberId === me())) ui.presenterSelect.value = me();
  }

  ui.scriptSelect.addEventListener('change', () => {
    describeScript();
    fillPresenters();
  });
  ui.startForm.addEventListener('focusin', fillPresenters);
  ui.startForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (await send({ start: { scriptId: ui.scriptSelect.value, presenter: ui.presenterSelect.value,
                              advanceWhenReady: ui.whenReady.checked } })) {
      focus.want(ui.heading);
    }
  });

  // ---- run controls ----------------------------------------------------------------------
  // Ready is a toggle: the room takes a second `ready` as taking it back.
  const toggleReady = () => send({ ready: {} });
  ui.readyButton.addEventListener('click', toggleReady);
  ui.awayReady.addEventListener('click', toggleReady);
  ui.advanceButton.addEventListener('click', () => send({ advance: {} }));
  ui.extendButton.addEventListener('click', () => send({ extend: { minutes: 2 } }));
  ui.pauseButton.addEventListener('click', async () => {
    if (await send({ pause: { reason: ui.pauseReason.value } })) {
      ui.pauseReason.value = '';
      focus.want(ui.resumeButton);
    }
  });
  ui.resumeButton.addEventListener('click', async () => {
    if (await send({ resume: {} })) focus.want(ui.pauseButton);
  });

  // Stop asks first: it stops the run for everyone.
  ui.stopButton.addEventListener('click', () => {
    const others = (state?.roles ?? []).filter((r) => r.memberId !== me())
        .map((r) => memberName(r.memberId) || 'someone');
    ui.stopText.textContent = consult.stopQuestion(others);
    ui.stopConfirm.hidden = false;
    ui.stopYes.focus();
  });
  const closeStop = (refocus) => {
    ui.stopConfirm.hidden = true;
    if (refocus) ui.stopButton.focus();
  };
  ui.stopNo.addEventListener('click', () => closeStop(true));
  ui.stopConfirm.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      closeStop(true);
    }
  });
  ui.stopYes.addEventListener('click', async () => {
    if (await send({ stop: {} })) {
      closeStop(false);
      focus.want(ui.status);
    }
  });

  // Enter asks the question; Shift and Enter (or a composition in progress) makes a new line.
  ui.questionText.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.ctrlKey ||
        event.altKey || event.metaKey) return;
    event.preventDefault();
    ui.questionForm.requestSubmit();
  });

  // A form whose text, once trimmed and not empty, goes to the room as `body(text)`.
  function sendsText(form, field, kind, body) {
    const ask = requester(conn, kind, say);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = field.value.trim();
      if (text && await ask(body(text))) field.value = '';
    });
  }
  sendsText(ui.questionForm, ui.questionText, 'question', (text) => ({ text }));
  sendsText(ui.takeawayForm, ui.takeawayText, 'note',
            (text) => ({ text, category: 'OTHER', takeaway: true }));

  // Private notes are a draft in this tab until kept: then they are a personal note of the
  // learning log, stored on the server and shown to their author alone.
  const draftKey = () => `colead.consult.notes.${state?.consultId}`;
  const keepNote = requester(conn, 'note', say);
  ui.privateSave.addEventListener('click', async () => {
    const text = ui.turnedAwayNotes.value.trim();
    if (!text) return ui.turnedAwayNotes.focus();
    ui.privateSaved.textContent = '';
    if (!await keepNote({ text, category: 'OTHER', personal: true })) return;
    ui.turnedAwayNotes.value = '';
    try {
      sessionStorage.removeItem(draftKey());
    } catch { /* storage disabled: nothing was kept there */ }
    ui.privateSaved.textContent = 'Kept in your learning log, where only you can see it.';
  });
  ui.turnedAwayNotes.addEventListener('input', () => {
    ui.privateSaved.textContent = '';
    if (state?.consultId) {
      try {
        sessionStorage.setItem(draftKey(), ui.turnedAwayNotes.value);
      } catch { /* storage full or disabled: the text stays on the page */ }
    }
  });

  // ---- rendering -------------------------------------------------------------------------
  function render() {
    ui.startForm.hidden = state?.active === true;
    ui.run.hidden = !state;
    if (!state) {
      ui.status.textContent = consult.statusText(null, nameOf);
      return;
    }
    const v = consult.runView(state, me(), nameOf, memberName);
    ui.heading.textContent = v.heading;
    ui.roundLine.textContent = v.round;
    ui.status.textContent = v.status;
    ui.phaseTitle.textContent = v.phase;
    ui.myRole.textContent = v.myRole;
    ui.prompt.textContent = v.prompt;
    ui.prompt.hidden = !v.prompt;
    ui.rule.textContent = v.rule;
    ui.timeKeeper.textContent = v.timeKeeper;
    ui.timeKeeper.hidden = !v.timeKeeper;
    ui.phases.replaceChildren(...v.phases.map((p) => el(
      'li', { 'aria-current': p.current ? 'step' : false, class: p.current ? 'current' : '' },
      p.text)));
    ui.roles.replaceChildren(...v.roles.map((r) => el('li', { 'data-member': r.memberId },
                                                      ...r.parts)));
    ui.readyLine.textContent = v.readyLine;
    for (const node of [ui.readyButton, ui.awayReady]) {
      node.setAttribute('aria-pressed', v.iAmReady ? 'true' : 'false');
    }
    ui.readyButton.textContent = v.readyWords;
    ui.awayReady.hidden = !v.mayBeReadyAway;
    ui.awayReady.textContent = v.iAmReady ? 'I am ready to turn back (press to take it back)'
                                          : 'I am ready to turn back';

    // Turned away: the controls go; a private notes pane and a sign of when I turn back.
    ui.controls.hidden = !v.showControls;
    if (!v.showControls || v.paused) ui.stopConfirm.hidden = true;
    ui.turnedAway.hidden = !v.turnedAway;
    if (v.turnedAway) {
      ui.turnBackSign.textContent = v.turnBack;
      const saved = sessionStorage.getItem(draftKey());
      if (saved !== null && ui.turnedAwayNotes.value === '') ui.turnedAwayNotes.value = saved;
    }
    for (const node of [ui.readyButton, ui.advanceButton, ui.pauseButton, ui.pauseReason]) {
      node.hidden = v.paused;
    }
    ui.resumeButton.hidden = !v.paused;
    // While the set's facilitator keeps time, moving on, more time, resuming and stopping are
    // theirs; anyone may pause.
    for (const node of [ui.advanceButton, ui.extendButton, ui.resumeButton, ui.stopButton]) {
      if (!v.mayKeepTime) node.hidden = true;
    }
    if (!v.mayKeepTime) ui.stopConfirm.hidden = true;

    ui.questionList.replaceChildren(...(v.questions.length
      ? v.questions.map((q) => el('li', {}, q.text, el('span', { class: 'hint' }, q.by)))
      : [el('li', { class: 'hint' }, 'No questions yet.')]));
    ui.questionForm.hidden = !v.mayAsk;
    ui.takeawayList.replaceChildren(...v.takeaways.map((t) => el('li', {}, t.by, t.text)));
    ui.takeawayForm.hidden = !v.mayTakeAway;
    tick();
  }

  // After each redraw the focus goes where the action's result is, never to the page.
  function settleFocus() {
    focus.settle();
    rescueFocus();
  }

  function tick() {
    if (!state) return;
    const { text, label } = consult.countdown(state, consult.remainingMs(state,
                                                                         performance.now() - receivedAt));
    ui.countdown.textContent = text;
    ui.countdown.setAttribute('aria-label', label);
  }

  function take(next) {
    const previous = state;
    state = consult.runOf(next);
    receivedAt = performance.now();
    render();
    settleFocus();
    const words = consult.announcement(state, me(), said);
    if (words && !mine && links.notify) links.notify(consult.noticeOf(state, previous, nameOf), words);
    else if (words && !mine) room.announce?.(words);
    else if (words) room.announce?.(words);
    if (words) mine = false;
  }

  conn.on('welcome', (welcome) => {
    take(welcome.room?.consult ?? null);
    fillPresenters();
  });
  conn.on('consultState', (next) => take(next));
  conn.on('questionAdded', (q) => {
    const next = consult.withQuestion(state, q);
    if (next) {
      state = next;
      render();
    }
    room.announce?.(`${nameOf(q.author)} asked: ${q.text}`);
  });
  conn.on('presence', () => {
    fillPresenters();
    describeScript();
    if (state) render();
  });

  const timer = setInterval(tick, TICK_MS);
  loadScripts();
  render();

  return {
    state: () => state,
    stop: () => clearInterval(timer),
  };
}
