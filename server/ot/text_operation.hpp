#pragma once

// Text operations for Colead's shared documents: the operation model, and apply, compose and
// transform on it.
//
// An operation walks over the whole document from start to end and is a list of components,
// each exactly one of:
//   retain(n)     keep the next n code points;
//   insert(text)  insert text at the current position (text is valid UTF-8);
//   remove(n)     delete the next n code points (the wire protocol's `delete`, a C++ keyword).
// The retains and removes together cover the document exactly: base_length() is the length
// the document must have, target_length() the length it has afterwards.
//
// Why counts are Unicode code points. Every replica must agree on what "position 12" means:
// the C++ server (which stores UTF-8), the browser client (whose strings are UTF-16), the
// command-line client and the protobuf and JSON wire forms. Bytes and UTF-16 units depend on
// the encoding each side happens to use; code points do not. Counting code points also means
// an operation can never split the encoding of a single character (no half surrogate pair in
// JavaScript, no partial UTF-8 sequence in C++), so every replica's text stays valid.
// Code points are not grapheme clusters: an operation can separate a combining accent from its
// base letter or take apart an emoji ZWJ sequence. That keeps positions independent of the
// Unicode version each replica ships; editors move carets by grapheme themselves.
//
// Normal form, kept by the builder functions: no zero-length components, no two adjacent
// components of the same kind (they are merged), and an insert always comes before a remove at
// the same position ("remove 2, insert x" is stored as "insert x, remove 2"). Two operations
// with the same effect on every document therefore compare equal.
//
// Thread safety: a text_operation is a value; const access from several threads is safe.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ot/status.hpp"

namespace colead::ot {

enum class component_kind : std::uint8_t { retain, insert, remove };

// One step of an operation. For retain and remove, `count` is the number of code points and
// `text` is empty; for insert, `text` holds the inserted UTF-8 and `count` its code points.
struct component {
  component_kind kind = component_kind::retain;
  std::size_t count = 0;
  std::string text;

  static component retain(std::size_t n) { return {component_kind::retain, n, {}}; }
  static component remove(std::size_t n) { return {component_kind::remove, n, {}}; }
  // Sets `count` from the text. Input that has not been checked is validated by
  // text_operation::from_components, not here.
  static component insert(std::string text);

  friend bool operator==(const component&, const component&) = default;
};

// Size limits for a document. An operation whose result would exceed either limit is
// rejected with error_code::too_large.
struct document_limits {
  std::size_t max_code_points = SIZE_MAX;
  std::size_t max_bytes = SIZE_MAX;
};

// The largest count a retain or remove may carry. Far above any document a limit allows,
// and small enough that lengths can be summed without overflow.
inline constexpr std::size_t max_component_count = std::size_t{1} << 40;

class text_operation {
 public:
  // The empty operation, which applies to the empty document only.
  text_operation() = default;

  // Builds an operation from untrusted components (a decoded wire message), normalising it.
  // Rejects (INVALID_OP, naming the component by its 1-based position) an insert whose text
  // is not valid UTF-8 and a count above max_component_count. Zero counts and empty inserts
  // are dropped; for inserts the `count` field is ignored and recomputed from the text.
  static result<text_operation> from_components(std::span<const component> components);

  // Builders: append a step, keeping normal form. Zero counts and empty text are ignored.
  // Precondition of insert: `text` is valid UTF-8.
  text_operation& retain(std::size_t n);
  text_operation& insert(std::string_view text);
  text_operation& remove(std::size_t n);

  // Makes room for `n` components, for callers that know roughly how many they will add.
  void reserve(std::size_t n) { components_.reserve(n); }

  const std::vector<component>& components() const { return components_; }
  // Code points the operation covers in the document it applies to.
  std::size_t base_length() const { return base_length_; }
  // Code points of the document after applying the operation.
  std::size_t target_length() const { return target_length_; }
  // True when applying the operation leaves every document unchanged (only retains).
  bool is_noop() const;

  // Applies the operation to `doc` (valid UTF-8) and returns the new text. Fails with
  // INVALID_OP when base_length() differs from the number of code points in `doc`, and with
  // TOO_LARGE when the result would exceed `limits`. Linear in the size of `doc` plus the
  // inserted text. (A member rather than a free apply(doc, op): with a std::string argument,
  // argument-dependent lookup would find std::apply.)
  result<std::string> apply(std::string_view doc, const document_limits& limits = {}) const;

  // The wire JSON form, e.g. [{"retain":3},{"insert":"x"},{"delete":1}]; for logs and test
  // failure messages.
  std::string to_json() const;

  friend bool operator==(const text_operation&, const text_operation&) = default;

 private:
  std::vector<component> components_;
  std::size_t base_length_ = 0;
  std::size_t target_length_ = 0;
};

// The single operation with the effect of applying `a` then `b`:
// b.apply(a.apply(S)) == compose(a, b).apply(S).
// Fails with INVALID_OP when a.target_length() != b.base_length(). Linear in the sizes of
// both operations.
result<text_operation> compose(const text_operation& a, const text_operation& b);

// Which of two concurrent operations the tie-break treats as applied first (its text stays
// first when both insert at the same position).
enum class applied_first { a, b };

// Which text stays first when an edit made on revision `incoming_base` and an edit already
// applied, made on revision `applied_base`, insert at the same place (for transform(incoming,
// applied, ...)): the applied one (applied_first::b) unless the incoming one was made on a
// later revision (applied_first::a). The server and every client decide with this function.
constexpr applied_first tie_break(std::uint64_t incoming_base, std::uint64_t applied_base) {
  return incoming_base > applied_base ? applied_first::a : applied_first::b;
}

// Transforms two concurrent operations made on the same document S into (a', b') such that
//   apply(apply(S, a), b') == apply(apply(S, b), a')
// (in this API: b'.apply(*a.apply(S)) == a'.apply(*b.apply(S))).
// When both insert at the same position, the text of the side marked applied first stays
// first and the other side's text goes after it; this is the one rule every replica must
// share. Fails with INVALID_OP when a.base_length() != b.base_length(). Linear in the sizes of
// both operations.
result<std::pair<text_operation, text_operation>> transform(const text_operation& a,
                                                            const text_operation& b,
                                                            applied_first first);

// Where a caret goes when text is inserted exactly at it.
enum class caret_gravity {
  before_insert,  // the caret stays where it was; inserted text appears after it
  after_insert,   // the caret moves past the inserted text (the author's own typing)
};

// The position (in code points) that `position` in the document before `op` corresponds to
// in the document after it. Positions inside removed text move to the start of the removal;
// positions beyond base_length() are treated as base_length().
std::size_t transform_position(std::size_t position, const text_operation& op,
                               caret_gravity gravity);

// A selection from `anchor` to `head` (the caret), in code points.
struct selection {
  std::size_t anchor = 0;
  std::size_t head = 0;
  friend bool operator==(const selection&, const selection&) = default;
};

// Moves both ends of a selection through `op` as transform_position does.
selection transform_selection(const selection& sel, const text_operation& op,
                              caret_gravity gravity);

}  // namespace colead::ot
