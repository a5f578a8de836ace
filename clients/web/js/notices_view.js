// The notices' elements: a short list under a heading, each notice with its time and a
// button to dismiss it, and the setting for the gentle sound. Not a pop-up: the list sits in
// the page's flow, so it covers nothing, and it wraps at any width. No handlers: notices.js
// wires them.

import { button, el } from './dom.js';

/** Builds the section; returns its parts by name. */
export function buildNotices() {
  const title = el('h2', { id: 'notices-title', class: 'notices-title' }, 'What others did');
  const list = el('ul', { id: 'notices-list', class: 'notices-list' });
  const clearButton = button('notices-clear', 'Dismiss all', { class: 'button small' });
  const sound = el('input', { type: 'checkbox', id: 'notices-sound' });
  const section = el(
    'section',
    { id: 'notices', class: 'notices', 'aria-labelledby': 'notices-title' },
    el('div', { class: 'notices-head' }, title,
       el('span', { class: 'check notices-sound' }, sound, ' ',
          el('label', { for: 'notices-sound' },
             'Play a gentle sound for each notice (on this device)')),
       clearButton),
    list,
    el('p', { id: 'notices-empty', class: 'hint notices-empty' },
       'Nothing yet. You will see here when someone joins or leaves, proposes or agrees a ' +
       'text, or moves the meeting or consult on.'),
  );
  return { section, title, list, clearButton, sound };
}

/** One notice: its words, when, and a dismiss button described by the notice's words. */
export function noticeItem(item, when) {
  const textId = `notice-text-${item.id}`;
  return el('li', { class: 'notice-item', 'data-notice-id': item.id },
            el('span', { class: 'notice-text', id: textId }, item.text),
            ' ',
            el('span', { class: 'hint notice-time' }, when),
            el('button', { type: 'button', class: 'button small notice-dismiss',
                           'aria-describedby': textId, 'data-dismiss': item.id },
               'Dismiss'));
}
