// What one colead-loadgen run does: its command line, parsed and checked.
//
// Plain data and a pure parser; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace colead::loadgen {

// The bounds every run keeps to.
inline constexpr int max_seconds = 600;
inline constexpr int max_rooms = 20'000;
inline constexpr int max_connections = 60'000;
inline constexpr double max_rate = 1000;  // edits a second per member
inline constexpr int max_threads = 64;

struct options {
  std::string server = "http://127.0.0.1:8080";  // the server (or relay), loopback only
  std::string host;                              // its address, from `server`
  std::string port;                              // its port, from `server`
  bool relay = false;          // drive colead-bench-relay: no hello, frames only forwarded
  int rooms = 10;              // rooms to create (or to use from rooms_file)
  int members = 3;             // members per room, each on one connection
  double rate = 2;             // edits a second per member, jittered
  int delete_percent = 15;     // share of edits that delete instead of insert
  double seconds = 10;         // the measured window
  double warmup = 2;           // typing before the window opens
  int idle = 0;                // when > 0: hold this many idle joined connections instead
  std::string rooms_file;      // lines "<room id> <token> <token>...": rooms to use
  std::string organiser_key;   // for creating rooms on a server that needs it
  int server_pid = 0;          // read its CPU time and memory from /proc when set
  int threads = 1;             // event loops, each owning whole rooms
  int connect_parallel = 256;  // connections opening at once
  std::uint64_t seed = 1;      // for the typing's choices and jitter
  std::string label;           // copied into the JSON line
};

// Parses the command line (without the program name). Returns nothing and sets `error` (a
// sentence a person can act on) when an option is unknown, a value is malformed or out of
// its bounds, or the server is not on a loopback address. `help` is set for --help.
std::optional<options> parse_options(const std::vector<std::string>& args, std::string& error,
                                     bool& help);

// The usage text.
const char* usage();

}  // namespace colead::loadgen
