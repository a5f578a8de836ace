#include "net/turn_credentials.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <stdexcept>

namespace colead::net {

namespace {

// The scheme of an ICE URL, with its colon; empty when it is none of the four.
std::string_view scheme_of(std::string_view url) {
  for (std::string_view scheme : {"stun:", "stuns:", "turn:", "turns:"}) {
    if (url.substr(0, scheme.size()) == scheme) return scheme;
  }
  return {};
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-';
}

bool is_ipv6_char(char c) {
  return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9') || c == ':' ||
         c == '.';
}

}  // namespace

bool is_turn_url(std::string_view url) {
  auto scheme = scheme_of(url);
  return scheme == "turn:" || scheme == "turns:";
}

std::optional<std::string> ice_url_problem(std::string_view url) {
  auto scheme = scheme_of(url);
  if (scheme.empty()) return "it must begin with stun:, stuns:, turn: or turns:";
  auto rest = url.substr(scheme.size());
  if (rest.substr(0, 2) == "//") {
    return "write " + std::string(scheme) + "HOST:PORT, without '//'";
  }
  if (rest.find('@') != std::string_view::npos) {
    return "it must not carry a user or password (TURN credentials come from the turn secret)";
  }

  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (!query.empty() || url.back() == '?') {
    if (!is_turn_url(url)) return "a STUN URL takes no '?' part";
    if (query != "transport=udp" && query != "transport=tcp") {
      return "the only '?' part a TURN URL takes is transport=udp or transport=tcp";
    }
  }

  std::string_view host = rest;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return "an IPv6 address needs its closing ']'";
    host = rest.substr(1, close - 1);
    auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return "only ':PORT' may follow the ']' of an IPv6 address";
      port = after.substr(1);
      if (port.empty()) return "the port after ':' is missing";
    }
    if (host.empty()) return "the host is missing";
    for (char c : host) {
      if (!is_ipv6_char(c)) return "'" + std::string(host) + "' is not an IPv6 address";
    }
  } else {
    if (auto colon = rest.find(':'); colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
      if (port.empty()) return "the port after ':' is missing";
    }
    if (host.empty()) return "the host is missing";
    for (char c : host) {
      if (!is_host_char(c)) {
        return "the host '" + std::string(host) + "' may hold only letters, digits, '.' and '-'";
      }
    }
  }
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
      return "the port must be a number from 1 to 65535";
    }
  }
  return std::nullopt;
}

std::optional<std::string> turn_secret_problem(std::string_view secret) {
  if (secret.size() < 16) {
    return "it is shorter than 16 characters (make one with: openssl rand -hex 32)";
  }
  for (char c : secret) {
    if (c <= ' ' || c > '~') return "it may hold only printable ASCII characters without spaces";
  }
  return std::nullopt;
}

std::string turn_password(std::string_view secret, std::string_view username) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(username.data()), username.size(), digest,
           &digest_size) == nullptr) {
    throw std::runtime_error("HMAC-SHA1 failed");
  }
  // EVP_EncodeBlock writes 4 characters per 3 bytes and a terminating NUL.
  std::string out(4 * ((digest_size + 2) / 3) + 1, '\0');
  auto written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest,
                                 static_cast<int>(digest_size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

turn_credentials make_turn_credentials(std::string_view secret, std::string_view member,
                                       std::int64_t now_unix_ms, std::chrono::seconds ttl) {
  const std::int64_t expiry_s = now_unix_ms / 1000 + ttl.count();
  turn_credentials out;
  out.username = std::to_string(expiry_s) + ":" + std::string(member);
  out.password = turn_password(secret, out.username);
  out.expires_at_ms = expiry_s * 1000;
  return out;
}

ice_server_list::ice_server_list(std::vector<std::string> urls, std::string secret,
                                 std::chrono::seconds ttl)
    : ttl_(ttl) {
  for (auto& url : urls) {
    if (auto problem = ice_url_problem(url)) {
      throw std::invalid_argument("ICE server '" + url + "': " + *problem);
    }
    (is_turn_url(url) ? turn_ : stun_).push_back(std::move(url));
  }
  if (!turn_.empty()) {
    if (secret.empty()) throw std::invalid_argument("TURN servers need the TURN shared secret");
    if (auto problem = turn_secret_problem(secret)) {
      throw std::invalid_argument("the TURN shared secret cannot be used: " + *problem);
    }
    secret_ = std::move(secret);
  }
  if (ttl_.count() <= 0) throw std::invalid_argument("TURN credentials need a positive lifetime");
}

std::vector<v1::IceServer> ice_server_list::for_member(std::string_view member,
                                                       std::int64_t now_unix_ms) const {
  std::vector<v1::IceServer> out;
  if (!stun_.empty()) {
    auto& stun = out.emplace_back();
    for (const auto& url : stun_)
      stun.add_urls(url);
  }
  if (!turn_.empty()) {
    auto credentials = make_turn_credentials(secret_, member, now_unix_ms, ttl_);
    auto& turn = out.emplace_back();
    for (const auto& url : turn_)
      turn.add_urls(url);
    turn.set_username(std::move(credentials.username));
    turn.set_credential(std::move(credentials.password));
    turn.set_expires_at_ms(credentials.expires_at_ms);
  }
  return out;
}

}  // namespace colead::net
