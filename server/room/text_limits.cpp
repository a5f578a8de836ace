#include "room/text_limits.hpp"

#include "ot/utf8.hpp"

namespace colead::room {

bool is_valid_text(std::string_view text) {
  return ot::utf8::is_valid(text);
}

std::string clean_text(std::string_view text, bool keep_newlines) {
  if (!ot::utf8::is_valid(text)) return {};
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    // Only ASCII control characters are dropped; multi-byte sequences pass untouched.
    if (c < 0x20 || c == 0x7f) {
      if (keep_newlines && c == '\n')
        out.push_back('\n');
      else if (c == '\t')
        out.push_back(' ');
      continue;
    }
    out.push_back(ch);
  }
  auto first = out.find_first_not_of(" \n");
  if (first == std::string::npos) return {};
  auto last = out.find_last_not_of(" \n");
  return out.substr(first, last - first + 1);
}

}  // namespace colead::room
