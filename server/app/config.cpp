#include "app/config.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include <boost/program_options.hpp>

#include "colead/number_text.hpp"

#include "net/client_address.hpp"
#include "net/turn_credentials.hpp"

namespace colead::app {

namespace po = boost::program_options;

namespace {

// One setting: its name (the flag without dashes, the file's key), a line of help, how a
// value is checked and stored, and how the effective value is shown.
struct setting {
  const char* name;
  const char* help;
  std::function<bool(const std::string&, config&)> set;         // false when the value is invalid
  std::function<std::vector<std::string>(const config&)> show;  // the effective value(s)
  // Set for a setting that may be given several times: empties its list, so that a stronger
  // source replaces what weaker ones gave instead of adding to it.
  std::function<void(config&)> clear = nullptr;
  bool secret = false;  // its value is never shown, only whether it is set
  // Says what is wrong with a refused value, when there is more to say than the help.
  std::function<std::string(const std::string&)> why = nullptr;
};

using colead::parse_double;
using colead::parse_number;

// HOST:PORT, with [v6]:PORT for IPv6 addresses.
bool parse_host_port(const std::string& text, std::string& host, std::uint16_t& port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  auto h = text.substr(0, colon);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  std::uint16_t p = 0;
  if (!parse_number<std::uint16_t>(text.substr(colon + 1), p, 0, 65535)) return false;
  host = h;
  port = p;
  return true;
}

std::string host_port(const std::string& host, std::uint16_t port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// https://host[:port] or http://host[:port], with no path beyond "/": the address people
// open, from which invite links and the allowed Origin follow.
bool parse_public_url(const std::string& text, std::string& out) {
  std::string rest;
  if (text.rfind("https://", 0) == 0) {
    rest = text.substr(8);
  } else if (text.rfind("http://", 0) == 0) {
    rest = text.substr(7);
  } else {
    return false;
  }
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty()) return false;
  for (char c : rest) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;  // no path, query, user info or spaces
  }
  out = text.substr(0, text.size() - (text.back() == '/' ? 1 : 0));
  return true;
}

bool not_empty(const std::string& v, std::string& field) {
  if (v.empty()) return false;
  field = v;
  return true;
}

std::vector<std::string> one(std::string v) {
  return {std::move(v)};
}

std::string number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// Seconds, fractions allowed ("0.5"), from 0.05 to an hour.
bool parse_millis(const std::string& text, std::chrono::milliseconds& out) {
  double seconds = 0;
  if (!parse_double(text, seconds, 0.05, 3600)) return false;
  out = std::chrono::milliseconds(static_cast<long>(seconds * 1000 + 0.5));
  return true;
}

std::string seconds(std::chrono::milliseconds ms) {
  return number(static_cast<double>(ms.count()) / 1000);
}

const std::vector<setting>& settings() {
  static const std::vector<setting> all = {
      {"listen", "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks a free one)",
       [](const std::string& v, config& c) {
         return parse_host_port(v, c.server.host, c.server.port);
       },
       [](const config& c) { return one(host_port(c.server.host, c.server.port)); }},
      {"data-dir", "folder for the database and the organiser key (default ./colead-data)",
       [](const std::string& v, config& c) { return not_empty(v, c.data_dir); },
       [](const config& c) { return one(c.data_dir); }},
      {"web-root", "folder of the browser client (default: the installed or checkout copy)",
       [](const std::string& v, config& c) { return not_empty(v, c.server.web_root); },
       [](const config& c) { return one(c.server.web_root); }},
      {"scripts-dir", "folder of consulting script files (default: the installed or checkout copy)",
       [](const std::string& v, config& c) { return not_empty(v, c.scripts_dir); },
       [](const config& c) { return one(c.scripts_dir); }},
      {"prompts", "reflection prompt file (default: the installed or checkout copy)",
       [](const std::string& v, config& c) { return not_empty(v, c.prompts_file); },
       [](const config& c) { return one(c.prompts_file); }},
      {"user",
       "when started as root, the user to run as once the port and files are open (e.g. colead)",
       [](const std::string& v, config& c) { return not_empty(v, c.user); },
       [](const config& c) { return one(c.user); }},
      {"room-creation",
       "who may create rooms: key (only with the organiser key; the default) or open (anyone "
       "who can reach the server)",
       [](const std::string& v, config& c) {
         if (v != "key" && v != "open") return false;
         c.server.open_room_creation = v == "open";
         return true;
       },
       [](const config& c) { return one(c.server.open_room_creation ? "open" : "key"); }},
      {"public-url",
       "the address people open, e.g. https://colead.example.org (invite links and the allowed "
       "Origin follow it)",
       [](const std::string& v, config& c) { return parse_public_url(v, c.server.public_url); },
       [](const config& c) { return one(c.server.public_url); }},
      {"trusted-proxy",
       "address or CIDR of a reverse proxy whose X-Forwarded-For and X-Forwarded-Proto are "
       "believed (repeatable)",
       [](const std::string& v, config& c) {
         auto range = net::parse_address_range(v);
         if (!range) return false;
         c.server.trusted_proxies.push_back(*range);
         return true;
       },
       [](const config& c) {
         std::vector<std::string> out;
         for (const auto& r : c.server.trusted_proxies)
           out.push_back(net::to_string(r));
         return out;
       },
       [](config& c) { c.server.trusted_proxies.clear(); }},
      {"tls-cert", "PEM certificate chain: serve HTTPS and WSS directly (with --tls-key)",
       [](const std::string& v, config& c) { return not_empty(v, c.server.tls_cert); },
       [](const config& c) { return one(c.server.tls_cert); }},
      {"tls-key", "PEM private key of --tls-cert (reloaded with the certificate on SIGHUP)",
       [](const std::string& v, config& c) { return not_empty(v, c.server.tls_key); },
       [](const config& c) { return one(c.server.tls_key); }},
      {"redirect-http",
       "HOST:PORT where plain HTTP is answered with a redirect to HTTPS (with --tls-cert)",
       [](const std::string& v, config& c) {
         std::string host;
         std::uint16_t port = 0;
         if (!parse_host_port(v, host, port)) return false;
         c.server.redirect_host = host;
         c.server.redirect_port = port;
         return true;
       },
       [](const config& c) {
         return one(c.server.redirect_host.empty()
                        ? ""
                        : host_port(c.server.redirect_host, c.server.redirect_port));
       }},
      {"hsts-seconds",
       "max-age of Strict-Transport-Security on HTTPS answers (default 31536000; 0: none)",
       [](const std::string& v, config& c) {
         return parse_number<long>(v, c.server.hsts_seconds, 0, 100L * 365 * 24 * 3600);
       },
       [](const config& c) { return one(std::to_string(c.server.hsts_seconds)); }},
      {"ice-server",
       "a STUN or TURN server browsers may use to connect calls: stun:HOST[:PORT], "
       "turn:HOST[:PORT][?transport=udp|tcp], or stuns:/turns: for TLS (repeatable; a TURN "
       "server needs turn-secret-file)",
       [](const std::string& v, config& c) {
         if (net::ice_url_problem(v)) return false;
         c.server.ice_servers.push_back(v);
         return true;
       },
       [](const config& c) { return c.server.ice_servers; },
       [](config& c) { c.server.ice_servers.clear(); }, false,
       [](const std::string& v) { return net::ice_url_problem(v).value_or(""); }},
      {"turn-secret-file",
       "file holding the secret shared with the TURN server (coturn's static-auth-secret), "
       "from which each member gets TURN credentials that expire; read once at start",
       [](const std::string& v, config& c) { return not_empty(v, c.turn_secret_file); },
       [](const config& c) { return one(c.turn_secret_file); }},
      {"turn-secret",
       "the TURN shared secret itself, instead of turn-secret-file; less safe: a flag shows in "
       "the process list and a variable in the service's environment",
       [](const std::string& v, config& c) { return not_empty(v, c.turn_secret); },
       [](const config& c) { return one(c.turn_secret); }, nullptr, true},
      {"turn-ttl",
       "seconds the TURN credentials handed to a member keep working (default 86400, from 60 "
       "to 604800)",
       [](const std::string& v, config& c) {
         long seconds = 0;
         if (!parse_number<long>(v, seconds, 60, 604'800)) return false;
         c.server.turn_ttl = std::chrono::seconds(seconds);
         return true;
       },
       [](const config& c) { return one(std::to_string(c.server.turn_ttl.count())); }},
      {"threads",
       "threads serving connections, or auto: one for each core the server may run on "
       "(default auto)",
       [](const std::string& v, config& c) {
         if (v == "auto") {
           c.threads_given = false;
           return true;
         }
         if (!parse_number<unsigned>(v, c.server.threads, 1, 256)) return false;
         c.threads_given = true;
         return true;
       },
       [](const config& c) {
         return one(c.threads_given ? std::to_string(c.server.threads) : "auto");
       }},
      {"log-level", "trace, debug, info, warn or error (default info)",
       [](const std::string& v, config& c) {
         if (v != "trace" && v != "debug" && v != "info" && v != "warn" && v != "error") {
           return false;
         }
         c.log_level = v;
         return true;
       },
       [](const config& c) { return one(c.log_level); }},
      {"log-format", "text or json (default text)",
       [](const std::string& v, config& c) {
         if (v != "text" && v != "json") return false;
         c.log_format = v;
         return true;
       },
       [](const config& c) { return one(c.log_format); }},
      {"time-scale", "run meeting and consult clocks N times faster (tests, demos; default 1)",
       [](const std::string& v, config& c) {
         return parse_double(v, c.server.time_scale, 0.001, 100000);
       },
       [](const config& c) { return one(number(c.server.time_scale)); }},
      {"max-connections",
       "TCP connections to the whole server, or auto: the descriptor limit less 32 (default "
       "auto)",
       [](const std::string& v, config& c) {
         if (v == "auto") {
           c.max_connections_given = false;
           return true;
         }
         if (!parse_number<std::size_t>(v, c.server.max_connections, 1, 1'000'000)) return false;
         c.max_connections_given = true;
         return true;
       },
       [](const config& c) {
         return one(c.max_connections_given ? std::to_string(c.server.max_connections) : "auto");
       }},
      {"handshake-timeout",
       "seconds a new connection has for its TLS handshake and HTTP request or WebSocket "
       "upgrade before it is closed (default 10)",
       [](const std::string& v, config& c) { return parse_millis(v, c.server.handshake_timeout); },
       [](const config& c) { return one(seconds(c.server.handshake_timeout)); }},
      {"hello-timeout",
       "seconds a WebSocket has to join with hello before it is closed with 1008 (default 10)",
       [](const std::string& v, config& c) { return parse_millis(v, c.server.hello_timeout); },
       [](const config& c) { return one(seconds(c.server.hello_timeout)); }},
      {"max-connections-per-address",
       "connections open at once from one client address; more get 429 (default 64)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.max_connections_per_address, 1, 1'000'000);
       },
       [](const config& c) { return one(std::to_string(c.server.max_connections_per_address)); }},
      {"connect-rate-per-address",
       "new connections a second from one client address, sustained; more get 429 (default 20)",
       [](const std::string& v, config& c) {
         return parse_double(v, c.server.connect_rate_per_address, 0.01, 1e6);
       },
       [](const config& c) { return one(number(c.server.connect_rate_per_address)); }},
      {"connect-burst-per-address",
       "new connections one client address may open at once (default 100)",
       [](const std::string& v, config& c) {
         return parse_double(v, c.server.connect_burst_per_address, 1, 1e6);
       },
       [](const config& c) { return one(number(c.server.connect_burst_per_address)); }},
      {"max-header-bytes",
       "largest HTTP request line and headers; longer URLs get 414, longer headers 431 "
       "(default 16384)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.max_header_bytes, 1024, 1 << 20);
       },
       [](const config& c) { return one(std::to_string(c.server.max_header_bytes)); }},
      {"allowed-host",
       "another Host name this server answers to besides public-url's, loopback and the listen "
       "address; others get 421 (repeatable)",
       [](const std::string& v, config& c) {
         if (v.empty()) return false;
         c.server.allowed_hosts.push_back(v);
         return true;
       },
       [](const config& c) { return c.server.allowed_hosts; },
       [](config& c) { c.server.allowed_hosts.clear(); }},
      {"max-room-connections", "devices connected to one room at once (default 32)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.room_limits.max_connections, 1, 10'000);
       },
       [](const config& c) { return one(std::to_string(c.server.room_limits.max_connections)); }},
      {"max-frame-bytes", "largest WebSocket message accepted (default 65536)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.max_frame_bytes, 256, 16 << 20);
       },
       [](const config& c) { return one(std::to_string(c.server.max_frame_bytes)); }},
      {"max-doc-chars", "largest document, in characters (default 20000)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.room_limits.max_doc_chars, 1, 10'000'000);
       },
       [](const config& c) { return one(std::to_string(c.server.room_limits.max_doc_chars)); }},
      {"max-log-bytes",
       "text of one room's learning-log notes together, in bytes (default 4194304)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.room_limits.max_log_bytes, 1024, 1UL << 30);
       },
       [](const config& c) { return one(std::to_string(c.server.room_limits.max_log_bytes)); }},
      {"max-agreed-bytes",
       "text of one document's agreed versions together, in bytes (default 1048576)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.room_limits.max_agreed_bytes, 1024,
                                          1UL << 30);
       },
       [](const config& c) { return one(std::to_string(c.server.room_limits.max_agreed_bytes)); }},
      {"max-signal-bytes",
       "largest call signal (an SDP offer or answer, or an ICE candidate), in bytes "
       "(default 32768)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.room_limits.max_signal_bytes, 1024,
                                          1UL << 20);
       },
       [](const config& c) { return one(std::to_string(c.server.room_limits.max_signal_bytes)); }},
      {"call-video-limit",
       "members a room's call may have with cameras on; beyond it the call is audio only "
       "(default 4)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.room_limits.call_video_limit, 0, 8);
       },
       [](const config& c) { return one(std::to_string(c.server.room_limits.call_video_limit)); }},
      {"max-programme-item-chars",
       "longest item a room raises with its programme, in characters (default 2000)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.room_limits.max_programme_item_chars, 1,
                                          100'000);
       },
       [](const config& c) {
         return one(std::to_string(c.server.room_limits.max_programme_item_chars));
       }},
      {"max-programme-items", "items one room may raise with its programme (default 100)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.room_limits.max_programme_items, 1, 100'000);
       },
       [](const config& c) {
         return one(std::to_string(c.server.room_limits.max_programme_items));
       }},
      {"history-edits",
       "edits of a document kept in memory for late edits and catch-up, at least (default 10000)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.history_edits, 1, 10'000'000);
       },
       [](const config& c) { return one(std::to_string(c.server.history_edits)); }},
      {"history-bytes",
       "memory the kept edits of one document may use, in bytes; the oldest go first "
       "(default 4194304)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.history_bytes, 64 * 1024, 1UL << 30);
       },
       [](const config& c) { return one(std::to_string(c.server.history_bytes)); }},
      {"store-cache-bytes",
       "memory the store may keep pages of colead.db in, so saving an edit need not read them "
       "from the file first; taken as used and kept (default 8388608)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.store_cache_bytes, 1 << 20, 1UL << 32);
       },
       [](const config& c) { return one(std::to_string(c.store_cache_bytes)); }},
      {"max-body-bytes", "largest HTTP request body (default 65536)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.max_body_bytes, 256, 16 << 20);
       },
       [](const config& c) { return one(std::to_string(c.server.max_body_bytes)); }},
      {"outbound-queue-bytes",
       "bytes queued for a member who stopped reading before they are closed (default 1048576)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.max_outbound_bytes, 1024, 1 << 30);
       },
       [](const config& c) { return one(std::to_string(c.server.max_outbound_bytes)); }},
      {"rate", "messages per second one connection may send, sustained (default 50)",
       [](const std::string& v, config& c) {
         return parse_double(v, c.server.rate_per_second, 0.1, 1e6);
       },
       [](const config& c) { return one(number(c.server.rate_per_second)); }},
      {"rate-burst", "messages one connection may send at once (default 200)",
       [](const std::string& v, config& c) { return parse_double(v, c.server.rate_burst, 1, 1e6); },
       [](const config& c) { return one(number(c.server.rate_burst)); }},
      {"member-rate",
       "messages per second one member may send across all its connections (default 100)",
       [](const std::string& v, config& c) {
         return parse_double(v, c.server.member_rate_per_second, 0.1, 1e6);
       },
       [](const config& c) { return one(number(c.server.member_rate_per_second)); }},
      {"member-rate-burst", "messages one member may send at once (default 300)",
       [](const std::string& v, config& c) {
         return parse_double(v, c.server.member_rate_burst, 1, 1e6);
       },
       [](const config& c) { return one(number(c.server.member_rate_burst)); }},
      {"abuse-close-after",
       "messages refused for rate within 10 s before the connection is closed (default 200)",
       [](const std::string& v, config& c) {
         return parse_number<unsigned>(v, c.server.abuse_close_after, 1, 1'000'000);
       },
       [](const config& c) { return one(std::to_string(c.server.abuse_close_after)); }},
      {"ping-interval", "seconds of silence before a keep-alive ping (default 30)",
       [](const std::string& v, config& c) {
         long seconds = 0;
         if (!parse_number<long>(v, seconds, 1, 3600)) return false;
         c.server.ping_interval = std::chrono::seconds(seconds);
         return true;
       },
       [](const config& c) { return one(std::to_string(c.server.ping_interval.count())); }},
      {"memory-trim-seconds",
       "every N seconds, give memory freed since back to the system (default 10; 0: never)",
       [](const std::string& v, config& c) {
         long seconds = 0;
         if (!parse_number<long>(v, seconds, 0, 3600)) return false;
         c.server.memory_trim_interval = std::chrono::seconds(seconds);
         return true;
       },
       [](const config& c) { return one(std::to_string(c.server.memory_trim_interval.count())); }},
      {"retention-days",
       "erase rooms with no activity for longer than N days (fractions allowed; default 0: "
       "keep rooms until their members erase them)",
       [](const std::string& v, config& c) {
         return parse_double(v, c.server.retention_days, 0, 100000);
       },
       [](const config& c) { return one(number(c.server.retention_days)); }},
      {"allow-origin", "another Origin allowed to open WebSockets and post (repeatable)",
       [](const std::string& v, config& c) {
         if (v.empty()) return false;
         c.server.allowed_origins.push_back(v);
         return true;
       },
       [](const config& c) { return c.server.allowed_origins; },
       [](config& c) { c.server.allowed_origins.clear(); }},
  };
  return all;
}

