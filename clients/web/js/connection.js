// The room's WebSocket: joins with hello, matches answers to requests, hands every server
// message to the dispatcher, and comes back by itself after a drop.
//
// States (reported through onState):
//
//   idle ─start()─▶ connecting ─open─▶ joining ─welcome─▶ joined
//                      ▲                  │                  │
//                      │   drop, close, no answer, non-fatal error to hello
//                      │                  ▼                  ▼
//                      └──── timer ─── waiting ◀─────────────┘
//   any ─ fatal error ─▶ fatal (no more attempts)
//   any ─ stop() ─▶ stopped
//   a drop while the device says it is offline ─▶ offline ─ 'online' event ─▶ connecting
//
// Reconnects wait a bounded exponential delay with jitter, so a server that restarts is not
// met by every browser at the same instant. Each attempt sends a fresh hello built from the
// same token and client id (the server treats them as the same member and device) plus what
// feature modules contribute (for example the revisions of the documents already held).
// While joined, a ping every `heartbeatMs` detects a connection that died without a close
// (a laptop that slept, a mobile network that changed) and gives the server clock offset.

import { Dispatcher, answerTo, messageKind } from './dispatcher.js';

/** The subprotocol this client speaks: proto3 canonical JSON, one message per text frame. */
export const PROTOCOL = 'colead.v1.json';

export const State = Object.freeze({
  IDLE: 'idle',
  CONNECTING: 'connecting',
  JOINING: 'joining',
  JOINED: 'joined',
  WAITING: 'waiting',
  OFFLINE: 'offline',
  FATAL: 'fatal',
  STOPPED: 'stopped',
});

/** Answers to hello that no retry with the same token can change. */
const HELLO_FATAL_CODES = new Set(['UNAUTHORIZED', 'ROOM_NOT_FOUND', 'ROOM_FULL']);

export const DEFAULT_TIMING = Object.freeze({
  backoffBaseMs: 1000, // first retry after 0.5 to 1 s
  backoffMaxMs: 30000, // never wait longer than 30 s between attempts
  connectTimeoutMs: 10000, // a socket that has not opened by then is given up
  helloTimeoutMs: 10000, // a hello with no welcome by then is given up
  requestTimeoutMs: 15000, // default time a request waits for its answer
  rateLimitBaseMs: 250, // after RATE_LIMITED, resend after 125 to 250 ms, doubling
  rateLimitMaxMs: 8000, // never wait longer than 8 s before resending
  rateLimitSends: 8, // sends of one request before RATE_LIMITED is given to the caller
  heartbeatMs: 25000, // below nginx's 60 s default proxy_read_timeout
  heartbeatTimeoutMs: 10000, // a ping with no pong by then means the connection is dead
});

/**
 * The delay before reconnect attempt `attempt` (0-based): exponential, capped at maxMs, with
 * "equal jitter" — a random point in the upper half — so the wait is never near zero and
 * clients spread out.
 */
export function backoffDelay(attempt, baseMs, maxMs, random = Math.random) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A request the server rejected (its Error.code), or one that never got an answer. */
export class RequestError extends Error {
  constructor(code, message, fatal = false) {
    super(message || code);
    this.name = 'RequestError';
    this.code = code;
    this.fatal = fatal;
  }
}

export class RoomConnection {
  #url;
  #hello;
  #helloParts = [];
  #onState;
  #timing;
  #WebSocket;
  #win;

  #state = State.IDLE;
  #socket = null;
  #attempt = 0; // failed attempts since the last welcome
  #nextReq = 1;
  #helloReq = null;
  #pending = new Map(); // req -> { resolve, reject, timer, frame, sends, timeoutMs, kind }
  #timer = null; // connect, hello or reconnect timer
  #heartbeat = null;
  #lastError = null;
  #lastClose = null;
  #retryAt = 0;
  #onlineListener = () => this.#onDeviceOnline();

  /** Member id of this seat, known after the first welcome. */
  memberId = null;
  /** Server clock minus local clock, in ms, from the latest welcome or pong. */
  clockOffsetMs = 0;
  /** Routes every server message by kind; feature modules register on it. */
  dispatcher;

  /**
   * url: the ws:// or wss:// address of the room.
   * hello: () => ({ token, name, role, clientId }), asked at every attempt.
   * onState: (state, details) => void, where details is { attempt, retryInMs, error, close }.
   */
  constructor({ url, hello, onState = () => {}, dispatcher = new Dispatcher(), timing = {},
                WebSocketImpl = globalThis.WebSocket, win = globalThis }) {
    this.#url = url;
    this.#hello = hello;
    this.#onState = onState;
    this.dispatcher = dispatcher;
    this.#timing = { ...DEFAULT_TIMING, ...timing };
    this.#WebSocket = WebSocketImpl;
    this.#win = win;
  }

  get state() {
    return this.#state;
  }

  get joined() {
    return this.#state === State.JOINED;
  }

  /** Shorthand for dispatcher.on(kind, handler). */
  on(kind, handler) {
    return this.dispatcher.on(kind, handler);
  }

