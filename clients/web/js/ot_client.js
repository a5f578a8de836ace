// The client side of a shared document in the browser: the state machine that keeps the local
// text converging with the server while the member's own edits are in flight. The same
// machine as the server's colead::ot::client (server/ot/client.hpp) and ot.js's lib/client.js.
//
// It holds no text. Its owner applies local edits to the textarea and calls applyLocal,
// applies what onRemote / onApplied return, and sends what the machine hands back as
// `edit { doc, baseRev, op, editId }`.
//
//                 applyLocal: send it                       applyLocal: keep it
//   +--------------+ ------------> +------------------+ -------------> +----------------------+
//   | synchronized |               | awaiting_confirm |                | awaiting_with_buffer |
//   +--------------+ <------------ +------------------+ <------------- +----------------------+
//                       onAck                           onAck: send        applyLocal:
//                                                       the buffer         compose into buffer
//
//   onRemote never changes the state: it transforms the outstanding edit and the buffer over
//   the server's edit and returns the edit to apply locally.
//
// At most one edit is in flight. The outstanding edit and the buffer are kept transformed to
// the latest server revision seen, so after a reconnect and catch-up, unconfirmed() is exactly
// what to resend (same editId).
//
// Tie-break: a server edit and the outstanding edit that insert at the same place are ordered
// by tieBreak from the revisions each was made on, exactly as the server orders them when the
// outstanding edit reaches it (server/ot/text_operation.hpp tie_break), so both sides
// transform identically. The buffer has not been sent: it will be made on a revision after
// the server edit, so its text stays first, and a person's own run of letters stays together.
//
// Misuse (an ack with nothing in flight, a revision out of order, an edit that does not fit)
// throws OtError and leaves the machine unchanged; the owner then reloads the document.

import { OtError, compose, transform } from './ot.js';

/**
 * A revision as a Number. The JSON subprotocol writes 64-bit integers as strings
 * ("rev": "12"), so both forms are accepted.
 */
export function toRevision(value) {
  const rev = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (!Number.isSafeInteger(rev) || rev < 0) {
    throw new OtError('BAD_REVISION', `"${value}" is not a revision number`);
  }
  return rev;
}

/**
 * Which text stays first when an edit made on revision `incomingBase` and an edit already
 * applied, made on revision `appliedBase`, insert at the same place (for
 * transform(incoming, applied, ...)): the applied one ('b') unless the incoming one was made
 * on a later revision ('a'): its author had seen more of the document.
 */
export function tieBreak(incomingBase, appliedBase) {
  return incomingBase > appliedBase ? 'a' : 'b';
}

export const SYNCHRONIZED = 'synchronized';
export const AWAITING_CONFIRM = 'awaiting_confirm';
export const AWAITING_WITH_BUFFER = 'awaiting_with_buffer';

export class OtClient {
  /**
   * A client whose local text has `length` code points and matches the server at `revision`.
   * `clientId` prefixes the edit ids ("<clientId>-1", "-2", ...) and must be unique per page
   * load, so ids never repeat across sessions.
   */
  constructor(clientId, revision, length) {
    this.clientId = clientId;
    this.state = SYNCHRONIZED;
    /** The latest server revision seen. */
    this.revision = toRevision(revision);
    /** The local text's length in code points. */
    this.length = length;
    /** The edit awaiting confirmation (based on `revision`), or null. */
    this.outstanding = null;
    this.outstandingEditId = '';
    /** The base revision the outstanding edit was last sent with (ties are decided by it). */
    this.sentBase = 0;
    /** Local edits made since the outstanding one was sent, or null. */
    this.buffer = null;
    this.nextEdit = 1;
  }

  /**
   * The outstanding edit as it must be (re)sent now, or null. Send what it returns: later
   * ties are decided with the base revision it names.
   */
  unconfirmed() {
    if (this.state === SYNCHRONIZED) return null;
    this.sentBase = this.revision;
    return { baseRev: this.revision, op: this.outstanding, editId: this.outstandingEditId };
  }