std::string env_name(std::string_view name) {
  std::string out = "COLEAD_";
  for (char ch : name)
    out += ch == '-' ? '_' : static_cast<char>(ch & ~0x20);
  return out;
}

const setting* find_setting(std::string_view name) {
  for (const auto& s : settings())
    if (name == s.name) return &s;
  return nullptr;
}

// The options Program_options parses: every setting takes one value; the switches and
// --config exist on the command line only.
po::options_description value_options() {
  po::options_description desc;
  for (const auto& s : settings())
    desc.add_options()(s.name, po::value<std::string>(), s.help);
  return desc;
}

po::options_description command_line_options() {
  po::options_description desc = value_options();
  desc.add_options()("config", po::value<std::string>(), "config file")(
      "check-config", "check the settings")("help,h", "usage")("version", "version");
  return desc;
}

// The call's settings taken together: the TURN secret read from its file and checked, and
// TURN servers named with a secret to make their credentials (and no secret without one).
bool check_call_settings(config& c, std::string& error) {
  auto& server = c.server;
  server.turn_secret = c.turn_secret;
  std::string secret_source = "turn-secret";
  if (!c.turn_secret_file.empty()) {
    if (!c.turn_secret.empty()) {
      error =
          "turn-secret and turn-secret-file both give the TURN secret: set only one "
          "(turn-secret-file is safer)";
      return false;
    }
    secret_source = "turn-secret-file " + c.turn_secret_file;
    std::ifstream in(c.turn_secret_file, std::ios::binary);
    if (!in) {
      error = secret_source + ": cannot read the file";
      return false;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' ||
                             text.back() == '\t')) {
      text.pop_back();
    }
    if (text.empty()) {
      error = secret_source + ": the file is empty";
      return false;
    }
    server.turn_secret = std::move(text);
  }
  if (!server.turn_secret.empty()) {
    if (auto problem = net::turn_secret_problem(server.turn_secret)) {
      error = secret_source + ": the TURN secret cannot be used: " + *problem;
      return false;
    }
  }
  auto turn = std::find_if(server.ice_servers.begin(), server.ice_servers.end(),
                           [](const std::string& url) { return net::is_turn_url(url); });
  if (turn != server.ice_servers.end() && server.turn_secret.empty()) {
    error = "ice-server " + *turn +
            " is a TURN server: members get its credentials from the secret it shares with "
            "Colead; set turn-secret-file (coturn's static-auth-secret)";
    return false;
  }
  if (turn == server.ice_servers.end() && !server.turn_secret.empty()) {
    error = secret_source +
            ": a TURN secret is set but no ice-server is a turn: or turns: URL; name the TURN "
            "server with ice-server turn:HOST:PORT";
    return false;
  }
  return true;
}

