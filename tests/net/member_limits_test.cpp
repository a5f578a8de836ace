// member_limits: one rate bucket per member across its connections, freed with the last one.
#include <gtest/gtest.h>

#include "net/member_limits.hpp"

namespace colead::net {
namespace {

using namespace std::chrono_literals;

TEST(TokenBucket, BurstThenRate) {
  const auto t0 = limit_clock::time_point{};
  token_bucket bucket(10, 3, t0);
  EXPECT_TRUE(bucket.take(t0));
  EXPECT_TRUE(bucket.take(t0));
  EXPECT_TRUE(bucket.take(t0));
  EXPECT_FALSE(bucket.take(t0));
  // 10 a second: one more token after 100 ms, not before.
  EXPECT_FALSE(bucket.take(t0 + 50ms));
  EXPECT_TRUE(bucket.take(t0 + 100ms));
  EXPECT_FALSE(bucket.take(t0 + 100ms));
  // Never more than the burst saved up.
  EXPECT_TRUE(bucket.take(t0 + 100s));
  EXPECT_TRUE(bucket.take(t0 + 100s));
  EXPECT_TRUE(bucket.take(t0 + 100s));
  EXPECT_FALSE(bucket.take(t0 + 100s));
}

TEST(MemberLimits, ConnectionsOfOneMemberShareABucket) {
  const auto t0 = limit_clock::time_point{};
  member_limits limits(1, 4);
  auto phone = limits.acquire("room", "ann", t0);
  auto laptop = limits.acquire("room", "ann", t0);
  EXPECT_EQ(phone, laptop);
  int taken = 0;
  for (int i = 0; i < 10; ++i) {
    taken += phone->take(t0) ? 1 : 0;
    taken += laptop->take(t0) ? 1 : 0;
  }
  EXPECT_EQ(taken, 4);
  // Another member, or the same member id in another room, has its own share.
  auto bob = limits.acquire("room", "bob", t0);
  auto ann_elsewhere = limits.acquire("other", "ann", t0);
  EXPECT_NE(bob, phone);
  EXPECT_NE(ann_elsewhere, phone);
  EXPECT_TRUE(bob->take(t0));
  EXPECT_TRUE(ann_elsewhere->take(t0));
  EXPECT_EQ(limits.size(), 3u);
}

TEST(MemberLimits, EntryFreedWithItsLastConnection) {
  const auto t0 = limit_clock::time_point{};
  member_limits limits(1, 2);
  auto first = limits.acquire("room", "ann", t0);
  auto second = limits.acquire("room", "ann", t0);
  EXPECT_TRUE(first->take(t0));
  EXPECT_TRUE(first->take(t0));
  first.reset();
  EXPECT_EQ(limits.size(), 1u);
  // Still shared: the remaining connection has nothing left either.
  EXPECT_FALSE(second->take(t0));
  second.reset();
  EXPECT_EQ(limits.size(), 0u);
  // A new connection later starts with a full bucket.
  auto again = limits.acquire("room", "ann", t0);
  EXPECT_TRUE(again->take(t0));
  EXPECT_EQ(limits.size(), 1u);
}

}  // namespace
}  // namespace colead::net
