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

import { RequestError } from './connection.js';
import { byId, el } from './dom.js';

const TICK_MS = 250;

function formatDuration(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

function spokenDuration(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  if (minutes === 0) return `${seconds} seconds`;
  return seconds === 0 ? `${minutes} minutes` : `${minutes} minutes ${seconds} seconds`;
}

function errorText(error) {
  if (error instanceof RequestError) return error.message;
  return 'Something went wrong; try again.';
}

/** Mounts the consult panel. Returns { state() } for other panels (the learning log). */
export function mountConsult(room) {
  const panel = byId('panel-consult');
  const conn = room.connection;
  let scripts = [];
  let state = null; // the latest ConsultState
  let receivedAt = 0; // performance.now() when it arrived
  let lastAnnounced = '';
  let timer = 0;

  // ---- the DOM -------------------------------------------------------------------------
  const status = el('p', { id: 'consult-status', class: 'consult-status' });
  const message = el('p', { id: 'consult-message', class: 'field-error', role: 'alert',
                            hidden: true });

  const scriptSelect = el('select', { id: 'consult-script', required: true });
  const presenterSelect = el('select', { id: 'consult-presenter', required: true });
  const whenReady = el('input', { type: 'checkbox', id: 'consult-when-ready', checked: true });
  const scriptInfo = el('p', { id: 'consult-script-info', class: 'hint' });
  const startForm = el(
    'form',
    { id: 'consult-start', class: 'consult-start' },
    el('h3', {}, 'Start a consult'),
    el('label', { for: 'consult-script' }, 'Structure'),
    scriptSelect,
    scriptInfo,
    el('label', { for: 'consult-presenter' }, 'Who presents first (brings a dilemma)'),
    presenterSelect,
    el(
      'p',
      {},
      whenReady,
      ' ',
      el('label', { for: 'consult-when-ready' }, 'Move on when everyone is ready'),
    ),
    el('button', { type: 'submit', class: 'button primary', id: 'consult-start-button' }, 'Start'),
  );

  const heading = el('h3', { id: 'consult-heading' });
  const roundLine = el('p', { id: 'consult-round' });
  const phaseTitle = el('p', { id: 'consult-phase', class: 'consult-phase' });
  const countdown = el('p', { id: 'consult-countdown', class: 'consult-countdown', role: 'timer',
                              'aria-live': 'off' });
  const myRole = el('p', { id: 'consult-my-role', class: 'consult-my-role' });
  const prompt = el('p', { id: 'consult-prompt', class: 'consult-prompt' });
  const rule = el('p', { id: 'consult-rule', class: 'hint' });
  const phases = el('ol', { id: 'consult-phases', class: 'consult-phases' });
  const roles = el('ul', { id: 'consult-roles', class: 'consult-roles' });
  const readyLine = el('p', { id: 'consult-ready-line' });

  const readyButton = el('button', { type: 'button', class: 'button primary', id: 'consult-ready', 'aria-pressed': 'false' },
                         'I am ready to move on');
  const advanceButton = el('button', { type: 'button', class: 'button', id: 'consult-advance' }, 'Move on now');
  const extendButton = el('button', { type: 'button', class: 'button', id: 'consult-extend' }, '2 more minutes');
  const pauseReason = el('input', { type: 'text', id: 'consult-pause-reason', maxlength: 4000,
                                    placeholder: 'What do we want to look at? (optional)' });
  const pauseButton = el('button', { type: 'button', class: 'button', id: 'consult-pause' }, 'Pause the round');
  const resumeButton = el('button', { type: 'button', class: 'button', id: 'consult-resume' }, 'Resume the round');
  const stopButton = el('button', { type: 'button', class: 'button', id: 'consult-stop' }, 'Stop the consult');
  const controls = el(
    'div',
    { id: 'consult-controls', class: 'consult-controls' },
    el('div', { class: 'button-row' }, readyButton, advanceButton, extendButton),
    el('label', { for: 'consult-pause-reason' }, 'Stop the set to look at how we are working'),
    el('div', { class: 'button-row' }, pauseReason, pauseButton, resumeButton),
    el('div', { class: 'button-row' }, stopButton),
  );

  const turnedAwayNotes = el('textarea', { id: 'consult-private-notes', rows: 6,
                                           'aria-describedby': 'consult-turned-away-sign' });
  const turnBackSign = el('p', { id: 'consult-turned-away-sign', class: 'consult-turn-back' });
  const turnedAway = el(
    'section',
    { id: 'consult-turned-away', class: 'consult-turned-away', 'aria-labelledby':
      'consult-turned-away-title', hidden: true },
    el('h3', { id: 'consult-turned-away-title' }, 'You have turned away: listen'),
    turnBackSign,
    el('label', { for: 'consult-private-notes' }, 'Private notes (only you see them)'),
    turnedAwayNotes,
    el('div', { class: 'button-row' },
       el('button', { type: 'button', class: 'button', id: 'consult-private-save' },
          'Keep in my learning log (only I see it)'),
       el('span', { id: 'consult-private-saved', class: 'hint', role: 'status' })),
  );
  const privateSave = turnedAway.querySelector('#consult-private-save');
  const privateSaved = turnedAway.querySelector('#consult-private-saved');

  const questionList = el('ol', { id: 'consult-questions', class: 'consult-questions' });
  const questionText = el('textarea', { id: 'consult-question-text', rows: 2, maxlength: 1000 });
  const questionForm = el(
    'form',
    { id: 'consult-ask', class: 'consult-ask' },
    el('label', { for: 'consult-question-text' }, 'Ask a question'),
    questionText,
    el('button', { type: 'submit', class: 'button primary', id: 'consult-ask-button' }, 'Ask'),
  );

  const takeawayList = el('ul', { id: 'consult-takeaways', class: 'consult-takeaways' });
  const takeawayText = el('textarea', { id: 'consult-takeaway-text', rows: 3, maxlength: 4000 });
  const takeawayForm = el(
    'form',
    { id: 'consult-takeaway', class: 'consult-takeaway', hidden: true },
    el('label', { for: 'consult-takeaway-text' }, 'Your takeaway from your round'),
    takeawayText,
    el('button', { type: 'submit', class: 'button primary', id: 'consult-takeaway-button' }, 'Record takeaway'),
  );

  const run = el(
    'div',
    { id: 'consult-run', hidden: true },
    heading, roundLine, phaseTitle, countdown, myRole, prompt, rule, turnedAway, controls,
    el('h4', {}, 'Roles now'), roles, readyLine,
    el('h4', {}, 'Phases'), phases,
    el('h4', {}, 'Questions asked'), questionList, questionForm,
    el('h4', { id: 'consult-takeaways-title' }, 'Takeaways'), takeawayList, takeawayForm,
  );
  panel.append(status, message, startForm, run);
  panel.hidden = false;

  // ---- helpers -------------------------------------------------------------------------
  const me = () => conn.memberId;
  const nameOf = (id) => (id === me() ? 'you' : room.members?.nameOf?.(id) || 'someone');
  const roleOf = (id) => (state?.roles ?? []).find((r) => r.memberId === id);

  function setMessage(text) {
    message.textContent = text || '';
    message.hidden = !text;
  }

  async function send(body) {
    setMessage('');
    try {
      await conn.request('consult', body);
      return true;
    } catch (error) {
      setMessage(errorText(error));
      return false;
    }
  }

  function remainingMs() {
    if (!state) return 0;
    const remaining = Number(state.phaseRemainingMs ?? 0);
    if (state.paused || !state.active) return remaining;
    const scale = Number(state.timeScale ?? 1) || 1;
    return Math.max(0, remaining - (performance.now() - receivedAt) * scale);
  }

  // ---- start form ------------------------------------------------------------------------
  async function loadScripts() {
    try {
      const response = await fetch('/api/scripts', { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(String(response.status));
      scripts = (await response.json()).scripts ?? [];
    } catch {
      scripts = [];
      setMessage('The consulting structures could not be loaded; reload the page to try again.');
    }
    scriptSelect.replaceChildren(
      ...scripts.map((s) => el('option', { value: s.id }, `${s.name} (${s.minMembers}–${s.maxMembers} people)`)),
    );
    describeScript();
  }

  function describeScript() {
    const script = scripts.find((s) => s.id === scriptSelect.value);
    if (!script) {
      scriptInfo.textContent = '';
      return;
    }
    const minutes = (script.phases ?? []).reduce((sum, p) => sum + Number(p.minutes ?? 0), 0);
    const titles = (script.phases ?? []).map((p) => `${p.title} (${p.minutes} min)`).join(', ');
    scriptInfo.textContent = `${script.description ?? ''} Each round: ${titles} — ${minutes} minutes.`;
  }

  function fillPresenters() {
    const chosen = presenterSelect.value;
    const members = room.members?.all?.() ?? [];
    presenterSelect.replaceChildren(
      ...members.map((m) => el('option', { value: m.memberId },
                               m.memberId === me() ? `${m.name} (you)` : m.name)),
    );
    if (members.some((m) => m.memberId === chosen)) presenterSelect.value = chosen;
    else if (me()) presenterSelect.value = me();
  }

  scriptSelect.addEventListener('change', describeScript);
  startForm.addEventListener('focusin', fillPresenters);
  startForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    await send({ start: { scriptId: scriptSelect.value, presenter: presenterSelect.value,
                          advanceWhenReady: whenReady.checked } });
  });

  // ---- run controls ----------------------------------------------------------------------
  readyButton.addEventListener('click', () => send({ ready: {} }));
  advanceButton.addEventListener('click', () => send({ advance: {} }));
  extendButton.addEventListener('click', () => send({ extend: { minutes: 2 } }));
  pauseButton.addEventListener('click', async () => {
    if (await send({ pause: { reason: pauseReason.value } })) pauseReason.value = '';
  });
  resumeButton.addEventListener('click', () => send({ resume: {} }));
  stopButton.addEventListener('click', () => send({ stop: {} }));

  questionForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = questionText.value.trim();
    if (!text) return;
    setMessage('');
    try {
      await conn.request('question', { text });
      questionText.value = '';
    } catch (error) {
      setMessage(errorText(error));
    }
  });

  takeawayForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = takeawayText.value.trim();
    if (!text) return;
    setMessage('');
    try {
      await conn.request('note', { text, category: 'OTHER', takeaway: true });
      takeawayText.value = '';
    } catch (error) {
      setMessage(errorText(error));
    }
  });

  // Private notes are a draft in this tab until kept: then they are a personal note of the
  // learning log, stored on the server and shown to their author alone.
  const draftKey = () => `colead.consult.notes.${state?.consultId}`;
  privateSave.addEventListener('click', async () => {
    const text = turnedAwayNotes.value.trim();
    if (!text) return turnedAwayNotes.focus();
    setMessage('');
    privateSaved.textContent = '';
    try {
      await conn.request('note', { text, category: 'OTHER', personal: true });
      turnedAwayNotes.value = '';
      try {
        sessionStorage.removeItem(draftKey());
      } catch { /* storage disabled: nothing was kept there */ }
      privateSaved.textContent = 'Kept in your learning log, where only you can see it.';
    } catch (error) {
      setMessage(errorText(error));
    }
  });
  turnedAwayNotes.addEventListener('input', () => {
    privateSaved.textContent = '';
    if (state?.consultId) {
      try {
        sessionStorage.setItem(draftKey(), turnedAwayNotes.value);
      } catch { /* storage full or disabled: the text stays on the page */ }
    }
  });

  // ---- rendering -------------------------------------------------------------------------
  function render() {
    const active = state?.active === true;
    const hasRun = Boolean(state?.consultId);
    startForm.hidden = active;
    run.hidden = !hasRun;
    if (!hasRun) {
      status.textContent = 'No consult yet. Start one below when you are ready.';
      return;
    }
    const phaseList = state.phases ?? [];
    const index = Number(state.phaseIndex ?? 0);
    const phase = phaseList[index] ?? {};
    const mine = roleOf(me());
    const presenting = state.presenter === me();
    const iAmTurnedAway = active && !state.paused && mine?.turnedAway === true;

    heading.textContent = state.scriptName || 'Consult';
    const round = Number(state.round ?? 0);
    const rounds = Number(state.roundCount ?? 0);
    roundLine.textContent = `Round ${round} of ${rounds}: ${presenting ? 'you present' : `${nameOf(state.presenter)} presents`}.`;
    if (state.status === 'finished') status.textContent = 'The consult has finished: every member presented.';
    else if (state.status === 'stopped' && state.stoppedReason) status.textContent = `The consult stopped: ${state.stoppedReason}.`;
    else if (state.status === 'stopped') status.textContent = `The consult was stopped by ${nameOf(state.changedBy)}.`;
    else if (state.paused) status.textContent = `The round is paused by ${nameOf(state.pausedBy)}: the clock has stopped.`;
    else status.textContent = `Consult running: ${state.scriptName}.`;

    phaseTitle.textContent = active
      ? `Phase ${index + 1} of ${phaseList.length}: ${phase.title ?? ''}`
      : `Ended in: ${phase.title ?? ''}`;
    myRole.textContent = mine ? `Your role: ${mine.roleName}` : 'You are not taking part in this consult.';
    prompt.textContent = active && mine?.prompt ? mine.prompt : '';
    prompt.hidden = !prompt.textContent;
    rule.textContent = active && state.phaseRule ? `This phase: ${state.phaseRule}.` : '';

    phases.replaceChildren(...phaseList.map((p, i) => el(
      'li', { 'aria-current': active && i === index ? 'step' : false,
              class: active && i === index ? 'current' : '' },
      `${p.title} — ${p.minutes} min${p.reflection ? ' (reflection)' : ''}${p.presenterTurnedAway ? ', the presenter turns away' : ''}`)));

    const ready = new Set(state.ready ?? []);
    roles.replaceChildren(...(state.roles ?? []).map((r) => el(
      'li', { 'data-member': r.memberId },
      `${room.members?.nameOf?.(r.memberId) || 'Someone'}${r.memberId === me() ? ' (you)' : ''}: ${r.roleName}`,
      r.turnedAway ? ' — turned away, listening' : '',
      r.speaks && active ? ' — speaking' : '',
      ready.has(r.memberId) ? ' — ready' : '',
      r.present ? '' : ' — offline')));
    const waiting = (state.waitingFor ?? []).map(nameOf);
    readyLine.textContent = !active ? ''
      : state.advanceWhenReady
        ? (waiting.length ? `Moves on when everyone is ready; waiting for ${waiting.join(', ')}.` : 'Everyone is ready.')
        : `${ready.size} ready; the phase moves on when its time ends.`;

    const iAmReady = ready.has(me());
    readyButton.setAttribute('aria-pressed', iAmReady ? 'true' : 'false');
    readyButton.textContent = iAmReady ? 'Ready (press to take it back)' : 'I am ready to move on';

    // Turned away: the controls go; a private notes pane and a sign of when I turn back.
    controls.hidden = !active || iAmTurnedAway || !mine;
    turnedAway.hidden = !iAmTurnedAway;
    if (iAmTurnedAway) {
      const next = phaseList.slice(index + 1).find((p) => !p.presenterTurnedAway);
      turnBackSign.textContent = next
        ? `You turn back for “${next.title}”, when this phase ends.`
        : 'You turn back when this phase ends.';
      const saved = sessionStorage.getItem(draftKey());
      if (saved !== null && turnedAwayNotes.value === '') turnedAwayNotes.value = saved;
    }
    readyButton.hidden = state.paused === true;
    advanceButton.hidden = state.paused === true;
    pauseButton.hidden = state.paused === true;
    pauseReason.hidden = state.paused === true;
    resumeButton.hidden = state.paused !== true;

    questionList.replaceChildren(...(state.questions ?? []).map((q) => el(
      'li', {}, q.text, el('span', { class: 'hint' }, ` — ${nameOf(q.author)}, ${q.phase}`))));
    if (!(state.questions ?? []).length) questionList.replaceChildren(el('li', { class: 'hint' }, 'No questions yet.'));
    questionForm.hidden = !(active && !state.paused && mine?.mayAskQuestions);

    takeawayList.replaceChildren(...(state.takeaways ?? []).map((t) => el(
      'li', {}, `${room.members?.nameOf?.(t.memberId) || 'Someone'} (round ${t.round}): `, t.text)));
    const lastPhase = index === phaseList.length - 1;
    const presentedAlready = (state.roles ?? []).length > 0 && round > 0;
    takeawayForm.hidden = !(presentedAlready && ((presenting && lastPhase && active) ||
                                                 (!active && state.status === 'finished')));
    tick();
  }

  function tick() {
    if (!state?.consultId) return;
    const ms = remainingMs();
    countdown.textContent = state.active
      ? `${formatDuration(ms)} left in this phase${state.paused ? ' (paused)' : ''}`
      : '';
    countdown.setAttribute('aria-label', state.active ? `${spokenDuration(ms)} left in this phase` : '');
  }

  function announce() {
    if (!state?.consultId) return;
    const phase = (state.phases ?? [])[Number(state.phaseIndex ?? 0)];
    const key = `${state.status}|${state.round}|${state.phaseIndex}|${state.paused}`;
    if (key === lastAnnounced) return;
    lastAnnounced = key;
    if (!state.active) room.announce?.(`The consult has ${state.status === 'finished' ? 'finished' : 'stopped'}.`);
    else if (state.paused) room.announce?.('The round is paused.');
    else if (phase) {
      const mine = roleOf(me());
      room.announce?.(`Now: ${phase.title}.${mine?.prompt ? ` ${mine.prompt}` : ''}`);
    }
  }

  function take(next) {
    state = next && next.consultId ? next : null;
    receivedAt = performance.now();
    render();
    announce();
  }

  conn.on('welcome', (welcome) => {
    take(welcome.room?.consult ?? null);
    fillPresenters();
  });
  conn.on('consultState', (next) => take(next));
  conn.on('questionAdded', (q) => {
    if (state && q.consultId === state.consultId && !(state.questions ?? []).some((x) => x.id === q.id)) {
      state.questions = [...(state.questions ?? []), q];
      render();
    }
    room.announce?.(`${nameOf(q.author)} asked: ${q.text}`);
  });
  conn.on('presence', () => {
    fillPresenters();
    if (state) render();
  });

  timer = setInterval(tick, TICK_MS);
  loadScripts();
  render();

  return {
    state: () => state,
    stop: () => clearInterval(timer),
  };
}
