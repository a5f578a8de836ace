// The room's WebSocket: joins with hello, matches answers to requests, hands every server
// message to the dispatcher, and comes back by itself after a drop.
//
// Its states, and how it moves between them, are drawn in connection_basics.js.
//
// Reconnects wait a bounded exponential delay with jitter, so a server that restarts is not
// met by every browser at the same instant. Each attempt sends a fresh hello built from the
// same token and client id (the server treats them as the same member and device) plus what
// feature modules contribute (for example the revisions of the documents already held).
// While joined, a heartbeat (connection_requests.js) finds a connection that died silently.

import {
  DEFAULT_TIMING, HELLO_FATAL_CODES, PROTOCOL, RequestError, State, backoffDelay, parseFrame,
} from './connection_basics.js';
import { Heartbeat, PendingRequests } from './connection_requests.js';
import { Dispatcher, answerTo, messageKind } from './dispatcher.js';

export { DEFAULT_TIMING, PROTOCOL, RequestError, State, backoffDelay };

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
  #helloReq = null;
  #requests; // PendingRequests of the current socket
  #timer = null; // connect, hello or reconnect timer
  #heartbeat; // Heartbeat while joined
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
    this.#heartbeat = new Heartbeat(this.#timing, {
      ping: (timeoutMs) => this.request('ping', {}, { timeoutMs }),
      serverTime: (serverTimeMs, roundTripMs) => this.#noteServerTime(serverTimeMs, roundTripMs),
      dead: () => this.#onDrop({ code: 0, reason: 'no answer to ping' }),
    });
    this.#requests = new PendingRequests({ timing: this.#timing,
                                           send: (frame) => this.#socket.send(frame),
                                           joined: () => this.joined });
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
   * A RATE_LIMITED answer is not final: see connection_requests.js.
   */
  request(kind, body = {}, { timeoutMs = this.#timing.requestTimeoutMs } = {}) {
    if (!this.joined) {
      return Promise.reject(new RequestError('NOT_CONNECTED', 'Not connected to the room.'));
    }
    return this.#requests.add(kind, body, timeoutMs);
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
    this.#helloReq = this.#requests.nextReq();
    this.#setState(State.JOINING);
    this.#socket.send(JSON.stringify({ req: this.#helloReq, hello }));
    this.#timer = setTimeout(
        () => this.#onDrop({ code: 0, reason: 'no welcome from the server' }),
        this.#timing.helloTimeoutMs);
  }

  #onMessage(data) {
    const message = parseFrame(data);
    if (message === null) return;
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
    } else if (this.#requests.answer(re, kind, message) === 'resent') {
      return;
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
    this.#heartbeat.start();
  }

  #noteServerTime(serverTimeMs, roundTripMs) {
    const server = Number(serverTimeMs);
    if (Number.isFinite(server)) this.clockOffsetMs = server + roundTripMs / 2 - Date.now();
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
    this.#heartbeat.stop();
    this.#helloReq = null;
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      if (socket.readyState === 0 || socket.readyState === 1) socket.close(1000, why);
    }
    this.#requests.failAll();
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
