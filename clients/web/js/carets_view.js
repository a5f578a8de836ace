// Other members' carets over a shared document: an overlay mirroring the textarea, holding the
// text (invisible) with each member's caret, name and selection in their colour.

import { el } from './dom.js';
import { advance } from './ot.js';

/** Keeps the overlay over the textarea: its size, and scrolled as the textarea is. */
export function placeOverlay(overlay, ta) {
  const inner = overlay.firstElementChild;
  overlay.style.width = `${ta.clientWidth}px`;
  overlay.style.height = `${ta.clientHeight}px`;
  if (inner) inner.style.transform = `translateY(${-ta.scrollTop}px)`;
}

/**
 * Draws `remote` (Map memberId -> { name, colour, anchor, head }, code points) over `text`
 * (`length` code points) into `overlay`, placed over `textarea`.
 */
export function drawCarets(overlay, textarea, text, length, remote) {
  const carets = [...remote.entries()];
  const points = new Set([0, length]);
  for (const [, c] of carets) {
    points.add(c.anchor);
    points.add(c.head);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const children = [];
  let at = 0;
  for (let k = 0; k < sorted.length; k++) {
    const p = sorted[k];
    for (const [id, c] of carets) {
      if (c.head !== p) continue;
      children.push(el('span', { class: `remote-caret caret-colour-${c.colour}`, 'data-member-id': id },
                       el('span', { class: 'remote-label' }, c.name)));
    }
    if (k + 1 === sorted.length) break;
    const next = sorted[k + 1];
    const end = advance(text, at, next - p);
    const piece = text.slice(at, end);
    at = end;
    const covering = carets.find(([, c]) => Math.min(c.anchor, c.head) <= p &&
                                            Math.max(c.anchor, c.head) >= next);
    children.push(covering ? el('span', { class: `remote-range caret-colour-${covering[1].colour}` },
                                piece)
                           : piece);
  }
  // A final newline needs something after it to take up its line, as in the textarea.
  children.push('\u200b');
  const inner = el('div', { class: 'doc-overlay-inner' }, children);
  overlay.replaceChildren(inner);
  placeOverlay(overlay, textarea);
}
