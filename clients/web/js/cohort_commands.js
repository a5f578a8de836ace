// What a facilitator sends on the cohort socket (FacilitatorCommand), checked before it goes:
// a message to the rooms, a call of time, a proposal of a consulting structure (each for every
// room or the chosen ones), an answer ("we did") to chosen items and a group for them; and
// what the page says once each is done. Pure: no DOM; tested in
// tests/web/cohort_state.test.mjs with the overview's words.

export const MESSAGE_MAX = 500;
export const ANSWER_MAX = 4000;
export const GROUP_MAX = 80;

const chars = (text) => [...text].length;

/** The rooms a command is for: [] (every room) or the chosen ids. */
function roomsOf(chosen) {
  return chosen === null ? [] : [...chosen];
}

/** The words of an action's button for the rooms chosen (null: every room). */
export function toRooms(chosen) {
  if (chosen === null) return 'every room';
  return chosen.length === 1 ? '1 room' : `${chosen.length} rooms`;
}

/** A message to the rooms: { command } or { problem }. `chosen` null means every room. */
export function broadcast(text, chosen) {
  const words = String(text ?? '').trim();
  if (!words) return { problem: 'Write the message first.' };
  if (chars(words) > MESSAGE_MAX) {
    return { problem: `A message is at most ${MESSAGE_MAX} characters.` };
  }
  if (chosen !== null && chosen.length === 0) return { problem: 'Choose at least one room.' };
  return { command: { broadcast: { text: words, roomIds: roomsOf(chosen) } } };
}

/** A call of time: { command } or { problem }. */
export function callTime(minutesText, text, chosen) {
  const minutes = Number(minutesText);
  if (String(minutesText).trim() === '' || !Number.isInteger(minutes) || minutes < 1 ||
      minutes > 120) {
    return { problem: 'The minutes left are a whole number, 1 to 120.' };
  }
  const words = String(text ?? '').trim();
  if (chars(words) > MESSAGE_MAX) {
    return { problem: `The words are at most ${MESSAGE_MAX} characters.` };
  }
  if (chosen !== null && chosen.length === 0) return { problem: 'Choose at least one room.' };
  return { command: { callTime: { minutesLeft: minutes, text: words, roomIds: roomsOf(chosen) } } };
}

/** A proposal of a consulting script: { command } or { problem }. */
export function proposeScript(scriptId, chosen) {
  if (!scriptId) return { problem: 'Choose a consulting structure first.' };
  if (chosen !== null && chosen.length === 0) return { problem: 'Choose at least one room.' };
  return { command: { proposeScript: { scriptId, roomIds: roomsOf(chosen) } } };
}

/** An answer ("we did") to the chosen items: { command } or { problem }. */
export function answer(text, itemIds) {
  const words = String(text ?? '').trim();
  if (!itemIds.length) return { problem: 'Choose the items this answers first.' };
  if (!words) return { problem: 'Say what was done first.' };
  if (chars(words) > ANSWER_MAX) {
    return { problem: `An answer is at most ${ANSWER_MAX.toLocaleString('en')} characters.` };
  }
  return { command: { answer: { text: words, itemIds: [...itemIds] } } };
}

/** A group for the chosen items (an empty label ungroups them): { command } or { problem }. */
export function group(label, itemIds) {
  const words = String(label ?? '').trim();
  if (!itemIds.length) return { problem: 'Choose the items to group first.' };
  if (chars(words) > GROUP_MAX) {
    return { problem: `A group’s name is at most ${GROUP_MAX} characters.` };
  }
  return { command: { group: { itemIds: [...itemIds], group: words } } };
}

/** What the page says once a command is done. */
export function doneText(command, chosen) {
  if (command.broadcast) return `Message sent to ${toRooms(chosen)}.`;
  if (command.callTime) return `Time called in ${toRooms(chosen)}.`;
  if (command.proposeScript) return `Proposed to ${toRooms(chosen)}; it starts in a room once ` +
                                    'its members accept.';
  if (command.answer) return 'Answer sent to every room.';
  if (command.group) {
    return command.group.group ? `Grouped as “${command.group.group}”.` : 'Ungrouped.';
  }
  return 'Done.';
}
