#include "arguments.hpp"

#include <algorithm>
#include <charconv>

namespace colead::cli {

std::optional<arguments> arguments::parse(std::span<const std::string_view> args,
                                          const std::vector<flag_spec>& known, std::string& error) {
  arguments out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto arg = args[i];
    if (arg.substr(0, 2) != "--" || arg.size() == 2) {
      error = "unexpected argument '" + std::string(arg) + "'";
      return std::nullopt;
    }
    arg.remove_prefix(2);
    std::optional<std::string_view> inline_value;
    if (auto eq = arg.find('='); eq != std::string_view::npos) {
      inline_value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    auto spec =
        std::find_if(known.begin(), known.end(), [&](const flag_spec& f) { return f.name == arg; });
    if (spec == known.end()) {
      error = "unknown flag --" + std::string(arg);
      return std::nullopt;
    }
    if (spec->placeholder.empty()) {
      if (inline_value) {
        error = "--" + std::string(arg) + " takes no value";
        return std::nullopt;
      }
      out.values_[std::string(arg)] = "";
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        error = "--" + std::string(arg) + " needs a value (" + std::string(spec->placeholder) + ")";
        return std::nullopt;
      }
      inline_value = args[++i];
    }
    out.values_[std::string(arg)] = std::string(*inline_value);
  }
  for (const auto& spec : known) {
    if (spec.required && !out.has(spec.name)) {
      error = "--" + std::string(spec.name) + " is required";
      return std::nullopt;
    }
  }
  return out;
}

bool arguments::has(std::string_view name) const {
  return values_.find(name) != values_.end();
}

std::string arguments::value(std::string_view name, std::string_view fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string(fallback) : it->second;
}

void print_usage(std::ostream& out, const subcommand& command) {
  out << "usage: colead " << command.name;
  for (const auto& flag : command.flags) {
    out << ' ' << (flag.required ? "" : "[") << "--" << flag.name;
    if (!flag.placeholder.empty()) out << ' ' << flag.placeholder;
    out << (flag.required ? "" : "]");
  }
  out << "\n\n" << command.summary << "\n\n" << command.details << "\n\nflags:\n";
  for (const auto& flag : command.flags) {
    std::string left = "  --";  // appended: GCC 12 at -O3 sees a false overlap in "  --" + ...
    left += flag.name;
    if (!flag.placeholder.empty()) {
      left += ' ';
      left += flag.placeholder;
    }
    out << left;
    out << std::string(left.size() < 26 ? 26 - left.size() : 1, ' ') << flag.help << '\n';
  }
  out << "  --help                  show this text\n";
}

std::optional<long> parse_number(std::string_view text, long min, long max) {
  long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

}  // namespace colead::cli
