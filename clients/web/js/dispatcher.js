// Routes server messages to the feature modules that handle them.
//
// A ServerMessage in the JSON mapping is an object with an optional `re` (the request it
// answers; absent or "0" for pushes) and exactly one other key, the kind: `welcome`,
// `presence`, `applied`, `meetingState`, ... Feature modules register for the kinds they
// understand; a kind nobody registered for is ignored, so a newer server can add kinds
// without breaking an older page.

/** Returns the kind of a server message (its one key besides `re`), or null if it has none. */
export function messageKind(message) {
  if (message === null || typeof message !== 'object') return null;
  for (const key of Object.keys(message)) {
    if (key !== 're') return key;
  }
  return null;
}

/** Returns the `re` of a server message as a string, "0" when it answers no request. */
export function answerTo(message) {
  const re = message?.re;
  return re === undefined || re === null ? '0' : String(re);
}

export class Dispatcher {
  #handlers = new Map();

  /**
   * Calls handler(body, message) for every message of `kind`, in registration order.
   * Returns a function that removes the handler.
   */
  on(kind, handler) {
    if (!this.#handlers.has(kind)) this.#handlers.set(kind, new Set());
    this.#handlers.get(kind).add(handler);
    return () => this.#handlers.get(kind)?.delete(handler);
  }

  /**
   * Hands a message to the handlers of its kind. A handler that throws is reported on the
   * console and does not stop the others: one broken panel must not take the room down.
   * Returns true if at least one handler took the message.
   */
  dispatch(message) {
    const kind = messageKind(message);
    const handlers = kind === null ? undefined : this.#handlers.get(kind);
    if (!handlers || handlers.size === 0) return false;
    for (const handler of [...handlers]) {
      try {
        handler(message[kind] ?? {}, message);
      } catch (err) {
        console.error(`colead: the ${kind} handler failed`, err);
      }
    }
    return true;
  }
}
