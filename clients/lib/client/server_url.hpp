// Where a Colead server is: the parts of an `http://` or `ws://` URL the client needs.
//
// Plain data and a pure parser; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace colead::client {

struct server_url {
  std::string host;         // host name or address, without IPv6 brackets
  std::string port;         // port, "80" when the URL names none
  std::string host_header;  // the Host header value: host[:port] as written in the URL
  std::string path;         // the path after the authority, "/" when empty (no query kept)
};

// Parses `url` of the form `http://host[:port][/path]` or `ws://host[:port][/path]`.
// Returns nothing and sets `error` when the scheme is missing or not plain (https and wss
// are not supported by this client: put it behind a local port or a TLS-terminating proxy),
// or the host or port is malformed.
std::optional<server_url> parse_server_url(std::string_view url, std::string& error);

// Joins a base path (e.g. "/" or "/colead/") and a path below it ("ws/room") with exactly
// one slash between them.
std::string join_path(std::string_view base, std::string_view below);

}  // namespace colead::client
