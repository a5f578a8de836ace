// The room page: takes the invite token from the link, asks who is joining, joins over the
// WebSocket and mounts one module per feature of the room.
//
// The features are mounted by features.js, which says how they fit together.

import { RoomConnection, State } from './connection.js';
import { byId, setFieldError } from './dom.js';
import { mountFeatures } from './features.js';
import * as storage from './storage.js';

const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const ROLES = ['patient', 'carer', 'clinician', 'manager', 'community member'];

/** What a person is told when the room cannot be joined, by error code. */
const FATAL_TEXT = {
  UNAUTHORIZED: [
    'This invite link is not valid, or it is no longer valid.',
    'Ask the person who created the room to send you your own link again.',
  ],
  REPLACED: [
    'Your invite link has been replaced by a new one, so this page has left the room.',
    'Ask the person who created the room to send you your new link.',
  ],
  ROOM_NOT_FOUND: [
    'There is no room at this address. It may have been erased by its members.',
    'Check that you opened the whole link you were sent.',
  ],
  ROOM_FULL: [
    'Every seat in this room is already taken.',
    'Each link is one person’s seat. Ask the person who created the room which link is yours.',
  ],
  NO_TOKEN: [
    'This page needs your invite link to let you in.',
    'Open the link you were sent in full: it ends with #t= followed by a long code. ' +
        'If you opened it before in another tab, use that tab or open the link again.',
  ],
  BAD_ADDRESS: [
    'This address is not a Colead room.',
    'Check that you opened the whole link you were sent.',
  ],
};

function fatalText(error) {
  // The server says so when an organiser replaced the link this page joined with.
  if (error?.code === 'UNAUTHORIZED' && /replaced/.test(error.message ?? '')) {
    return FATAL_TEXT.REPLACED;
  }
  return FATAL_TEXT[error?.code] ?? [
    error?.message ? `The server said: ${error.message}` : 'The room could not be joined.',
    'Try opening your invite link again later. If this keeps happening, tell the person ' +
        'who looks after this Colead server.',
  ];
}

function roomIdFromPath(pathname) {
  const match = /^\/r\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  let id;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  return ROOM_ID_PATTERN.test(id) ? id : null;
}

