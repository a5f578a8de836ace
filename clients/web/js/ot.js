// Text operations for Colead's shared documents, in the browser: the same model as the
// server's colead::ot (server/ot/text_operation.hpp), held to the same golden vectors
// (tests/vectors/ot_*.json).
//
// An operation walks over the whole document and is a list of components, each exactly one
// of:
//   retain(n)     keep the next n code points;
//   insert(text)  insert text at the current position;
//   delete(n)     delete the next n code points.
// On the wire (the JSON subprotocol) an operation is an array of objects each with exactly one
// of {"retain": n}, {"insert": "text"}, {"delete": n}.
//
// Why counts are Unicode code points: every replica must agree on what "position 12" means.
// JavaScript strings are UTF-16 and the server stores UTF-8, so neither UTF-16 units nor
// bytes would do; code points are the same everywhere. Counting code points also means an
// operation can never split a surrogate pair, so the text stays well formed. Everything here
// therefore walks strings by code point, never by `.length` or index arithmetic alone.
//
// Normal form, kept by the builders: no empty components, adjacent components of one kind
// merged, and an insert always before a delete at the same position.
//
// Tie-break: when both sides of a transform insert at the same place, the side marked as
// applied first keeps its text first. The server's already-applied edit is always that side.
//
// Errors are thrown as OtError with `code` set to the wire error code ('INVALID_OP',
// 'TOO_LARGE') and a message that names what was wrong.

/** The largest count a retain or delete may carry (matches the server). */
export const MAX_COMPONENT_COUNT = 2 ** 40;

export class OtError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'OtError';
    this.code = code;
  }
}

const invalid = (message) => new OtError('INVALID_OP', message);

const isHigh = (unit) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit) => unit >= 0xdc00 && unit <= 0xdfff;

/** The number of code points in `text` (a lone surrogate counts as one). */
export function codePointLength(text) {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    if (isHigh(text.charCodeAt(i)) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) i++;
    count++;
  }
  return count;
}

/**
 * The UTF-16 index reached by moving `count` code points forward from index `from` in
 * `text`; text.length if the text ends first.
 */
export function advance(text, from, count) {
  let i = from;
  while (count > 0 && i < text.length) {
    if (isHigh(text.charCodeAt(i)) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
      i += 2;
    } else {
      i += 1;
    }
    count--;
  }
  return i;
}

/** The UTF-16 index of the code point with index `n`, or -1 when the text is shorter. */
export function codePointOffset(text, n) {
  const at = advance(text, 0, n);
  if (at < text.length) return at;
  return codePointLength(text) >= n ? text.length : -1;
}

/**
 * The UTF-16 index of the first lone surrogate in `text`, or -1 when it is well formed (and
 * so has a UTF-8 encoding the server accepts).
 */
export function firstLoneSurrogate(text) {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (isHigh(unit)) {
      if (i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
        i++;
        continue;
      }
      return i;
    }
    if (isLow(unit)) return i;
  }
  return -1;
}

