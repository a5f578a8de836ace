// A word-level comparison of two texts: which words stayed, which were added and which were
// removed, and how much changed, in words. Pure: no DOM; shown by diff_view.js and the
// document history, tested in tests/web/history_state.test.mjs.

const TOKEN = /\s+|[^\s]+/gu;
/** Past this many token pairs the middle is shown as one removal and one addition. */
const MAX_CELLS = 4_000_000;

/** The tokens (words and the spaces between them) of `text`. */
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
      } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        pushPart(parts, 'ins', midB[j++]);
      } else {
        pushPart(parts, 'del', midA[i++]);
      }
    }
  }
  pushPart(parts, 'same', a.slice(endA).join(''));
  return parts;
}

export function countWords(text) {
  return tokens(text).filter((t) => /\S/u.test(t)).length;
}

/** A short sentence saying how much changed, e.g. "4 words added, 1 removed." */
export function diffSummary(parts) {
  const added = parts.filter((p) => p.type === 'ins').reduce((n, p) => n + countWords(p.text), 0);
  const removed = parts.filter((p) => p.type === 'del').reduce((n, p) => n + countWords(p.text), 0);
  if (added === 0 && removed === 0) {
    return parts.some((p) => p.type !== 'same') ? 'Only spacing has changed.' : 'Nothing has changed.';
  }
  const words = (n) => (n === 1 ? '1 word' : `${n} words`);
  return `${words(added)} added, ${removed} removed.`;
}
