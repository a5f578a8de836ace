#include "room/markdown_text.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace colead::room {

namespace {

// Punctuation that means something anywhere in a line: emphasis, code, links, images, HTML
// and entities, table cells, strikethrough, math, escapes themselves.
constexpr std::string_view escape_anywhere = "\\`*_[]<>!|~&$";

// Punctuation that means something at the start of a line: headings, lists, quotes, setext
// underlines.
constexpr std::string_view escape_at_start = "#+-=>";

// The length of the line break that starts at `at` (CR LF, CR, LF, NEL, LS, PS), or 0.
std::size_t line_break_at(std::string_view text, std::size_t at) {
  const auto c = static_cast<unsigned char>(text[at]);
  if (c == '\r') return at + 1 < text.size() && text[at + 1] == '\n' ? 2 : 1;
  if (c == '\n') return 1;
  auto rest = text.substr(at);
  if (rest.substr(0, 2) == "\xC2\x85") return 2;  // U+0085 next line
  if (rest.substr(0, 3) == "\xE2\x80\xA8" || rest.substr(0, 3) == "\xE2\x80\xA9") return 3;
  return 0;
}

// `text` with every line break, tab and other control character made a space.
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (auto n = line_break_at(text, i)) {
      out += ' ';
      i += n;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    out += c < 0x20 || c == 0x7F ? ' ' : text[i];
    ++i;
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// True when a renderer would make a link of `word` by itself (GitHub's autolinks, linkify):
// a URL with a scheme, a www. address or an e-mail address.
bool link_like(std::string_view word) {
  const auto w = lower(word);
  if (w.find("://") != std::string::npos || w.find("www.") != std::string::npos) return true;
  if (w.rfind("mailto:", 0) == 0 || w.rfind("xmpp:", 0) == 0) return true;
  const auto at = w.find('@');
  return at != std::string::npos && w.find('.', at) != std::string::npos;
}

// `word` as a code span: its characters exactly, and nothing a renderer would act on.
std::string code_span(std::string_view word) {
  std::size_t longest = 0, run = 0;
  for (char c : word) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = word.front() == '`' || word.back() == '`';
  std::string out = fence;
  if (pad) out += ' ';
  out += word;
  if (pad) out += ' ';
  return out + fence;
}

// `word` (no spaces, no '<' or '>') with its punctuation escaped; `line_start` when it
// begins the line.
std::string escape_word(std::string_view word, bool line_start) {
  if (link_like(word)) return code_span(word);
  std::string out;
  out.reserve(word.size() + 8);
  std::size_t digits = 0;  // leading digits, for ordered-list markers like "1." and "2)"
  while (line_start && digits < word.size() &&
         std::isdigit(static_cast<unsigned char>(word[digits])))
    ++digits;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    const bool at_start = line_start && i == 0 && escape_at_start.find(c) != std::string::npos;
    const bool list_marker = digits > 0 && i == digits && (c == '.' || c == ')');
    if (escape_anywhere.find(c) != std::string::npos || at_start || list_marker) out += '\\';
    out += c;
  }
  return out;
}

// One line, no line breaks, trimmed.
std::string escape_line(std::string_view line) {
  const auto first = line.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  line = line.substr(first, line.find_last_not_of(' ') - first + 1);
  std::string out;
  bool line_start = true;
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      out += ' ';
      ++i;
      continue;
    }
    // A word, split at '<' and '>' so that a link inside one can be set as code while the
    // angle brackets around it are escaped as text.
    std::size_t end = i;
    while (end < line.size() && line[end] != ' ')
      ++end;
    std::string_view word = line.substr(i, end - i);
    std::size_t start = 0;
    for (std::size_t k = 0; k <= word.size(); ++k) {
      if (k < word.size() && word[k] != '<' && word[k] != '>') continue;
      if (k > start) out += escape_word(word.substr(start, k - start), line_start && start == 0);
      if (k < word.size()) {
        out += '\\';
        out += word[k];
      }
      start = k + 1;
    }
    line_start = false;
    i = end;
  }
  return out;
}

}  // namespace

std::string markdown_inline(std::string_view text) {
  return escape_line(one_line(text));
}

std::string markdown_block(std::string_view text) {
  // Split at every line break, then escape each line on its own.
  std::vector<std::string> lines(1);
  for (std::size_t i = 0; i < text.size();) {
    if (auto n = line_break_at(text, i)) {
      lines.emplace_back();
      i += n;
      continue;
    }
    lines.back() += text[i++];
  }
  std::string out;
  bool in_paragraph = false;
  for (const auto& raw : lines) {
    auto line = escape_line(one_line(raw));
    if (line.empty()) {
      in_paragraph = false;
      continue;
    }
    if (in_paragraph) {
      out += "\\\n";  // a hard line break: the member's line ends here
    } else if (!out.empty()) {
      out += "\n\n";
    }
    out += line;
    in_paragraph = true;
  }
  return out;
}

}  // namespace colead::room
