// The landing page: creates a room (POST /api/rooms) and shows one private invite link per
// seat, each with a copy button; an organiser replaces a seat's link there too
// (POST /api/rooms/<id>/seats/<n>/invite), when one is lost or reached the wrong person.

import { byId, el, setFieldError } from './dom.js';

const ui = {
  createSection: byId('create'),
  form: byId('create-form'),
  title: byId('room-title'),
  titleError: byId('room-title-error'),
  seats: byId('room-seats'),
  facilitatorSeat: byId('room-facilitator-seat'),
  facilitatorSeatError: byId('room-facilitator-seat-error'),
  keyField: byId('organiser-key-field'),
  key: byId('organiser-key'),
  submit: byId('create-submit'),
  error: byId('create-error'),
  invites: byId('invites'),
  invitesRoom: byId('invites-room'),
  inviteList: byId('invite-list'),
  copyStatus: byId('copy-status'),
  createAnother: byId('create-another'),
  reissueForm: byId('reissue-form'),
  reissueRoom: byId('reissue-room'),
  reissueRoomError: byId('reissue-room-error'),
  reissueSeat: byId('reissue-seat'),
  reissueSeatError: byId('reissue-seat-error'),
  reissueKey: byId('reissue-key'),
  reissueKeyError: byId('reissue-key-error'),
  reissueSubmit: byId('reissue-submit'),
  reissueError: byId('reissue-error'),
  reissueResult: byId('reissue-result'),
  reissueDone: byId('reissue-done'),
  reissueLink: byId('reissue-link'),
  reissueCopy: byId('reissue-copy'),
  reissueCopyStatus: byId('reissue-copy-status'),
};

const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
let createdRoom = null;  // { id, key } of the room made on this page, if any

/** Thrown for a request that failed, with a sentence fit to show as it is. */
class CreateError extends Error {
  constructor(message, { needsKey = false } = {}) {
    super(message);
    this.needsKey = needsKey;
  }
}

/**
 * POSTs `json` (if any) to `path` on this server with the organiser key (if any); resolves to
 * { response, body } (body null when the answer is not JSON), or throws a CreateError when
 * the server cannot be reached.
 */
async function post(path, { json, organiserKey } = {}) {
  const headers = { Accept: 'application/json' };
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  if (organiserKey) headers.Authorization = `Bearer ${organiserKey}`;
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers,
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      credentials: 'same-origin',
    });
  } catch {
    throw new CreateError('Colead could not reach the server. Check your connection and try ' +
                          'again.');
  }
  const body = await response.json().catch(() => null);
  return { response, body };
}

