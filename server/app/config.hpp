// colead-server's configuration: command-line flags, each also readable from a COLEAD_*
// environment variable (flag --max-frame-bytes <-> COLEAD_MAX_FRAME_BYTES). Flags win.
#pragma once

#include <string>
#include <vector>

#include "net/server_options.hpp"

namespace colead::app {

struct config {
  net::server_options server;            // what the network layer needs
  std::string data_dir = "colead-data";  // SQLite file, organiser key
  std::string scripts_dir;   // consulting script files; empty: data/scripts of the checkout
  std::string prompts_file;  // reflection prompts; empty: data/prompts/default.txt of the checkout
  std::string log_level = "info";   // trace, debug, info, warn, error
  std::string log_format = "text";  // text or json
  bool help = false;                // print usage and exit
  bool version = false;             // print the version and exit
};

// Parses `args` (without the program name) over the environment. Returns false and fills
// `error` with a message naming the flag when a value is missing or invalid.
bool parse_config(const std::vector<std::string>& args, config& out, std::string& error);

// The --help text.
std::string usage();

}  // namespace colead::app
