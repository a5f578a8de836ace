#include "net/client_address.hpp"

#include <charconv>

#include <boost/asio/ip/address.hpp>

namespace colead::net {

namespace {

std::optional<std::array<std::uint8_t, 16>> parse_address(std::string_view text) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (address.is_v4()) {
    return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, address.to_v4()).to_bytes();
  }
  return address.to_v6().to_bytes();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool contains(const address_range& range, const std::array<std::uint8_t, 16>& bytes) {
  unsigned bits = range.prefix_bits;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i) {
    unsigned take = bits >= 8 ? 8 : bits;
    auto mask = static_cast<std::uint8_t>(0xFF << (8 - take));
    if ((bytes[i] & mask) != range.bytes[i]) return false;
    bits -= take;
  }
  return true;
}

}  // namespace

std::optional<address_range> parse_address_range(std::string_view text) {
  text = trim(text);
  auto slash = text.find('/');
  auto bytes = parse_address(text.substr(0, slash));
  if (!bytes) return std::nullopt;
  const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  unsigned prefix = v4 ? 32 : 128;
  if (slash != std::string_view::npos) {
    auto digits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() ||
        prefix > (v4 ? 32u : 128u)) {
      return std::nullopt;
    }
  }
  address_range range;
  range.prefix_bits = v4 ? prefix + 96 : prefix;
  // Keep the network part only, so "10.1.2.3/8" means 10.0.0.0/8.
  unsigned bits = range.prefix_bits;
  for (std::size_t i = 0; i < 16; ++i) {
    unsigned take = bits >= 8 ? 8 : bits;
    auto mask = static_cast<std::uint8_t>(take == 0 ? 0 : 0xFF << (8 - take));
    range.bytes[i] = (*bytes)[i] & mask;
    bits -= take;
  }
  return range;
}

std::string to_string(const address_range& range) {
  boost::asio::ip::address_v6 v6(range.bytes);
  if (v6.is_v4_mapped() && range.prefix_bits >= 96) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string() + "/" +
           std::to_string(range.prefix_bits - 96);
  }
  return v6.to_string() + "/" + std::to_string(range.prefix_bits);
}

bool is_trusted(std::string_view address, const std::vector<address_range>& ranges) {
  auto bytes = parse_address(trim(address));
  if (!bytes) return false;
  for (const auto& range : ranges)
    if (contains(range, *bytes)) return true;
  return false;
}

std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<address_range>& trusted) {
  if (trusted.empty() || !is_trusted(peer, trusted)) return peer;
  std::string client = peer;
  while (!forwarded_for.empty()) {
    auto comma = forwarded_for.rfind(',');
    auto hop =
        trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    if (!parse_address(hop)) break;
    client = std::string(hop);
    if (!is_trusted(hop, trusted)) break;
    forwarded_for =
        comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
  }
  return client;
}

}  // namespace colead::net
