// Tests for the browser's operation model (clients/web/js/ot.js) and client state machine
// (clients/web/js/ot_client.js): the golden vectors shared with the C++ server, hand cases
// for UTF-16 handling, and seeded property tests.
//
// Run: node --test tests/web/
// Every random case prints its seed on failure; replay one with COLEAD_OT_SEED=<seed>.
// COLEAD_OT_HISTORIES=<n> changes how many random histories run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  OtError,
  TextOperation,
  advance,
  codePointLength,
  codePointOffset,
  compose,
  diffToOperation,
  firstLoneSurrogate,
  transform,
  transformPosition,
  transformSelection,
  utf8Length,
} from '../../clients/web/js/ot.js';
import {
  AWAITING_CONFIRM,
  AWAITING_WITH_BUFFER,
  OtClient,
  SYNCHRONIZED,
  tieBreak,
  toRevision,
} from '../../clients/web/js/ot_client.js';

const here = dirname(fileURLToPath(import.meta.url));
const vectors = (name) =>
  JSON.parse(readFileSync(join(here, '..', 'vectors', name), 'utf8')).cases;

const op = (wire) => TextOperation.fromJSON(wire);
const insertAt = (length, at, text) =>
  new TextOperation().retain(at).insert(text).retain(length - at);

// An expected operation from a vector file must be written in normal form.
function normal(wire) {
  const built = op(wire);
  assert.deepEqual(built.toJSON(), wire, 'expected operation is not in normal form');
  return built;
}

// --- Golden vectors shared with the server ---------------------------------------------------

test('golden transform vectors', () => {
  const cases = vectors('ot_transform.json');
  assert.ok(cases.length >= 40);
  for (const c of cases) {
    const a = op(c.a);
    const b = op(c.b);
    const [aPrime, bPrime] = transform(a, b, c.applied_first);
    assert.deepEqual(aPrime.toJSON(), normal(c.a_prime).toJSON(), `${c.name}: a_prime`);
    assert.deepEqual(bPrime.toJSON(), normal(c.b_prime).toJSON(), `${c.name}: b_prime`);
    assert.equal(bPrime.apply(a.apply(c.doc)), c.result, `${c.name}: via a`);
    assert.equal(aPrime.apply(b.apply(c.doc)), c.result, `${c.name}: via b`);
  }
});

test('golden apply vectors', () => {
  for (const c of vectors('ot_apply.json')) {
    if (c.error) {
      assert.throws(
        () => op(c.op).apply(c.doc),
        (e) => e instanceof OtError && e.code === c.error,
        c.name,
      );
      continue;
    }
    const built = op(c.op);
    assert.deepEqual(built.toJSON(), normal(c.normalised).toJSON(), `${c.name}: normal form`);
    assert.equal(built.apply(c.doc), c.result, c.name);
  }
});

test('golden compose vectors', () => {
  for (const c of vectors('ot_compose.json')) {
    const a = op(c.a);
    const b = op(c.b);
    const composed = compose(a, b);
    assert.deepEqual(composed.toJSON(), normal(c.composed).toJSON(), c.name);
    assert.equal(composed.apply(c.doc), c.result, c.name);
    assert.equal(b.apply(a.apply(c.doc)), c.result, c.name);
  }
});

test('golden caret vectors', () => {
  for (const c of vectors('ot_caret.json')) {
    assert.equal(transformPosition(c.position, op(c.op), c.gravity), c.expected, c.name);
  }
});

test('golden tie-break vectors', () => {
  for (const c of vectors('ot_tie_break.json')) {
    const first = tieBreak(c.incoming_base, c.applied_base);
    assert.equal(first, c.applied_first, `${c.name}: tie-break`);
    const applied = op(c.applied);
    const [incomingPrime] = transform(op(c.incoming), applied, first);
    assert.deepEqual(incomingPrime.toJSON(), normal(c.incoming_prime).toJSON(), c.name);
    assert.equal(incomingPrime.apply(applied.apply(c.doc)), c.result, c.name);
  }
});

// --- UTF-16 handling -------------------------------------------------------------------------

