// A word-level comparison of two texts: which words stayed, which were added and which were
// removed, and how much changed, in words. Pure: no DOM; shown by diff_view.js and the
// document history, tested in tests/web/history_state.test.mjs.

// Spaces, words (an apostrophe or hyphen inside a word keeps it whole) and punctuation, so
// "care." and "care deeply." share "care" and the full stop.
const TOKEN = /\s+|[^\s\p{P}]+(?:['’-][^\s\p{P}]+)*|\p{P}/gu;
const WORD = /[^\s\p{P}]/u;
/** Past this many token pairs the middle is shown as one removal and one addition. */
const MAX_CELLS = 4_000_000;

/** The tokens (words, punctuation marks and the spaces between them) of `text`. */
export function tokens(text) {
  return text.match(TOKEN) ?? [];
}

function pushPart(parts, type, text) {
  if (!text) return;
  const last = parts[parts.length - 1];
  if (last && last.type === type) last.text += text;
  else parts.push({ type, text });
}

/**
 * The differences from `before` to `after` as [{ type: 'same' | 'ins' | 'del', text }]:
 * a longest common subsequence of words after the common start and end are set aside.
 */
export function diffWords(before, after) {
  const a = tokens(before);
  const b = tokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts = [];
  pushPart(parts, 'same', a.slice(0, start).join(''));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_CELLS) {
    pushPart(parts, 'del', midA.join(''));
    pushPart(parts, 'ins', midB.join(''));
  } else {
    const n = midA.length;
    const m = midB.length;
    // lcs[i][j]: length of the longest common subsequence of midA[i:] and midB[j:].
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] = midA[i] === midB[j] ? lcs[i + 1][j + 1] + 1
                                         : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        pushPart(parts, 'same', midA[i++]);
        j++;
      } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        // What was removed reads before what took its place.
        pushPart(parts, 'del', midA[i++]);
      } else {
        pushPart(parts, 'ins', midB[j++]);
      }
    }
  }
  pushPart(parts, 'same', a.slice(endA).join(''));
  return joinRuns(parts);
}

/**
 * The parts with each run of changes read as one removal then one addition: spaces left
 * between two changes belong to both ("[removed: First words.][added: Second thoughts.]",
 * not four pieces around a kept space).
 */
function joinRuns(parts) {
  const out = [];
  let i = 0;
  while (i < parts.length) {
    if (parts[i].type === 'same') {
      out.push(parts[i++]);
      continue;
    }
    let removed = '';
    let added = '';
    while (i < parts.length) {
      const part = parts[i];
      const between = part.type === 'same' && /^\s+$/u.test(part.text) && i + 1 < parts.length;
      if (part.type === 'same' && !between) break;
      if (part.type !== 'ins') removed += part.text;
      if (part.type !== 'del') added += part.text;
      i++;
    }
    pushPart(out, 'del', removed);
    pushPart(out, 'ins', added);
  }
  return out;
}

/** The words in `text` (punctuation and spaces are not words). */
export function countWords(text) {
  return tokens(text).filter((t) => WORD.test(t)).length;
}

/** A short sentence saying how much changed, e.g. "4 words added, 1 removed." */
export function diffSummary(parts) {
  const added = parts.filter((p) => p.type === 'ins').reduce((n, p) => n + countWords(p.text), 0);
  const removed = parts.filter((p) => p.type === 'del').reduce((n, p) => n + countWords(p.text), 0);
  if (added === 0 && removed === 0) {
    if (!parts.some((p) => p.type !== 'same')) return 'Nothing has changed.';
    return parts.some((p) => p.type !== 'same' && /\S/u.test(p.text))
      ? 'Only punctuation has changed.' : 'Only spacing has changed.';
  }
  const words = (n) => (n === 1 ? '1 word' : `${n} words`);
  return `${words(added)} added, ${removed} removed.`;
}
