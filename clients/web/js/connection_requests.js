// The requests of one connection waiting for their answers: each is sent as { req, [kind]:
// body }, matched to the answer whose `re` names it, given up after its timeout, and sent
// again after a growing wait when the server answers RATE_LIMITED (up to
// timing.rateLimitSends sends), so an edit the server dropped for coming too fast is not left
// waiting for ever. And the heartbeat that asks, while joined, whether the connection still
// answers.

import { RequestError, backoffDelay } from './connection_basics.js';

export class PendingRequests {
  #pending = new Map(); // req -> { resolve, reject, timer, frame, sends, timeoutMs, kind }
  #nextReq = 1;
  #timing;
  #send;
  #joined;

  /** send(frame) writes a frame to the socket; joined() says whether resending may go on. */
  constructor({ timing, send, joined }) {
    this.#timing = timing;
    this.#send = send;
    this.#joined = joined;
  }

  /** A fresh req id, for a request here or for the hello. */
  nextReq() {
    return String(this.#nextReq++);
  }

  /** Sends the request; resolves with the answer message, rejects with a RequestError. */
  add(kind, body, timeoutMs) {
    const req = this.nextReq();
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
    this.#send(entry.frame);
  }

  /** After RATE_LIMITED: waits, then sends the same request again (false: no sends left). */
  #resendLater(req, entry) {
    if (entry.sends >= this.#timing.rateLimitSends) return false;
    const waitMs = backoffDelay(entry.sends - 1, this.#timing.rateLimitBaseMs,
                                this.#timing.rateLimitMaxMs);
    entry.timer = setTimeout(() => {
      if (this.#pending.get(req) !== entry || !this.#joined()) return;
      this.#sendPending(req, entry);
    }, waitMs);
    return true;
  }

  /**
   * Hands `message` (of `kind`, answering `re`) to the request it answers. Returns 'none'
   * when no request waits for it, 'resent' when the request goes again (the answer is not
   * passed on), 'settled' otherwise.
   */
  answer(re, kind, message) {
    const entry = this.#pending.get(re);
    if (re === '0' || !entry) return 'none';
    clearTimeout(entry.timer);
    if (kind === 'error' && message.error.code === 'RATE_LIMITED' && this.#resendLater(re, entry)) {
      return 'resent';
    }
    this.#pending.delete(re);
    if (kind === 'error') {
      entry.reject(new RequestError(message.error.code, message.error.message, !!message.error.fatal));
    } else {
      entry.resolve(message);
    }
    return 'settled';
  }

  /** Fails every request still waiting: the connection they went out on is gone. */
  failAll() {
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new RequestError('DISCONNECTED', 'The connection to the room was lost.'));
    }
    this.#pending.clear();
  }
}

/**
 * While joined, a ping every `heartbeatMs` detects a connection that died without a close (a
 * laptop that slept, a mobile network that changed) and measures the server clock.
 */
export class Heartbeat {
  #timing;
  #calls;
  #interval = null;

  /**
   * ping(timeoutMs) makes the request; serverTime(ms, roundTripMs) gets each pong's clock;
   * dead() when a ping has no answer in heartbeatTimeoutMs.
   */
  constructor(timing, calls) {
    this.#timing = timing;
    this.#calls = calls;
  }

  /** Starts pinging (again). */
  start() {
    this.stop();
    const { ping, serverTime, dead } = this.#calls;
    this.#interval = setInterval(() => {
      const sent = Date.now();
      ping(this.#timing.heartbeatTimeoutMs)
          .then((answer) => {
            if (answer.pong?.serverTimeMs !== undefined) {
              serverTime(answer.pong.serverTimeMs, Date.now() - sent);
            }
          })
          .catch((err) => {
            if (err.code === 'TIMEOUT') dead();
          });
    }, this.#timing.heartbeatMs);
  }

  stop() {
    if (this.#interval !== null) clearInterval(this.#interval);
    this.#interval = null;
  }
}
