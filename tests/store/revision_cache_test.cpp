// The writer's memory of each document's last revision: savepoints, rollbacks, capacity.
#include "store/revision_cache.hpp"

#include <gtest/gtest.h>

namespace colead::store {
namespace {

TEST(RevisionCache, KnowsWhatWasSetAndForgetsWhatWasRolledBack) {
  revision_cache cache;
  const auto a = revision_cache::key("r1", "purpose");
  const auto b = revision_cache::key("r1", "notes");
  EXPECT_NE(a, b);
  EXPECT_EQ(revision_cache::key("r1", "x"), "r1\nx");
  EXPECT_FALSE(cache.find(a));

  cache.set(a, 3);
  const auto batch = cache.mark();
  cache.set(a, 4);
  cache.set(b, 1);
  EXPECT_EQ(cache.find(a), 4);
  EXPECT_EQ(cache.find(b), 1);
  cache.roll_back_to(batch);  // the batch is rejected
  EXPECT_EQ(cache.find(a), 3);
  EXPECT_FALSE(cache.find(b));

  cache.set(a, 4);
  cache.keep();  // committed: a rollback to the start of the transaction undoes nothing now
  cache.roll_back_to(0);
  EXPECT_EQ(cache.find(a), 4);
  EXPECT_EQ(cache.size(), 1u);

  cache.clear();
  EXPECT_FALSE(cache.find(a));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(RevisionCache, ForgetsEverythingPastItsCapacityOnlyWhenATransactionEnds) {
  revision_cache cache(2);
  cache.set(revision_cache::key("r", "1"), 1);
  cache.set(revision_cache::key("r", "2"), 1);
  cache.set(revision_cache::key("r", "3"), 1);
  EXPECT_EQ(cache.size(), 3u);  // within a transaction nothing goes
  cache.roll_back_to(1);
  EXPECT_EQ(cache.size(), 1u);
  cache.set(revision_cache::key("r", "2"), 1);
  cache.keep();
  EXPECT_EQ(cache.size(), 2u);
  cache.set(revision_cache::key("r", "3"), 1);
  cache.keep();
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace colead::store
