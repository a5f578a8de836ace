// The room connection and the message dispatcher (clients/web/js), without a browser: a fake
// WebSocket plays the server, so joins, answers, drops, fatal errors and backoff are checked
// exactly. Timings are shrunk to milliseconds.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  backoffDelay,
  RequestError,
  RoomConnection,
  State,
} from '../../clients/web/js/connection.js';
import { Dispatcher, messageKind } from '../../clients/web/js/dispatcher.js';

const TIMING = {
  backoffBaseMs: 20,
  backoffMaxMs: 80,
  connectTimeoutMs: 200,
  helloTimeoutMs: 200,
  requestTimeoutMs: 200,
  heartbeatMs: 10000,
  heartbeatTimeoutMs: 50,
};

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Plays the server's side of one WebSocket. */
class FakeSocket {
  constructor(url, protocol) {
    this.url = url;
    this.protocol = protocol;
    this.readyState = 0;
    this.sent = [];
    this.closedBy = null;
    FakeSocket.all.push(this);
  }

  send(data) {
    assert.equal(this.readyState, 1, 'sends only on an open socket');
    this.sent.push(JSON.parse(data));
  }

  close(code, reason) {
    this.readyState = 3;
    this.closedBy = { code, reason };
  }

  open() {
    this.readyState = 1;
    this.onopen?.();
  }

  receive(message) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  drop(code = 1006, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** Opens, and answers the hello with a welcome for `memberId`. */
  welcome(memberId = 'm1') {
    this.open();
    const hello = this.sent[0];
    this.receive({ re: hello.req, welcome: { memberId, serverTimeMs: '1000', room: {} } });
  }
}

function setup({ onLine = true, parts = [] } = {}) {
  FakeSocket.all = [];
  const win = new EventTarget();
  win.navigator = { onLine };
  const states = [];
  const connection = new RoomConnection({
    url: 'ws://example.test/ws/room1',
    hello: () => ({ token: 'tok', name: 'Asha', role: 'carer', clientId: 'device-1' }),
    onState: (state, info) => states.push({ state, ...info }),
    timing: TIMING,
    WebSocketImpl: FakeSocket,
    win,
  });
  for (const part of parts) connection.addHelloPart(part);
  return { connection, states, win, sockets: FakeSocket.all };
}

async function until(predicate, what, timeoutMs = 1000) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await pause(2);
  }
}

test('joins with hello first, with the JSON subprotocol and the hello parts', () => {
  const { connection, states, sockets } = setup({ parts: [() => ({ knownRevisions: { a: '3' } })] });
  connection.start();
  assert.equal(sockets.length, 1);
  assert.equal(sockets[0].url, 'ws://example.test/ws/room1');
  assert.equal(sockets[0].protocol, 'colead.v1.json');
  sockets[0].welcome('m7');
  const [hello] = sockets[0].sent;
  assert.deepEqual(hello.hello, {
    knownRevisions: { a: '3' }, token: 'tok', name: 'Asha', role: 'carer', clientId: 'device-1',
  });
  assert.equal(typeof hello.req, 'string', '64-bit numbers travel as strings');
  assert.deepEqual(states.map((s) => s.state), [State.CONNECTING, State.JOINING, State.JOINED]);
  assert.equal(connection.memberId, 'm7');
  assert.equal(connection.joined, true);
  connection.stop();
});

test('answers are matched to their requests by re, in any order', async () => {
  const { connection, sockets } = setup();
  connection.start();
  sockets[0].welcome();
  const first = connection.request('note', { text: 'one' });
  const second = connection.request('note', { text: 'two' });
  const [, a, b] = sockets[0].sent;
  assert.notEqual(a.req, b.req);
  sockets[0].receive({ re: b.req, error: { code: 'TOO_LARGE', message: 'too long' } });
  sockets[0].receive({ re: a.req, ack: {} });
  assert.deepEqual(await first, { re: a.req, ack: {} });
  await assert.rejects(second, (err) => err instanceof RequestError && err.code === 'TOO_LARGE' &&
                                        err.message === 'too long' && !err.fatal);
  assert.equal(connection.state, State.JOINED, 'a non-fatal error keeps the connection');
  connection.stop();
});

test('requests fail fast when not joined, and are rejected when the connection drops', async () => {
  const { connection, sockets } = setup();
  await assert.rejects(connection.request('ping'), { code: 'NOT_CONNECTED' });
  connection.start();
  sockets[0].welcome();
  const pending = connection.request('ping');
  sockets[0].drop();
  await assert.rejects(pending, { code: 'DISCONNECTED' });
  connection.stop();
});

test('every message reaches the handlers of its kind; unknown kinds are ignored', () => {
  const { connection, sockets } = setup();
  const seen = [];
  connection.on('presence', (body, message) => seen.push(['presence', body, message.re]));
  connection.on('welcome', (body) => seen.push(['welcome', body.memberId]));
  connection.start();
  sockets[0].welcome('m2');
  sockets[0].receive({ presence: { members: [] } });
  sockets[0].receive({ somethingNew: { x: 1 } });
  assert.deepEqual(seen, [['welcome', 'm2'], ['presence', { members: [] }, undefined]]);
  connection.stop();
});