test('code points, not UTF-16 units', () => {
  const text = 'a\u00e9\u5171\u{1F600}z';
  assert.equal(text.length, 6);
  assert.equal(codePointLength(text), 5);
  assert.equal(codePointOffset(text, 3), 3);
  assert.equal(codePointOffset(text, 4), 5);
  assert.equal(codePointOffset(text, 5), 6);
  assert.equal(codePointOffset(text, 6), -1);
  assert.equal(advance(text, 3, 1), 5);
  assert.equal(codePointLength('\u{1F469}\u200D\u{1F469}\u200D\u{1F467}'), 5);
  assert.equal(codePointLength('\u{1F44D}\u{1F3FD}'), 2);
  assert.equal(codePointLength('\ud800x'), 2, 'a lone surrogate counts as one');
});

test('UTF-8 length matches the server size limit', () => {
  assert.equal(utf8Length('a\u00e9\u5171\u{1F600}'), 1 + 2 + 3 + 4);
  assert.throws(
    () => op([{ insert: '\u{1F600}\u{1F600}a' }]).apply('', { maxBytes: 8 }),
    (e) => e.code === 'TOO_LARGE' && /9 bytes long; the limit is 8 bytes/.test(e.message),
  );
  assert.throws(
    () => op([{ retain: 3 }, { insert: 'abc' }]).apply('abc', { maxCodePoints: 5 }),
    (e) =>
      e.code === 'TOO_LARGE' &&
      e.message === 'the edit would make the document 6 characters long; the limit is 5',
  );
});

test('length mismatch message names both lengths', () => {
  assert.throws(
    () => op([{ retain: 12 }]).apply('0123456789'),
    (e) =>
      e.code === 'INVALID_OP' &&
      e.message === 'operation covers 12 characters but the document has 10',
  );
});

test('wire form is validated', () => {
  const rejects = [
    ['not an array', { retain: 1 }],
    ['two kinds in one component', [{ retain: 1, delete: 1 }]],
    ['unknown kind', [{ keep: 1 }]],
    ['negative count', [{ retain: -1 }]],
    ['fractional count', [{ delete: 1.5 }]],
    ['count as string', [{ retain: '3' }]],
    ['huge count', [{ retain: 2 ** 41 }]],
    ['insert of a number', [{ insert: 3 }]],
    ['lone high surrogate', [{ insert: 'x\ud83d' }]],
    ['lone low surrogate', [{ insert: '\ude00' }]],
    ['null component', [null]],
  ];
  for (const [name, wire] of rejects) {
    assert.throws(() => TextOperation.fromJSON(wire), (e) => e.code === 'INVALID_OP', name);
  }
  assert.throws(
    () => TextOperation.fromJSON([{ retain: 1 }, { insert: 'ok\ud800' }]),
    (e) => e.message === 'component 2 (insert) is not valid Unicode: lone surrogate at index 2',
  );
  assert.equal(firstLoneSurrogate('\u{1F600}ok'), -1);
});

test('normal form merges, drops empties and puts insert before delete', () => {
  const built = op([
    { retain: 0 },
    { retain: 1 },
    { delete: 2 },
    { insert: 'x' },
    { insert: '' },
    { insert: '\u{1F600}' },
    { retain: 1 },
  ]);
  assert.deepEqual(built.toJSON(), [
    { retain: 1 },
    { insert: 'x\u{1F600}' },
    { delete: 2 },
    { retain: 1 },
  ]);
  assert.equal(built.baseLength, 4);
  assert.equal(built.targetLength, 4);
});

test('selection moves both ends', () => {
  const moved = transformSelection(
    { anchor: 1, head: 4 },
    op([{ insert: 'ab' }, { retain: 2 }, { delete: 1 }, { retain: 2 }]),
    'before_insert',
  );
  assert.deepEqual(moved, { anchor: 3, head: 5 });
});

test('diffToOperation never splits a surrogate pair', () => {
  // The two emoji share their high surrogate, so a naive UTF-16 diff would cut the pair.
  const change = diffToOperation('a\u{1F600}b', 'a\u{1F601}b');
  assert.deepEqual(change.toJSON(), [
    { retain: 1 },
    { insert: '\u{1F601}' },
    { delete: 1 },
    { retain: 1 },
  ]);
  const suffix = diffToOperation('\u{1F600}\u{1F4A9}', '\u{1F601}\u{1F4A9}');
  assert.equal(suffix.apply('\u{1F600}\u{1F4A9}'), '\u{1F601}\u{1F4A9}');
  for (const c of suffix.components) {
    if (c.kind === 'insert') assert.equal(firstLoneSurrogate(c.text), -1);
  }
});

