// Small checks on short texts people type (names, roles, titles, notes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace colead::room {

// True when `text` is valid UTF-8.
bool is_valid_text(std::string_view text);

// `text` without leading and trailing white space and with control characters (other than
// new lines, when `keep_newlines`) removed. Invalid UTF-8 comes back empty.
std::string clean_text(std::string_view text, bool keep_newlines = false);

}  // namespace colead::room
