// What a facilitator does on the overview. "Speak to the rooms": a message, a call of time or
// a proposal to start a consulting structure, for every room or the chosen ones; each reaches
// the rooms as coming from the facilitator and changes nothing of theirs. "You said, we did":
// the items the rooms raised, to choose, group and answer, the answers, and the programme's
// learning record to download (with the facilitator's token in a header).
//
// Both read the overview's state through `links.cohort()` (cohort_overview.js, mounted before
// them, so it has taken each message in first). Commands are checked by cohort_commands.js
// before they go, and answered by an ack once durable.

import * as commands from './cohort_commands.js';
import * as model from './cohort_state.js';
import * as view from './cohort_view.js';
import { byId, el, setMessage } from './dom.js';
import { errorText } from './feedback.js';
import { dateAndTime } from './words.js';

/** Sends a checked command; says the problem, or what was done. */
async function send(conn, built, { say, done, chosen = null, then = () => {} }) {
  setMessage(say, '');
  done.textContent = '';
  if (built.problem) return setMessage(say, built.problem);
  try {
    await conn.request('command', built.command);
    done.textContent = commands.doneText(built.command, chosen);
    then();
  } catch (error) {
    setMessage(say, errorText(error));
  }
}

/** Mounts "Speak to the rooms". */
export function mountActions(page, links) {
  const conn = page.connection;
  const act = view.buildActions();
  byId('panel-act').append(...act.parts);
  const acting = { say: act.message, done: act.done };

  function chosenRooms() {
    if (act.everyRoom.checked) return null;
    return [...act.roomChoices.querySelectorAll('input:checked')].map((box) => box.value);
  }

  function buttonWords() {
    const to = commands.toRooms(chosenRooms());
    act.sendButton.textContent = `Send to ${to}`;
    act.timeButton.textContent = `Call time in ${to}`;
    act.proposeButton.textContent = `Propose it to ${to}`;
  }

  function drawChoices() {
    const kept = new Set(chosenRooms() ?? []);
    const focused = document.activeElement?.id;
    act.roomChoices.replaceChildren(...links.cohort().rooms.map((r) => view.roomChoice(
        r.roomId, model.roomTitle(r), kept.has(r.roomId))));
    if (focused?.startsWith('act-room-')) document.getElementById(focused)?.focus();
    buttonWords();
  }

  for (const radio of [act.everyRoom, act.someRooms]) {
    radio.addEventListener('change', () => {
      act.roomChoices.hidden = act.everyRoom.checked;
      buttonWords();
    });
  }
  act.roomChoices.addEventListener('change', buttonWords);

  act.messageForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = chosenRooms();
    send(conn, commands.broadcast(act.text.value, chosen),
         { ...acting, chosen, then: () => { act.text.value = ''; } });
  });
  act.timeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = chosenRooms();
    send(conn, commands.callTime(act.minutes.value, act.timeText.value, chosen),
         { ...acting, chosen, then: () => { act.timeText.value = ''; } });
  });
  act.proposeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = chosenRooms();
    send(conn, commands.proposeScript(act.script.value, chosen), { ...acting, chosen });
  });

  async function loadScripts() {
    try {
      const response = await fetch('/api/scripts', { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(String(response.status));
      const scripts = (await response.json()).scripts ?? [];
      act.script.replaceChildren(
          ...scripts.map((s) => el('option', { value: s.id }, s.name ?? s.id)));
    } catch {
      setMessage(act.message, 'The consulting structures could not be loaded; reload the page ' +
                              'to try again.');
    }
  }

  // A room added or renamed changes the choices; a room's every move does not.
  let roster = '';
  function roomsChanged() {
    const now = links.cohort().rooms.map((r) => `${r.roomId}\u0000${r.title ?? ''}`).join('\u0001');
    if (now === roster) return;
    roster = now;
    drawChoices();
  }
  conn.on('welcome', roomsChanged);
  conn.on('room', roomsChanged);
  loadScripts();
  buttonWords();
}

/** Mounts "You said, we did". */
export function mountItems(page, links) {
  const conn = page.connection;
  const items = view.buildItems();
  byId('panel-items').append(...items.parts);
  const chosen = new Set();

  function draw() {
    const c = links.cohort();
    const focused = document.activeElement?.id;
    const known = new Set(c.items.map((i) => i.id));
    for (const id of [...chosen]) if (!known.has(id)) chosen.delete(id);
    const open = c.items.filter((i) => !i.answerId).length;
    items.count.textContent = c.items.length === 0 ? 'No room has raised anything yet.'
      : `${c.items.length} ${c.items.length === 1 ? 'item' : 'items'} raised, ` +
        `${open} not answered yet.`;
    items.groups.replaceChildren(...model.itemGroups(c, dateAndTime)
        .map((g) => view.itemGroup(g, chosen)));
    items.answers.replaceChildren(...model.answerFacts(c, dateAndTime).map(view.answerItem));
    if (focused?.startsWith('item-choose-')) document.getElementById(focused)?.focus();
  }

  items.groups.addEventListener('change', (event) => {
    const box = event.target.closest('input[type="checkbox"]');
    if (!box) return;
    if (box.checked) chosen.add(box.value);
    else chosen.delete(box.value);
  });
  const saying = { say: items.message, done: items.done };
  items.groupForm.addEventListener('submit', (event) => {
    event.preventDefault();
    send(conn, commands.group(items.groupInput.value, [...chosen]),
         { ...saying, then: () => { items.groupInput.value = ''; } });
  });
  items.answerForm.addEventListener('submit', (event) => {
    event.preventDefault();
    send(conn, commands.answer(items.answerText.value, [...chosen]), {
      ...saying,
      then: () => {
        items.answerText.value = '';
        chosen.clear();
        draw();
      },
    });
  });

  async function download(format) {
    setMessage(items.message, '');
    try {
      const response = await fetch(
          `/api/cohorts/${encodeURIComponent(page.id)}/export?format=${format}`,
          { headers: { Authorization: `Bearer ${page.token}` } });
      if (!response.ok) throw new Error(String(response.status));
      const url = URL.createObjectURL(await response.blob());
      const link = el('a', { href: url, download: `programme-record-${page.id}.${format}` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch {
      setMessage(items.message, 'The learning record could not be downloaded. Try again in a ' +
                                'moment.');
    }
  }
  items.exportMd.addEventListener('click', () => download('md'));
  items.exportJson.addEventListener('click', () => download('json'));

  conn.on('welcome', draw);
  conn.on('programme', draw);
}
