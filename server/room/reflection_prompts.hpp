// Reflection prompts: the questions a room is offered while it reflects, kept as data so a
// local programme can replace them without touching code.
//
// File format (UTF-8 text, one item per line; data/prompts/default.txt is the example):
//
//   ; A line whose first non-blank character is ';' is a comment. Blank lines are ignored.
//   # how_we_work: The three role questions
//   What role am I in now?
//   What role am I in in this context?
//
//   - "# <category>: <title>" opens a section. <category> is one of relationship,
//     how_we_work, local_system, other (the learning log's note categories, so a note written
//     about a prompt can take its category). <title> is what people see.
//   - Every other line is one prompt of the section above it.
//   - Leading and trailing blanks are dropped; a trailing "\r" (Windows line ends) and a
//     leading byte-order mark are accepted.
//   Rejected, with "<file>:<line>: <what is wrong>": a prompt before any section, an unknown
//   category, a missing title, a section without prompts, a prompt repeated in the set, a line
//   that is not valid UTF-8 or holds control characters, a line longer than
//   max_prompt_line_bytes, more than max_prompts prompts, a file larger than
//   max_prompt_file_bytes, and a file with no prompts at all.
//
// Parsing is pure: the caller reads the file and passes its text and name.
//
// Thread safety: plain values; a parsed prompt_set is immutable and may be shared.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace colead::room {

inline constexpr std::size_t max_prompt_file_bytes = 64 * 1024;
inline constexpr std::size_t max_prompt_line_bytes = 500;
inline constexpr std::size_t max_prompts = 500;

// What a prompt invites the room to reflect on (the note categories of docs/protocol.md).
enum class prompt_category { relationship, how_we_work, local_system, other };

// "relationship", "how_we_work", "local_system", "other": the keys used in prompt files.
std::string_view to_string(prompt_category category);

// The category named by a file key, if it is one.
std::optional<prompt_category> prompt_category_from_key(std::string_view key);

struct reflection_prompt {
  std::string text;          // the question, as written in the file
  prompt_category category;  // its section's category
  std::size_t section = 0;   // index into prompt_set::sections()
  int line = 0;              // 1-based line in the file
};

struct prompt_section {
  std::string title;         // e.g. "The three role questions"
  prompt_category category;  // from the section line
  std::size_t first = 0;     // index of its first prompt in prompt_set::prompts()
  std::size_t count = 0;     // how many prompts it has (at least one)
  int line = 0;              // 1-based line of its "#" line
};

// A parsed prompt file. Never empty: every set has at least one section and each section at
// least one prompt.
class prompt_set {
 public:
  // Where the set came from, as given to parse_prompt_set (e.g. "default.txt").
  const std::string& source() const { return source_; }
  const std::vector<prompt_section>& sections() const { return sections_; }
  // Every prompt, section after section, in file order.
  const std::vector<reflection_prompt>& prompts() const { return prompts_; }
  std::size_t size() const { return prompts_.size(); }

 private:
  friend class prompt_set_parser;
  std::string source_;
  std::vector<prompt_section> sections_;
  std::vector<reflection_prompt> prompts_;
};

// Why a prompt file was refused.
struct prompt_parse_error {
  std::string source;   // the file name given
  int line = 0;         // 1-based line, 0 when about the file as a whole
  std::string message;  // what is wrong and how to fix it

  // "<source>:<line>: <message>" (or "<source>: <message>" when line is 0).
  std::string to_string() const;
};

// A prompt_set, or the first error found in the file.
class prompt_parse_result {
 public:
  // NOLINTNEXTLINE(google-explicit-constructor): so the parser can `return set;`.
  prompt_parse_result(prompt_set set) : value_(std::move(set)) {}
  // NOLINTNEXTLINE(google-explicit-constructor): so the parser can `return error;`.
  prompt_parse_result(prompt_parse_error error) : value_(std::move(error)) {}

  bool is_ok() const { return value_.index() == 0; }
  explicit operator bool() const { return is_ok(); }
  // Precondition: is_ok().
  const prompt_set& value() const { return std::get<0>(value_); }
  // Precondition: !is_ok().
  const prompt_parse_error& error() const { return std::get<1>(value_); }

 private:
  std::variant<prompt_set, prompt_parse_error> value_;
};

// Parses the text of a prompt file; `source` names it in errors (the file name, not read).
prompt_parse_result parse_prompt_set(std::string_view text, std::string_view source);

// Which prompt of a set a room is looking at. A plain index kept by the room with its
// meeting; any member may move it. It stops at either end rather than wrapping, so "next"
// on the last prompt says plainly that there is no next one.
//
// Thread safety: none; a plain value.
class prompt_cursor {
 public:
  // At the first prompt of `set`.
  explicit prompt_cursor(const prompt_set& set) : count_(set.size()) {}

  std::size_t index() const { return index_; }
  std::size_t count() const { return count_; }
  bool at_first() const { return index_ == 0; }
  bool at_last() const { return index_ + 1 == count_; }

  // Moves one prompt on; false, and no move, on the last prompt.
  bool next();
  // Moves one prompt back; false, and no move, on the first prompt.
  bool previous();
  // Moves to prompt `index`; false, and no move, when out of range.
  bool go_to(std::size_t index);

  // The prompt shown now. Precondition: `set` is the set (or one of the same size) the
  // cursor was made for.
  const reflection_prompt& current(const prompt_set& set) const { return set.prompts()[index_]; }

 private:
  std::size_t index_ = 0;  // < count_
  std::size_t count_ = 0;  // prompts in the set (>= 1)
};

}  // namespace colead::room
