// Unicode code points in JavaScript's UTF-16 strings: how Colead's operations count text
// (see ot.js for why), and how the server's UTF-8 size limits are measured.

export const isHigh = (unit) => unit >= 0xd800 && unit <= 0xdbff;
export const isLow = (unit) => unit >= 0xdc00 && unit <= 0xdfff;

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
