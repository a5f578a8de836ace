// How the page words times and lists of people. Pure: no DOM; tested in
// tests/web/words.test.mjs.

/** A time of day on this device, "14:05". */
export function timeOfDay(unixMs) {
  return new Date(unixMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** A day and a time on this device, "6 Dec, 14:05". */
export function dateAndTime(unixMs) {
  return new Date(unixMs).toLocaleString([], { day: 'numeric', month: 'short',
                                               hour: '2-digit', minute: '2-digit' });
}

/** A recorded moment in full, or that it was not recorded. */
export function when(atMs) {
  const ms = Number(atMs);
  if (!Number.isFinite(ms) || ms <= 0) return 'at a time not recorded';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "nobody yet", "Asha", "Asha and Ben", "Asha, Ben and Chen". */
export function listOfNames(names) {
  if (names.length === 0) return 'nobody yet';
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The text with its first letter in capitals. */
export function capital(text) {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
