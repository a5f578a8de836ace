// Composing and transforming text operations, carrying positions and selections across an
// operation, and the operation of a textarea's edit; see ot.js for the model.

import { TextOperation, characters, invalid } from './ot_operation.js';
import { advance, codePointLength, isHigh, isLow } from './ot_text.js';

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
