// WCAG 2.1 A and AA checks with axe-core (from npm, injected into the page) for the tests of
// one flow. A page checked so must be opened with { bypassCSP: true }: axe comes in as a
// script of its own, which the pages' policy rightly refuses.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The WCAG 2.1 A and AA violations axe finds on the page, each named with where it is. */
export async function axeViolations(page) {
  if (!await page.evaluate(() => Boolean(globalThis.axe))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const result = await globalThis.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
                                        v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('; '));
  });
}

/** Runs axe on the page and fails with every violation named, with where it is. */
export async function assertAccessible(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${what}:\n${violations.join('\n')}`);
}
