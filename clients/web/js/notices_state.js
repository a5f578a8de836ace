// What others did, kept as a short list of notices: a partner proposed or agreed a version,
// a phase or the meeting's mode changed, someone joined or left. While the tab is hidden the
// notices are counted, and the page title says how many ("(2) Room — Colead"). Pure: no DOM,
// no clock of its own; tested in tests/web/notices_state.test.mjs.

/** How many notices stay on show; the oldest goes when another comes. */
export const MAX_SHOWN = 4;

/** The preference (storage.js) that turns the gentle sound on; off unless a person turns it on. */
export const SOUND_PREFERENCE = 'notices.sound';

/** A fresh list: nothing shown, the tab visible. */
export function createNotices() {
  return { items: [], nextId: 1, unseen: 0, hidden: false };
}

/**
 * Adds a notice of `text` at `atMs` (wall-clock ms) and returns it ({ id, text, atMs }), or
 * null for empty text. A notice that repeats the newest one is not added twice.
 */
export function add(model, text, atMs) {
  const words = String(text ?? '').trim();
  if (!words) return null;
  const newest = model.items[model.items.length - 1];
  if (newest && newest.text === words) return null;
  const item = { id: model.nextId++, text: words, atMs };
  model.items = [...model.items, item].slice(-MAX_SHOWN);
  if (model.hidden) model.unseen += 1;
  return item;
}

/** Removes the notice `id`; returns true when it was there. */
export function dismiss(model, id) {
  const before = model.items.length;
  model.items = model.items.filter((item) => item.id !== id);
  return model.items.length !== before;
}

/** Removes every notice. */
export function clear(model) {
  model.items = [];
}

/** The tab was hidden or shown again; shown again, nothing is unseen any more. */
export function setHidden(model, hidden) {
  model.hidden = hidden;
  if (!hidden) model.unseen = 0;
}

/** The page title without a count: "(2) Room — Colead" gives "Room — Colead". */
export function baseTitle(title) {
  return String(title ?? '').replace(/^\(\d+\) /, '');
}

/** The page title for `unseen` notices: "(2) Room — Colead", or the title itself for none. */
export function pageTitle(title, unseen) {
  const base = baseTitle(title);
  return unseen > 0 ? `(${unseen}) ${base}` : base;
}

/** The heading's words, with how many notices are on show. */
export function heading(model) {
  const n = model.items.length;
  return n === 0 ? 'What others did' : `What others did (${n})`;
}
