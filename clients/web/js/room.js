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
  ui.name.value = name;
  if (ROLES.includes(role)) {
    ui.role.value = role;
    ui.roleOther.value = '';
  } else if (role) {
    ui.role.value = 'other';
    ui.roleOther.value = role;
  }
  ui.roleOtherField.hidden = ui.role.value !== 'other';
}

/** Reads and checks the join form; returns { name, role } or null after showing errors. */
function readJoinForm() {
  const name = ui.name.value.trim();
  const role = ui.role.value === 'other' ? ui.roleOther.value.trim() : ui.role.value;
  setFieldError(ui.name, ui.nameError, name ? null : 'Please enter your name.');
  setFieldError(ui.roleOther, ui.roleOtherError,
                role ? null : 'Please say in a few words what role you bring.');
  if (!name) {
    ui.name.focus();
    return null;
  }
  if (!role) {
    ui.roleOther.focus();
    return null;
  }
  return { name, role };
}

// ---- start ----------------------------------------------------------------------------

function main() {
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
  let everJoined = false;
  const stateListeners = [];

  const connection = new RoomConnection({
    url: socketUrl(roomId),
    hello: () => ({ token, name: details.name, role: details.role, clientId: storage.clientId() }),
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
    const given = readJoinForm();
    if (!given) return;
    details = given;
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
  if (storage.hasJoinedBefore(roomId, token) && details.name && details.role) {
    // A reload of a tab that had joined: join again without asking.
    connection.start();
  } else {
    ui.join.hidden = false;
    ui.name.focus();
  }
}

main();
