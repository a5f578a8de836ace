// The facilitators' overview of a programme (/c/<cohort_id>#t=<token>): takes the
// facilitator's token from the link, opens the cohort's socket (/ws/cohort/<id>, the room's
// JSON subprotocol and the same connection with its reconnects and heartbeat), and mounts the
// overview: the rooms now, the reflection chart, speaking to the rooms and "You said, we did".
//
// Feed: `welcome` (CohortWelcome: every room's overview and the programme), then `room` (one
// room's RoomOverview after a change) and `programme` (items and answers after a change).
// Requests: `command` (FacilitatorCommand), answered by an ack once durable.
//
// The parts are mounted in order, each registering on the connection for what it shows: the
// rooms and the chart first (cohort_overview.js, which keeps the overview's state), then
// speaking to the rooms and "You said, we did" (cohort_actions.js), which read that state.
// The state in words is cohort_state.js and cohort_commands.js; the elements are
// cohort_view.js.

import { mountActions, mountItems } from './cohort_actions.js';
import { mountOverview } from './cohort_overview.js';
import { RoomConnection, State } from './connection.js';
import { byId } from './dom.js';
import * as storage from './storage.js';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const FATAL_TEXT = {
  UNAUTHORIZED: ['This facilitator link is not valid, or it is no longer valid.',
                 'Ask the programme’s organiser to send you your link again.'],
  ROOM_NOT_FOUND: ['There is no programme at this address.',
                   'Check that you opened the whole link you were sent.'],
  NO_TOKEN: ['This page needs your facilitator link to open.',
             'Open the link you were sent in full: it ends with #t= followed by a long code.'],
  BAD_ADDRESS: ['This address is not a Colead programme.',
                'Check that you opened the whole link you were sent.'],
};

const ui = {
  title: byId('cohort-title'),
  who: byId('cohort-who'),
  status: byId('connection'),
  statusText: byId('connection-status'),
  retry: byId('connection-retry'),
  fatal: byId('fatal'),
  fatalMessage: byId('fatal-message'),
  fatalAdvice: byId('fatal-advice'),
  cohort: byId('cohort'),
  announcer: byId('announcer'),
};

function announce(text) {
  ui.announcer.textContent = '';
  setTimeout(() => {
    ui.announcer.textContent = text;
  }, 50);
}

function setStatus(state, text, canRetry = false) {
  ui.status.dataset.state = state;
  if (ui.statusText.textContent !== text) ui.statusText.textContent = text;
  if (!canRetry && document.activeElement === ui.retry) ui.title.focus();
  ui.retry.hidden = !canRetry;
}

function showFatal(error) {
  const [message, advice] = FATAL_TEXT[error?.code] ?? [
    error?.message ? `The server said: ${error.message}` : 'The overview could not be opened.',
    'Try opening your link again later.'];
  ui.fatalMessage.textContent = message;
  ui.fatalAdvice.textContent = advice;
  ui.cohort.hidden = true;
  ui.fatal.hidden = false;
  ui.fatal.focus();
  setStatus('fatal', 'Not connected.');
}

function describeWait(ms) {
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

function cohortIdFromPath(pathname) {
  const match = /^\/c\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  try {
    const id = decodeURIComponent(match[1]);
    return ID_PATTERN.test(id) ? id : null;
  } catch {
    return null;
  }
}

function main() {
  const cohortId = cohortIdFromPath(location.pathname);
  if (!cohortId) return showFatal({ code: 'BAD_ADDRESS' });
  const key = `cohort.${cohortId}`;
  addEventListener('hashchange', () => {
    if (!new URLSearchParams(location.hash.replace(/^#/, '')).get('t')) return;
    storage.takeInviteToken(key);
    location.reload();
  });
  const token = storage.takeInviteToken(key);
  if (!token) return showFatal({ code: 'NO_TOKEN' });
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  let everJoined = false;
  const connection = new RoomConnection({
    url: `${scheme}//${location.host}/ws/cohort/${encodeURIComponent(cohortId)}`,
    hello: () => ({ token, client: 'colead-web' }),
    onState: (state, info) => {
      switch (state) {
        case State.CONNECTING:
          return setStatus(state, info.attempt > 0 ? 'Reconnecting…' : 'Connecting…');
        case State.JOINING:
          return setStatus(state, 'Opening the overview…');
        case State.JOINED:
          return setStatus(state, 'Connected.');
        case State.WAITING:
          return setStatus(state, `${everJoined ? 'Connection lost' : 'Cannot reach the server'}` +
                                  `. Trying again in ${describeWait(info.retryInMs)}.`, true);
        case State.OFFLINE:
          return setStatus(state, 'Your device is offline. Colead will reconnect when it is ' +
                                  'back online.', true);
        case State.FATAL:
          if (info.error?.code === 'UNAUTHORIZED') storage.forgetInviteToken(key);
          return showFatal(info.error);
        default:
          return setStatus(state, 'Not connected yet.');
      }
    },
  });
  const context = Object.freeze({ id: cohortId, connection, announce, token });
  const { cohort } = mountOverview(context);
  mountActions(context, { cohort });
  mountItems(context, { cohort });
  connection.on('welcome', () => {
    const { title, facilitator } = cohort();
    ui.title.textContent = title || 'Your programme';
    document.title = `${title || 'Programme'}: overview — Colead`;
    ui.who.textContent = `You are ${facilitator || 'a facilitator'}, a facilitator of this ` +
                         'programme.';
    ui.fatal.hidden = true;
    ui.cohort.hidden = false;
    if (!everJoined) ui.title.focus();
    everJoined = true;
  });
  ui.title.tabIndex = -1;
  ui.retry.addEventListener('click', () => connection.reconnectNow());
  setStatus(State.IDLE, 'Not connected yet.');
  connection.start();
}

main();
