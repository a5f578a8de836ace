// The landing page: creates a room (POST /api/rooms) and shows one private invite link per
// seat, each with a copy button.

import { byId, el, setFieldError } from './dom.js';

const ui = {
  createSection: byId('create'),
  form: byId('create-form'),
  title: byId('room-title'),
  titleError: byId('room-title-error'),
  seats: byId('room-seats'),
  keyField: byId('organiser-key-field'),
  key: byId('organiser-key'),
  submit: byId('create-submit'),
  error: byId('create-error'),
  invites: byId('invites'),
  invitesRoom: byId('invites-room'),
  inviteList: byId('invite-list'),
  copyStatus: byId('copy-status'),
  createAnother: byId('create-another'),
};

/** Thrown for a request that failed, with a sentence fit to show as it is. */
class CreateError extends Error {
  constructor(message, { needsKey = false } = {}) {
    super(message);
    this.needsKey = needsKey;
  }
}

async function createRoom(title, seats, organiserKey) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  // A server listening beyond loopback lets only its organisers create rooms.
  if (organiserKey) headers.Authorization = `Bearer ${organiserKey}`;
  let response;
  try {
    response = await fetch('/api/rooms', {
      method: 'POST',
      headers,
      body: JSON.stringify({ title, seats }),
      credentials: 'same-origin',
    });
  } catch {
    throw new CreateError('Colead could not reach the server. Check your connection and try ' +
                          'again.');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.status === 401 && body?.error?.code === 'UNAUTHORIZED') {
    throw new CreateError(organiserKey
        ? 'The organiser key was not accepted. Check it and try again.'
        : 'This server asks for its organiser key before it creates a room. Enter the key ' +
          'and try again.', { needsKey: true });
  }
  if (!response.ok) {
    const message = body?.error?.message;
    throw new CreateError(message
        ? `The room could not be created: ${message}`
        : `The room could not be created (the server answered ${response.status}). Please ` +
          'try again in a moment.');
  }
  if (!body || typeof body.id !== 'string' || !Array.isArray(body.invites)) {
    throw new CreateError('The server created the room but its answer could not be read. ' +
                          'Please try again.');
  }
  return body;
}

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = !message;
}

async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (plain http on a network address) or permission refused.
    input.focus();
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

function renderInvites(room) {
  ui.invitesRoom.textContent = room.title || ui.title.value.trim();
  const invites = [...room.invites].sort((a, b) => Number(a.seat) - Number(b.seat));
  ui.inviteList.replaceChildren(...invites.map((invite) => {
    const seat = Number(invite.seat);
    const url = new URL(invite.url, location.origin).href;
    const inputId = `invite-${seat}`;
    const input = el('input', {
      id: inputId, type: 'text', readonly: true, value: url, spellcheck: 'false',
      'data-seat': seat, 'aria-describedby': seat === 1 ? 'invite-1-hint' : null,
    });
    input.addEventListener('focus', () => input.select());
    const copy = el('button', { type: 'button', class: 'button small' },
                    'Copy', el('span', { class: 'visually-hidden' }, ` seat ${seat} link`));
    copy.addEventListener('click', async () => {
      const ok = await copyText(url, input);
      ui.copyStatus.textContent = ok
        ? `Seat ${seat} link copied.`
        : `Seat ${seat} link is selected: press Control and C (or Command and C) to copy it.`;
      if (ok) {
        copy.firstChild.textContent = 'Copied';
        setTimeout(() => {
          copy.firstChild.textContent = 'Copy';
        }, 2500);
      }
    });
    return el('li', {},
      el('label', { for: inputId }, `Seat ${seat}`),
      seat === 1
        ? el('p', { class: 'hint', id: 'invite-1-hint' }, 'Usually yours, if you are joining. ',
             el('a', { href: url, target: '_blank', rel: 'noopener' },
                'Open seat 1 in a new tab'))
        : null,
      el('div', { class: 'invite-row' }, input, copy));
  }));
  ui.copyStatus.textContent = '';
  ui.invites.hidden = false;
  ui.createSection.hidden = true;
  ui.invites.focus();
  ui.invites.scrollIntoView({ block: 'start' });
}

ui.form.addEventListener('submit', async (event) => {
  event.preventDefault();
  showError('');
  const title = ui.title.value.trim();
  const seats = Number.parseInt(ui.seats.value, 10);
  if (!title) {
    setFieldError(ui.title, ui.titleError, 'Please give the room a name.');
    ui.title.focus();
    return;
  }
  setFieldError(ui.title, ui.titleError, null);
  ui.submit.disabled = true;
  ui.submit.textContent = 'Creating the room…';
  try {
    renderInvites(await createRoom(title, seats, ui.key.value.trim()));
    const key = ui.key.value;
    ui.form.reset();
    ui.key.value = key; // an organiser often creates several rooms in a row
  } catch (err) {
    showError(err instanceof CreateError ? err.message : 'Something went wrong: the room was ' +
                                                         'not created. Please try again.');
    if (!(err instanceof CreateError)) console.error(err);
    if (err.needsKey) {
      ui.keyField.hidden = false;
      ui.key.focus();
      ui.key.select();
    }
  } finally {
    ui.submit.disabled = false;
    ui.submit.textContent = 'Create the room';
  }
});

ui.createAnother.addEventListener('click', () => {
  ui.createSection.hidden = false;
  ui.title.focus();
  ui.createSection.scrollIntoView({ block: 'start' });
});

// Ask for the organiser key up front when the server needs one for every new room.
async function showKeyFieldIfNeeded() {
  try {
    const response = await fetch('/api/server', { headers: { Accept: 'application/json' } });
    if (!response.ok) return;
    const info = await response.json();
    if (info.roomCreation !== 'open') ui.keyField.hidden = false;
  } catch {
    // The form still works: a refused request shows the field then.
  }
}

showKeyFieldIfNeeded();