// --- Client state machine --------------------------------------------------------------------

test('client: buffered edits compose and go out after the ack', () => {
  const c = new OtClient('c1', 0, 0);
  const first = c.applyLocal(insertAt(0, 0, 'a'));
  assert.deepEqual(first.editId, 'c1-1');
  assert.equal(c.state, AWAITING_CONFIRM);
  assert.equal(c.applyLocal(insertAt(1, 1, '\u00e9')), null);
  assert.equal(c.applyLocal(insertAt(2, 2, '\u{1F600}')), null);
  assert.equal(c.state, AWAITING_WITH_BUFFER);
  const next = c.onAck('1');
  assert.equal(next.baseRev, 1);
  assert.equal(next.editId, 'c1-2');
  assert.deepEqual(next.op.toJSON(), insertAt(1, 1, '\u00e9\u{1F600}').toJSON());
  assert.equal(c.onAck(2), null);
  assert.equal(c.state, SYNCHRONIZED);
});

test('client: a buffer that undid itself is not sent after the ack', () => {
  const c = new OtClient('c1', 0, 0);
  c.applyLocal(insertAt(0, 0, 'a'));
  c.applyLocal(insertAt(1, 1, 'b'));
  // Deleting the buffered "b" again leaves a buffer that changes nothing.
  assert.equal(c.applyLocal(new TextOperation().retain(1).delete(1)), null);
  assert.equal(c.state, AWAITING_WITH_BUFFER);
  assert.equal(c.onAck(1), null);
  assert.equal(c.state, SYNCHRONIZED);
  assert.equal(c.unconfirmed(), null);
  assert.equal(c.revision, 1);
});

test('client: remote insert at the same place, made on the same revision, goes first', () => {
  const c = new OtClient('c1', 1, 2);
  c.applyLocal(insertAt(2, 1, 'X'));
  c.applyLocal(insertAt(3, 2, 'Y'));
  const local = c.onRemote(insertAt(2, 1, 'Z'), 2, 1);
  assert.deepEqual(local.toJSON(), insertAt(4, 1, 'Z').toJSON());
  assert.deepEqual(c.outstanding.toJSON(), insertAt(3, 2, 'X').toJSON());
  assert.deepEqual(c.buffer.toJSON(), insertAt(4, 3, 'Y').toJSON());
});

test('client: remote insert made on an older revision goes after the pending run', () => {
  // "X" was sent on revision 1; "Z" was made on revision 0, before its author saw what
  // revision 1 brought, and lands at the same place: the member's own "XY" stays together.
  const c = new OtClient('c1', 1, 2);
  c.applyLocal(insertAt(2, 1, 'X'));
  c.applyLocal(insertAt(3, 2, 'Y'));
  const local = c.onRemote(insertAt(2, 1, 'Z'), 2, 0);
  assert.deepEqual(local.toJSON(), insertAt(4, 3, 'Z').toJSON());
  assert.deepEqual(c.outstanding.toJSON(), insertAt(3, 1, 'X').toJSON());
  assert.deepEqual(c.buffer.toJSON(), insertAt(4, 2, 'Y').toJSON());
  assert.equal(local.apply('aXYb'), 'aXYZb');
});

test('client: a buffered run stays before a remote insert at its end', () => {
  // The outstanding "X" is elsewhere; the buffered "Y" and the remote "Z" tie: the buffer
  // will be sent on a later revision than Z was made on, so it stays first.
  const c = new OtClient('c1', 3, 2);
  c.applyLocal(insertAt(2, 0, 'X'));
  c.applyLocal(insertAt(3, 2, 'Y'));
  const local = c.onRemote(insertAt(2, 1, 'Z'), 4, 3);
  assert.equal(local.apply('XaYb'), 'XaYZb');
});

