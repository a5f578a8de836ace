// Where the focus goes after an action. The result of an action is often drawn only when the
// room's answer arrives (a meeting's timer, a consult's run), and a control that did its job
// may hide itself; the focus must then go to the result or a sensible control, never to the
// page. No state of its own beyond one wish at a time.

/** True when `node` is on the page and drawn (no hidden ancestor). */
export function shown(node) {
  return Boolean(node?.isConnected) && node.getClientRects().length > 0;
}

/** Focuses `node`, making a heading or a line focusable by script first (tabindex -1). */
export function focusOn(node) {
  if (!node) return false;
  if (node.tabIndex < 0 && !node.hasAttribute('tabindex')) node.tabIndex = -1;
  node.focus();
  return document.activeElement === node;
}

/**
 * A wish for the focus that lasts until it is met or `ms` passes: want(target) focuses
 * target (a node, or a function returning one) as soon as it is shown, unless the person has
 * moved the focus elsewhere meanwhile. A panel calls settle() after drawing.
 */
export function focusKeeper(ms = 5000) {
  let wish = null;
  const lost = () => document.activeElement === document.body || document.activeElement === null;
  const keeper = {
    want(target) {
      wish = { target, from: document.activeElement, until: performance.now() + ms };
      keeper.settle();
    },
    settle() {
      if (!wish) return;
      if (performance.now() > wish.until) {
        wish = null;
        return;
      }
      const node = typeof wish.target === 'function' ? wish.target() : wish.target;
      const free = lost() || document.activeElement === wish.from || !shown(document.activeElement);
      if (!free) {
        wish = null;
        return;
      }
      if (shown(node) && focusOn(node)) wish = null;
    },
  };
  return keeper;
}

/**
 * After a panel redraws: when the focus was inside `panel` and its element is now hidden (a
 * control that went with the phase), move it to `fallback()` so it never drops to the page.
 * Call the returned function after each redraw.
 */
export function keepFocusIn(panel, fallback) {
  let last = null;
  panel.addEventListener('focusin', (event) => {
    last = event.target;
  });
  return () => {
    const active = document.activeElement;
    const dropped = active === document.body || active === null || !shown(active);
    if (!dropped || !last || shown(last)) return;
    for (const node of [].concat(fallback())) {
      if (shown(node) && focusOn(node)) {
        last = node;
        return;
      }
    }
  };
}