  /**
   * The member made `op` (already applied to the local text). Returns the edit to send when
   * synchronized, null otherwise. Edits that change nothing are ignored.
   */
  applyLocal(op) {
    if (op.baseLength !== this.length) {
      throw new OtError(
        'INVALID_OP',
        `local edit covers ${op.baseLength} characters but the local text has ${this.length}`,
      );
    }
    if (op.isNoop()) return null;
    let send = null;
    if (this.state === SYNCHRONIZED) {
      this.outstanding = op;
      this.outstandingEditId = this.#nextEditId();
      this.state = AWAITING_CONFIRM;
      this.sentBase = this.revision;
      send = { baseRev: this.revision, op, editId: this.outstandingEditId };
    } else if (this.state === AWAITING_CONFIRM) {
      this.buffer = op;
      this.state = AWAITING_WITH_BUFFER;
    } else {
      this.buffer = compose(this.buffer, op);
    }
    this.length = op.targetLength;
    return send;
  }

  /** The server acknowledged the outstanding edit as `rev`. Returns the next edit to send. */
  onAck(revision) {
    const rev = toRevision(revision);
    if (this.state === SYNCHRONIZED) {
      throw new OtError(
        'BAD_REVISION',
        `acknowledgement of revision ${rev} arrived while no edit was awaiting one`,
      );
    }
    this.#checkNext(rev, 'acknowledgement');
    this.revision = rev;
    if (this.state === AWAITING_CONFIRM) {
      this.state = SYNCHRONIZED;
      this.outstanding = null;
      this.outstandingEditId = '';
      return null;
    }
    // The buffer was made on top of the acknowledged edit, so it is based on `rev` already.
    // Edits that undid each other leave a buffer that changes nothing: there is nothing to
    // send, and the server refuses an edit that changes nothing.
    if (this.buffer.isNoop()) {
      this.state = SYNCHRONIZED;
      this.outstanding = null;
      this.buffer = null;
      this.outstandingEditId = '';
      return null;
    }
    this.outstanding = this.buffer;
    this.buffer = null;
    this.outstandingEditId = this.#nextEditId();
    this.state = AWAITING_CONFIRM;
    this.sentBase = this.revision;
    return { baseRev: this.revision, op: this.outstanding, editId: this.outstandingEditId };
  }

  /**
   * The server applied another member's `op`, made on revision `baseRevision`, as `rev`.
   * Returns the edit to apply locally.
   */
  onRemote(op, revision, baseRevision) {
    const rev = toRevision(revision);
    const base = toRevision(baseRevision);
    this.#checkNext(rev, 'remote edit');
    if (this.state === SYNCHRONIZED) {
      if (op.baseLength !== this.length) {
        throw new OtError(
          'INVALID_OP',
          `remote edit for revision ${rev} covers ${op.baseLength} characters but the local text has ${this.length}`,
        );
      }
      this.revision = rev;
      this.length = op.targetLength;
      return op;
    }
    // Compute everything first so a failure leaves the machine as it was.
    const [outstanding, overOutstanding] =
        transform(this.outstanding, op, tieBreak(this.sentBase, base));
    let local = overOutstanding;
    let buffer = null;
    if (this.state === AWAITING_WITH_BUFFER) {
      [buffer, local] = transform(this.buffer, overOutstanding, 'a');
    }
    this.revision = rev;
    this.outstanding = outstanding;
    this.buffer = buffer;
    this.length = local.targetLength;
    return local;
  }

  /**
   * Handles an `applied` message, including those replayed after a reconnect: the client's
   * own outstanding edit (recognised by editId) counts as its acknowledgement, anything else
   * is a remote edit (made on revision `baseRev`). Returns
   * { apply: TextOperation | null, send: edit | null }.
   */
  onApplied(op, rev, editId, baseRev) {
    if (this.state !== SYNCHRONIZED && editId && editId === this.outstandingEditId) {
      return { apply: null, send: this.onAck(rev) };
    }
    return { apply: this.onRemote(op, rev, baseRev), send: null };
  }

  #checkNext(rev, what) {
    if (rev !== this.revision + 1) {
      throw new OtError(
        'BAD_REVISION',
        `${what} names revision ${rev} but the client is at revision ${this.revision} and expects ${this.revision + 1}`,
      );
    }
  }

  #nextEditId() {
    return `${this.clientId}-${this.nextEdit++}`;
  }
}

