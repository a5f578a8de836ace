// Per-address connection limits with a manual clock: the count of open connections, the
// token bucket of new ones, IPv6 counted by /64, and forgetting addresses gone quiet.
#include "net/address_limits.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace colead::net {
namespace {

using namespace std::chrono_literals;

class AddressLimitsTest : public ::testing::Test {
 protected:
  std::chrono::steady_clock::time_point now_{std::chrono::seconds(1000)};
};

TEST_F(AddressLimitsTest, OpenConnectionsAreCountedUntilReleased) {
  address_limits limits({3, 1000, 1000}, [this] { return now_; });
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(limits.admit("203.0.113.9").admitted());
  auto refused = limits.admit("203.0.113.9");
  EXPECT_EQ(refused.outcome, address_limits::verdict::too_many_open);
  EXPECT_GE(refused.retry_after.count(), 1);
  EXPECT_TRUE(limits.admit("203.0.113.10").admitted());  // another address is not touched
  limits.release("203.0.113.9");
  EXPECT_EQ(limits.open("203.0.113.9"), 2u);
  EXPECT_TRUE(limits.admit("203.0.113.9").admitted());
}

TEST_F(AddressLimitsTest, ANewConnectionTakesATokenAndTokensRefillAtTheRate) {
  address_limits limits({1000, 2, 5}, [this] { return now_; });
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(limits.admit("198.51.100.1").admitted()) << i;
    limits.release("198.51.100.1");
  }
  auto refused = limits.admit("198.51.100.1");
  EXPECT_EQ(refused.outcome, address_limits::verdict::too_many_per_second);
  EXPECT_EQ(refused.retry_after, 1s);
  now_ += 500ms;  // one token at 2 a second
  EXPECT_TRUE(limits.admit("198.51.100.1").admitted());
  EXPECT_FALSE(limits.admit("198.51.100.1").admitted());
  now_ += 1h;  // refills up to the burst, no further
  int admitted = 0;
  while (limits.admit("198.51.100.1").admitted() && admitted < 100)
    ++admitted;
  EXPECT_EQ(admitted, 5);
}

TEST_F(AddressLimitsTest, RefusedConnectionsAreNotCountedAsOpen) {
  address_limits limits({2, 1000, 1000}, [this] { return now_; });
  limits.admit("192.0.2.1");
  limits.admit("192.0.2.1");
  for (int i = 0; i < 10; ++i)
    EXPECT_FALSE(limits.admit("192.0.2.1").admitted());
  EXPECT_EQ(limits.open("192.0.2.1"), 2u);
}

TEST_F(AddressLimitsTest, IPv6IsCountedByItsSlash64) {
  address_limits limits({2, 1000, 1000}, [this] { return now_; });
  EXPECT_TRUE(limits.admit("2001:db8:1:2::1").admitted());
  EXPECT_TRUE(limits.admit("2001:db8:1:2:ffff::9").admitted());
  EXPECT_FALSE(limits.admit("2001:db8:1:2::77").admitted());
  EXPECT_TRUE(limits.admit("2001:db8:1:3::1").admitted());  // the next /64
  EXPECT_EQ(address_limits::key_of("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(address_limits::key_of("::1"), "::1");
  EXPECT_EQ(address_limits::key_of("2001:db8:1:2::1"), "2001:db8:1:2::/64");
}

TEST_F(AddressLimitsTest, AddressesGoneQuietAreForgotten) {
  address_limits limits({10, 10, 10}, [this] { return now_; });
  for (int i = 0; i < 500; ++i) {
    auto address = "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250);
    ASSERT_TRUE(limits.admit(address).admitted());
    limits.release(address);
  }
  limits.admit("10.9.9.9");  // held open: remembered
  EXPECT_EQ(limits.tracked(), 501u);
  now_ += 10s;  // every bucket full again
  for (int i = 0; i < 1100; ++i) {
    limits.admit("10.8.8.8");
    limits.release("10.8.8.8");
  }
  EXPECT_LE(limits.tracked(), 2u);
  EXPECT_EQ(limits.open("10.9.9.9"), 1u);
}

TEST_F(AddressLimitsTest, ALeaseReleasesWhenItGoes) {
  address_limits limits({1, 1000, 1000}, [this] { return now_; });
  {
    ASSERT_TRUE(limits.admit("192.0.2.5").admitted());
    address_lease lease(limits, "192.0.2.5");
    address_lease moved = std::move(lease);
    EXPECT_FALSE(lease.held());
    EXPECT_EQ(limits.open("192.0.2.5"), 1u);
  }
  EXPECT_EQ(limits.open("192.0.2.5"), 0u);
}

}  // namespace
}  // namespace colead::net