async function createRoom(title, seats, facilitatorSeat, organiserKey) {
  // A server listening beyond loopback lets only its organisers create rooms.
  const { response, body } = await post('/api/rooms',
                                         { json: { title, seats, facilitatorSeat }, organiserKey });
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

/**
 * A new invite link for `seat` of room `roomId`: resolves to the Invite ({ seat, token, url })
 * or throws a CreateError with a sentence to show.
 */
async function reissueInvite(roomId, seat, organiserKey) {
  const { response, body } = await post(
      `/api/rooms/${encodeURIComponent(roomId)}/seats/${seat}/invite`, { organiserKey });
  if (response.status === 401) {
    throw new CreateError('The organiser key was not accepted. Check it and try again.',
                          { needsKey: true });
  }
  if (response.status === 404) {
    throw new CreateError(body?.error?.code === 'ROOM_NOT_FOUND'
      ? 'There is no room with that code on this server. Check the link you pasted.'
      : `That room has no seat ${seat}. Check the seat number.`);
  }
  if (!response.ok || typeof body?.url !== 'string') {
    throw new CreateError('The link could not be replaced: the old one still works. Please ' +
                          'try again in a moment.');
  }
  return body;
}

/** The room id in a pasted link (…/r/<id>#…) or a bare id; null when there is none. */
function roomIdFrom(text) {
  const value = text.trim();
  const match = /\/r\/([^/?#]+)/.exec(value);
  let id = match ? match[1] : value;
  try {
    id = decodeURIComponent(id);
  } catch {
    return null;
  }
  return ROOM_ID_PATTERN.test(id) ? id : null;
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
    const replace = el('button', { type: 'button', class: 'button small' },
                       'Make a new link', el('span', { class: 'visually-hidden' }, ` for seat ${seat}`));
    replace.addEventListener('click', () => replaceFromList(seat));
    copy.addEventListener('click', async () => {
      const ok = await copyText(input.value, input);
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
      el('label', { for: inputId }, `Seat ${seat}${invite.facilitator ? ' (the facilitator)' : ''}`),
      seat === 1
        ? el('p', { class: 'hint', id: 'invite-1-hint' }, 'Usually yours, if you are joining. ',
             el('a', { href: url, target: '_blank', rel: 'noopener' },
                'Open seat 1 in a new tab'))
        : null,
      el('div', { class: 'invite-row' }, input, copy, replace));
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
  const facilitatorSeat = ui.facilitatorSeat.checked;
  if (facilitatorSeat && seats < 3) {
    setFieldError(ui.facilitatorSeat, ui.facilitatorSeatError,
                  'A set with a facilitator needs 3 seats or more: the facilitator and two others.');
    ui.seats.focus();
    return;
  }
  setFieldError(ui.facilitatorSeat, ui.facilitatorSeatError, null);
  ui.submit.disabled = true;
  ui.submit.textContent = 'Creating the room…';
  try {
    const room = await createRoom(title, seats, facilitatorSeat, ui.key.value.trim());
    createdRoom = { id: room.id, key: ui.key.value.trim() };
    renderInvites(room);
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

/** "Make a new link" beside a link just created: the replace form, filled in for that seat. */
function replaceFromList(seat) {
  if (!createdRoom) return;
  ui.reissueRoom.value = createdRoom.id;
  ui.reissueSeat.value = String(seat);
  if (!ui.reissueKey.value) ui.reissueKey.value = createdRoom.key;
  ui.reissueResult.hidden = true;
  ui.reissueForm.scrollIntoView({ block: 'start' });
  (ui.reissueKey.value ? ui.reissueSubmit : ui.reissueKey).focus();
}

ui.reissueForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  ui.reissueError.hidden = true;
  const roomId = roomIdFrom(ui.reissueRoom.value);
  const seat = Number.parseInt(ui.reissueSeat.value, 10);
  const key = ui.reissueKey.value.trim();
  setFieldError(ui.reissueRoom, ui.reissueRoomError,
                roomId ? null : 'Paste a link to the room, or the room’s code.');
  setFieldError(ui.reissueSeat, ui.reissueSeatError, seat >= 1 && seat <= 8 ? null
    : 'Enter the seat number, from 1 to 8.');
  setFieldError(ui.reissueKey, ui.reissueKeyError, key ? null : 'Enter the organiser key.');
  const first = !roomId ? ui.reissueRoom : !(seat >= 1 && seat <= 8) ? ui.reissueSeat
    : !key ? ui.reissueKey : null;
  if (first) {
    first.focus();
    return;
  }
  ui.reissueSubmit.disabled = true;
  ui.reissueSubmit.textContent = 'Making a new link…';
  try {
    const invite = await reissueInvite(roomId, seat, key);
    const url = new URL(invite.url, location.origin).href;
    ui.reissueLink.value = url;
    ui.reissueDone.textContent = `Seat ${seat} has a new link. The old one no longer works. ` +
                                 'Send the new link privately to that person only.';
    ui.reissueResult.hidden = false;
    // The list above shows the new link too when the room was made on this page.
    const listed = ui.inviteList.querySelector(`input[data-seat="${seat}"]`);
    if (listed && createdRoom?.id === roomId) listed.value = url;
    ui.reissueResult.focus();
  } catch (err) {
    ui.reissueError.textContent = err instanceof CreateError ? err.message
      : 'Something went wrong: the link was not replaced. Please try again.';
    ui.reissueError.hidden = false;
    if (!(err instanceof CreateError)) console.error(err);
    if (err.needsKey) ui.reissueKey.focus();
  } finally {
    ui.reissueSubmit.disabled = false;
    ui.reissueSubmit.textContent = 'Make a new link';
  }
});

ui.reissueCopy.addEventListener('click', async () => {
  const ok = await copyText(ui.reissueLink.value, ui.reissueLink);
  ui.reissueCopyStatus.textContent = ok ? 'New link copied.'
    : 'The new link is selected: press Control and C (or Command and C) to copy it.';
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