test('after a drop it waits a jittered, growing delay and joins again as the same device',
     async () => {
  const { connection, states, sockets } = setup();
  connection.start();
  sockets[0].welcome();
  sockets[0].drop();
  const waits = [];
  for (let attempt = 1; attempt <= 4; attempt++) {
    const waiting = states.at(-1);
    assert.equal(waiting.state, State.WAITING);
    waits.push(waiting.retryInMs);
    await until(() => sockets.length === attempt + 1, `attempt ${attempt}`);
    sockets[attempt].drop(); // refused before opening
  }
  // Base 20 ms doubling to a cap of 80 ms, each in the upper half of its ceiling.
  const ceilings = [20, 40, 80, 80];
  waits.forEach((wait, i) => {
    assert.ok(wait >= ceilings[i] / 2 && wait <= ceilings[i], `wait ${i} = ${wait}`);
  });

  await until(() => sockets.length === 6, 'the next attempt');
  sockets[5].welcome();
  assert.equal(connection.state, State.JOINED);
  assert.deepEqual(sockets[5].sent[0].hello, sockets[0].sent[0].hello, 'the same hello again');
  sockets[5].drop();
  assert.ok(states.at(-1).retryInMs <= 20, 'a welcome starts the backoff again');
  connection.stop();
});

test('a fatal error to hello stops for good: no reconnect loop', async () => {
  const { connection, states, sockets } = setup();
  const errors = [];
  connection.on('error', (error) => errors.push(error.code));
  connection.start();
  sockets[0].open();
  sockets[0].receive({ re: sockets[0].sent[0].req,
                       error: { code: 'ROOM_FULL', message: 'full', fatal: true } });
  sockets[0].drop(1008, 'room full');
  await pause(150);
  assert.equal(sockets.length, 1);
  assert.equal(connection.state, State.FATAL);
  assert.equal(states.at(-1).error.code, 'ROOM_FULL');
  assert.deepEqual(errors, ['ROOM_FULL'], 'features hear of it too');
  assert.equal(sockets[0].closedBy.code, 1000);
});

test('a bad token is final even when the server leaves out the fatal flag', async () => {
  const { connection, sockets } = setup();
  connection.start();
  sockets[0].open();
  sockets[0].receive({ re: sockets[0].sent[0].req, error: { code: 'UNAUTHORIZED' } });
  await pause(100);
  assert.equal(connection.state, State.FATAL);
  assert.equal(sockets.length, 1);
});

test('a fatal error pushed before hello is answered stops too (room not found)', async () => {
  const { connection, sockets } = setup();
  connection.start();
  sockets[0].open();
  sockets[0].receive({ error: { code: 'ROOM_NOT_FOUND', message: 'no room', fatal: true } });
  await pause(100);
  assert.equal(connection.state, State.FATAL);
  assert.equal(sockets.length, 1);
});

test('a passing refusal of hello (rate limit) is retried later', async () => {
  const { connection, states, sockets } = setup();
  connection.start();
  sockets[0].open();
  sockets[0].receive({ re: sockets[0].sent[0].req, error: { code: 'RATE_LIMITED' } });
  assert.equal(connection.state, State.WAITING);
  assert.equal(states.at(-1).error.code, 'RATE_LIMITED');
  await until(() => sockets.length === 2, 'a second attempt');
  connection.stop();
});

test('a socket that never opens, or a hello never answered, is given up and retried',
     async () => {
  const { connection, sockets } = setup();
  connection.start();
  await until(() => sockets.length === 2, 'a retry after the connect timeout');
  assert.equal(sockets[0].closedBy?.code, 1000, 'the stuck socket is closed');
  sockets[1].open();
  await until(() => sockets.length === 3, 'a retry after the hello timeout', 2000);
  connection.stop();
});

test('a ping without a pong counts as a dropped connection', async () => {
  FakeSocket.all = [];
  const connection = new RoomConnection({
    url: 'ws://example.test/ws/room1',
    hello: () => ({ token: 'tok', name: 'A', clientId: 'c' }),
    timing: { ...TIMING, heartbeatMs: 20 },
    WebSocketImpl: FakeSocket,
    win: new EventTarget(),
  });
  connection.start();
  FakeSocket.all[0].welcome();
  await until(() => FakeSocket.all[0].sent.some((m) => 'ping' in m), 'a ping');
  await until(() => connection.state === State.WAITING, 'the drop', 500);
  connection.stop();
});

test('a pong updates the server clock offset', async () => {
  const { connection, sockets } = setup();
  connection.start();
  sockets[0].welcome();
  const answer = connection.request('ping');
  const ping = sockets[0].sent.at(-1);
  const serverNow = Date.now() + 5000;
  sockets[0].receive({ re: ping.req, pong: { serverTimeMs: String(serverNow) } });
  await answer;
  assert.ok(Math.abs(connection.clockOffsetMs - 5000) < 100, `${connection.clockOffsetMs}`);
  connection.stop();
});