  /**
   * Registers fn() => object whose fields are merged into every hello (for example
   * { knownRevisions }). Returns a function that removes it.
   */
  addHelloPart(fn) {
    this.#helloParts.push(fn);
    return () => {
      this.#helloParts = this.#helloParts.filter((part) => part !== fn);
    };
  }

  /** Starts connecting. Does nothing once started, stopped or fatal. */
  start() {
    if (this.#state !== State.IDLE) return;
    this.#win.addEventListener?.('online', this.#onlineListener);
    this.#connect();
  }

  /** Closes the connection for good (leaving the page, for instance). */
  stop() {
    if (this.#state === State.STOPPED) return;
    this.#win.removeEventListener?.('online', this.#onlineListener);
    this.#teardown('stopped');
    this.#setState(State.STOPPED);
  }

  /** While waiting to reconnect, tries now instead of at the end of the delay. */
  reconnectNow() {
    if (this.#state === State.WAITING || this.#state === State.OFFLINE) this.#connect(true);
  }

  /** Drops the current connection and joins again at once with a new hello (new name or role). */
  rejoin() {
    if (this.#state === State.FATAL || this.#state === State.STOPPED) return;
    if (this.#state === State.IDLE) return this.start();
    this.#teardown('rejoining');
    this.#attempt = 0;
    this.#connect(true);
  }

  /**
   * Sends { req, [kind]: body } and resolves with the server's answer message (an ack, or
   * whatever kind answers it), or rejects with a RequestError: the server's error, or
   * NOT_CONNECTED / TIMEOUT / DISCONNECTED from this side. Only while joined.
   * A RATE_LIMITED answer is not final: the same request (same req) is sent again after a
   * growing wait, up to timing.rateLimitSends sends, so an edit the server dropped for coming
   * too fast is not left waiting for ever.
   */
  request(kind, body = {}, { timeoutMs = this.#timing.requestTimeoutMs } = {}) {
    if (!this.joined) {
      return Promise.reject(new RequestError('NOT_CONNECTED', 'Not connected to the room.'));
    }
    const req = String(this.#nextReq++);
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject, timer: null, frame: JSON.stringify({ req, [kind]: body }),
                      sends: 0, timeoutMs, kind };
      this.#pending.set(req, entry);
      this.#sendPending(req, entry);
    });
  }

  /** Sends a pending request (again) and waits for its answer. */
  #sendPending(req, entry) {
    entry.sends += 1;
    entry.timer = setTimeout(() => {
      this.#pending.delete(req);
      entry.reject(new RequestError('TIMEOUT',
                                    `No answer to ${entry.kind} within ${entry.timeoutMs} ms.`));
    }, entry.timeoutMs);
    this.#socket.send(entry.frame);
  }

  /** After RATE_LIMITED: waits, then sends the same request again (false: no sends left). */
  #resendLater(req, entry) {
    if (entry.sends >= this.#timing.rateLimitSends) return false;
    const waitMs = backoffDelay(entry.sends - 1, this.#timing.rateLimitBaseMs,
                                this.#timing.rateLimitMaxMs);
    entry.timer = setTimeout(() => {
      if (this.#pending.get(req) !== entry || !this.joined) return;
      this.#sendPending(req, entry);
    }, waitMs);
    return true;
  }

  /** Sends { [kind]: body } expecting no matched answer. Returns false when not joined. */
  send(kind, body = {}) {
    if (!this.joined) return false;
    this.#socket.send(JSON.stringify({ [kind]: body }));
    return true;
  }

  // ---- connecting --------------------------------------------------------------------

  #connect(immediate = false) {
    this.#clearTimer();
    if (!immediate && this.#win.navigator?.onLine === false) {
      this.#setState(State.OFFLINE);
      return;
    }
    let socket;
    try {
      socket = new this.#WebSocket(this.#url, PROTOCOL);
    } catch (err) {
      // Only a malformed URL throws here; retrying cannot fix it.
      this.#fail({ code: 'BAD_ADDRESS', message: String(err?.message ?? err), fatal: true });
      return;
    }
    this.#socket = socket;
    this.#lastClose = null;
    socket.onopen = () => socket === this.#socket && this.#onOpen();
    socket.onmessage = (ev) => socket === this.#socket && this.#onMessage(ev.data);
    socket.onclose = (ev) =>
      socket === this.#socket && this.#onDrop({ code: ev.code, reason: ev.reason });
    socket.onerror = () => {}; // always followed by close, which carries what we can know
    this.#setState(State.CONNECTING);
    this.#timer = setTimeout(
        () => this.#onDrop({ code: 0, reason: 'the server did not answer' }),
        this.#timing.connectTimeoutMs);
  }

  #onOpen() {
    this.#clearTimer();
    const hello = Object.assign({}, ...this.#helloParts.map((part) => part()), this.#hello());
    this.#helloReq = String(this.#nextReq++);
    this.#setState(State.JOINING);
    this.#socket.send(JSON.stringify({ req: this.#helloReq, hello }));
    this.#timer = setTimeout(
        () => this.#onDrop({ code: 0, reason: 'no welcome from the server' }),
        this.#timing.helloTimeoutMs);
  }

  #onMessage(data) {
    if (typeof data !== 'string') return; // the JSON subprotocol uses text frames only
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn('colead: ignored a frame that is not JSON');
      return;
    }
    const kind = messageKind(message);
    const re = answerTo(message);

    if (re !== '0' && re === this.#helloReq) {
      this.#helloReq = null;
      this.#clearTimer();
      if (kind === 'welcome') {
        this.#onWelcome(message.welcome);
      } else if (kind === 'error') {
        const error = message.error;
        if (error.fatal || HELLO_FATAL_CODES.has(error.code)) {
          this.#fail({ ...error, fatal: true });
          this.dispatcher.dispatch(message);
        } else {
          // A transient refusal (rate limit, a busy server): try again later.
          this.#lastError = error;
          this.#onDrop({ code: 0, reason: error.message || error.code });
        }
        return;
      }
    } else if (re !== '0' && this.#pending.has(re)) {
      const entry = this.#pending.get(re);
      const { resolve, reject, timer } = entry;
      clearTimeout(timer);
      if (kind === 'error' && message.error.code === 'RATE_LIMITED' &&
          this.#resendLater(re, entry)) {
        return;
      }
      this.#pending.delete(re);
      if (kind === 'error') {
        reject(new RequestError(message.error.code, message.error.message, !!message.error.fatal));
      } else {
        resolve(message);
      }
    }
    if (kind === 'pong' && message.pong.serverTimeMs !== undefined) {
      // Refined with the round trip by the heartbeat that asked for it.
      this.#noteServerTime(message.pong.serverTimeMs, 0);
    }

    if (kind === 'error' && message.error.fatal) {
      this.#fail(message.error);
    }
    this.dispatcher.dispatch(message);
  }

  #onWelcome(welcome) {
    this.memberId = welcome.memberId ?? null;
    if (welcome.serverTimeMs !== undefined) this.#noteServerTime(welcome.serverTimeMs, 0);
    this.#attempt = 0;
    this.#lastError = null;
    this.#setState(State.JOINED);
    this.#startHeartbeat();
  }

  #noteServerTime(serverTimeMs, roundTripMs) {
    const server = Number(serverTimeMs);
    if (Number.isFinite(server)) this.clockOffsetMs = server + roundTripMs / 2 - Date.now();
  }

