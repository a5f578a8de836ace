// The learning log's state in words: the notes as the server last sent them, which are shown
// under a filter and how they are counted and described. Pure: no DOM; tested in
// tests/web/notes_state.test.mjs.

export const CATEGORIES = Object.freeze([
  ['RELATIONSHIP', 'Our relationship'],
  ['HOW_WE_WORK', 'How we work'],
  ['LOCAL_SYSTEM', 'Our local system'],
  ['OTHER', 'Other'],
]);

export const MAX_CHARS = 4000;

const CATEGORY_WORDS = Object.fromEntries(CATEGORIES);

/** The words of a category ("Other" for one this page does not know). */
export function categoryWords(category) {
  return CATEGORY_WORDS[category] ?? 'Other';
}

/** What is wrong with a new note's text (trimmed), or null. */
export function newNoteProblem(words) {
  if (!words) return 'Write something first.';
  if ([...words].length > MAX_CHARS) return `A note is at most ${MAX_CHARS.toLocaleString()} characters.`;
  return null;
}

/** The log: notes by id, and the id of the note being edited on this page (or null). */
export function createLog() {
  return { notes: new Map(), editing: null };
}

/** Keeps a note as the server sent it. */
export function takeNote(log, note) {
  if (!note?.id) return;
  log.notes.set(note.id, note);
}

/** Keeps a changed note; the edit of a note removed meanwhile is closed. */
export function takeUpdate(log, note) {
  takeNote(log, note);
  if (note?.removed && log.editing === note.id) log.editing = null;
}

/** Replaces every note with the welcome's. */
export function takeWelcome(log, notes) {
  log.notes.clear();
  for (const note of notes ?? []) takeNote(log, note);
  if (log.editing && !log.notes.has(log.editing)) log.editing = null;
}

/** The notes to show under `filter` ('' for all), newest first, and the count line. */
export function shownNotes(log, filter) {
  const kept = [...log.notes.values()].filter((n) => !n.removed);
  const shown = kept.filter((n) => !filter || (n.category ?? 'OTHER') === filter)
      .sort((a, b) => Number(b.atMs ?? 0) - Number(a.atMs ?? 0));
  const all = kept.length;
  const count = all === 0 ? 'Nothing in the log yet.'
    : filter ? `${shown.length} of ${all} notes shown.`
    : all === 1 ? '1 note.' : `${all} notes.`;
  return { shown, count };
}

/** The earlier versions of a note, newest first (the last version is the note itself). */
export function earlierVersions(versions) {
  return (versions ?? []).slice(0, -1).reverse();
}
