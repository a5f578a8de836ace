// The consult panel's elements, built once: the start form and the run (phase, countdown,
// role and prompt, controls, the turned-away pane, questions and takeaways). No handlers and
// no state: consult.js wires and fills them.

import { button, buttonWithStatus, el } from './dom.js';

/** Builds the panel's parts; returns them by name. */
export function buildConsultPanel() {

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
    el('label', { for: 'consult-presenter' }, 'Who presents first (brings a dilemma to talk through)'),
    presenterSelect,
    el(
      'p',
      {},
      whenReady,
      ' ',
      el('label', { for: 'consult-when-ready' },
         'Move on as soon as everyone is ready (otherwise each phase runs its full time)'),
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
  const timeKeeper = el('p', { id: 'consult-time-keeper', class: 'hint', hidden: true });

  const readyButton = el('button', { type: 'button', class: 'button primary', id: 'consult-ready', 'aria-pressed': 'false' },
                         'I am ready to move on');
  const advanceButton = button('consult-advance', 'Move on now');
  const extendButton = button('consult-extend', '2 more minutes');
  const pauseReason = el('input', { type: 'text', id: 'consult-pause-reason', maxlength: 4000,
                                    placeholder: 'What do we want to look at? (optional)' });
  const pauseButton = button('consult-pause', 'Pause the round');
  const resumeButton = button('consult-resume', 'Resume the round');
  const stopButton = button('consult-stop', 'Stop the consult for everyone');
  // Stopping ends the run for everyone, so it asks first, in the page: a question and two
  // buttons, reached by keyboard and read by screen readers like the rest of the panel.
  const stopText = el('p', { id: 'consult-stop-text' });
  const stopYes = button('consult-stop-yes', 'Yes, stop it for everyone', { class: 'button primary' });
  const stopNo = button('consult-stop-no', 'No, keep going');
  const stopConfirm = el('div', { id: 'consult-stop-confirm', class: 'notice important stack',
                                  role: 'group', 'aria-labelledby': 'consult-stop-text',
                                  hidden: true },
                         stopText, el('div', { class: 'button-row' }, stopYes, stopNo));
  const controls = el(
    'div',
    { id: 'consult-controls', class: 'consult-controls' },
    el('div', { class: 'button-row' }, readyButton, advanceButton, extendButton),
    el('label', { for: 'consult-pause-reason' }, 'Pause to look at how we are working together'),
    el('div', { class: 'button-row' }, pauseReason, pauseButton, resumeButton),
    el('div', { class: 'button-row' }, stopButton),
    stopConfirm,
  );

  const awayReady = el('button', { type: 'button', class: 'button', id: 'consult-away-ready',
                                   'aria-pressed': 'false' }, 'I am ready to turn back');
  const turnedAwayNotes = el('textarea', { id: 'consult-private-notes', rows: 6,
                                           'aria-describedby': 'consult-turned-away-sign' });
  const turnBackSign = el('p', { id: 'consult-turned-away-sign', class: 'consult-turn-back' });
  const turnedAway = el(
    'section',
    { id: 'consult-turned-away', class: 'consult-turned-away', 'aria-labelledby':
      'consult-turned-away-title', hidden: true },
    el('h3', { id: 'consult-turned-away-title' }, 'You have turned away: listen without speaking'),
    turnBackSign,
    el('p', { class: 'button-row' }, awayReady),
    el('label', { for: 'consult-private-notes' }, 'Private notes (only you see them)'),
    turnedAwayNotes,
    buttonWithStatus('button-row',
                     button('consult-private-save', 'Keep in my learning log (only I see it)'),
                     'consult-private-saved'),
  );
  const privateSave = turnedAway.querySelector('#consult-private-save');
  const privateSaved = turnedAway.querySelector('#consult-private-saved');

  const questionList = el('ol', { id: 'consult-questions', class: 'consult-questions' });
  const questionText = el('textarea', { id: 'consult-question-text', rows: 2, maxlength: 1000,
                                        'aria-describedby': 'consult-question-hint' });
  const questionForm = el(
    'form',
    { id: 'consult-ask', class: 'consult-ask' },
    el('label', { for: 'consult-question-text' }, 'Ask a question'),
    el('p', { class: 'hint', id: 'consult-question-hint' },
       'Press Enter to ask. Shift and Enter starts a new line.'),
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
    el('button', { type: 'submit', class: 'button primary', id: 'consult-takeaway-button' }, 'Save my takeaway'),
  );

  const run = el(
    'div',
    { id: 'consult-run', hidden: true },
    heading, roundLine, phaseTitle, countdown, myRole, prompt, rule, timeKeeper, turnedAway,
    controls,
    el('h4', {}, 'Roles now'), roles, readyLine,
    el('h4', {}, 'Phases'), phases,
    el('h4', {}, 'Questions asked'), questionList, questionForm,
    el('h4', { id: 'consult-takeaways-title' }, 'Takeaways'), takeawayList, takeawayForm,
  );
  return {
    status, message, scriptSelect, presenterSelect, whenReady, scriptInfo, startForm, heading,
    roundLine, phaseTitle, countdown, myRole, prompt, rule, timeKeeper, phases, roles, readyLine,
    readyButton,
    advanceButton, extendButton, pauseReason, pauseButton, resumeButton, stopButton, stopText,
    stopYes, stopNo, stopConfirm, awayReady, controls,
    turnedAwayNotes, turnBackSign, turnedAway, privateSave, privateSaved, questionList,
    questionText, questionForm, takeawayList, takeawayText, takeawayForm, run,
  };
}
