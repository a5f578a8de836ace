#include "room/reflection_prompts.hpp"

#include <array>
#include <map>
#include <utility>

namespace colead::room {

namespace {

constexpr std::array<std::pair<std::string_view, prompt_category>, 4> category_keys{{
    {"relationship", prompt_category::relationship},
    {"how_we_work", prompt_category::how_we_work},
    {"local_system", prompt_category::local_system},
    {"other", prompt_category::other},
}};

std::string_view trim(std::string_view text) {
  constexpr std::string_view blanks = " \t";
  const auto first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(blanks);
  return text.substr(first, last - first + 1);
}

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF), because prompts go out
// in protobuf strings, which must be valid UTF-8.
bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    char32_t code = 0;
    char32_t min = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if ((byte & 0xE0) == 0xC0) {
      extra = 1;
      code = byte & 0x1F;
      min = 0x80;
    } else if ((byte & 0xF0) == 0xE0) {
      extra = 2;
      code = byte & 0x0F;
      min = 0x800;
    } else if ((byte & 0xF8) == 0xF0) {
      extra = 3;
      code = byte & 0x07;
      min = 0x10000;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

bool has_control_character(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7F) return true;
  }
  return false;
}

std::string allowed_keys() {
  std::string keys;
  for (const auto& [key, category] : category_keys) {
    if (!keys.empty()) keys += ", ";
    keys += key;
  }
  return keys;
}

}  // namespace

std::string_view to_string(prompt_category category) {
  for (const auto& [key, value] : category_keys) {
    if (value == category) return key;
  }
  return "other";
}

std::optional<prompt_category> prompt_category_from_key(std::string_view key) {
  for (const auto& [name, value] : category_keys) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::string prompt_parse_error::to_string() const {
  if (line == 0) return source + ": " + message;
  return source + ":" + std::to_string(line) + ": " + message;
}

// Builds a prompt_set line by line; a friend of prompt_set so the set stays immutable to
// everyone else.
class prompt_set_parser {
 public:
  explicit prompt_set_parser(std::string_view source) { set_.source_ = std::string(source); }

  prompt_parse_result parse(std::string_view text) {
    if (text.size() > max_prompt_file_bytes) {
      return fail(0, "the file is " + std::to_string(text.size()) +
                         " bytes; a prompt file may be at most " +
                         std::to_string(max_prompt_file_bytes) + " bytes");
    }
    constexpr std::string_view bom = "\xEF\xBB\xBF";
    if (text.substr(0, bom.size()) == bom) text.remove_prefix(bom.size());

    int line_number = 0;
    while (!text.empty()) {
      ++line_number;
      const auto newline = text.find('\n');
      std::string_view line = text.substr(0, newline);
      text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (std::optional<prompt_parse_error> error = take_line(line_number, line)) {
        return *std::move(error);
      }
    }
    if (std::optional<prompt_parse_error> error = close_section()) return *std::move(error);
    if (set_.prompts_.empty()) {
      return fail(0,
                  "the file has no prompts; add a section line such as \"# relationship: Our "
                  "relationship\" followed by one prompt per line");
    }
    return std::move(set_);
  }

 private:
  prompt_parse_error fail(int line, std::string message) const {
    return prompt_parse_error{set_.source_, line, std::move(message)};
  }

  std::optional<prompt_parse_error> take_line(int line_number, std::string_view raw) {
    if (raw.size() > max_prompt_line_bytes) {
      return fail(line_number, "the line is " + std::to_string(raw.size()) +
                                   " bytes; lines may be at most " +
                                   std::to_string(max_prompt_line_bytes) + " bytes");
    }
    if (!valid_utf8(raw)) return fail(line_number, "the line is not valid UTF-8 text");
    if (has_control_character(raw)) {
      return fail(line_number, "the line holds a control character; use plain text only");
    }
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == ';') return std::nullopt;
    if (line.front() == '#') return open_section(line_number, line.substr(1));
    return add_prompt(line_number, line);
  }

  std::optional<prompt_parse_error> open_section(int line_number, std::string_view header) {
    if (std::optional<prompt_parse_error> error = close_section()) return error;
    const auto colon = header.find(':');
    if (colon == std::string_view::npos) {
      return fail(line_number,
                  "a section line must read \"# <category>: <title>\", e.g. \"# "
                  "relationship: Our relationship\"; the category is one of " +
                      allowed_keys());
    }
    const std::string_view key = trim(header.substr(0, colon));
    const std::string_view title = trim(header.substr(colon + 1));
    const std::optional<prompt_category> category = prompt_category_from_key(key);
    if (!category) {
      return fail(line_number,
                  "unknown category \"" + std::string(key) + "\"; use one of " + allowed_keys());
    }
    if (title.empty()) {
      return fail(line_number, "the section has no title; write it after the colon, e.g. \"# " +
                                   std::string(key) + ": Our relationship\"");
    }
    set_.sections_.push_back(
        prompt_section{std::string(title), *category, set_.prompts_.size(), 0, line_number});
    return std::nullopt;
  }

  std::optional<prompt_parse_error> close_section() const {
    if (!set_.sections_.empty() && set_.sections_.back().count == 0) {
      const prompt_section& open = set_.sections_.back();
      return fail(open.line, "the section \"" + open.title +
                                 "\" has no prompts; add one prompt per line below it");
    }
    return std::nullopt;
  }

  std::optional<prompt_parse_error> add_prompt(int line_number, std::string_view text) {
    if (set_.sections_.empty()) {
      return fail(line_number,
                  "this prompt comes before any section; start the file with a section line "
                  "such as \"# relationship: Our relationship\"");
    }
    if (set_.prompts_.size() == max_prompts) {
      return fail(line_number, "the set has more than " + std::to_string(max_prompts) +
                                   " prompts; split it into several files");
    }
    const auto [seen, fresh] = first_line_of_.emplace(std::string(text), line_number);
    if (!fresh) {
      return fail(line_number, "this prompt already appears on line " +
                                   std::to_string(seen->second) + "; keep one of them");
    }
    prompt_section& section = set_.sections_.back();
    set_.prompts_.push_back(reflection_prompt{std::string(text), section.category,
                                              set_.sections_.size() - 1, line_number});
    ++section.count;
    return std::nullopt;
  }

  prompt_set set_;
  std::map<std::string, int, std::less<>> first_line_of_;  // prompt text -> its first line
};

prompt_parse_result parse_prompt_set(std::string_view text, std::string_view source) {
  return prompt_set_parser(source).parse(text);
}

bool prompt_cursor::next() {
  if (index_ + 1 >= count_) return false;
  ++index_;
  return true;
}

bool prompt_cursor::previous() {
  if (index_ == 0) return false;
  --index_;
  return true;
}

bool prompt_cursor::go_to(std::size_t index) {
  if (index >= count_) return false;
  index_ = index;
  return true;
}

}  // namespace colead::room
