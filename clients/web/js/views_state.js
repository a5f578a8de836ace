// The parts of the room a person moves between: on a phone one at a time, on a wide screen all
// at once with the navigation jumping to each. Pure: no DOM; tested in
// tests/web/views_state.test.mjs.

/**
 * Each part: its key, its words in the navigation, the panels (room.html) it shows and the one
 * whose heading takes the focus when a person goes there.
 */
export const VIEWS = Object.freeze([
  { key: 'meeting', words: 'Meeting', panels: ['panel-roles', 'panel-meeting'],
    main: 'panel-meeting' },
  { key: 'purpose', words: 'Shared purpose', panels: ['panel-documents'], main: 'panel-documents' },
  { key: 'consult', words: 'Consult', panels: ['panel-consult'], main: 'panel-consult' },
  { key: 'log', words: 'Learning log', panels: ['panel-notes', 'panel-programme'],
    main: 'panel-notes' },
  { key: 'people', words: 'Who is here', panels: ['panel-presence', 'panel-call'],
    main: 'panel-presence' },
]);

const KEYS = new Set(VIEWS.map((v) => v.key));

/** True for a key of a part of the room. */
export function isView(key) {
  return KEYS.has(key);
}

/** The part that holds a panel, or null. */
export function viewOfPanel(panelId) {
  return VIEWS.find((v) => v.panels.includes(panelId))?.key ?? null;
}

/**
 * The part shown first: the one this tab showed before (a reload), else where something is
 * happening now (a consult, a meeting), else the meeting with its three questions.
 */
export function firstView(remembered, activity) {
  if (isView(remembered)) return remembered;
  if (isView(activity)) return activity;
  return 'meeting';
}

/** The navigation's words for a part; "now" marks where something is happening. */
export function navWords(key, activity) {
  const view = VIEWS.find((v) => v.key === key);
  if (!view) return { words: '', now: '' };
  return { words: view.words, now: key === activity ? 'now' : '' };
}
