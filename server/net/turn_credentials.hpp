// The STUN and TURN servers a member's browser may use to connect a call, and the
// time-limited TURN credentials made for that member.
//
// TURN credentials follow coturn's shared-secret scheme (`use-auth-secret` with
// `static-auth-secret`, often called the TURN REST API): the server and the TURN server share
// one secret; a member's user name is "<expiry Unix seconds>:<member id>" and its password is
// base64(HMAC-SHA1(secret, user name)). The TURN server recomputes the password from the user
// name and refuses it once the expiry has passed, so a member never holds a long-lived
// password and the secret never leaves the two servers.
//
// Everything here is pure (time is passed in) and immutable once built, so an `ice_server_list`
// may be shared by every room and called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "colead/v1/colead.pb.h"

namespace colead::net {

// Why `url` cannot name an ICE server, or nothing when it can. Accepted (RFC 7064 and 7065):
// stun:HOST[:PORT], stuns:HOST[:PORT], turn:HOST[:PORT][?transport=udp|tcp] and
// turns:HOST[:PORT][?transport=udp|tcp], HOST a DNS name, an IPv4 address or [IPv6]. No user
// or password in the URL: TURN credentials come from the shared secret.
std::optional<std::string> ice_url_problem(std::string_view url);

// True for a turn: or turns: URL (one that needs credentials).
bool is_turn_url(std::string_view url);

// Why `secret` cannot be a TURN shared secret, or nothing when it can: at least 16 characters,
// printable ASCII without spaces (it must also fit on coturn's `static-auth-secret=` line).
std::optional<std::string> turn_secret_problem(std::string_view secret);

// base64(HMAC-SHA1(secret, user name)): the TURN password for `username`.
std::string turn_password(std::string_view secret, std::string_view username);

// A member's TURN user name and password.
struct turn_credentials {
  std::string username;        // "<expiry Unix seconds>:<member id>"
  std::string password;        // turn_password(secret, username)
  std::int64_t expires_at_ms;  // the expiry, Unix milliseconds (whole seconds)
};

// Credentials for `member` that work from `now_unix_ms` until `ttl` later.
turn_credentials make_turn_credentials(std::string_view secret, std::string_view member,
                                       std::int64_t now_unix_ms, std::chrono::seconds ttl);

// The ICE servers named by the operator, as each member's welcome gives them.
class ice_server_list {
 public:
  // `urls` must each pass ice_url_problem; `secret` must be set (and pass turn_secret_problem)
  // when one of them is a TURN URL. Throws std::invalid_argument otherwise.
  ice_server_list(std::vector<std::string> urls, std::string secret, std::chrono::seconds ttl);

  // The servers for `member` at `now_unix_ms`: one entry with the STUN URLs (when any), then
  // one with the TURN URLs and credentials made for this member now (when any). Empty when no
  // URL was named.
  std::vector<v1::IceServer> for_member(std::string_view member, std::int64_t now_unix_ms) const;

  std::size_t stun_count() const { return stun_.size(); }
  std::size_t turn_count() const { return turn_.size(); }

 private:
  std::vector<std::string> stun_;  // stun: and stuns: URLs, in the order given
  std::vector<std::string> turn_;  // turn: and turns: URLs, in the order given
  std::string secret_;             // the TURN shared secret; empty without TURN URLs
  std::chrono::seconds ttl_;       // how long credentials work
};

}  // namespace colead::net
