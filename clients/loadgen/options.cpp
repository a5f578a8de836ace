#include "options.hpp"

#include <charconv>
#include <cstdlib>
#include <functional>
#include <map>

#include "client/server_url.hpp"
#include "colead/number_text.hpp"

namespace colead::loadgen {

namespace {

using colead::parse_double;
using colead::parse_number;

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

const char* usage() {
  return R"(colead-loadgen: rooms of members typing into a Colead server (or colead-bench-relay) on
this machine, measuring how fast their edits reach the others.

  --server URL          http://127.0.0.1:PORT (loopback only; default http://127.0.0.1:8080)
  --relay               drive colead-bench-relay: same frames, no hello, no OT
  --rooms R             rooms (default 10, at most 20000)
  --members M           members per room (2 to 8, default 3)
  --rate E              edits a second per member, jittered (default 2, at most 1000)
  --delete-percent P    share of edits that delete (default 15)
  --seconds S           the measured window (default 10, at most 600)
  --warmup S            typing before the window opens (default 2, at most 60)
  --idle N              hold N idle joined connections in rooms of M for --seconds and
                        report the server's memory per connection
  --rooms-file F        use these rooms: one line each, "<room id> <token> <token>..."
  --organiser-key K     the organiser key, when the server needs it to create rooms
                        (or COLEAD_ORGANISER_KEY)
  --server-pid P        read the server's CPU time and memory from /proc/P
  --threads T           event loops (default 1, at most 64)
  --connect-parallel N  connections opening at once (default 256)
  --seed N              seed of the typing's choices (default 1)
  --label TEXT          copied into the JSON line

Prints a table, then one line {"loadgen":{...}} with every figure. Exit status 0 when every
connection joined and no error arrived, 1 otherwise, 2 for a bad command line.
)";
}

std::optional<options> parse_options(const std::vector<std::string>& args, std::string& error,
                                     bool& help) {
  options o;
  help = false;
  if (const char* key = std::getenv("COLEAD_ORGANISER_KEY")) o.organiser_key = key;
  using setter = std::function<bool(const std::string&)>;
  const std::map<std::string, std::pair<setter, const char*>> valued = {
      {"--server",
       {[&](const std::string& v) {
          o.server = v;
          return true;
        },
        "a URL"}},
      {"--rooms",
       {[&](const std::string& v) { return parse_number<int>(v, o.rooms, 1, max_rooms); },
        "a number from 1 to 20000"}},
      {"--members",
       {[&](const std::string& v) { return parse_number<int>(v, o.members, 2, 8); },
        "a number from 2 to 8"}},
      {"--rate",
       {[&](const std::string& v) { return parse_double(v, o.rate, 0.01, max_rate); },
        "edits a second, from 0.01 to 1000"}},
      {"--delete-percent",
       {[&](const std::string& v) { return parse_number<int>(v, o.delete_percent, 0, 50); },
        "a number from 0 to 50"}},
      {"--seconds",
       {[&](const std::string& v) { return parse_double(v, o.seconds, 0.1, max_seconds); },
        "seconds, from 0.1 to 600"}},
      {"--warmup",
       {[&](const std::string& v) { return parse_double(v, o.warmup, 0, 60); },
        "seconds, from 0 to 60"}},
      {"--idle",
       {[&](const std::string& v) { return parse_number<int>(v, o.idle, 1, max_connections); },
        "a number from 1 to 60000"}},
      {"--rooms-file",
       {[&](const std::string& v) {
          o.rooms_file = v;
          return !v.empty();
        },
        "a file"}},
      {"--organiser-key",
       {[&](const std::string& v) {
          o.organiser_key = v;
          return !v.empty();
        },
        "the key"}},
      {"--server-pid",
       {[&](const std::string& v) { return parse_number<int>(v, o.server_pid, 1, 1 << 30); },
        "a process id"}},
      {"--threads",
       {[&](const std::string& v) { return parse_number<int>(v, o.threads, 1, max_threads); },
        "a number from 1 to 64"}},
      {"--connect-parallel",
       {[&](const std::string& v) { return parse_number<int>(v, o.connect_parallel, 1, 10000); },
        "a number from 1 to 10000"}},
      {"--seed",
       {[&](const std::string& v) {
          int s = 0;
          if (!parse_number<int>(v, s, 0, 1 << 30)) return false;
          o.seed = static_cast<std::uint64_t>(s);
          return true;
        },
        "a number"}},
      {"--label",
       {[&](const std::string& v) {
          o.label = v;
          return true;
        },
        "text"}},
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      help = true;
      return std::nullopt;
    }
    if (arg == "--relay") {
      o.relay = true;
      continue;
    }
    auto found = valued.find(arg);
    if (found == valued.end()) {
      error = "unknown option " + arg + " (see --help)";
      return std::nullopt;
    }
    if (i + 1 == args.size()) {
      error = arg + " needs a value: " + found->second.second;
      return std::nullopt;
    }
    const auto& value = args[++i];
    if (!found->second.first(value)) {
      error = arg + " " + value + ": expected " + found->second.second;
      return std::nullopt;
    }
  }
  std::string why;
  auto where = client::parse_server_url(o.server, why);
  if (!where) {
    error = "--server " + o.server + ": " + why;
    return std::nullopt;
  }
  if (where->tls) {
    error = "--server " + o.server + ": the load generator speaks plain HTTP on loopback only";
    return std::nullopt;
  }
  if (!is_loopback(where->host)) {
    error = "--server " + o.server +
            ": not a loopback address; the load generator only loads this machine";
    return std::nullopt;
  }
  o.host = where->host == "localhost" ? "127.0.0.1" : where->host;
  o.port = where->port;
  long connections = o.idle > 0 ? o.idle : static_cast<long>(o.rooms) * o.members;
  if (connections > max_connections) {
    error = "rooms x members is " + std::to_string(connections) + " connections, over the " +
            std::to_string(max_connections) + " a run may open";
    return std::nullopt;
  }
  if (o.idle > 0 && o.relay) {
    error = "--idle measures the server's memory per joined connection; the relay has no join";
    return std::nullopt;
  }
  if (o.rooms_file.empty() == false && o.relay) {
    error = "--rooms-file names Colead rooms; the relay needs none";
    return std::nullopt;
  }
  return o;
}

}  // namespace colead::loadgen
