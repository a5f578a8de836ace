// Fuzzes the OT layer: the validator (text_operation::from_components), apply, compose,
// transform, caret transforms and the document server, with the invariants each promises.
//
// Input, so that seeds can be written by hand from tests/vectors: four fields separated by
// NUL bytes,
//   doc \0 a \0 b \0 flags
// where doc is the document's text and a and b are operations written as components
// separated by '|': "r3" retains 3, "d2" deletes 2, "itext" inserts text (which may hold any
// byte but '|' and NUL). Counts are decimal and may be huge. a applies to doc; b is tried as
// the edit after a (compose) and as a concurrent edit on doc (transform). The first byte of
// flags picks the tie-break, caret gravity and size limits.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "ot/server.hpp"
#include "ot/text_operation.hpp"
#include "ot/utf8.hpp"

using namespace colead;

namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  while (true) {
    auto at = text.find(separator);
    out.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return out;
    text.remove_prefix(at + 1);
  }
}

// Decimal digits as a count, saturating (so huge counts reach the validator's limit).
std::size_t parse_count(std::string_view digits) {
  std::size_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') break;
    if (n > (SIZE_MAX - 9) / 10) return SIZE_MAX;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

// Untrusted components, as a decoded wire message would give them.
std::vector<ot::component> parse_components(std::string_view text) {
  std::vector<ot::component> out;
  if (text.empty()) return out;
  for (auto part : split(text, '|')) {
    if (part.empty()) continue;
    auto rest = part.substr(1);
    switch (part.front()) {
      case 'r':
        out.push_back(ot::component::retain(parse_count(rest)));
        break;
      case 'd':
        out.push_back(ot::component::remove(parse_count(rest)));
        break;
      // The wire gives the text only; the count is whatever the sender claimed.
      case 'i':
        out.push_back({ot::component_kind::insert, rest.size(), std::string(rest)});
        break;
      default:
        break;
    }
  }
  return out;
}

std::size_t length(std::string_view text) {
  return ot::utf8::count_code_points(text);
}

// Applies `op` to `doc` (valid UTF-8) and checks what apply promises.
ot::result<std::string> checked_apply(const ot::text_operation& op, std::string_view doc,
                                      const ot::document_limits& limits) {
  auto out = op.apply(doc, limits);
  if (op.base_length() != length(doc)) {
    fuzz::check(!out && out.error().code() == ot::error_code::invalid_op,
                "an operation of the wrong length is refused");
    return out;
  }
  if (!out) {
    fuzz::check(out.error().code() == ot::error_code::too_large,
                "an operation of the right length fails only for size");
    return out;
  }
  fuzz::check(ot::utf8::is_valid(*out), "apply keeps UTF-8 valid");
  fuzz::check(length(*out) == op.target_length(), "apply gives target_length code points");
  fuzz::check(length(*out) <= limits.max_code_points && out->size() <= limits.max_bytes,
              "apply keeps the limits");
  return out;
}

// An operation in normal form: nothing empty, no two neighbours of one kind, insert before
// remove.
void check_normal_form(const ot::text_operation& op) {
  const auto& cs = op.components();
  for (std::size_t i = 0; i < cs.size(); ++i) {
    fuzz::check(cs[i].count > 0, "no empty component");
    if (cs[i].kind == ot::component_kind::insert) {
      fuzz::check(ot::utf8::is_valid(cs[i].text), "inserted text is valid UTF-8");
      fuzz::check(cs[i].count == length(cs[i].text), "an insert counts its code points");
    }
    if (i == 0) continue;
    fuzz::check(cs[i].kind != cs[i - 1].kind, "neighbours differ in kind");
    fuzz::check(
        !(cs[i].kind == ot::component_kind::insert && cs[i - 1].kind == ot::component_kind::remove),
        "an insert comes before a remove at the same place");
  }
}

void check_carets(const ot::text_operation& op, std::size_t position, ot::caret_gravity g) {
  auto moved = ot::transform_position(position, op, g);
  fuzz::check(moved <= op.target_length(), "a caret stays inside the new text");
  auto sel = ot::transform_selection({position, position / 2}, op, g);
  fuzz::check(sel.anchor <= op.target_length() && sel.head <= op.target_length(),
              "a selection stays inside the new text");
}

// The document server: a from the document at rev 0, then b made concurrently on rev 0.
// The server's text must be what transform promises, and history must replay to it.
void check_server(std::string_view doc, const ot::text_operation& a, const ot::text_operation& b,
                  std::string_view expected) {
  ot::server_options options;
  options.limits = {};
  options.checkpoint_interval = 1;
  auto loaded = ot::server::load({0, std::string(doc), {}}, {}, options);
  fuzz::check(loaded.is_ok(), "a valid text loads");
  auto& server = loaded.value();
  auto first = server.receive(0, a, "a", "alice", 1);
  fuzz::check(first.is_ok(), "the server applies a fitting edit");
  auto again = server.receive(0, a, "a", "alice", 2);
  fuzz::check(again.is_ok() && again->duplicate && again->rev == 1,
              "a resent edit is recognised, not applied twice");
  auto second = server.receive(0, b, "b", "bob", 3);
  fuzz::check(second.is_ok(), "the server transforms a concurrent edit");
  fuzz::check(server.text() == expected, "the server converges with transform");
  fuzz::check(server.revision() == 2, "two edits make two revisions");
  auto at0 = server.text_at(0);
  fuzz::check(at0.is_ok() && *at0 == doc, "text_at(0) is the loaded text");
  std::size_t total = 0;
  for (const auto& run : server.authorship())
    total += run.length;
  fuzz::check(total == server.length(), "authorship covers the text");
  auto since = server.ops_since(0);
  fuzz::check(since.is_ok(), "the history is retained");
  std::vector<ot::applied_edit> later(since->begin(), since->end());
  auto replay = ot::server::load({0, std::string(doc), {}}, std::move(later), options);
  fuzz::check(replay.is_ok() && replay->text() == server.text(), "history replays to the text");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Documents are capped (32K code points in a room); so is the fuzz input.
  if (size > 4096) return 0;
  auto fields = split({reinterpret_cast<const char*>(data), size}, '\0');
  fields.resize(std::max<std::size_t>(fields.size(), 4));
  const std::string doc(fields[0]);
  if (!ot::utf8::is_valid(doc)) return 0;  // documents are valid UTF-8 by construction
  const unsigned flags = fields[3].empty() ? 0 : static_cast<unsigned char>(fields[3][0]);
  const auto first = (flags & 1) ? ot::applied_first::a : ot::applied_first::b;
  const auto gravity =
      (flags & 2) ? ot::caret_gravity::after_insert : ot::caret_gravity::before_insert;
  ot::document_limits limits;
  if (flags & 4) limits = {(flags >> 3) * 4u, (flags >> 3) * 8u};

  auto a_parts = parse_components(fields[1]);
  auto a = ot::text_operation::from_components(a_parts);
  if (!a) {
    fuzz::check(a.error().code() == ot::error_code::invalid_op, "the validator says INVALID_OP");
    return 0;
  }
  check_normal_form(*a);
  auto b_parts = parse_components(fields[2]);
  auto b = ot::text_operation::from_components(b_parts);
  if (!b) return 0;
  check_normal_form(*b);

  auto after_a = checked_apply(*a, doc, limits);
  check_carets(*a, length(doc) / 2, gravity);
  if (!after_a) return 0;
  auto unlimited_a = a->apply(doc);
  fuzz::check(unlimited_a.is_ok() && *unlimited_a == *after_a, "limits change nothing else");

  // b after a: compose(a, b) applies as a then b.
  if (b->base_length() == a->target_length()) {
    auto composed = ot::compose(*a, *b);
    fuzz::check(composed.is_ok(), "fitting operations compose");
    check_normal_form(*composed);
    auto twice = b->apply(*after_a);
    auto once = composed->apply(doc);
    fuzz::check(twice.is_ok() && once.is_ok() && *twice == *once, "apply(compose) == apply twice");
  } else {
    fuzz::check(!ot::compose(*a, *b), "operations that do not fit do not compose");
  }

  // b concurrent with a on doc: both orders converge.
  if (b->base_length() == a->base_length()) {
    auto pair = ot::transform(*a, *b, first);
    fuzz::check(pair.is_ok(), "concurrent operations transform");
    auto& [a2, b2] = *pair;
    check_normal_form(a2);
    check_normal_form(b2);
    auto after_b = b->apply(doc);
    fuzz::check(after_b.is_ok(), "b applies to doc");
    auto left = b2.apply(*after_a);
    auto right = a2.apply(*after_b);
    fuzz::check(left.is_ok() && right.is_ok() && *left == *right, "transform converges");
    // The server keeps a (applied first) ahead of b on ties.
    auto server_pair = ot::transform(*b, *a, ot::applied_first::b);
    fuzz::check(server_pair.is_ok(), "the server's transform succeeds");
    auto expected = server_pair->first.apply(*after_a);
    fuzz::check(expected.is_ok(), "the server's transformed edit applies");
    // Edits that change nothing may be refused or dropped by the server; the rest must land.
    if (!a->is_noop() && !b->is_noop()) check_server(doc, *a, *b, *expected);
  } else {
    fuzz::check(!ot::transform(*a, *b, first), "operations of different bases do not transform");
  }
  return 0;
}
