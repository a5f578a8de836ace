// A word-level comparison of two texts ("what has changed since" the agreed version), shown
// with <ins> and <del> and with words as well as styling: every change starts with a marker
// ("added:", "removed:") that screen readers read and that shows when colour is not seen.

import { el } from './dom.js';

export { diffSummary, diffWords, tokens } from './diff_words.js';

/** The comparison as a block of text with <ins> and <del> marked in words too. */
export function renderDiff(parts) {
  return el('div', { class: 'diff-view' }, parts.map((part) => {
    if (part.type === 'same') return part.text;
    const added = part.type === 'ins';
    return el(added ? 'ins' : 'del', {},
              el('span', { class: 'diff-mark' }, added ? '[added: ' : '[removed: '),
              part.text,
              el('span', { class: 'diff-mark' }, ']'));
  }));
}

/**
 * The comparison with the changes marked for a change in the history: <ins> underlined and
 * <del> struck through, each starting with a word screen readers read ("added", "removed")
 * that stays out of sight; shortened stretches (`trimmed`) are marked as left out.
 */
export function renderMarkedDiff(parts) {
  return el('div', { class: 'diff-view change-diff' }, parts.map((part) => {
    if (part.type === 'same') {
      return part.trimmed ? el('span', { class: 'diff-gap' }, part.text,
                               el('span', { class: 'visually-hidden' }, ' (unchanged text left out)'))
                          : part.text;
    }
    const added = part.type === 'ins';
    return el(added ? 'ins' : 'del', {},
              el('span', { class: 'visually-hidden' }, added ? '[added: ' : '[removed: '),
              part.text,
              el('span', { class: 'visually-hidden' }, ']'));
  }));
}
