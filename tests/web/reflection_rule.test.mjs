// The page's reflection rule (clients/web/js/reflection_rule.js) against the cases the
// server's copy is held to as well (tests/vectors/reflection_rule.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as rule from '../../clients/web/js/reflection_rule.js';
import { percent } from '../../clients/web/js/meeting_view.js';

const here = dirname(fileURLToPath(import.meta.url));
const vectors = JSON.parse(readFileSync(join(here, '..', 'vectors', 'reflection_rule.json'), 'utf8'));

test('the target range and default are the shared ones', () => {
  assert.equal(rule.DEFAULT_TARGET_PCT, vectors.default_target_pct);
  assert.equal(rule.MIN_TARGET_PCT, vectors.min_target_pct);
  assert.equal(rule.MAX_TARGET_PCT, vectors.max_target_pct);
  for (const t of vectors.targets) assert.equal(rule.validTarget(t.pct), t.valid, `${t.pct}`);
});

test('shared cases: met, shown per cent and required reflection', () => {
  assert.ok(vectors.cases.length > 0);
  for (const c of vectors.cases) {
    assert.equal(rule.met(c.task_ms, c.reflection_ms, c.target_pct), c.met, c.note);
    assert.equal(rule.shownPercent(c.task_ms, c.reflection_ms), c.shown_percent, c.note);
    assert.equal(rule.requiredMs(c.task_ms + c.reflection_ms, c.target_pct), c.required_ms,
                 c.note);
    // Every screen shows a share through percent(): the same number as from the times.
    assert.equal(percent(rule.share(c.task_ms, c.reflection_ms)), `${c.shown_percent}%`, c.note);
  }
});
