// Everything the network layer needs to know, filled from flags and COLEAD_* variables by
// the app layer. Plain data.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/client_address.hpp"
#include "room/consult_script.hpp"
#include "room/reflection_prompts.hpp"
#include "room/room_limits.hpp"
#include "room/tokens.hpp"

namespace colead::net {

struct server_options {
  std::string host = "127.0.0.1";  // address to listen on
  std::uint16_t port = 8080;       // 0 for an ephemeral port
  std::string web_root;            // folder of the browser client
  unsigned threads = 2;            // threads running the io_context
  double time_scale = 1.0;         // meeting and consult clocks run this much faster
  // Consulting scripts rooms offer (GET /api/scripts); the built-ins when null.
  std::shared_ptr<const room::script_catalog> scripts;

  // Reflection prompts rooms show while a meeting reflects; the three role questions when null.
  std::shared_ptr<const room::prompt_set> prompts;

  room::room_limits room_limits;       // per-room limits
  std::size_t max_connections = 1000;  // TCP connections to the whole server
  // Connection lifecycle (docs/security.md, "Connections: handshakes, hello and addresses").
  std::chrono::milliseconds handshake_timeout{10'000};  // TLS + HTTP request or upgrade
  std::chrono::milliseconds hello_timeout{10'000};      // WebSocket open until a hello succeeds
  std::size_t max_connections_per_address = 64;         // open at once from one client address
  double connect_rate_per_address = 20;                 // new connections a second, sustained
  double connect_burst_per_address = 100;               // new connections from one address at once
  std::size_t max_header_bytes = 16 * 1024;             // request line and headers (414 / 431)
  std::vector<std::string> allowed_hosts;    // Host names served besides public URL and loopback
  std::size_t max_frame_bytes = 64 * 1024;   // largest WebSocket message accepted
  std::size_t max_outbound_bytes = 1 << 20;  // queued for one slow member before we close
  std::size_t max_body_bytes = 64 * 1024;    // largest HTTP request body
  std::size_t history_edits = 10'000;        // edits of a document kept in memory, at least
  std::size_t history_bytes = 4 << 20;       // and at most this many bytes of them
  double rate_per_second = 50;               // sustained messages per connection
  double rate_burst = 200;                   // messages a connection may send at once
  double member_rate_per_second = 100;       // sustained messages per member, all its connections
  double member_rate_burst = 300;            // messages a member may send at once
  // Messages refused for rate within abuse_window before the connection is closed (1008).
  unsigned abuse_close_after = 200;
  std::chrono::seconds abuse_window{10};
  std::chrono::seconds ping_interval{30};  // keep-alive ping after this much silence
  std::chrono::seconds shutdown_grace{5};  // how long closing may take on SIGTERM
  // How often freed memory the allocator keeps is given back to the system (0: never).
  std::chrono::seconds memory_trim_interval{10};
  std::vector<std::string> allowed_origins;  // extra Origins allowed besides the Host's own
  double retention_days = 0;                 // erase rooms idle longer than this (0: keep for ever)

  // Room creation needs the organiser key with this hash unless the operator opened it on
  // purpose (--room-creation open). Never decided by the listen address: behind a proxy
  // every request comes from loopback.
  bool open_room_creation = false;
  std::optional<room::token_hash> organiser_key_hash;

  // Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed.
  std::vector<address_range> trusted_proxies;
  // The address people open ("https://colead.example.org"), without a trailing slash; empty
  // when not set. Invite links are made absolute with it and its origin is allowed.
  std::string public_url;

  // Built-in TLS: both set to serve HTTPS and WSS; reloaded on SIGHUP.
  std::string tls_cert;
  std::string tls_key;
  // With TLS, plain HTTP on this address answers with a redirect to HTTPS (empty: none).
  std::string redirect_host;
  std::uint16_t redirect_port = 0;
  long hsts_seconds = 31'536'000;  // Strict-Transport-Security max-age on HTTPS (0: none)

  // Calls: the STUN and TURN server URLs each member's welcome names (docs/call.md), and the
  // secret shared with the TURN server (coturn's static-auth-secret) from which each member
  // gets TURN credentials that work for turn_ttl. The secret is never logged or shown.
  std::vector<std::string> ice_servers;
  std::string turn_secret;
  std::chrono::seconds turn_ttl{86'400};

  bool tls() const { return !tls_cert.empty(); }
};

}  // namespace colead::net