// Applies one source's values, weakest first. A repeatable setting named by this source
// replaces what weaker sources gave.
bool apply(const po::parsed_options& parsed, const std::string& source, config& out,
           std::string& error) {
  std::map<std::string, bool> cleared;
  for (const auto& option : parsed.options) {
    const setting* s = find_setting(option.string_key);
    if (s == nullptr) continue;  // switches and --config, handled by the caller
    const std::string value = option.value.empty() ? std::string{} : option.value.front();
    if (s->clear && !cleared[s->name]) {
      cleared[s->name] = true;
      s->clear(out);
    }
    if (!s->set(value, out)) {
      error = source + ": " + s->name + " = '" + (s->secret ? "(not shown)" : value) +
              "' is not valid: " + (s->why ? s->why(value) + "; " : "") + s->help;
      return false;
    }
  }
  return true;
}

}  // namespace

bool parse_config(const std::vector<std::string>& args, const std::string& default_file,
                  config& out, std::string& error) {
  po::parsed_options command_line(nullptr);
  po::parsed_options environment(nullptr);
  try {
    // No abbreviations: a misspelt flag is an error, not a guess.
    auto style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    command_line = po::command_line_parser(args).options(command_line_options()).style(style).run();
  } catch (const po::error& e) {
    error = std::string(e.what()) + "; see --help";
    return false;
  }
  for (const auto& option : command_line.options) {
    if (option.string_key.empty() || option.position_key >= 0) {
      error = "unexpected argument '" +
              (option.original_tokens.empty() ? std::string() : option.original_tokens.front()) +
              "'; see --help";
      return false;
    }
    if (option.string_key == "help") out.help = true;
    if (option.string_key == "version") out.version = true;
    if (option.string_key == "check-config") out.check_config = true;
    if (option.string_key == "config" && !option.value.empty()) out.config_file = option.value[0];
  }

  // COLEAD_<SETTING> for every setting, and COLEAD_CONFIG; other COLEAD_* names (used by
  // scripts and tests) are not ours to refuse.
  std::string env_config;
  auto env_desc = value_options();
  env_desc.add_options()("config", po::value<std::string>(), "config file");
  try {
    environment = po::parse_environment(env_desc, [&](const std::string& variable) {
      if (variable == "COLEAD_CONFIG") return std::string("config");
      for (const auto& s : settings())
        if (variable == env_name(s.name)) return std::string(s.name);
      return std::string();
    });
  } catch (const po::error& e) {
    error = std::string("environment: ") + e.what();
    return false;
  }
  for (const auto& option : environment.options)
    if (option.string_key == "config" && !option.value.empty()) env_config = option.value[0];

  if (out.config_file.empty()) out.config_file = env_config;
  if (out.config_file.empty() && !default_file.empty()) {
    std::error_code ec;
    if (std::filesystem::exists(default_file, ec)) out.config_file = default_file;
  }
  if (!out.config_file.empty()) {
    std::ifstream in(out.config_file);
    if (!in) {
      error = "cannot read the config file " + out.config_file;
      return false;
    }
    try {
      auto file = po::parse_config_file(in, value_options(), false);
      if (!apply(file, out.config_file, out, error)) return false;
    } catch (const po::error& e) {
      error = out.config_file + ": " + e.what() + " (settings are the flags' names; see --help)";
      return false;
    }
  }
  if (!apply(environment, "environment", out, error) ||
      !apply(command_line, "command line", out, error)) {
    return false;
  }
  if (out.server.tls_cert.empty() != out.server.tls_key.empty()) {
    error = "tls-cert and tls-key go together: set both or neither";
    return false;
  }
  return check_call_settings(out, error);
}

