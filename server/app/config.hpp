// colead-server's configuration, read three ways with the same names: command-line flags
// (--max-frame-bytes 65536), COLEAD_* environment variables (COLEAD_MAX_FRAME_BYTES=65536) and
// a config file (`max-frame-bytes = 65536`, one setting a line, `#` comments, a repeatable
// setting on several lines). Flags win over the environment, which wins over the file; a
// repeatable setting given by a stronger source replaces the weaker source's list.
//
// The file is the one named by --config (or COLEAD_CONFIG); without one, an installed server
// reads the default file its caller passes (/etc/colead/colead.conf) when it exists.
//
// Parsing is Boost.Program_options' (command line, environment, file); every value is then
// checked by the setting's own rule, so a bad value is refused with its name and its source.
#pragma once

#include <string>
#include <vector>

#include "net/server_options.hpp"

namespace colead::app {

struct config {
  net::server_options server;            // what the network layer needs
  std::string data_dir = "colead-data";  // SQLite file, organiser key
  std::string scripts_dir;         // consulting script files; empty: the installed or checkout copy
  std::string prompts_file;        // reflection prompts; empty: the installed or checkout copy
  std::string log_level = "info";  // trace, debug, info, warn, error
  std::string log_format = "text";  // text or json
  std::string user;                 // drop privileges to this user after start (root only)
  std::string turn_secret_file;     // the TURN shared secret's file, read by parse_config
  std::string turn_secret;          // the TURN shared secret given directly (less safe)
  std::string config_file;          // the config file read, empty when none
  // The most memory the store's writer may keep pages of colead.db in (store-cache-bytes).
  std::size_t store_cache_bytes = std::size_t{8} << 20;
  bool help = false;          // print usage and exit
  bool version = false;       // print the version and exit
  bool check_config = false;  // validate, print the effective settings and exit
  // --max-connections was given a number; otherwise ("auto", the default) the limit follows
  // the descriptor limit (connection_limit).
  bool max_connections_given = false;
  // --threads was given a number; otherwise ("auto", the default) there is one thread for each
  // core the server may run on (thread_count).
  bool threads_given = false;
};

// Descriptors kept free of connections: the store (database, WAL, shared memory), the log,
// the listening sockets, the event loop's own, and refusals being answered.
inline constexpr std::size_t descriptor_headroom = 32;
// The most connections "auto" allows whatever the descriptor limit.
inline constexpr std::size_t max_auto_connections = 1'000'000;

// The connections the server accepts when `descriptors` files may be open: every descriptor
// but descriptor_headroom (at most max_auto_connections), or, when --max-connections gave a
// number, that number within the same bound. At least 1.
std::size_t connection_limit(const config& c, std::size_t descriptors);

// The threads that serve connections when the server may run on `cores` cores (its CPU
// affinity: a server pinned to one core runs one thread, with no strand contended): that
// many (1 to 256), or the number --threads gave.
unsigned thread_count(const config& c, unsigned cores);

// Reads the environment (COLEAD_*), the config file and then `args` (without the program
// name) into `out`. `default_file` is read when no file is named and it exists (empty for
// none). Returns false and fills `error` with a message naming the setting and where it came
// from when a value is missing, unknown or invalid; `out` is then unspecified.
bool parse_config(const std::vector<std::string>& args, const std::string& default_file,
                  config& out, std::string& error);

// The --help text.
std::string usage();

// The effective settings, one `name = value` line each in the config file's syntax: what
// --check-config prints. The organiser key is never a setting, and the TURN secret shows only
// as "(set, not shown)".
std::string effective_settings(const config& c);

}  // namespace colead::app
