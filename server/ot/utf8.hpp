#pragma once

// Strict UTF-8 handling for document text.
//
// Document text is stored as UTF-8 in std::string, while operations count Unicode code
// points (see text_operation.hpp for why). These functions translate between the two.
//
// "Valid" means well-formed UTF-8 as defined by Unicode (RFC 3629, Table 3-7): no overlong
// forms, no encoded UTF-16 surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated
// or stray continuation bytes. Every other function here has the precondition that its input
// is valid; on invalid input they stay within bounds but their counts are meaningless.
//
// Thread safety: pure functions, safe to call from any thread.

#include <cstddef>
#include <string>
#include <string_view>

namespace colead::ot::utf8 {

// The outcome of validation: either valid, or where and why not.
struct validation {
  bool valid = true;
  std::size_t error_offset = 0;  // byte offset of the first bad sequence when !valid
  std::string reason;            // e.g. "overlong encoding of U+002F at byte 3" when !valid
};

// Checks that `text` is well-formed UTF-8. Linear time; ASCII runs are checked eight bytes at
// a time.
validation validate(std::string_view text);

// True when `text` is well-formed UTF-8.
bool is_valid(std::string_view text);

// The number of code points in valid UTF-8 `text`.
std::size_t count_code_points(std::string_view text);

// The byte offset reached by moving `count` code points forward from byte offset `from` in
// valid UTF-8 `text`. Returns text.size() if the text ends first (callers compare counts
// beforehand, so reaching the end early means they already know the lengths).
// Precondition: from <= text.size() and `from` is at the start of a code point.
std::size_t advance(std::string_view text, std::size_t from, std::size_t count);

// The byte offset of the code point with index `index` (0-based) in valid UTF-8 `text`;
// text.size() when index equals the number of code points, std::string_view::npos when it
// is larger.
std::size_t byte_offset(std::string_view text, std::size_t index);

// The number of bytes of the sequence starting with lead byte `lead` (1 to 4), or 0 when
// `lead` cannot start a valid sequence.
std::size_t sequence_length(unsigned char lead);

}  // namespace colead::ot::utf8
