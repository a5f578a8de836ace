#include "client/server_url.hpp"

#include <algorithm>
#include <cctype>

namespace colead::client {

std::optional<server_url> parse_server_url(std::string_view url, std::string& error) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    error = "the server URL '" + std::string(url) +
            "' has no scheme; write http://host:port or https://host";
    return std::nullopt;
  }
  std::string scheme(url.substr(0, scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  bool tls = scheme == "https" || scheme == "wss";
  if (!tls && scheme != "http" && scheme != "ws") {
    error = "the server URL scheme '" + scheme + "' is not http, https, ws or wss";
    return std::nullopt;
  }

  auto rest = url.substr(scheme_end + 3);
  auto path_start = rest.find_first_of("/?#");
  auto authority = rest.substr(0, path_start);
  std::string_view path =
      path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
  path = path.substr(0, path.find_first_of("?#"));
  if (authority.find('@') != std::string_view::npos) {
    error = "the server URL carries user information, which this client does not send";
    return std::nullopt;
  }

  server_url out;
  out.tls = tls;
  out.host_header = std::string(authority);
  std::string_view host;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "the server URL has an unclosed IPv6 address";
      return std::nullopt;
    }
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        error = "the server URL has text after its IPv6 address";
        return std::nullopt;
      }
      port = after.substr(1);
    }
  } else {
    auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (host.empty()) {
    error = "the server URL '" + std::string(url) + "' names no host";
    return std::nullopt;
  }
  if (port.empty()) port = tls ? "443" : "80";
  bool digits =
      std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  if (!digits || port.size() > 5 || std::stoul(std::string(port)) > 65535) {
    error = "the server URL port '" + std::string(port) + "' is not a number from 0 to 65535";
    return std::nullopt;
  }
  out.host = std::string(host);
  out.port = std::string(port);
  out.path = path.empty() ? "/" : std::string(path);
  return out;
}

std::string http_url(const server_url& where, std::string_view below) {
  return (where.tls ? "https://" : "http://") + where.host_header + join_path(where.path, below);
}

std::string join_path(std::string_view base, std::string_view below) {
  std::string out(base);
  if (out.empty() || out.back() != '/') out += '/';
  while (!below.empty() && below.front() == '/')
    below.remove_prefix(1);
  out += below;
  return out;
}

}  // namespace colead::client
