// The facilitators' overview as elements: a card for each room, the programme's reflection
// chart, the forms that speak to the rooms (a message, a call of time, a proposal to start a
// consulting structure, for every room or the chosen ones) and "You said, we did" (the items
// raised, to choose, group and answer, and the answers). The words come from
// cohort_state.js; no handlers here: cohort.js wires them.

import { button, el } from './dom.js';
import { ANSWER_MAX, GROUP_MAX, MESSAGE_MAX } from './cohort_commands.js';
import { chartGraphic } from './meeting_record.js';

function field(id, words, control, hint = null) {
  return el('div', { class: 'field' }, el('label', { for: id }, words),
            hint ? el('p', { class: 'hint', id: `${id}-hint` }, hint) : null, control);
}

/** The rooms' panel: a headline and the list of cards. */
export function buildRooms() {
  const summary = el('p', { id: 'cohort-summary' });
  const list = el('ul', { id: 'room-cards', class: 'room-cards' });
  return { parts: [summary, list], summary, list };
}

/**
 * One room's card from its facts (cohort_state.roomFacts). Its time line is kept by the
 * caller to tick. Nothing in it takes the focus.
 */
export function roomCard(roomId, f) {
  const time = el('p', { class: `room-card-time${f.over ? ' is-over' : ''}` });
  fillTime(time, f);
  return {
    time,
    node: el('li', { class: `room-card${f.atRisk ? ' is-at-risk' : ''}`, 'data-room-id': roomId,
                     'data-mode': f.mode || 'NONE' },
             el('h3', { id: `room-card-${roomId}` }, f.title),
             el('p', { class: 'room-card-people' }, f.people,
                el('span', { class: 'hint' }, ` (${f.seats})`)),
             el('p', { class: 'room-card-mode' },
                f.mark ? el('span', { class: 'room-card-mark', 'aria-hidden': 'true' },
                            `${f.mark} `)
                       : null,
                f.modeWords),
             time,
             f.share ? el('p', { class: 'room-card-share' }, f.share) : null,
             f.status ? el('p', { class: `room-card-status${f.atRisk ? ' is-at-risk' : ''}`,
                                  'data-status': f.statusKey },
                           f.atRisk ? el('span', { 'aria-hidden': 'true' }, '⚠ ') : null,
                           f.status)
                      : null,
             el('p', { class: 'room-card-consult' }, f.consult),
             f.meetings.length
               ? el('p', { class: 'hint room-card-past' },
                    `Past meetings’ reflection: ${f.meetings.join(', ')}`)
               : null,
             el('p', { class: 'hint room-card-activity' }, f.activity),
             el('p', { class: 'hint room-card-sharing' }, f.sharing)),
  };
}

/** Puts a card's time line in words (it runs on between overviews). */
export function fillTime(node, f) {
  node.hidden = !f.time;
  node.classList.toggle('is-over', f.over);
  if (node.textContent !== (f.over ? `⚠ ${f.time}` : f.time)) {
    node.textContent = f.over ? `⚠ ${f.time}` : f.time;
  }
}

/** The chart's panel parts. */
export function buildChart() {
  const chart = el('div', { id: 'cohort-chart', class: 'cohort-chart' });
  const text = el('p', { id: 'cohort-chart-text' });
  return { parts: [text, chart], chart, text };
}

/** Draws the chart of `bars` with its description. */
export function renderChart(ui, bars, description) {
  ui.chart.replaceChildren(bars.length ? chartGraphic(bars, 'cohort-chart-text') : '');
  ui.chart.hidden = bars.length === 0;
  ui.text.textContent = bars.length ? `${description} The line on each bar is the target.`
                                    : description;
}

