// colead: the command-line client of a Colead server, for scripting and operations.
#include <iostream>
#include <string_view>
#include <vector>

#include "subcommands.hpp"

namespace {

using colead::cli::subcommand;

void print_overview(std::ostream& out, const std::vector<subcommand>& commands) {
  out << "usage: colead <subcommand> [flags]\n\nsubcommands:\n";
  for (const auto& command : commands) {
    std::string name(command.name);
    out << "  " << name << std::string(name.size() < 14 ? 14 - name.size() : 1, ' ')
        << command.summary << '\n';
  }
  out << "\n`colead <subcommand> --help` explains one subcommand.\n"
         "Backups are taken on the server's machine: colead-server backup --data-dir DIR --out "
         "FILE.\n";
}

// `colead backup` became `colead-server backup`: a client never opens the server's database.
int backup_moved() {
  std::cerr << "colead: backup is a command of the server now, run on its machine:\n"
               "  colead-server backup --data-dir DIR --out FILE\n"
               "(same options and behaviour; see docs/operations.md, \"Backing up\")\n";
  return colead::cli::usage_error;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<subcommand> commands = {
      colead::cli::create_room_command(),
      colead::cli::join_command(),
  };
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "backup") return backup_moved();
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_overview(args.empty() ? std::cerr : std::cout, commands);
    return args.empty() ? colead::cli::usage_error : 0;
  }
  for (const auto& command : commands) {
    if (command.name != args[0]) continue;
    std::span<const std::string_view> rest(args.begin() + 1, args.end());
    for (auto arg : rest) {
      if (arg == "--help" || arg == "-h") {
        colead::cli::print_usage(std::cout, command);
        return 0;
      }
    }
    std::string error;
    auto parsed = colead::cli::arguments::parse(rest, command.flags, error);
    if (!parsed) {
      std::cerr << "colead " << command.name << ": " << error << "\n\n";
      colead::cli::print_usage(std::cerr, command);
      return colead::cli::usage_error;
    }
    return command.run(*parsed);
  }
  std::cerr << "colead: unknown subcommand '" << args[0] << "'\n\n";
  print_overview(std::cerr, commands);
  return colead::cli::usage_error;
}