/** The number of bytes `text` takes in UTF-8 (the server's size limit counts these). */
export function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (isHigh(unit) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const characters = (n) => `${n} ${n === 1 ? 'character' : 'characters'}`;

export class TextOperation {
  constructor() {
    /**
     * Components in normal form: { kind: 'retain' | 'insert' | 'delete', count, text }.
     * `count` is in code points; `text` is set for inserts only.
     */
    this.components = [];
    /** Code points the operation covers in the document it applies to. */
    this.baseLength = 0;
    /** Code points of the document after applying it. */
    this.targetLength = 0;
  }

  /**
   * Builds an operation from its wire form (untrusted input), normalising it. Throws OtError
   * INVALID_OP naming the component (1-based) that is malformed: not an object with exactly
   * one of retain, insert, delete; a count that is not a whole number from 0 to
   * MAX_COMPONENT_COUNT; inserted text that is not a string or has a lone surrogate.
   */
  static fromJSON(wire) {
    if (!Array.isArray(wire)) throw invalid('an operation must be an array of components');
    const op = new TextOperation();
    wire.forEach((c, index) => {
      const where = `component ${index + 1}`;
      if (c === null || typeof c !== 'object' || Array.isArray(c)) {
        throw invalid(`${where} is not an object`);
      }
      const keys = Object.keys(c);
      if (keys.length !== 1) {
        throw invalid(`${where} must have exactly one of retain, insert, delete`);
      }
      const [kind] = keys;
      const value = c[kind];
      if (kind === 'insert') {
        if (typeof value !== 'string') throw invalid(`${where} (insert) must carry text`);
        const lone = firstLoneSurrogate(value);
        if (lone >= 0) {
          throw invalid(`${where} (insert) is not valid Unicode: lone surrogate at index ${lone}`);
        }
        op.insert(value);
      } else if (kind === 'retain' || kind === 'delete') {
        if (!Number.isInteger(value) || value < 0 || value > MAX_COMPONENT_COUNT) {
          throw invalid(`${where} (${kind}) must be a whole number of characters`);
        }
        if (kind === 'retain') op.retain(value);
        else op.delete(value);
      } else {
        throw invalid(`${where} has an unknown kind "${kind}"`);
      }
      if (op.baseLength > MAX_COMPONENT_COUNT || op.targetLength > MAX_COMPONENT_COUNT) {
        throw invalid('operation covers more characters than any document can hold');
      }
    });
    return op;
  }

  /** The wire form: [{retain: n} | {insert: text} | {delete: n}, ...]. */
  toJSON() {
    return this.components.map((c) => ({ [c.kind]: c.kind === 'insert' ? c.text : c.count }));
  }

  /** Keeps the next n code points. */
  retain(n) {
    if (n === 0) return this;
    this.baseLength += n;
    this.targetLength += n;
    const last = this.components[this.components.length - 1];
    if (last && last.kind === 'retain') last.count += n;
    else this.components.push({ kind: 'retain', count: n });
    return this;
  }

  /** Inserts `text` (well-formed) at the current position. */
  insert(text) {
    if (text === '') return this;
    const n = codePointLength(text);
    this.targetLength += n;
    const list = this.components;
    const last = list[list.length - 1];
    if (last && last.kind === 'insert') {
      last.text += text;
      last.count += n;
    } else if (last && last.kind === 'delete') {
      // Normal form puts an insert before a delete at the same position.
      const before = list[list.length - 2];
      if (before && before.kind === 'insert') {
        before.text += text;
        before.count += n;
      } else {
        list.splice(list.length - 1, 0, { kind: 'insert', count: n, text });
      }
    } else {
      list.push({ kind: 'insert', count: n, text });
    }
    return this;
  }

  /** Deletes the next n code points. */
  delete(n) {
    if (n === 0) return this;
    this.baseLength += n;
    const last = this.components[this.components.length - 1];
    if (last && last.kind === 'delete') last.count += n;
    else this.components.push({ kind: 'delete', count: n });
    return this;
  }

  /** True when applying it changes no document (only retains). */
  isNoop() {
    return this.components.every((c) => c.kind === 'retain');
  }

  equals(other) {
    if (this.components.length !== other.components.length) return false;
    return this.components.every((c, i) => {
      const d = other.components[i];
      return c.kind === d.kind && c.count === d.count && (c.text ?? '') === (d.text ?? '');
    });
  }

  /**
   * Applies the operation to `doc` and returns the new text. Throws INVALID_OP when
   * baseLength differs from the document's length in code points, TOO_LARGE when the result
   * would exceed `limits` ({ maxCodePoints, maxBytes }, both optional).
   */
  apply(doc, limits = {}) {
    const length = codePointLength(doc);
    if (length !== this.baseLength) {
      throw invalid(
        `operation covers ${characters(this.baseLength)} but the document has ${length}`,
      );
    }
    const { maxCodePoints = Infinity, maxBytes = Infinity } = limits;
    if (this.targetLength > maxCodePoints) {
      throw new OtError(
        'TOO_LARGE',
        `the edit would make the document ${characters(this.targetLength)} long; the limit is ${maxCodePoints}`,
      );
    }
    const parts = [];
    let at = 0;
    for (const c of this.components) {
      if (c.kind === 'insert') {
        parts.push(c.text);
        continue;
      }
      const next = advance(doc, at, c.count);
      if (c.kind === 'retain') parts.push(doc.slice(at, next));
      at = next;
    }
    const out = parts.join('');
    if (maxBytes !== Infinity) {
      const bytes = utf8Length(out);
      if (bytes > maxBytes) {
        throw new OtError(
          'TOO_LARGE',
          `the edit would make the document ${bytes} bytes long; the limit is ${maxBytes} bytes`,
        );
      }
    }
    return out;
  }
}

// Walks an operation's components, handing out whole components or prefixes of them.
// Splitting an insert keeps a UTF-16 offset into its text, so it is linear in its size.
class Cursor {
  constructor(op) {
    this.list = op.components;
    this.index = 0;
    this.used = 0; // code points of the current component already taken
    this.offset = 0; // UTF-16 offset into the current insert's text
  }

  done() {
    return this.index === this.list.length;
  }

  kind() {
    return this.list[this.index].kind;
  }

  remaining() {
    return this.list[this.index].count - this.used;
  }

  takeAll() {
    return this.take(this.remaining());
  }

  /** Takes the next n code points (0 < n <= remaining()) as { kind, count, text }. */
  take(n) {
    const c = this.list[this.index];
    const piece = { kind: c.kind, count: n, text: '' };
    if (c.kind === 'insert') {
      const end = n === this.remaining() ? c.text.length : advance(c.text, this.offset, n);
      piece.text = c.text.slice(this.offset, end);
      this.offset = end;
    }
    this.used += n;
    if (this.used === c.count) {
      this.index++;
      this.used = 0;
      this.offset = 0;
    }
    return piece;
  }
}

/**
 * The single operation with the effect of `a` then `b`:
 * b.apply(a.apply(S)) === compose(a, b).apply(S). Throws INVALID_OP when
 * a.targetLength !== b.baseLength.
 */
export function compose(a, b) {
  if (a.targetLength !== b.baseLength) {
    throw invalid(
      `cannot compose: the first operation produces ${characters(a.targetLength)} but the second covers ${b.baseLength}`,
    );
  }
  const out = new TextOperation();
  const ca = new Cursor(a);
  const cb = new Cursor(b);
  while (!ca.done() || !cb.done()) {
    if (!ca.done() && ca.kind() === 'delete') {
      out.delete(ca.takeAll().count);
      continue;
    }
    if (!cb.done() && cb.kind() === 'insert') {
      out.insert(cb.takeAll().text);
      continue;
    }
    if (ca.done() || cb.done()) throw invalid('cannot compose: lengths disagree');
    const n = Math.min(ca.remaining(), cb.remaining());
    const pa = ca.take(n);
    const pb = cb.take(n);
    if (pa.kind === 'retain') {
      if (pb.kind === 'retain') out.retain(n);
      else out.delete(n);
    } else if (pb.kind === 'retain') {
      out.insert(pa.text);
    }
    // Inserted by a and deleted by b: it never appears.
  }
  return out;
}

/**
 * Transforms concurrent operations `a` and `b`, made on the same document S, into
 * [aPrime, bPrime] such that
 *   apply(apply(S, a), bPrime) === apply(apply(S, b), aPrime).
 * `appliedFirst` ('a' or 'b') names the side whose text stays first when both insert at the
 * same place. Throws INVALID_OP when the base lengths differ.
 */
export function transform(a, b, appliedFirst) {
  if (appliedFirst !== 'a' && appliedFirst !== 'b') {
    throw new TypeError("transform: appliedFirst must be 'a' or 'b'");
  }
  if (a.baseLength !== b.baseLength) {
    throw invalid(
      `cannot transform: the operations cover ${characters(a.baseLength)} and ${characters(b.baseLength)} of the same document`,
    );
  }
  const aPrime = new TextOperation();
  const bPrime = new TextOperation();
  const ca = new Cursor(a);
  const cb = new Cursor(b);
  while (!ca.done() || !cb.done()) {
    const aInserts = !ca.done() && ca.kind() === 'insert';
    const bInserts = !cb.done() && cb.kind() === 'insert';
    if (aInserts && (!bInserts || appliedFirst === 'a')) {
      const p = ca.takeAll();
      aPrime.insert(p.text);
      bPrime.retain(p.count);
      continue;
    }
    if (bInserts) {
      const p = cb.takeAll();
      bPrime.insert(p.text);
      aPrime.retain(p.count);
      continue;
    }
    if (ca.done() || cb.done()) throw invalid('cannot transform: lengths disagree');
    const n = Math.min(ca.remaining(), cb.remaining());
    const ka = ca.take(n).kind;
    const kb = cb.take(n).kind;
    if (ka === 'retain' && kb === 'retain') {
      aPrime.retain(n);
      bPrime.retain(n);
    } else if (ka === 'delete' && kb === 'retain') {
      aPrime.delete(n);
    } else if (ka === 'retain' && kb === 'delete') {
      bPrime.delete(n);
    }
    // Both deleted the same text: nothing left to do.
  }
  return [aPrime, bPrime];
}

/**
 * Where `position` (in code points, before `op`) is after it. Positions inside deleted text
 * move to the start of the deletion; positions beyond baseLength count as baseLength.
 * `gravity` says where a caret goes when text is inserted exactly at it: 'before_insert'
 * keeps it in place (others' typing), 'after_insert' moves it past (one's own typing).
 */
export function transformPosition(position, op, gravity) {
  if (gravity !== 'before_insert' && gravity !== 'after_insert') {
    throw new TypeError("transformPosition: gravity must be 'before_insert' or 'after_insert'");
  }
  let remaining = Math.min(position, op.baseLength);
  let moved = remaining;
  for (const c of op.components) {
    if (c.kind === 'retain') {
      if (remaining < c.count) return moved;
      remaining -= c.count;
    } else if (c.kind === 'insert') {
      if (remaining > 0 || gravity === 'after_insert') moved += c.count;
      else return moved;
    } else {
      const gone = Math.min(remaining, c.count);
      moved -= gone;
      remaining -= gone;
    }
  }
  return moved;
}

/** Moves both ends of a selection { anchor, head } through `op`. */
export function transformSelection(selection, op, gravity) {
  return {
    anchor: transformPosition(selection.anchor, op, gravity),
    head: transformPosition(selection.head, op, gravity),
  };
}

/**
 * The operation turning `before` into `after` for a single changed region (what a textarea's
 * input event produces): the common prefix and suffix are kept, the middle replaced. Both
 * strings are compared by code point, so a surrogate pair is never split.
 */
export function diffToOperation(before, after) {
  let start = 0;
  const limit = Math.min(before.length, after.length);
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never end the prefix between the halves of a surrogate pair.
  if (start > 0 && isHigh(before.charCodeAt(start - 1))) start--;
  let endBefore = before.length;
  let endAfter = after.length;
  while (
    endBefore > start &&
    endAfter > start &&
    before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)
  ) {
    endBefore--;
    endAfter--;
  }
  if (endBefore < before.length && isLow(before.charCodeAt(endBefore))) {
    endBefore++;
    endAfter++;
  }
  const op = new TextOperation();
  op.retain(codePointLength(before.slice(0, start)));
  op.insert(after.slice(start, endAfter));
  op.delete(codePointLength(before.slice(start, endBefore)));
  op.retain(codePointLength(before.slice(endBefore)));
  return op;
}
