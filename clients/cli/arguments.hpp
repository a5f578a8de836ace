// The flags of one `colead` subcommand: `--name value`, `--name=value` and bare `--switch`.
//
// Plain data and pure functions; thread-safe as values are.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace colead::cli {

// One flag a subcommand accepts.
struct flag_spec {
  std::string_view name;         // without the leading dashes, e.g. "server"
  std::string_view placeholder;  // what the value is, e.g. "URL"; empty for a switch
  std::string_view help;         // one line
  bool required = false;         // the subcommand cannot run without it
};

// The parsed flags.
class arguments {
 public:
  // Parses `args` against `known`. Returns nothing and sets `error` on an unknown flag, a
  // flag without its value, a positional argument, or a missing required flag.
  static std::optional<arguments> parse(std::span<const std::string_view> args,
                                        const std::vector<flag_spec>& known, std::string& error);

  // True when the flag was given.
  bool has(std::string_view name) const;
  // The flag's value, or `fallback` when it was not given.
  std::string value(std::string_view name, std::string_view fallback = {}) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;  // flag name -> value
};

// A `colead` subcommand: what `colead --help` lists and `colead NAME --help` explains.
struct subcommand {
  std::string_view name;     // e.g. "create-room"
  std::string_view summary;  // one line for the list of subcommands
  std::string_view details;  // a paragraph for NAME --help
  std::vector<flag_spec> flags;
  // Runs with parsed flags; returns the exit status (0 success, 1 failure).
  int (*run)(const arguments& args);
};

// Exit status for a command line that cannot be understood.
inline constexpr int usage_error = 2;

// Writes NAME --help's text.
void print_usage(std::ostream& out, const subcommand& command);

// Parses a whole number in [min, max]; nothing when `text` is not one.
std::optional<long> parse_number(std::string_view text, long min, long max);

}  // namespace colead::cli