test('tie-break: the already-applied edit first unless the incoming one saw more', () => {
  assert.equal(tieBreak(4, 4), 'b');
  assert.equal(tieBreak(3, 4), 'b');
  assert.equal(tieBreak(5, 4), 'a');
  assert.equal(tieBreak(1, 0), 'a');
});

test('same spot: a run typed on after an acknowledged letter keeps together', () => {
  // A and B both at position 0 of "", each typing a word. The server applies A's "R" (made
  // on 0) then B's "e" (made on 0, after R); A's "E", made on 1 after R's ack, reaches the
  // server before A has seen "e": A's "RE" stays whole, B's "e" follows.
  const server = new SimServer('');
  const a = new OtClient('a', 0, 0);
  const b = new OtClient('b', 0, 0);
  let textA = 'R';
  let textB = 'e';
  const r = a.applyLocal(insertAt(0, 0, 'R'));
  const e = b.applyLocal(insertAt(0, 0, 'e'));
  const gotR = server.receive(r.baseRev, r.op, r.editId);
  const gotE = server.receive(e.baseRev, e.op, e.editId);
  assert.equal(a.onAck(gotR.rev), null);
  textA = 'RE';
  const bigE = a.applyLocal(insertAt(1, 1, 'E'));
  assert.equal(bigE.baseRev, 1);
  const gotBigE = server.receive(bigE.baseRev, bigE.op, bigE.editId);
  assert.equal(server.texts.at(-1), 'REe');
  // A sees B's "e" while its "E" is in flight; B sees "R", its ack, then "E".
  textA = a.onApplied(gotE.op, gotE.rev, e.editId, e.baseRev).apply.apply(textA);
  a.onAck(gotBigE.rev);
  textB = b.onApplied(gotR.op, gotR.rev, r.editId, r.baseRev).apply.apply(textB);
  b.onAck(gotE.rev);
  textB = b.onApplied(gotBigE.op, gotBigE.rev, bigE.editId, bigE.baseRev).apply.apply(textB);
  assert.equal(textA, 'REe');
  assert.equal(textB, 'REe');
});

test('client: misuse is refused without changing state', () => {
  const c = new OtClient('c1', 5, 0);
  assert.throws(() => c.onAck(6), (e) => e.code === 'BAD_REVISION');
  c.applyLocal(insertAt(0, 0, 'a'));
  assert.throws(
    () => c.onRemote(insertAt(0, 0, 'b'), 7, 5),
    (e) =>
      e.message === 'remote edit names revision 7 but the client is at revision 5 and expects 6',
  );
  assert.throws(() => c.applyLocal(new TextOperation().retain(3)), (e) => e.code === 'INVALID_OP');
  assert.equal(c.revision, 5);
  assert.equal(c.state, AWAITING_CONFIRM);
  assert.throws(() => toRevision('12a'), (e) => e.code === 'BAD_REVISION');
});

test('client: own edit in a catch-up counts as the ack', () => {
  const c = new OtClient('c1', 0, 0);
  const sent = c.applyLocal(insertAt(0, 0, 'a'));
  c.applyLocal(insertAt(1, 1, 'b'));
  const first = c.onApplied(insertAt(0, 0, 'z'), 1, 'other-1', 0);
  assert.ok(first.apply);
  const second = c.onApplied(insertAt(1, 1, 'a'), 2, sent.editId, 0);
  assert.equal(second.apply, null);
  assert.equal(second.send.baseRev, 2);
  assert.deepEqual(second.send.op.toJSON(), insertAt(2, 2, 'b').toJSON());
});

// --- Seeded property tests -------------------------------------------------------------------

const envSeed = process.env.COLEAD_OT_SEED ? Number(process.env.COLEAD_OT_SEED) : null;
const histories = Number(process.env.COLEAD_OT_HISTORIES ?? 600);

// mulberry32: small, fast and the same on every engine.
function random(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const between = (low, high) => low + Math.floor(next() * (high - low + 1));
  return { between, chance: (oneIn) => between(1, oneIn) === 1 };
}

const pieces = [
  'a', 'b', ' ', '\n', '\u00e9', 'e\u0301', '\u5171', '\u540c', '\u0645\u0631', '\u05e9',
  '\u{1F44D}\u{1F3FD}', '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}', '\u{1F1EC}\u{1F1E7}',
  '\u{1D11E}', '\u200D', '\u0000',
];