/** The forms that speak to the rooms, and the choice of rooms they go to. */
export function buildActions() {
  const message = el('p', { id: 'act-message', class: 'field-error', role: 'alert', hidden: true });
  const everyRoom = el('input', { type: 'radio', name: 'act-rooms', id: 'act-every', value: 'every',
                                  checked: true });
  const someRooms = el('input', { type: 'radio', name: 'act-rooms', id: 'act-some',
                                  value: 'some' });
  const roomChoices = el('ul', { id: 'act-room-list', class: 'act-room-list', hidden: true });
  const roomsBox = el('fieldset', { class: 'act-rooms' },
                      el('legend', {}, 'Which rooms'),
                      el('p', { class: 'check' }, everyRoom, ' ',
                         el('label', { for: 'act-every' }, 'Every room')),
                      el('p', { class: 'check' }, someRooms, ' ',
                         el('label', { for: 'act-some' }, 'Only the rooms I choose')),
                      roomChoices);

  const text = el('textarea', { id: 'act-text', rows: 2, maxlength: MESSAGE_MAX,
                                'aria-describedby': 'act-text-hint' });
  const sendButton = el('button', { type: 'submit', class: 'button primary', id: 'act-send' },
                        'Send the message');
  const messageForm = el('form', { id: 'act-message-form', class: 'stack', novalidate: true },
                         field('act-text', 'A message to the rooms', text,
                               'Each room sees it as a message from you, the facilitator.'),
                         el('div', { class: 'actions' }, sendButton));

  const minutes = el('input', { id: 'act-minutes', type: 'number', min: 1, max: 120, value: 5,
                                inputmode: 'numeric' });
  const timeText = el('input', { id: 'act-time-text', type: 'text', maxlength: MESSAGE_MAX });
  const timeButton = el('button', { type: 'submit', class: 'button', id: 'act-call-time' },
                        'Call time');
  const timeForm = el('form', { id: 'act-time-form', class: 'stack', novalidate: true },
                      el('h3', {}, 'Call time'),
                      field('act-minutes', 'Minutes left', minutes),
                      field('act-time-text', 'Words to go with it (optional)', timeText),
                      el('div', { class: 'actions' }, timeButton));

  const script = el('select', { id: 'act-script', 'aria-describedby': 'act-script-hint' });
  const proposeButton = el('button', { type: 'submit', class: 'button', id: 'act-propose' },
                           'Propose it');
  const proposeForm = el('form', { id: 'act-propose-form', class: 'stack', novalidate: true },
                         el('h3', {}, 'Propose a consulting structure'),
                         field('act-script', 'Consulting structure', script,
                               'It starts in a room only once everyone there accepts; any of ' +
                               'them may decline it.'),
                         el('div', { class: 'actions' }, proposeButton));
  const done = el('p', { id: 'act-done', class: 'hint', role: 'status' });
  return {
    parts: [roomsBox, messageForm, timeForm, proposeForm, message, done],
    message, done, everyRoom, someRooms, roomChoices, text, sendButton, messageForm, minutes,
    timeText, timeButton, timeForm, script, proposeButton, proposeForm,
  };
}

/** A room to choose for the actions. */
export function roomChoice(roomId, title, checked) {
  const id = `act-room-${roomId}`;
  return el('li', { class: 'check' },
            el('input', { type: 'checkbox', id, value: roomId, checked }), ' ',
            el('label', { for: id }, title));
}

/** "You said, we did": the items, the forms to group and answer them, the answers. */
export function buildItems() {
  const count = el('p', { id: 'items-count' });
  const groups = el('div', { id: 'items-groups', class: 'items-groups' });
  const message = el('p', { id: 'items-message', class: 'field-error', role: 'alert',
                            hidden: true });
  const groupInput = el('input', { id: 'items-group', type: 'text', maxlength: GROUP_MAX });
  const groupForm = el('form', { id: 'items-group-form', class: 'stack', novalidate: true },
                       field('items-group', 'Group name for the chosen items', groupInput,
                             'A short label; leave it empty to ungroup them.'),
                       el('div', { class: 'actions' },
                          el('button', { type: 'submit', class: 'button',
                                         id: 'items-group-button' }, 'Group the chosen items')));
  const answerText = el('textarea', { id: 'items-answer', rows: 3, maxlength: ANSWER_MAX,
                                      'aria-describedby': 'items-answer-hint' });
  const answerForm = el('form', { id: 'items-answer-form', class: 'stack', novalidate: true },
                        field('items-answer',
                              'We did: what the programme did about the chosen items', answerText,
                              'Every room sees the answer and which items it answers.'),
                        el('div', { class: 'actions' },
                           el('button', { type: 'submit', class: 'button primary',
                                          id: 'items-answer-button' }, 'Answer the chosen items')));
  const done = el('p', { id: 'items-done', class: 'hint', role: 'status' });
  const answers = el('ol', { id: 'answers-list', class: 'answers-list', reversed: true });
  const exportMd = button('cohort-export-md',
                          'Download the programme’s learning record (Markdown)',
                          { class: 'button small' });
  const exportJson = button('cohort-export-json', 'Download as JSON', { class: 'button small' });
  return {
    parts: [count, groups, message, groupForm, answerForm, done,
            el('h3', {}, 'We did'), answers,
            el('div', { class: 'actions' }, exportMd, exportJson)],
    count, groups, message, groupInput, groupForm, answerText, answerForm, done, answers,
    exportMd, exportJson,
  };
}

/** One group of items, each with a box to choose it. */
export function itemGroup(g, chosen) {
  return el('section', { class: 'item-group', 'aria-label': g.group },
            el('h3', {}, g.group),
            el('ul', { class: 'item-list' }, ...g.items.map((item) => {
              const id = `item-choose-${item.id}`;
              return el('li', { class: 'item', 'data-item-id': item.id },
                        el('p', { class: 'check item-text' },
                           el('input', { type: 'checkbox', id, value: item.id,
                                         checked: chosen.has(item.id),
                                         'aria-describedby': `item-meta-${item.id}` }), ' ',
                           el('label', { for: id }, item.text)),
                        el('p', { class: 'hint', id: `item-meta-${item.id}` },
                           `${item.category} · ${item.from} · ${item.when}`),
                        el('p', { class: 'item-state' }, item.state));
            })));
}

/** One answer in the list. */
export function answerItem(a) {
  return el('li', { class: 'answer', 'data-answer-id': a.id },
            el('p', { class: 'answer-text' }, a.text),
            el('p', { class: 'hint' }, a.by),
            a.answers.length ? el('p', { class: 'hint' }, `It answers ${a.answers.join(', ')}.`)
                             : null);
}
