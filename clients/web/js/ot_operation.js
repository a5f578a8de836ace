// One text operation (retain, insert, delete by code point) and its builders, as ot.js
// describes them; OtError for every refusal.

import { advance, codePointLength, firstLoneSurrogate, utf8Length } from './ot_text.js';

/** The largest count a retain or delete may carry (matches the server). */
export const MAX_COMPONENT_COUNT = 2 ** 40;

export class OtError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'OtError';
    this.code = code;
  }
}

export const invalid = (message) => new OtError('INVALID_OP', message);

export const characters = (n) => `${n} ${n === 1 ? 'character' : 'characters'}`;

export class TextOperation {
  constructor() {
    /**
     * Components in normal form: { kind: 'retain' | 'insert' | 'delete', count, text }.
     * `count` is in code points; `text` is set for inserts only.
     */
    this.components = [];
    /** Code points the operation covers in the document it applies to. */
    this.baseLength = 0;
    /** Code points of the document after applying it. */
    this.targetLength = 0;
  }

  /**
   * Builds an operation from its wire form (untrusted input), normalising it. Throws OtError
   * INVALID_OP naming the component (1-based) that is malformed: not an object with exactly
   * one of retain, insert, delete; a count that is not a whole number from 0 to
   * MAX_COMPONENT_COUNT; inserted text that is not a string or has a lone surrogate.
   */
  static fromJSON(wire) {
    if (!Array.isArray(wire)) throw invalid('an operation must be an array of components');
    const op = new TextOperation();
    wire.forEach((c, index) => {
      const where = `component ${index + 1}`;
      if (c === null || typeof c !== 'object' || Array.isArray(c)) {
        throw invalid(`${where} is not an object`);
      }
      const keys = Object.keys(c);
      if (keys.length !== 1) {
        throw invalid(`${where} must have exactly one of retain, insert, delete`);
      }
      const [kind] = keys;
      const value = c[kind];
      if (kind === 'insert') {
        if (typeof value !== 'string') throw invalid(`${where} (insert) must carry text`);
        const lone = firstLoneSurrogate(value);
        if (lone >= 0) {
          throw invalid(`${where} (insert) is not valid Unicode: lone surrogate at index ${lone}`);
        }
        op.insert(value);
      } else if (kind === 'retain' || kind === 'delete') {
        if (!Number.isInteger(value) || value < 0 || value > MAX_COMPONENT_COUNT) {
          throw invalid(`${where} (${kind}) must be a whole number of characters`);
        }
        if (kind === 'retain') op.retain(value);
        else op.delete(value);
      } else {
        throw invalid(`${where} has an unknown kind "${kind}"`);
      }
      if (op.baseLength > MAX_COMPONENT_COUNT || op.targetLength > MAX_COMPONENT_COUNT) {
        throw invalid('operation covers more characters than any document can hold');
      }
    });
    return op;
  }

  /** The wire form: [{retain: n} | {insert: text} | {delete: n}, ...]. */
  toJSON() {
    return this.components.map((c) => ({ [c.kind]: c.kind === 'insert' ? c.text : c.count }));
  }

  /** Keeps the next n code points. */
  retain(n) {
    if (n === 0) return this;
    this.baseLength += n;
    this.targetLength += n;
    const last = this.components[this.components.length - 1];
    if (last && last.kind === 'retain') last.count += n;
    else this.components.push({ kind: 'retain', count: n });
    return this;
  }

  /** Inserts `text` (well-formed) at the current position. */
  insert(text) {
    if (text === '') return this;
    const n = codePointLength(text);
    this.targetLength += n;
    const list = this.components;
    const last = list[list.length - 1];
    if (last && last.kind === 'insert') {
      last.text += text;
      last.count += n;
    } else if (last && last.kind === 'delete') {
      // Normal form puts an insert before a delete at the same position.
      const before = list[list.length - 2];
      if (before && before.kind === 'insert') {
        before.text += text;
        before.count += n;
      } else {
        list.splice(list.length - 1, 0, { kind: 'insert', count: n, text });
      }
    } else {
      list.push({ kind: 'insert', count: n, text });
    }
    return this;
  }

  /** Deletes the next n code points. */
  delete(n) {
    if (n === 0) return this;
    this.baseLength += n;
    const last = this.components[this.components.length - 1];
    if (last && last.kind === 'delete') last.count += n;
    else this.components.push({ kind: 'delete', count: n });
    return this;
  }

  /** True when applying it changes no document (only retains). */
  isNoop() {
    return this.components.every((c) => c.kind === 'retain');
  }

  equals(other) {
    if (this.components.length !== other.components.length) return false;
    return this.components.every((c, i) => {
      const d = other.components[i];
      return c.kind === d.kind && c.count === d.count && (c.text ?? '') === (d.text ?? '');
    });
  }

  /**
   * Applies the operation to `doc` and returns the new text. Throws INVALID_OP when
   * baseLength differs from the document's length in code points, TOO_LARGE when the result
   * would exceed `limits` ({ maxCodePoints, maxBytes }, both optional).
   */
  apply(doc, limits = {}) {
    const length = codePointLength(doc);
    if (length !== this.baseLength) {
      throw invalid(
        `operation covers ${characters(this.baseLength)} but the document has ${length}`,
      );
    }
    const { maxCodePoints = Infinity, maxBytes = Infinity } = limits;
    if (this.targetLength > maxCodePoints) {
      throw new OtError(
        'TOO_LARGE',
        `the edit would make the document ${characters(this.targetLength)} long; the limit is ${maxCodePoints}`,
      );
    }
    const parts = [];
    let at = 0;
    for (const c of this.components) {
      if (c.kind === 'insert') {
        parts.push(c.text);
        continue;
      }
      const next = advance(doc, at, c.count);
      if (c.kind === 'retain') parts.push(doc.slice(at, next));
      at = next;
    }
    const out = parts.join('');
    if (maxBytes !== Infinity) {
      const bytes = utf8Length(out);
      if (bytes > maxBytes) {
        throw new OtError(
          'TOO_LARGE',
          `the edit would make the document ${bytes} bytes long; the limit is ${maxBytes} bytes`,
        );
      }
    }
    return out;
  }
}