std::string usage() {
  std::ostringstream out;
  out << "Usage: colead-server [flags]\n"
         "       colead-server backup --data-dir DIR --out FILE   (copy a running server's "
         "data)\n\n"
         "Serves Colead rooms: shared purpose co-editing, meetings that keep the 40 per cent\n"
         "reflection rule, and consulting to each other.\n\n"
         "Every setting is a flag, a COLEAD_* variable (named beside it) and a line of the\n"
         "config file ('name = value'). Flags win over variables, variables over the file.\n\n";
  for (const auto& s : settings()) {
    out << "  --" << s.name << " (" << env_name(s.name) << ")\n      " << s.help << "\n";
  }
  out << "  --config FILE (COLEAD_CONFIG)\n"
         "      read settings from FILE; an installed server reads /etc/colead/colead.conf\n"
         "  --check-config  check the settings, print the effective ones and exit\n"
         "  --help          this text\n"
         "  --version       print the version\n";
  return out.str();
}

std::string effective_settings(const config& c) {
  std::ostringstream out;
  out << "# colead-server " << COLEAD_VERSION << ": effective settings";
  if (!c.config_file.empty()) out << " (config file " << c.config_file << ")";
  out << "\n";
  for (const auto& s : settings()) {
    auto values = s.show(c);
    if (s.secret && !values.empty() && !values.front().empty()) {
      out << "# " << s.name << " = (set, not shown)\n";
      continue;
    }
    if (values.empty() || (values.size() == 1 && values.front().empty())) {
      out << "# " << s.name << " =\n";
      continue;
    }
    for (const auto& v : values)
      out << s.name << " = " << v << "\n";
  }
  return out.str();
}

std::size_t connection_limit(const config& c, std::size_t descriptors) {
  const std::size_t fit = descriptors > descriptor_headroom + 1
                              ? std::min(descriptors - descriptor_headroom, max_auto_connections)
                              : 1;
  return c.max_connections_given ? std::min(c.server.max_connections, fit) : fit;
}

unsigned thread_count(const config& c, unsigned cores) {
  return c.threads_given ? c.server.threads : std::clamp(cores, 1u, 256u);
}

}  // namespace colead::app
