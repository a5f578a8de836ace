// Text operations for Colead's shared documents, in the browser: the same model as the
// server's colead::ot (server/ot/text_operation.hpp), held to the same golden vectors
// (tests/vectors/ot_*.json).
//
// An operation walks over the whole document and is a list of components, each exactly one
// of:
//   retain(n)     keep the next n code points;
//   insert(text)  insert text at the current position;
//   delete(n)     delete the next n code points.
// On the wire (the JSON subprotocol) an operation is an array of objects each with exactly one
// of {"retain": n}, {"insert": "text"}, {"delete": n}.
//
// Why counts are Unicode code points: every replica must agree on what "position 12" means.
// JavaScript strings are UTF-16 and the server stores UTF-8, so neither UTF-16 units nor
// bytes would do; code points are the same everywhere. Counting code points also means an
// operation can never split a surrogate pair, so the text stays well formed. Everything here
// therefore walks strings by code point, never by `.length` or index arithmetic alone.
//
// Normal form, kept by the builders: no empty components, adjacent components of one kind
// merged, and an insert always before a delete at the same position.
//
// Tie-break: when both sides of a transform insert at the same place, the side marked as
// applied first keeps its text first. Which side that is, from the revisions the two edits
// were made on: tieBreak in ot_client.js.
//
// Errors are thrown as OtError with `code` set to the wire error code ('INVALID_OP',
// 'TOO_LARGE') and a message that names what was wrong.
//
// The model lives in three files, re-exported here as one: ot_text.js (counting code
// points), ot_operation.js (TextOperation, OtError) and ot_transform.js (compose, transform,
// positions, the operation of a textarea's edit).

export {
  advance, codePointLength, codePointOffset, firstLoneSurrogate, utf8Length,
} from './ot_text.js';
export { MAX_COMPONENT_COUNT, OtError, TextOperation } from './ot_operation.js';
export {
  compose, diffToOperation, transform, transformPosition, transformSelection,
} from './ot_transform.js';
