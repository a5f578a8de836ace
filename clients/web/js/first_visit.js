// "How this room works": on a person's first visit the room explains itself in a few lines, in
// the guide's words (shared purpose, the 40 per cent reflection rule, consulting to each
// other, the learning log). It can be hidden, this browser remembers that, and the room bar's
// "How this room works" button brings it back.
//
// The words are here, as the view; whether it was hidden is a preference (storage.js).

import { byId, el } from './dom.js';
import * as storage from './storage.js';

const SEEN = 'room.howItWorksHidden';

/** The explanation's points: [lead, text]. */
export const POINTS = Object.freeze([
  ['Shared purpose.',
   'Write down together what you want your work to achieve and the principles that guide ' +
   'how you get there. You all edit the same text, and agree a version when it says what you ' +
   'mean.'],
  ['The 40 per cent reflection rule.',
   '“One of our pairs set themselves a rule that for every meeting, they will spend at least ' +
   '40 per cent of their time together in reflection and learning about their relationship, ' +
   'how they are working and what they are learning about their local system.” Start a meeting and switch between the ' +
   'task and reflection: the bar at the top shows the time left and how much went to ' +
   'reflection.'],
  ['Consulting to each other.',
   'Take turns to bring something you are working on. The others ask questions and offer ' +
   'ideas, in short timed steps.'],
  ['The learning log.',
   'Capture that learning: write it down. What you write is there for everyone in the room, ' +
   'and goes in the learning record.'],
  ['Everything is shared.',
   'Anyone can start, switch or end. Nobody outranks anybody here.'],
]);

/** Mounts the explanation in #first-visit and its button in the room bar. */
export function mountFirstVisit() {
  const card = byId('first-visit');
  const toggle = byId('how-it-works');
  const hide = el('button', { type: 'button', class: 'button primary', id: 'first-visit-hide' },
                  'Got it, hide this');
  const heading = el('h2', { id: 'first-visit-title', tabindex: '-1' }, 'How this room works');
  card.replaceChildren(
    heading,
    el('ul', { class: 'first-visit-points' },
       ...POINTS.map(([lead, text]) => el('li', {}, el('strong', {}, lead), ' ', text))),
    el('div', { class: 'actions' }, hide,
       el('p', { class: 'hint' }, 'You can open this again with “How this room works” at the top.')),
  );

  function set(open) {
    card.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  }

  hide.addEventListener('click', () => {
    storage.setPreference(SEEN, 'true');
    set(false);
    toggle.focus();
  });
  toggle.addEventListener('click', () => {
    const open = card.hidden;
    set(open);
    if (open) {
      heading.focus({ preventScroll: true });
      card.scrollIntoView({ block: 'nearest' });
    } else {
      storage.setPreference(SEEN, 'true');
    }
  });
  set(storage.preference(SEEN) !== 'true');
}
