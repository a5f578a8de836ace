// One shared document in a textarea, kept converging with the server by ot_client.js.
//
// Typing never waits for the network: every input event becomes an operation applied locally
// at once and handed to the OtClient, which sends at most one edit at a time. Everything the
// server says about the document (`applied`, the `ack` of an edit, a `welcome` after a
// reconnect) goes through one inbox, handled in arrival order; while an input method is
// composing text the inbox waits, so a remote edit never breaks the composition.
//
// Remote edits move the local caret and selection through the operation (transformPosition),
// so the member keeps typing where they were. Other members' carets are drawn in an overlay
// mirror of the textarea, each with the member's name.
//
// Positions in the textarea are UTF-16 indices; everything shared is in code points.

import { drawCarets, placeOverlay } from './carets_view.js';
import { TextOperation, codePointLength, transformPosition } from './ot.js';
import { OtClient, SYNCHRONIZED, toRevision } from './ot_client.js';
import { indexOf, inputOperation, positionOf } from './textarea_text.js';

/** How many colours remote carets cycle through (colour is never the only sign). */
export const CARET_COLOURS = 6;

export class SharedEditor {
  /**
   * doc: { id, rev, text }. hooks:
   *   send(edit)                 send { baseRev, op, editId } as an `edit` of this document
   *   changed(op, author, local) the text changed by op (author's edit; local: made here)
   *   status()                   the saved/saving state or the text changed: update labels
   *   selection()                the local caret or selection moved
   *   failed(error)              the document cannot continue; its owner reloads it
   *   lost()                     a welcome replaced the text while local changes were unsent
   *   me()                       this member's id
   * clientPrefix: unique per page load, so edit ids never repeat.
   */
  constructor({ doc, textarea, overlay, clientPrefix, hooks }) {
    this.id = doc.id;
    this.textarea = textarea;
    this.overlay = overlay;
    this.hooks = hooks;
    this.clientPrefix = clientPrefix;
    this.inbox = [];
    this.composing = false;
    /** While catching up after a reconnect: the revision to reach before resending. */
    this.catchUpTo = null;
    /** Other members' carets: memberId -> { name, anchor, head, colour }. */
    this.remote = new Map();
    this.#reset(doc.rev, doc.text ?? '', 1);

    textarea.addEventListener('input', () => this.#onInput());
    textarea.addEventListener('compositionstart', () => {
      this.composing = true;
    });
    textarea.addEventListener('compositionend', () => {
      this.composing = false;
      this.#onInput();
      this.#drain();
    });
    for (const kind of ['select', 'keyup', 'mouseup', 'focus']) {
      textarea.addEventListener(kind, () => this.hooks.selection());
    }
    textarea.addEventListener('scroll', () => placeOverlay(overlay, textarea));
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => this.renderCarets()).observe(textarea);
    }
  }

  /** The local text (what the textarea shows). */
  get text() {
    return this.value;
  }

  /** The latest server revision this copy has seen. */
  get revision() {
    return this.client.revision;
  }

  /** True when every local change is acknowledged by the server. */
  get saved() {
    return this.client.state === SYNCHRONIZED;
  }

  /** The local selection in code points: { anchor, head }. */
  selection() {
    const ta = this.textarea;
    const start = positionOf(this.value, ta.selectionStart);
    const end = positionOf(this.value, ta.selectionEnd);
    return ta.selectionDirection === 'backward' ? { anchor: end, head: start }
                                                : { anchor: start, head: end };
  }

  // ---- from the server, in order ---------------------------------------------------------

  /** An `applied` message for this document. */
  applied(body) {
    this.#post({ kind: 'applied', body });
  }

  /** An `ack` of an edit of this document. */
  acknowledged(body) {
    this.#post({ kind: 'ack', body });
  }

  /**
   * The document as a welcome states it. With catchingUp the local copy is kept and the
   * applied messages that follow bring it up to date; otherwise the welcome's text is taken.
   */
  welcomed(doc) {
    this.#post({ kind: 'welcome', doc });
  }

  #post(item) {
    this.inbox.push(item);
    this.#drain();
  }

  #drain() {
    while (!this.composing && this.inbox.length > 0) {
      const item = this.inbox.shift();
      try {
        if (item.kind === 'applied') this.#onApplied(item.body);
        else if (item.kind === 'ack') this.#onAck(item.body);
        else this.#onWelcome(item.doc);
      } catch (error) {
        this.inbox = [];
        this.hooks.failed(error);
        return;
      }
    }
  }

  #onApplied(body) {
    const op = TextOperation.fromJSON(body.op ?? []);
    const rev = toRevision(body.rev);
    if (rev <= this.client.revision) return; // already seen (a replay overlapping the welcome)
    const { apply, send } = this.client.onApplied(op, rev, body.editId ?? '', body.baseRev ?? 0);
    if (apply) this.#applyRemote(apply, body.author ?? '');
    this.#send(send);
    this.#checkCaughtUp();
    this.hooks.status();
  }

  #onAck(body) {
    if (this.client.state === SYNCHRONIZED || body.editId !== this.client.outstandingEditId) {
      return; // a repeated acknowledgement, already taken from the replayed `applied`
    }
    if (toRevision(body.rev) <= this.client.revision) return;
    this.#send(this.client.onAck(body.rev));
    this.hooks.status();
  }

  #onWelcome(doc) {
    const rev = toRevision(doc.rev ?? 0);
    if (doc.catchingUp && rev >= this.client.revision) {
      this.catchUpTo = rev;
      this.#checkCaughtUp();
      return;
    }
    const lost = !this.saved;
    this.#reset(rev, doc.text ?? '', this.client.nextEdit);
    this.hooks.changed(null, '', false);
    this.hooks.status();
    if (lost) this.hooks.lost();
  }

  #checkCaughtUp() {
    if (this.catchUpTo === null || this.client.revision < this.catchUpTo) return;
    this.catchUpTo = null;
    // Caught up: resend what is still unacknowledged (same edit id, transformed).
    this.#send(this.client.unconfirmed());
  }

  #reset(rev, text, nextEdit) {
    const ta = this.textarea;
    const at = this.value === undefined ? null : this.selection();
    this.client = new OtClient(`${this.clientPrefix}${this.id}`.slice(0, 48), rev,
                               codePointLength(text));
    this.client.nextEdit = nextEdit;
    this.catchUpTo = null;
    this.value = text;
    if (ta.value !== text) {
      ta.value = text;
      if (at) this.#select(Math.min(at.anchor, this.client.length),
                           Math.min(at.head, this.client.length));
    }
    this.renderCarets();
  }

  // ---- local edits ------------------------------------------------------------------------

  #onInput() {
    const after = this.textarea.value;
    if (after === this.value) return;
    const op = inputOperation(this.value, after, this.textarea.selectionEnd);
    this.value = after;
    let send;
    try {
      send = this.client.applyLocal(op);
    } catch (error) {
      this.hooks.failed(error);
      return;
    }
    const me = this.hooks.me();
    for (const [id, caret] of this.remote) {
      this.remote.set(id, { ...caret, anchor: transformPosition(caret.anchor, op, 'before_insert'),
                            head: transformPosition(caret.head, op, 'before_insert') });
    }
    this.hooks.changed(op, me, true);
    this.#send(send);
    this.renderCarets();
    this.hooks.status();
    this.hooks.selection();
  }

  #send(edit) {
    // While catching up nothing is sent: the outstanding edit goes once caught up.
    if (!edit || this.catchUpTo !== null) return;
    this.hooks.send(edit);
  }

  /** Sends the outstanding edit again (after an edit request failed in transit). */
  resend() {
    if (this.catchUpTo === null) this.#send(this.client.unconfirmed());
  }

  // ---- remote edits -----------------------------------------------------------------------

  #applyRemote(op, author) {
    const ta = this.textarea;
    const local = this.selection();
    const scroll = ta.scrollTop;
    this.value = op.apply(this.value);
    ta.value = this.value;
    // The member's own caret stays before text others insert exactly at it.
    this.#select(transformPosition(local.anchor, op, 'before_insert'),
                 transformPosition(local.head, op, 'before_insert'));
    ta.scrollTop = scroll;
    for (const [id, caret] of this.remote) {
      const gravity = id === author ? 'after_insert' : 'before_insert';
      this.remote.set(id, { ...caret, anchor: transformPosition(caret.anchor, op, gravity),
                            head: transformPosition(caret.head, op, gravity) });
    }
    this.hooks.changed(op, author, false);
    this.renderCarets();
  }

  #select(anchor, head) {
    const a = indexOf(this.value, anchor);
    const h = indexOf(this.value, head);
    this.textarea.setSelectionRange(Math.min(a, h), Math.max(a, h), h < a ? 'backward' : 'forward');
  }

  // ---- other members' carets --------------------------------------------------------------

  /** Sets the other members' carets in this document: [{ memberId, name, anchor, head, colour }]. */
  setRemote(list) {
    const length = this.client.length;
    this.remote = new Map(list.map((c) => [c.memberId, {
      name: c.name, colour: c.colour,
      anchor: Math.min(Number(c.anchor) || 0, length), head: Math.min(Number(c.head) || 0, length),
    }]));
    this.renderCarets();
  }

  /** Redraws the overlay: the text (invisible) with each member's caret, name and selection. */
  renderCarets() {
    if (this.renderPending) return;
    this.renderPending = true;
    const draw = () => {
      this.renderPending = false;
      this.#draw();
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(draw);
    else draw();
  }

  #draw() {
    drawCarets(this.overlay, this.textarea, this.value, this.client.length, this.remote);
  }
}
