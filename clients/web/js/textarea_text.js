// Between a textarea and the shared text: its positions are UTF-16 indices, everything shared
// is in code points (see ot.js), and one input event becomes one operation.

import { TextOperation, advance, codePointLength } from './ot.js';
import { isHigh, isLow } from './ot_text.js';

/** The UTF-16 index of code point `n` of `text` (clamped to its end). */
export function indexOf(text, n) {
  return advance(text, 0, n);
}

/** The code-point position of UTF-16 index `i` of `text`. */
export function positionOf(text, i) {
  return codePointLength(text.slice(0, i));
}

/**
 * The operation turning `before` into `after` after one input event, using where the caret
 * is now (`caret`, a UTF-16 index in `after`) to place the change where the member made it:
 * typing "a" in "aa" between the two is an insert at 1, not at 2.
 */
export function inputOperation(before, after, caret) {
  const maxSuffix = Math.max(0, Math.min(before.length, after.length - caret));
  let end = 0;
  while (end < maxSuffix &&
         before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) {
    end++;
  }
  let start = 0;
  const maxPrefix = Math.min(before.length, after.length) - end;
  while (start < maxPrefix && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never cut between the halves of a surrogate pair.
  if (start > 0 && isHigh(before.charCodeAt(start - 1))) start--;
  if (end > 0 && isLow(before.charCodeAt(before.length - end))) end--;
  const op = new TextOperation();
  op.retain(codePointLength(before.slice(0, start)));
  op.insert(after.slice(start, after.length - end));
  op.delete(codePointLength(before.slice(start, before.length - end)));
  op.retain(codePointLength(before.slice(before.length - end)));
  return op;
}
