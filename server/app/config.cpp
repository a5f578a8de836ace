#include "app/config.hpp"

#include <charconv>
#include <cstdlib>
#include <functional>
#include <map>
#include <sstream>

namespace colead::app {

namespace {

struct flag {
  const char* name;                                      // without the leading dashes
  const char* help;                                      // one line
  std::function<bool(const std::string&, config&)> set;  // false when the value is invalid
};

template <typename T>
bool parse_number(const std::string& text, T& out, T min, T max) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return false;
  }
  out = value;
  return true;
}

bool parse_double(const std::string& text, double& out, double min, double max) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(value >= min && value <= max)) {
    return false;
  }
  out = value;
  return true;
}

bool parse_listen(const std::string& text, config& c) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  auto host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::uint16_t port = 0;
  if (!parse_number<std::uint16_t>(text.substr(colon + 1), port, 0, 65535)) return false;
  c.server.host = host;
  c.server.port = port;
  return true;
}

const std::vector<flag>& flags() {
  static const std::vector<flag> all = {
      {"listen", "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks a free one)",
       [](const std::string& v, config& c) { return parse_listen(v, c); }},
      {"data-dir", "folder for the database and the organiser key (default ./colead-data)",
       [](const std::string& v, config& c) { return !v.empty() && (c.data_dir = v, true); }},
      {"web-root", "folder of the browser client (default: clients/web of this checkout)",
       [](const std::string& v, config& c) { return !v.empty() && (c.server.web_root = v, true); }},
      {"scripts-dir", "folder of consulting script files (default: data/scripts of this checkout)",
       [](const std::string& v, config& c) { return !v.empty() && (c.scripts_dir = v, true); }},
      {"prompts", "reflection prompt file (default: data/prompts/default.txt of this checkout)",
       [](const std::string& v, config& c) { return !v.empty() && (c.prompts_file = v, true); }},
      {"threads", "threads serving connections (default 2)",
       [](const std::string& v, config& c) {
         return parse_number<unsigned>(v, c.server.threads, 1, 256);
       }},
      {"log-level", "trace, debug, info, warn or error (default info)",
       [](const std::string& v, config& c) {
         if (v != "trace" && v != "debug" && v != "info" && v != "warn" && v != "error") {
           return false;
         }
         c.log_level = v;
         return true;
       }},
      {"log-format", "text or json (default text)",
       [](const std::string& v, config& c) {
         if (v != "text" && v != "json") return false;
         c.log_format = v;
         return true;
       }},
      {"time-scale", "run meeting and consult clocks N times faster (tests, demos; default 1)",
       [](const std::string& v, config& c) {
         return parse_double(v, c.server.time_scale, 0.001, 100000);
       }},
      {"max-connections", "TCP connections to the whole server (default 1000)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.max_connections, 1, 1'000'000);
       }},
      {"max-room-connections", "devices connected to one room at once (default 32)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.room_limits.max_connections, 1, 10'000);
       }},
      {"max-frame-bytes", "largest WebSocket message accepted (default 65536)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.max_frame_bytes, 256, 16 << 20);
       }},
      {"max-doc-chars", "largest document, in characters (default 20000)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.room_limits.max_doc_chars, 1, 10'000'000);
       }},
      {"max-body-bytes", "largest HTTP request body (default 65536)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.max_body_bytes, 256, 16 << 20);
       }},
      {"outbound-queue-bytes",
       "bytes queued for a member who stopped reading before they are closed (default 1048576)",
       [](const std::string& v, config& c) {
         return parse_number<std::size_t>(v, c.server.max_outbound_bytes, 1024, 1 << 30);
       }},
      {"rate", "messages per second one connection may send, sustained (default 50)",
       [](const std::string& v, config& c) {
         return parse_double(v, c.server.rate_per_second, 0.1, 1e6);
       }},
      {"rate-burst", "messages one connection may send at once (default 200)",
       [](const std::string& v, config& c) {
         return parse_double(v, c.server.rate_burst, 1, 1e6);
       }},
      {"ping-interval", "seconds of silence before a keep-alive ping (default 30)",
       [](const std::string& v, config& c) {
         long seconds = 0;
         if (!parse_number<long>(v, seconds, 1, 3600)) return false;
         c.server.ping_interval = std::chrono::seconds(seconds);
         return true;
       }},
      {"retention-days",
       "erase rooms with no activity for longer than N days (fractions allowed; default 0: "
       "keep rooms until their members erase them)",
       [](const std::string& v, config& c) {
         return parse_double(v, c.server.retention_days, 0, 100000);
       }},
      {"allow-origin", "another Origin allowed to open WebSockets (repeatable)",
       [](const std::string& v, config& c) {
         c.server.allowed_origins.push_back(v);
         return !v.empty();
       }},
  };
  return all;
}

std::string env_name(const char* flag_name) {
  std::string out = "COLEAD_";
  for (const char* p = flag_name; *p; ++p)
    out += *p == '-' ? '_' : static_cast<char>(*p & ~0x20);
  return out;
}

const flag* find_flag(std::string_view name) {
  for (const auto& f : flags())
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace

bool parse_config(const std::vector<std::string>& args, config& out, std::string& error) {
  for (const auto& f : flags()) {
    if (const char* value = std::getenv(env_name(f.name).c_str())) {
      if (!f.set(value, out)) {
        error = env_name(f.name) + "='" + value + "' is not valid: " + f.help;
        return false;
      }
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.help = true;
      continue;
    }
    if (arg == "--version") {
      out.version = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) {
      error = "unexpected argument '" + arg + "'; see --help";
      return false;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    const flag* f = find_flag(name);
    if (f == nullptr) {
      error = "unknown flag --" + name + "; see --help";
      return false;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        error = "--" + name + " needs a value: " + f->help;
        return false;
      }
      value = args[++i];
    }
    if (!f->set(value, out)) {
      error = "--" + name + " " + value + " is not valid: " + f->help;
      return false;
    }
  }
  return true;
}

std::string usage() {
  std::ostringstream out;
  out << "Usage: colead-server [flags]\n\n"
         "Serves Colead rooms: shared purpose co-editing, meetings that keep the 40 per cent\n"
         "reflection rule, and consulting to each other.\n\n"
         "Flags (each also read from the COLEAD_* variable named beside it):\n";
  for (const auto& f : flags()) {
    std::string left = std::string("  --") + f.name + " (" + env_name(f.name) + ")";
    out << left << "\n      " << f.help << "\n";
  }
  out << "  --help      this text\n  --version   print the version\n";
  return out.str();
}

}  // namespace colead::app