test('while the device is offline it waits for the online event', async () => {
  const { connection, sockets, win } = setup();
  connection.start();
  sockets[0].welcome();
  win.navigator.onLine = false;
  sockets[0].drop();
  assert.equal(connection.state, State.OFFLINE);
  await pause(100);
  assert.equal(sockets.length, 1, 'no attempts while offline');
  win.navigator.onLine = true;
  win.dispatchEvent(new Event('online'));
  assert.equal(sockets.length, 2);
  assert.equal(connection.state, State.CONNECTING);
  connection.stop();
});

test('rejoin sends a fresh hello at once with the new details', () => {
  let name = 'Ben';
  FakeSocket.all = [];
  const connection = new RoomConnection({
    url: 'ws://example.test/ws/r',
    hello: () => ({ token: 't', name, clientId: 'c' }),
    timing: TIMING,
    WebSocketImpl: FakeSocket,
    win: new EventTarget(),
  });
  connection.start();
  FakeSocket.all[0].welcome();
  name = 'Benjamin';
  connection.rejoin();
  assert.equal(FakeSocket.all[0].readyState, 3, 'the old socket is closed');
  FakeSocket.all[1].open();
  assert.equal(FakeSocket.all[1].sent[0].hello.name, 'Benjamin');
  connection.stop();
});

test('backoff delays stay within half and all of a capped, doubling ceiling', () => {
  for (let attempt = 0; attempt < 64; attempt++) {
    const ceiling = Math.min(30000, 1000 * 2 ** attempt);
    assert.equal(backoffDelay(attempt, 1000, 30000, () => 0), Math.round(ceiling / 2));
    assert.equal(backoffDelay(attempt, 1000, 30000, () => 1), ceiling);
    const delay = backoffDelay(attempt, 1000, 30000);
    assert.ok(delay >= ceiling / 2 && delay <= ceiling);
  }
});

test('the dispatcher isolates a failing handler and names a message by its one kind', () => {
  const dispatcher = new Dispatcher();
  const seen = [];
  const originalError = console.error;
  console.error = () => {};
  try {
    dispatcher.on('noteAdded', () => {
      throw new Error('broken panel');
    });
    const off = dispatcher.on('noteAdded', (body) => seen.push(body.text));
    assert.equal(dispatcher.dispatch({ noteAdded: { text: 'a' } }), true);
    off();
    assert.equal(dispatcher.dispatch({ noteAdded: { text: 'b' } }), true);
    assert.equal(dispatcher.dispatch({ meetingState: {} }), false);
  } finally {
    console.error = originalError;
  }
  assert.deepEqual(seen, ['a']);
  assert.equal(messageKind({ re: '4', ack: {} }), 'ack');
  assert.equal(messageKind({ re: '4' }), null);
  assert.equal(messageKind(null), null);
});

test('a request refused with RATE_LIMITED is sent again after a wait, same req', async () => {
  const { connection, sockets } = setup();
  connection.start();
  sockets[0].welcome();
  const edit = connection.request('edit', { doc: 'purpose', baseRev: '0', editId: 'e1' });
  const first = sockets[0].sent[1];
  sockets[0].receive({ re: first.req, error: { code: 'RATE_LIMITED', message: 'too fast' } });
  assert.equal(sockets[0].sent.length, 2, 'waits before sending again');
  await until(() => sockets[0].sent.length === 3, 'the resend');
  assert.deepEqual(sockets[0].sent[2], first, 'the same request, same req');
  sockets[0].receive({ re: first.req, ack: { rev: '1' } });
  assert.deepEqual(await edit, { re: first.req, ack: { rev: '1' } });
  connection.stop();
});

test('RATE_LIMITED reaches the caller once the resends are spent', async () => {
  FakeSocket.all = [];
  const connection = new RoomConnection({
    url: 'ws://example.test/ws/room1',
    hello: () => ({ token: 'tok', name: 'Asha' }),
    timing: { ...TIMING, rateLimitBaseMs: 4, rateLimitMaxMs: 8, rateLimitSends: 3 },
    WebSocketImpl: FakeSocket,
    win: new EventTarget(),
  });
  connection.start();
  const socket = FakeSocket.all[0];
  socket.welcome();
  const pending = connection.request('note', { text: 'a' });
  for (let sends = 1; sends <= 3; ++sends) {
    await until(() => socket.sent.length === 1 + sends, `send ${sends}`);
    socket.receive({ re: socket.sent[sends].req, error: { code: 'RATE_LIMITED' } });
  }
  await assert.rejects(pending, { code: 'RATE_LIMITED' });
  assert.equal(socket.sent.length, 4);
  connection.stop();
});

test('a request waiting to be resent is rejected when the connection drops', async () => {
  const { connection, sockets } = setup();
  connection.start();
  sockets[0].welcome();
  const pending = connection.request('ping');
  sockets[0].receive({ re: sockets[0].sent[1].req, error: { code: 'RATE_LIMITED' } });
  sockets[0].drop();
  await assert.rejects(pending, { code: 'DISCONNECTED' });
  await pause(300);
  assert.equal(sockets[0].sent.length, 2, 'nothing sent on the dropped socket');
  connection.stop();
});
