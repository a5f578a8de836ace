// Who a request comes from: X-Forwarded-For is believed only from trusted proxies, walked
// from the right past every trusted hop.
#include <gtest/gtest.h>

#include "net/client_address.hpp"

namespace colead::net {
namespace {

std::vector<address_range> ranges(std::initializer_list<const char*> texts) {
  std::vector<address_range> out;
  for (const char* t : texts) {
    auto r = parse_address_range(t);
    EXPECT_TRUE(r.has_value()) << t;
    if (r) out.push_back(*r);
  }
  return out;
}

TEST(AddressRange, ParsesAddressesAndCidrsOfBothFamilies) {
  EXPECT_EQ(to_string(*parse_address_range("127.0.0.1")), "127.0.0.1/32");
  EXPECT_EQ(to_string(*parse_address_range("10.9.8.7/8")), "10.0.0.0/8");
  EXPECT_EQ(to_string(*parse_address_range("::1")), "::1/128");
  EXPECT_EQ(to_string(*parse_address_range("fd00:1::/16")), "fd00::/16");
  for (const char* bad :
       {"", "10.0.0.0/", "10.0.0.0/33", "::/129", "x.example", "10.0.0.0/8x", "1.2.3.4.5"}) {
    EXPECT_FALSE(parse_address_range(bad).has_value()) << bad;
  }
}

TEST(AddressRange, MatchesInsideTheRangeOnly) {
  auto trusted = ranges({"10.0.0.0/8", "::1", "192.168.1.0/24"});
  EXPECT_TRUE(is_trusted("10.200.3.4", trusted));
  EXPECT_TRUE(is_trusted("::1", trusted));
  EXPECT_TRUE(is_trusted("192.168.1.77", trusted));
  EXPECT_FALSE(is_trusted("192.168.2.1", trusted));
  EXPECT_FALSE(is_trusted("11.0.0.1", trusted));
  EXPECT_FALSE(is_trusted("::2", trusted));
  EXPECT_FALSE(is_trusted("not an address", trusted));
}

TEST(ClientAddress, AnUntrustedPeerIsTheClientWhateverItForwards) {
  auto trusted = ranges({"127.0.0.1"});
  EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", trusted), "203.0.113.9");
  EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", {}), "203.0.113.9");
}

TEST(ClientAddress, ATrustedProxyNamesTheClient) {
  auto trusted = ranges({"127.0.0.1"});
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1", trusted), "198.51.100.1");
  EXPECT_EQ(client_address("127.0.0.1", " 198.51.100.1 ", trusted), "198.51.100.1");
  EXPECT_EQ(client_address("127.0.0.1", "", trusted), "127.0.0.1");
}

TEST(ClientAddress, TheRightMostUntrustedHopWinsSoAClientCannotForgeIt) {
  auto trusted = ranges({"127.0.0.1", "10.0.0.0/8"});
  // The client wrote "1.1.1.1" itself; the proxies appended what they saw.
  EXPECT_EQ(client_address("127.0.0.1", "1.1.1.1, 198.51.100.7, 10.0.0.5", trusted),
            "198.51.100.7");
  // Every hop trusted: the left-most is the best we know.
  EXPECT_EQ(client_address("127.0.0.1", "10.0.0.9, 10.0.0.5", trusted), "10.0.0.9");
}

TEST(ClientAddress, GarbageStopsTheWalkAtTheHopThatWroteIt) {
  auto trusted = ranges({"127.0.0.1", "10.0.0.0/8"});
  EXPECT_EQ(client_address("127.0.0.1", "<script>", trusted), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "evil, 10.0.0.5", trusted), "10.0.0.5");
}

}  // namespace
}  // namespace colead::net