  #startHeartbeat() {
    this.#stopHeartbeat();
    this.#heartbeat = setInterval(() => {
      const sent = Date.now();
      this.request('ping', {}, { timeoutMs: this.#timing.heartbeatTimeoutMs })
          .then((answer) => {
            if (answer.pong?.serverTimeMs !== undefined) {
              this.#noteServerTime(answer.pong.serverTimeMs, Date.now() - sent);
            }
          })
          .catch((err) => {
            if (err.code === 'TIMEOUT') this.#onDrop({ code: 0, reason: 'no answer to ping' });
          });
    }, this.#timing.heartbeatMs);
  }

  #stopHeartbeat() {
    if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }

  // ---- losing the connection -----------------------------------------------------------

  /** The connection is gone (closed, timed out, refused): wait, then try again. */
  #onDrop(close) {
    if (this.#state === State.FATAL || this.#state === State.STOPPED) return;
    this.#lastClose = close;
    this.#teardown('dropped');
    const retryInMs = backoffDelay(this.#attempt, this.#timing.backoffBaseMs,
                                   this.#timing.backoffMaxMs);
    this.#attempt += 1;
    this.#retryAt = Date.now() + retryInMs;
    if (this.#win.navigator?.onLine === false) {
      this.#setState(State.OFFLINE);
      return;
    }
    this.#timer = setTimeout(() => this.#connect(), retryInMs);
    this.#setState(State.WAITING, { retryInMs });
  }

  #onDeviceOnline() {
    if (this.#state === State.OFFLINE) this.#connect(true);
  }

  /** Stops for good because of a fatal error (bad token, no such room, room full). */
  #fail(error) {
    this.#lastError = error;
    this.#teardown('fatal error');
    this.#win.removeEventListener?.('online', this.#onlineListener);
    this.#setState(State.FATAL);
  }

  /** Forgets the socket and everything waiting on it. */
  #teardown(why) {
    this.#clearTimer();
    this.#stopHeartbeat();
    this.#helloReq = null;
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      if (socket.readyState === 0 || socket.readyState === 1) socket.close(1000, why);
    }
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new RequestError('DISCONNECTED', 'The connection to the room was lost.'));
    }
    this.#pending.clear();
  }

  #clearTimer() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #setState(state, extra = {}) {
    this.#state = state;
    this.#onState(state, {
      attempt: this.#attempt,
      error: this.#lastError,
      close: this.#lastClose,
      retryAt: this.#retryAt,
      ...extra,
    });
  }
}
