// Who a request really comes from. Behind a reverse proxy every connection arrives from the
// proxy, so the client's address is read from X-Forwarded-For, but only when the connection
// comes from a proxy the operator trusts (--trusted-proxy); anyone else could write that
// header. Pure functions, no I/O; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace colead::net {

// An address range (CIDR). IPv4 addresses are held as IPv4-mapped IPv6 addresses, so one
// range type covers both families.
struct address_range {
  std::array<std::uint8_t, 16> bytes{};  // the network address, host bits zero
  unsigned prefix_bits = 128;            // of the 128
};

// "127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8". Nothing when the text is not one.
std::optional<address_range> parse_address_range(std::string_view text);

// The range written back as text ("10.0.0.0/8", "::1/128").
std::string to_string(const address_range& range);

// True when `address` (text, as Asio writes it) is inside one of `ranges`.
bool is_trusted(std::string_view address, const std::vector<address_range>& ranges);

// The client's address: `peer` itself unless `peer` is trusted; then the right-most address
// of `forwarded_for` that is not trusted (each trusted proxy appends who it heard from). An
// entry that is not an address stops the walk at the hop that wrote it.
std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<address_range>& trusted);

}  // namespace colead::net
