// Where a Colead server is: the parts of an `http://`, `https://`, `ws://` or `wss://` URL the
// client needs.
//
// Plain data and a pure parser; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace colead::client {

struct server_url {
  bool tls = false;         // https:// or wss://: the client speaks TLS and checks the certificate
  std::string host;         // host name or address, without IPv6 brackets
  std::string port;         // port, "443" (TLS) or "80" when the URL names none
  std::string host_header;  // the Host header value: host[:port] as written in the URL
  std::string path;         // the path after the authority, "/" when empty (no query kept)
};

// Parses `url` of the form `SCHEME://host[:port][/path]`, SCHEME one of http, https, ws, wss
// (any case). Returns nothing and sets `error` when the scheme is missing or another one, the
// URL carries user information, or the host or port is malformed.
std::optional<server_url> parse_server_url(std::string_view url, std::string& error);

// The HTTP URL of `below` (e.g. "api/rooms") on the server `where`: https when it speaks TLS,
// else http, with its host, port and base path kept.
std::string http_url(const server_url& where, std::string_view below);

// Joins a base path (e.g. "/" or "/colead/") and a path below it ("ws/room") with exactly
// one slash between them.
std::string join_path(std::string_view base, std::string_view below);

}  // namespace colead::client