function socketUrl(roomId) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/${encodeURIComponent(roomId)}`;
}

// ---- page elements --------------------------------------------------------------------

const ui = {
  title: byId('room-title'),
  status: byId('connection'),
  statusText: byId('connection-status'),
  retry: byId('connection-retry'),
  fatal: byId('fatal'),
  fatalMessage: byId('fatal-message'),
  fatalAdvice: byId('fatal-advice'),
  join: byId('join'),
  joinForm: byId('join-form'),
  name: byId('join-name'),
  nameError: byId('join-name-error'),
  role: byId('join-role'),
  roleError: byId('join-role-error'),
  joinIntro: byId('join-intro'),
  roleOtherField: byId('join-role-other-field'),
  roleOther: byId('join-role-other'),
  roleOtherError: byId('join-role-other-error'),
  joinSubmit: byId('join-submit'),
  joinCancel: byId('join-cancel'),
  room: byId('room'),
  changeDetails: byId('change-details'),
  announcer: byId('announcer'),
};

function announce(text) {
  // Clearing first makes a repeated sentence be spoken again.
  ui.announcer.textContent = '';
  setTimeout(() => {
    ui.announcer.textContent = text;
  }, 50);
}

function showFatal(error) {
  const [message, advice] = fatalText(error);
  ui.fatalMessage.textContent = message;
  ui.fatalAdvice.textContent = advice;
  ui.join.hidden = true;
  ui.room.hidden = true;
  ui.fatal.hidden = false;
  ui.fatal.focus();
  setStatus('fatal', 'Not connected.');
}

function setStatus(state, text, canRetry = false) {
  ui.status.dataset.state = state;
  if (ui.statusText.textContent !== text) ui.statusText.textContent = text;
  // Focus must not fall to the page's start when the button it is on goes away.
  if (!canRetry && document.activeElement === ui.retry) ui.title.focus();
  ui.retry.hidden = !canRetry;
}

function describeWait(ms) {
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

// ---- the join form --------------------------------------------------------------------

function fillJoinForm({ name, role }) {
  ui.name.value = name ?? '';
  if (ROLES.includes(role)) {
    ui.role.value = role;
    ui.roleOther.value = '';
  } else if (role) {
    ui.role.value = 'other';
    ui.roleOther.value = role;
  } else {
    // No role is chosen for anybody: each person says which they bring.
    ui.role.value = '';
    ui.roleOther.value = '';
  }
  ui.roleOtherField.hidden = ui.role.value !== 'other';
}

/** Reads and checks the join form; returns { name, role } or null after showing errors. */
function readJoinForm() {
  const name = ui.name.value.trim();
  const other = ui.role.value === 'other';
  const role = other ? ui.roleOther.value.trim() : ui.role.value;
  setFieldError(ui.name, ui.nameError, name ? null : 'Enter your name.');
  setFieldError(ui.role, ui.roleError, ui.role.value ? null
    : 'Choose the role you bring. If none fits, choose “Other” and say it in your own words.');
  setFieldError(ui.roleOther, ui.roleOtherError,
                other && !role ? 'Say in a few words what role you bring.' : null);
  if (!name) {
    ui.name.focus();
    return null;
  }
  if (!ui.role.value) {
    ui.role.focus();
    return null;
  }
  if (!role) {
    ui.roleOther.focus();
    return null;
  }
  return { name, role };
}

/**
 * What the server knows of this seat (GET /api/rooms/<id>/seat, the token in a header):
 * { name, role } (empty until the seat is first taken), or { error } with the code to show
 * when the link cannot be used, or null when the server could not be asked.
 */
async function seatDetails(roomId, token) {
  try {
    const response = await fetch(`/api/rooms/${encodeURIComponent(roomId)}/seat`,
                                 { headers: { Authorization: `Bearer ${token}` } });
    if (response.status === 401) return { error: { code: 'UNAUTHORIZED' } };
    if (response.status === 404) return { error: { code: 'ROOM_NOT_FOUND' } };
    if (!response.ok) return null;
    const seat = await response.json();
    return { name: seat.name ?? '', role: seat.role ?? '' };
  } catch {
    return null;
  }
}

// ---- start ----------------------------------------------------------------------------

async function main() {
  const roomId = roomIdFromPath(location.pathname);
  if (!roomId) return showFatal({ code: 'BAD_ADDRESS' });
  // Another link to this room pasted into this tab only changes the fragment: start afresh.
  addEventListener('hashchange', () => {
    if (!new URLSearchParams(location.hash.replace(/^#/, '')).get('t')) return;
    storage.takeInviteToken(roomId);
    location.reload();
  });
  const token = storage.takeInviteToken(roomId);
  if (!token) return showFatal({ code: 'NO_TOKEN' });

  let details = storage.loadDetails(roomId);
  // What the person typed in the join form, sent with the next hello only. Every other hello
  // leaves the name out, so the server keeps the seat's name and role as they stand (changed
  // on another device, say) instead of this device's older copy.
  let given = null;
  let everJoined = false;
  const stateListeners = [];

  const connection = new RoomConnection({
    url: socketUrl(roomId),
    hello: () => ({ token, name: given?.name ?? '', role: given?.role ?? '',
                    clientId: storage.clientId() }),
    onState: (state, info) => {
      for (const listener of stateListeners) listener(state);
      switch (state) {
        case State.CONNECTING:
          return setStatus(state, info.attempt > 0 ? 'Reconnecting…' : 'Connecting…');
        case State.JOINING:
          return setStatus(state, 'Joining the room…');
        case State.JOINED:
          return setStatus(state, 'Connected.');
        case State.WAITING:
          ui.joinSubmit.disabled = false;
          return setStatus(state, `${everJoined ? 'Connection lost' : 'Cannot reach the room'}. ` +
                                  `Trying again in ${describeWait(info.retryInMs)}.`, true);
        case State.OFFLINE:
          return setStatus(state, 'Your device is offline. Colead will reconnect when it is ' +
                                  'back online.', true);
        case State.FATAL:
          if (info.error?.code === 'UNAUTHORIZED') storage.forgetInviteToken(roomId);
          return showFatal(info.error);
        case State.STOPPED:
          return setStatus(state, 'Disconnected.');
        default:
          return setStatus(state, 'Not connected yet.');
      }
    },
  });

  mountFeatures({
    id: roomId,
    connection,
    announce,
    /** Calls fn(state) whenever the connection changes state (see connection.js State). */
    onConnectionState: (fn) => stateListeners.push(fn),
    /**
     * GET /api/rooms/<id>/<path> with this seat's invite token (in a header, never in the
     * address); resolves to the Response.
     */
    api: (path) => fetch(`/api/rooms/${encodeURIComponent(roomId)}/${path}`,
                         { headers: { Authorization: `Bearer ${token}` } }),
  });

  // The seat's name and role as the room knows them: what the join form shows when opened.
  const remember = (members) => {
    const me = (members ?? []).find((m) => m.memberId === connection.memberId);
    if (!me?.name) return;
    details = { name: me.name, role: me.role ?? '' };
    storage.saveDetails(roomId, details);
  };
  connection.on('welcome', (welcome) => {
    given = null;
    remember(welcome.room?.members);
  });
  connection.on('presence', (presence) => remember(presence.members));

  connection.on('welcome', (welcome) => {
    const title = welcome.room?.title?.trim() || 'Your room';
    ui.title.textContent = title;
    document.title = `${title} — Colead`;
    storage.markJoined(roomId, token);
    ui.join.hidden = true;
    ui.room.hidden = false;
    if (!everJoined || document.activeElement === document.body) ui.title.focus();
    everJoined = true;
  });

  ui.title.tabIndex = -1;
  ui.retry.addEventListener('click', () => connection.reconnectNow());
  ui.role.addEventListener('change', () => {
    ui.roleOtherField.hidden = ui.role.value !== 'other';
    if (!ui.roleOtherField.hidden) ui.roleOther.focus();
  });
  ui.joinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const read = readJoinForm();
    if (!read) return;
    details = read;
    given = read;
    storage.saveDetails(roomId, details);
    ui.joinSubmit.disabled = true;
    if (connection.state === State.IDLE) connection.start();
    else connection.rejoin();
  });
  connection.on('welcome', () => {
    ui.joinSubmit.disabled = false;
  });
  ui.changeDetails.addEventListener('click', () => {
    fillJoinForm(details);
    ui.joinCancel.hidden = false;
    ui.joinSubmit.textContent = 'Save and rejoin';
    ui.room.hidden = true;
    ui.join.hidden = false;
    ui.name.focus();
  });
  ui.joinCancel.addEventListener('click', () => {
    ui.join.hidden = true;
    ui.room.hidden = false;
    ui.changeDetails.focus();
  });

  setStatus(State.IDLE, 'Not connected yet.');
  fillJoinForm(details);
  if (storage.hasJoinedBefore(roomId, token)) {
    // A reload of a tab that had joined: join again without asking.
    return connection.start();
  }
  // This link on a new device: the server knows the seat's name and role once someone took
  // it, and the person is not asked again (they can change them from the room).
  setStatus(State.IDLE, 'Checking your invite link…');
  const known = await seatDetails(roomId, token);
  if (known?.error) {
    if (known.error.code === 'UNAUTHORIZED') storage.forgetInviteToken(roomId);
    return showFatal(known.error);
  }
  setStatus(State.IDLE, 'Not connected yet.');
  if (known?.name && known?.role) {
    details = known;
    storage.saveDetails(roomId, details);
    fillJoinForm(details);
    return connection.start();
  }
  if (known?.name) {
    // Taken before without a role: keep the name and ask only for the role.
    fillJoinForm({ name: known.name, role: '' });
    ui.joinIntro.textContent = `You joined this room before as ${known.name}. Choose the role ` +
                               'you bring.';
  }
  ui.join.hidden = false;
  (ui.name.value ? ui.role : ui.name).focus();
}

main();
