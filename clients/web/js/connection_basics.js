// What the room's connection and its callers share: the subprotocol, the connection's states,
// its timing (with the reconnect backoff) and the error a request fails with. No socket here.

/** The subprotocol this client speaks: proto3 canonical JSON, one message per text frame. */
export const PROTOCOL = 'colead.v1.json';

/**
 * The connection's states, reported through onState:
 *
 *   idle ─start()─▶ connecting ─open─▶ joining ─welcome─▶ joined
 *                      ▲                  │                  │
 *                      │   drop, close, no answer, non-fatal error to hello
 *                      │                  ▼                  ▼
 *                      └──── timer ─── waiting ◀─────────────┘
 *   any ─ fatal error ─▶ fatal (no more attempts)
 *   any ─ stop() ─▶ stopped
 *   a drop while the device says it is offline ─▶ offline ─ 'online' event ─▶ connecting
 */
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
export const HELLO_FATAL_CODES = new Set(['UNAUTHORIZED', 'ROOM_NOT_FOUND', 'ROOM_FULL']);

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

/**
 * The message in a frame from the server, or null for one to ignore: the JSON subprotocol
 * uses text frames only, each one JSON object.
 */
export function parseFrame(data) {
  if (typeof data !== 'string') return null;
  try {
    return JSON.parse(data);
  } catch {
    console.warn('colead: ignored a frame that is not JSON');
    return null;
  }
}