function randomText(rng) {
  let out = '';
  for (let k = rng.between(1, 3); k > 0; k--) out += pieces[rng.between(0, pieces.length - 1)];
  return out;
}

function randomEdit(rng, length) {
  const edit = new TextOperation();
  let at = 0;
  for (let k = rng.between(1, 3); k > 0; k--) {
    const skip = rng.between(0, Math.min(length - at, 12));
    edit.retain(skip);
    at += skip;
    const what = rng.between(0, 2);
    if (what !== 1) edit.insert(randomText(rng));
    if (what !== 0 && at < length) {
      const n = rng.between(1, Math.min(length - at, 4));
      edit.delete(n);
      at += n;
    }
  }
  edit.retain(length - at);
  return edit;
}

// TP1 on `doc`, with `first` ('a' or 'b') applied first.
function checkTp1(doc, a, b, first) {
  const [aPrime, bPrime] = transform(a, b, first);
  assert.equal(bPrime.apply(a.apply(doc)), aPrime.apply(b.apply(doc)), 'TP1');
  return [aPrime, bPrime];
}

// A server for the simulation: the algorithm of colead::ot::server::receive.
class SimServer {
  constructor(text) {
    this.texts = [text]; // text at each revision
    this.history = []; // history[r - 1] = { op, editId, baseRev } for revision r
    this.applied = new Map(); // editId -> revision
  }

  get revision() {
    return this.history.length;
  }

  receive(baseRev, edit, editId) {
    if (this.applied.has(editId)) return { rev: this.applied.get(editId), duplicate: true };
    assert.ok(baseRev <= this.revision);
    let transformed = edit;
    for (let r = baseRev; r < this.revision; r++) {
      [transformed] = checkTp1(this.texts[r], transformed, this.history[r].op,
                               tieBreak(baseRev, this.history[r].baseRev));
    }
    this.texts.push(transformed.apply(this.texts[this.revision]));
    this.history.push({ op: transformed, editId, baseRev });
    this.applied.set(editId, this.revision);
    return { rev: this.revision, op: transformed, duplicate: false };
  }
}

