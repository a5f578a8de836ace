#include "net/metrics.hpp"

namespace colead::net {

namespace {

template <typename T>
void line(std::string& out, const char* name, const char* type, const char* help, T value) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

}  // namespace

std::string metrics::render(std::size_t rooms_loaded) const {
  std::string out;
  auto r = std::memory_order_relaxed;
  line(out, "colead_tcp_connections", "gauge", "Open TCP connections.", tcp_connections.load(r));
  line(out, "colead_websocket_sessions", "gauge", "Open WebSocket sessions.",
       websocket_sessions.load(r));
  line(out, "colead_rooms_loaded", "gauge", "Rooms loaded in memory.", rooms_loaded);
  line(out, "colead_messages_in_total", "counter", "Client messages received.",
       messages_in.load(r));
  line(out, "colead_frames_out_total", "counter", "Frames written to clients.", frames_out.load(r));
  line(out, "colead_bad_frames_total", "counter", "Frames that did not decode.",
       bad_frames.load(r));
  line(out, "colead_rate_limited_total", "counter", "Messages refused for rate.",
       rate_limited.load(r));
  line(out, "colead_slow_disconnects_total", "counter",
       "Connections closed because they stopped reading.", slow_disconnects.load(r));
  line(out, "colead_http_requests_total", "counter", "HTTP requests served.",
       http_requests.load(r));
  line(out, "colead_rooms_created_total", "counter", "Rooms created since start.",
       rooms_created.load(r));
  return out;
}

}  // namespace colead::net
