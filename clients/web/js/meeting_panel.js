// The meeting panel's elements, built once: the start form, the running meeting (timer,
// controls, end form, prompts), the options, the record of past meetings and the room's
// settings. No handlers and no state: meeting.js wires them, meeting_record.js fills the
// summary and the chart.

import { button, buttonWithStatus, el } from './dom.js';
import { DEFAULT_TARGET_PCT, MAX_TARGET_PCT, MIN_TARGET_PCT } from './reflection_rule.js';

// The reflection target's field bounds and default (reflection_rule.js).
const TARGET = { min: MIN_TARGET_PCT, max: MAX_TARGET_PCT, value: DEFAULT_TARGET_PCT };

function numberField(id, label, { min, max, value }) {
  return el('div', { class: 'field' },
            el('label', { for: id }, label),
            el('input', { type: 'number', id, min, max, value, step: 1, required: true,
                          inputmode: 'numeric' }));
}

/** Builds the panel's parts; returns them by name (see the fields of the object returned). */
export function buildMeetingPanel() {
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
    numberField('meeting-target', 'Share of the time for reflection, per cent',
                TARGET),
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
                    el('span', {}, 'Time gone ', el('strong', { id: 'meeting-elapsed' })),
                    el('span', {}, el('span', { id: 'meeting-remaining-label' }, 'Time left'), ' ',
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

  const switchButton = button('meeting-switch', 'Switch to reflection',
                              { class: 'button primary meeting-switch' });
  const pauseButton = button('meeting-pause', 'Pause');
  const endButton = button('meeting-end', 'End the meeting');
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
  const endConfirm = button('meeting-end-confirm', 'End the meeting',
                            { class: 'button primary', type: 'submit' });
  const endSkip = button('meeting-end-skip', 'End without a reason');
  const endCancel = button('meeting-end-cancel', 'Keep going');
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
  const newTarget = el('input', { type: 'number', id: 'meeting-new-target', min: TARGET.min,
                                  max: TARGET.max, step: 1, inputmode: 'numeric' });
  const newTargetButton = el('button', { type: 'button', class: 'button small',
                                         id: 'meeting-set-target' }, 'Change the target');
  const options = el('details', { class: 'meeting-options', id: 'meeting-options' },
                     el('summary', {}, 'Meeting options'),
                     el('p', { class: 'check' }, hideCount, ' ',
                        el('label', { for: 'meeting-hide-count' },
                           'Hide the timer’s figures on this device')),
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
       // On a narrow screen the table scrolls sideways in its own box, which the keyboard
       // can reach; the page itself never does.
       el('div', { class: 'table-scroll', tabindex: '0', role: 'region',
                   'aria-label': 'Past meetings, as a table' },
       el('table', { class: 'meeting-table', id: 'meeting-table' },
          el('caption', { class: 'visually-hidden' }, 'Past meetings'),
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Meeting'),
                             el('th', { scope: 'col' }, 'Ended'),
                             el('th', { scope: 'col' }, 'Task'),
                             el('th', { scope: 'col' }, 'Reflection'),
                             el('th', { scope: 'col' }, 'Share'),
                             el('th', { scope: 'col' }, 'Target'))),
          historyTable))));

  const settingsForm = el(
    'form', { id: 'meeting-settings', class: 'stack', novalidate: true },
    numberField('settings-target', 'Reflection target of new meetings, per cent',
                TARGET),
    numberField('settings-lead', 'Remind us this many minutes before reflection must start, ' +
                'and before the planned end', { min: 1, max: 30, value: 5 }),
    el('p', { class: 'check' },
       el('input', { type: 'checkbox', id: 'settings-auto-reflect' }), ' ',
       el('label', { for: 'settings-auto-reflect' },
          'Switch to reflection by itself at the latest moment that still keeps the target')),
    buttonWithStatus('actions', button('settings-save', 'Save the room’s settings',
                                       { class: 'button small', type: 'submit' }),
                     'settings-saved'),
  );
  const settingsTarget = settingsForm.querySelector('#settings-target');
  const settingsLead = settingsForm.querySelector('#settings-lead');
  const settingsAuto = settingsForm.querySelector('#settings-auto-reflect');
  const settingsSaved = settingsForm.querySelector('#settings-saved');
  const settingsBox = el('details', { class: 'meeting-settings', id: 'meeting-settings-box' },
                         el('summary', {}, 'Room settings for meetings'), settingsForm);
  return {
    status, message, startForm, titleInput, minutesInput, targetInput, endOnTimeInput,
    modeLine, counts, shareFill, shareTarget, shareLine, shareBar, timer, adviceLine, nudgeBox,
    switchButton, pauseButton, endButton, endText, reasonField, reasonInput, endConfirm, endSkip,
    endCancel, endForm, promptSection, promptText, promptPosition, promptBack, promptNext, toLog,
    prompts, hideCount, newTarget, newTargetButton, options, run, summary, chart, chartText,
    historyTable, history, settingsForm, settingsTarget, settingsLead, settingsAuto,
    settingsSaved, settingsBox,
  };
}