function runHistory(seed) {
  const rng = random(seed);
  let start = '';
  if (rng.chance(2)) for (let k = rng.between(0, 6); k > 0; k--) start += randomText(rng);
  const server = new SimServer(start);
  const clients = [];
  for (let k = rng.between(2, 5); k > 0; k--) {
    clients.push({
      machine: new OtClient(`m${k}-s1`, 0, codePointLength(start)),
      text: start,
      editsLeft: rng.between(1, 50),
      reconnectsLeft: 2,
      uplink: [],
      downlink: [],
    });
  }
  const invariant = (c) => {
    let expected = server.texts[c.machine.revision];
    if (c.machine.outstanding) expected = c.machine.outstanding.apply(expected);
    if (c.machine.buffer) expected = c.machine.buffer.apply(expected);
    assert.equal(c.text, expected, 'client text is server + outstanding + buffer');
  };
  const toServer = (k) => {
    const c = clients[k];
    const edit = c.uplink.shift();
    const got = server.receive(edit.baseRev, edit.op, edit.editId);
    assert.equal(got.duplicate, false);
    c.downlink.push({ ack: true, rev: got.rev });
    clients.forEach((other, j) => {
      if (j !== k) {
        other.downlink.push({ ack: false, rev: got.rev, op: got.op, editId: edit.editId,
                              baseRev: edit.baseRev });
      }
    });
    if (rng.chance(25)) {
      const again = server.receive(edit.baseRev, edit.op, edit.editId);
      assert.equal(again.duplicate, true);
      assert.equal(again.rev, got.rev);
    }
  };
  const remote = (c, message) => {
    const step = c.machine.onApplied(message.op, message.rev, message.editId, message.baseRev);
    if (step.apply) c.text = step.apply.apply(c.text);
    if (step.send) c.uplink.push(step.send);
    return step.send !== null;
  };
  const reconnect = (k) => {
    const c = clients[k];
    c.reconnectsLeft--;
    c.downlink = [];
    if (c.uplink.length > 0 && rng.chance(2)) {
      toServer(k);
      c.downlink = [];
    }
    c.uplink = [];
    let sent = false;
    for (let r = c.machine.revision; r < server.revision; r++) {
      const { op: applied, editId, baseRev } = server.history[r];
      sent = remote(c, { op: applied, rev: r + 1, editId, baseRev }) || sent;
    }
    if (!sent && c.machine.unconfirmed()) c.uplink.push(c.machine.unconfirmed());
  };

  for (;;) {
    const possible = [];
    clients.forEach((c, k) => {
      if (c.editsLeft > 0) possible.push(['edit', k]);
      if (c.uplink.length > 0) possible.push(['toServer', k]);
      if (c.downlink.length > 0) possible.push(['toClient', k]);
    });
    if (possible.length === 0) break;
    const [what, k] = possible[rng.between(0, possible.length - 1)];
    const c = clients[k];
    if (c.reconnectsLeft > 0 && rng.chance(60)) {
      reconnect(k);
    } else if (what === 'edit') {
      const edit = randomEdit(rng, codePointLength(c.text));
      c.text = edit.apply(c.text);
      const send = c.machine.applyLocal(edit);
      if (send) c.uplink.push(send);
      c.editsLeft--;
    } else if (what === 'toServer') {
      toServer(k);
    } else {
      const message = c.downlink.shift();
      if (message.ack) {
        const send = c.machine.onAck(message.rev);
        if (send) c.uplink.push(send);
      } else {
        if (c.machine.outstanding) {
          const [, overOutstanding] = checkTp1(
            server.texts[message.rev - 1],
            c.machine.outstanding,
            message.op,
            tieBreak(c.machine.sentBase, message.baseRev),
          );
          if (c.machine.buffer) {
            checkTp1(
              c.machine.outstanding.apply(server.texts[message.rev - 1]),
              c.machine.buffer,
              overOutstanding,
              'a',
            );
          }
        }
        remote(c, message);
      }
    }
    invariant(c);
  }
  const final = server.texts[server.revision];
  for (const c of clients) {
    assert.equal(c.machine.state, SYNCHRONIZED);
    assert.equal(c.machine.revision, server.revision);
    assert.equal(c.text, final, 'client diverged from the server');
  }
}

// Seeds are spread out so neighbouring histories share no structure.
const seedOf = (index, stream) => (Math.imul(index + 1, 0x9e3779b1) ^ stream) >>> 0;

function eachSeed(count, stream, body) {
  const seeds =
    envSeed !== null ? [envSeed] : Array.from({ length: count }, (_, i) => seedOf(i, stream));
  for (const seed of seeds) {
    try {
      body(seed);
    } catch (error) {
      error.message = `seed ${seed} (reproduce with COLEAD_OT_SEED=${seed}): ${error.message}`;
      throw error;
    }
  }
}

test('random histories converge on the server text', () => {
  eachSeed(histories, 0x00c01ead, runHistory);
});

test('random pairs satisfy TP1, compose and caret contracts', () => {
  eachSeed(5000, 0x7a1e, (seed) => {
    const rng = random(seed);
    let doc = '';
    for (let k = rng.between(0, 8); k > 0; k--) doc += randomText(rng);
    const length = codePointLength(doc);
    const a = randomEdit(rng, length);
    const b = randomEdit(rng, length);
    for (const first of ['a', 'b']) {
      const [aPrime, bPrime] = transform(a, b, first);
      const result = bPrime.apply(a.apply(doc));
      assert.equal(result, aPrime.apply(b.apply(doc)));
      assert.equal(firstLoneSurrogate(result), -1);
    }
    const next = randomEdit(rng, a.targetLength);
    assert.equal(compose(a, next).apply(doc), next.apply(a.apply(doc)));
    assert.ok(TextOperation.fromJSON(a.toJSON()).equals(a));
    const position = rng.between(0, length);
    const before = transformPosition(position, a, 'before_insert');
    const after = transformPosition(position, a, 'after_insert');
    assert.ok(before <= after && after <= a.targetLength);
    // A textarea change turned into an operation reproduces it exactly.
    const edited = a.apply(doc);
    assert.equal(diffToOperation(doc, edited).apply(doc), edited);
  });
});
