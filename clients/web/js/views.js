// The parts of the room as a person moves between them (views_state.js says which there are).
// A navigation landmark lists them. On a narrow screen (a phone, or a wide one zoomed in) one
// part shows at a time and the others step aside; on a wide screen every part shows and the
// navigation jumps to each. Either way, going to a part puts the focus on its heading, so a
// screen reader says where the person is and Tab goes on from there.
//
// This file is view and mount in one: the navigation's links are built here and wired to the
// panels of room.html. `links.activity()` says where something is happening now.

import { byId, el } from './dom.js';
import * as model from './views_state.js';

const NARROW = '(max-width: 51.99rem)';

function remembered(roomId) {
  try {
    return sessionStorage.getItem(`colead.view.${roomId}`);
  } catch {
    return null;
  }
}

function remember(roomId, key) {
  try {
    sessionStorage.setItem(`colead.view.${roomId}`, key);
  } catch { /* storage refused: the part shown is forgotten on reload */ }
}

/**
 * Mounts the navigation in #room-views. Returns { show(key, { focus }), markActivity(key) }:
 * show() brings a part forward (and its heading into focus when asked); markActivity() marks
 * the part where something is happening now.
 */
export function mountViews(room, links = {}) {
  const nav = byId('room-views');
  const layout = byId('room');
  const narrow = globalThis.matchMedia?.(NARROW);
  let current = null;
  let activity = null;

  const items = model.VIEWS.map((view) => {
    const now = el('span', { class: 'view-now' });
    const link = el('a', { href: `#${view.main}`, class: 'view-link', 'data-view': view.key },
                    el('span', { class: 'view-words' }, view.words), now);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      show(view.key, { focus: true });
    });
    return { view, link, now };
  });
  nav.querySelector('ul').replaceChildren(...items.map(({ link }) => el('li', {}, link)));

  function show(key, { focus = false } = {}) {
    if (!model.isView(key)) return;
    current = key;
    remember(room.id, key);
    const view = model.VIEWS.find((v) => v.key === key);
    for (const { view: other, link } of items) {
      const here = other.key === key;
      if (here) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
      for (const id of other.panels) byId(id).classList.toggle('is-away', !here);
    }
    layout.dataset.view = key;
    if (!focus) return;
    const panel = byId(view.main);
    const heading = panel.querySelector('h2');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
    // On a wide screen every part shows: bring this one into view below the room bar.
    const reduce = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)')?.matches;
    panel.scrollIntoView({ block: 'start', behavior: reduce || narrow?.matches ? 'auto' : 'smooth' });
  }

  function markActivity(key) {
    if (key === activity) return;
    activity = key;
    for (const { view, now } of items) {
      const { now: words } = model.navWords(view.key, activity);
      now.textContent = words ? ` (${words})` : '';
    }
  }

  // Headings brought into view, and whatever Tab moves the focus to, land below the room bar,
  // however tall it is now.
  const top = byId('room-top');
  const measure = () => document.documentElement.style.setProperty(
      'scroll-padding-top', `${Math.ceil(top.getBoundingClientRect().height)}px`);
  if (globalThis.ResizeObserver) new ResizeObserver(measure).observe(top);

  // The focus never sits in a part that has stepped aside: focusing a control in another part
  // brings that part forward, and so does a window that narrows while the focus is in a part.
  const partOf = (node) => items.find(({ view }) => view.panels.some(
      (id) => byId(id).contains(node)))?.view.key;
  layout.addEventListener('focusin', (event) => {
    const key = partOf(event.target);
    if (key && key !== current) show(key);
  });
  narrow?.addEventListener?.('change', () => {
    const key = partOf(document.activeElement);
    if (key && key !== current) show(key);
  });

  room.connection.on('welcome', () => {
    markActivity(links.activity?.() ?? null);
    if (!current) show(model.firstView(remembered(room.id), activity));
  });

  return { show, markActivity };
}
