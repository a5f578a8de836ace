// WCAG 2.1 A and AA checks with axe-core (from npm, injected into the page) for the tests of
// one flow. A page checked so must be opened with { bypassCSP: true }: axe comes in as a
// script of its own, which the pages' policy rightly refuses.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe on the page and fails with every violation named, with where it is. */
export async function assertAccessible(page, what) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
                                        v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('; '));
  });
  assert.deepEqual(violations, [], `${what}:\n${violations.join('\n')}`);
}
