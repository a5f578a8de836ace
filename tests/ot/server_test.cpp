#include "ot/server.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace colead::ot {
namespace {

text_operation insert_at(std::size_t length, std::size_t at, std::string_view text) {
  text_operation op;
  op.retain(at).insert(text).retain(length - at);
  return op;
}

text_operation remove_at(std::size_t length, std::size_t at, std::size_t n) {
  text_operation op;
  op.retain(at).remove(n).retain(length - at - n);
  return op;
}

TEST(DocumentServer, StartsEmptyAtRevisionZero) {
  const server s;
  EXPECT_EQ(s.revision(), 0u);
  EXPECT_EQ(s.text(), "");
  EXPECT_EQ(s.length(), 0u);
  EXPECT_TRUE(s.authorship().empty());
}

TEST(DocumentServer, AppliesEditsAndCountsRevisions) {
  server s;
  COLEAD_ASSERT_OK_AND_ASSIGN(first,
                              s.receive(0, insert_at(0, 0, "Our purpose"), "a-1", "ana", 10));
  EXPECT_EQ(first.rev, 1u);
  EXPECT_FALSE(first.duplicate);
  COLEAD_ASSERT_OK_AND_ASSIGN(second,
                              s.receive(1, insert_at(11, 11, " \U0001F91D"), "a-2", "ana", 20));
  EXPECT_EQ(second.rev, 2u);
  EXPECT_EQ(s.text(), "Our purpose \U0001F91D");
  EXPECT_EQ(s.length(), 13u);
}

TEST(DocumentServer, ConcurrentEditIsTransformedAppliedFirstWins) {
  server s;
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "ab"), "a-1", "ana", 1).is_ok());
  // Both edits are made on revision 1 and insert at the same place.
  ASSERT_TRUE(s.receive(1, insert_at(2, 1, "X"), "a-2", "ana", 2).is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(late, s.receive(1, insert_at(2, 1, "Y"), "b-1", "ben", 3));
  EXPECT_EQ(late.rev, 3u);
  EXPECT_EQ(late.op, insert_at(3, 2, "Y"));
  EXPECT_EQ(s.text(), "aXYb");
}

TEST(DocumentServer, EditMadeOnLaterRevisionGoesBeforeTiedOlderEdit) {
  server s;
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "ab"), "a-1", "ana", 1).is_ok());
  // Ana types "R" at 1 on revision 1; Ben types "e" at 1 on revision 1, too: the applied "R"
  // stays first. Ana types "E" after her "R" on revision 2, before she has seen "e": her "E"
  // was made on a later revision than "e", so it goes first and "RE" stays whole.
  ASSERT_TRUE(s.receive(1, insert_at(2, 1, "R"), "a-2", "ana", 2).is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(e, s.receive(1, insert_at(2, 1, "e"), "b-1", "ben", 3));
  EXPECT_EQ(e.op, insert_at(3, 2, "e"));
  COLEAD_ASSERT_OK_AND_ASSIGN(big_e, s.receive(2, insert_at(3, 2, "E"), "a-3", "ana", 4));
  EXPECT_EQ(big_e.op, insert_at(4, 2, "E"));
  EXPECT_EQ(s.text(), "aREeb");
  // Each applied edit keeps the revision it was made on.
  COLEAD_ASSERT_OK_AND_ASSIGN(since, s.ops_since(1));
  ASSERT_EQ(since.size(), 3u);
  EXPECT_EQ(since[0].base_rev, 1u);
  EXPECT_EQ(since[1].base_rev, 1u);
  EXPECT_EQ(since[2].base_rev, 2u);
}

TEST(DocumentServer, BaseRevisionsSurviveALoad) {
  server s;
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "ab"), "a-1", "ana", 1).is_ok());
  ASSERT_TRUE(s.receive(1, insert_at(2, 1, "R"), "a-2", "ana", 2).is_ok());
  ASSERT_TRUE(s.receive(1, insert_at(2, 1, "e"), "b-1", "ben", 3).is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(since, s.ops_since(1));
  std::vector<applied_edit> later(since.begin(), since.end());
  COLEAD_ASSERT_OK_AND_ASSIGN(loaded, server::load(snapshot{1, "ab", {}}, std::move(later)));
  // As before the load: "E" made on revision 2 goes before "e" made on revision 1.
  COLEAD_ASSERT_OK_AND_ASSIGN(big_e, loaded.receive(2, insert_at(3, 2, "E"), "a-3", "ana", 4));
  EXPECT_EQ(big_e.op, insert_at(4, 2, "E"));
  EXPECT_EQ(loaded.text(), "aREeb");
}

TEST(DocumentServer, DuplicateEditIdIsAckedWithOriginalRevision) {
  server s;
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "hi"), "a-1", "ana", 1).is_ok());
  ASSERT_TRUE(s.receive(1, insert_at(2, 2, "!"), "b-1", "ben", 2).is_ok());
  // The resend carries the same id, possibly rebased; it must not be applied again.
  COLEAD_ASSERT_OK_AND_ASSIGN(again, s.receive(2, insert_at(3, 0, "hi"), "a-1", "ana", 3));
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.rev, 1u);
  EXPECT_EQ(again.op, insert_at(0, 0, "hi"));
  EXPECT_EQ(s.revision(), 2u);
  EXPECT_EQ(s.text(), "hi!");
}

TEST(DocumentServer, EditIdsAreScopedByAuthor) {
  server s;
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "a"), "c-1", "ana", 1).is_ok());
  // Ben's client happens to (or tries to) use the same id: his edit is still applied.
  COLEAD_ASSERT_OK_AND_ASSIGN(bens, s.receive(1, insert_at(1, 1, "b"), "c-1", "ben", 2));
  EXPECT_FALSE(bens.duplicate);
  EXPECT_EQ(s.text(), "ab");
  COLEAD_ASSERT_OK_AND_ASSIGN(again, s.receive(1, insert_at(1, 1, "b"), "c-1", "ben", 3));
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.rev, 2u);
}

TEST(DocumentServer, EmptyEditIdIsNeverADuplicate) {
  server s;
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "a"), "", "ana", 1).is_ok());
  ASSERT_TRUE(s.receive(1, insert_at(1, 1, "a"), "", "ana", 2).is_ok());
  EXPECT_EQ(s.text(), "aa");
}

TEST(DocumentServer, FutureBaseRevisionIsRejected) {
  server s;
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "a"), "a-1", "ana", 1).is_ok());
  const result<receipt> out = s.receive(5, insert_at(1, 0, "b"), "a-2", "ana", 2);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().code(), error_code::bad_revision);
  EXPECT_EQ(out.error().message(),
            "base revision 5 is ahead of the document, which is at revision 1");
  EXPECT_EQ(s.revision(), 1u);
}

TEST(DocumentServer, TooOldBaseRevisionIsRejected) {
  server_options options;
  options.history_limit = 4;
  options.checkpoint_interval = 2;
  server s(options);
  for (std::size_t k = 0; k < 10; ++k) {
    ASSERT_TRUE(s.receive(k, insert_at(k, k, "x"), "", "ana", 1).is_ok());
  }
  EXPECT_EQ(s.oldest_revision(), 6u);
  const result<receipt> out = s.receive(5, insert_at(5, 0, "y"), "b-1", "ben", 2);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().code(), error_code::bad_revision);
  EXPECT_EQ(out.error().message(),
            "base revision 5 is older than the kept history, which starts at revision 6; "
            "reload the document");
  // The oldest retained revision is still accepted.
  EXPECT_TRUE(s.receive(6, insert_at(6, 0, "y"), "b-2", "ben", 3).is_ok());
}

// Replaces the whole text of `s` with `size` copies of `fill`, as `author`.
result<receipt> replace_all(server& s, std::size_t size, char fill, std::string_view author) {
  text_operation op;
  op.remove(s.length()).insert(std::string(size, fill));
  return s.receive(s.revision(), op, "", author, 1);
}

TEST(DocumentServer, LargeEditsAreRetainedWithinTheByteLimit) {
  server_options options;
  options.limits = {100'000, 100'000};
  options.history_bytes = 64 * 1024;
  server s(options);
  std::size_t most_edits = 0;
  for (std::size_t k = 0; k < 300; ++k) {
    ASSERT_TRUE(replace_all(s, 4'000, static_cast<char>('a' + k % 26), "ana").is_ok());
    ASSERT_LE(s.retained_bytes(), options.history_bytes) << "after edit " << k + 1;
    most_edits = std::max(most_edits, s.retained_edits());
  }
  // The count limit (10,000) was never the bound: bytes were, well before 300 edits of 4 KB.
  EXPECT_GT(s.oldest_revision(), 0u);
  EXPECT_LT(most_edits, 16u);
  EXPECT_GE(s.retained_edits(), 1u);
  // What is retained still works: the oldest kept revision's text and a late edit on it.
  const std::uint64_t oldest = s.oldest_revision();
  COLEAD_ASSERT_OK_AND_ASSIGN(at_oldest, s.text_at(oldest));
  EXPECT_EQ(at_oldest.size(), 4'000u);
  EXPECT_TRUE(s.receive(oldest, insert_at(4'000, 0, "x"), "b-1", "ben", 2).is_ok());
}

TEST(DocumentServer, BaseOlderThanByteBoundedHistoryAsksForAReload) {
  server_options options;
  options.limits = {100'000, 100'000};
  options.history_bytes = 64 * 1024;
  server s(options);
  for (std::size_t k = 0; k < 100; ++k)
    ASSERT_TRUE(replace_all(s, 4'000, 'a', "ana").is_ok());
  ASSERT_GT(s.oldest_revision(), 1u);
  const std::uint64_t stale = s.oldest_revision() - 1;
  const result<receipt> out = s.receive(stale, insert_at(4'000, 0, "y"), "b-1", "ben", 2);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().code(), error_code::bad_revision);
  EXPECT_EQ(out.error().message(), "base revision " + std::to_string(stale) +
                                       " is older than the kept history, which starts at "
                                       "revision " +
                                       std::to_string(s.oldest_revision()) +
                                       "; reload the document");
  const result<edit_range> catch_up = s.ops_since(stale);
  ASSERT_FALSE(catch_up.is_ok());
  EXPECT_EQ(catch_up.error().code(), error_code::bad_revision);
}

TEST(DocumentServer, SmallEditsKeepTheCountLimitUnderAGenerousByteLimit) {
  server_options options;
  options.history_limit = 50;
  options.checkpoint_interval = 10;
  server s(options);
  for (std::size_t k = 0; k < 200; ++k)
    ASSERT_TRUE(s.receive(k, insert_at(k, k, "x"), "", "ana", 1).is_ok());
  // Count alone decides: at least 50 edits, dropped in steps of 10.
  EXPECT_GE(s.retained_edits(), 50u);
  EXPECT_LT(s.retained_edits(), 60u);
  EXPECT_LT(s.retained_bytes(), options.history_bytes);
}

TEST(DocumentServer, LoadingKeepsTheByteLimit) {
  server_options options;
  options.limits = {100'000, 100'000};
  options.history_bytes = 64 * 1024;
  server original(server_options{{100'000, 100'000}, 1'000'000, 1 << 30, 128});
  const snapshot start = original.current_snapshot();
  for (std::size_t k = 0; k < 60; ++k)
    ASSERT_TRUE(replace_all(original, 4'000, static_cast<char>('a' + k % 26), "ana").is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(all, original.ops_since(0));
  COLEAD_ASSERT_OK_AND_ASSIGN(
      loaded, server::load(start, std::vector<applied_edit>(all.begin(), all.end()), options));
  EXPECT_EQ(loaded.text(), original.text());
  EXPECT_LE(loaded.retained_bytes(), options.history_bytes);
  EXPECT_GT(loaded.oldest_revision(), 0u);
}

TEST(DocumentServer, ForgettingHistoryKeepsOnlyTheCurrentText) {
  server s;
  for (std::size_t k = 0; k < 20; ++k)
    ASSERT_TRUE(s.receive(k, insert_at(k, k, "x"), "a-" + std::to_string(k), "ana", 1).is_ok());
  s.forget_history();
  EXPECT_EQ(s.oldest_revision(), 20u);
  EXPECT_EQ(s.retained_edits(), 0u);
  EXPECT_EQ(s.text(), std::string(20, 'x'));
  EXPECT_LT(s.retained_bytes(), 200u);
  EXPECT_FALSE(s.receive(19, insert_at(19, 0, "y"), "b-1", "ben", 2).is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(next, s.receive(20, insert_at(20, 0, "y"), "b-2", "ben", 2));
  EXPECT_EQ(next.rev, 21u);
  COLEAD_ASSERT_OK_AND_ASSIGN(at20, s.text_at(20));
  EXPECT_EQ(at20, std::string(20, 'x'));
}

TEST(DocumentServer, LengthMismatchAtBaseRevisionIsInvalid) {
  server s;
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "0123456789"), "a-1", "ana", 1).is_ok());
  ASSERT_TRUE(s.receive(1, insert_at(10, 0, "ab"), "a-2", "ana", 1).is_ok());
  const result<receipt> out = s.receive(1, text_operation().retain(12), "b-1", "ben", 2);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().code(), error_code::invalid_op);
  EXPECT_EQ(out.error().message(),
            "operation covers 12 characters but the document at revision 1 has 10");
}

TEST(DocumentServer, SizeLimitRejectsGrowthButAllowsShrinking) {
  server_options options;
  options.limits = {5, 100};
  server s(options);
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "abcde"), "a-1", "ana", 1).is_ok());
  const result<receipt> out = s.receive(1, insert_at(5, 5, "f"), "a-2", "ana", 2);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().code(), error_code::too_large);
  EXPECT_EQ(s.revision(), 1u);
  EXPECT_TRUE(s.receive(1, remove_at(5, 0, 1), "a-3", "ana", 3).is_ok());
}

TEST(DocumentServer, StoredDocumentAboveLoweredLimitCanStillShrink) {
  server_options options;
  options.limits = {3, 100};
  COLEAD_ASSERT_OK_AND_ASSIGN(s, server::load({4, "abcdef", {}}, {}, options));
  EXPECT_TRUE(s.receive(4, remove_at(6, 0, 1), "a-1", "ana", 1).is_ok());
  EXPECT_FALSE(s.receive(5, insert_at(5, 0, "x"), "a-2", "ana", 2).is_ok());
}

TEST(DocumentServer, OpsSinceReturnsEditsForCatchUp) {
  server s;
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "a"), "a-1", "ana", 1).is_ok());
  ASSERT_TRUE(s.receive(1, insert_at(1, 1, "b"), "b-1", "ben", 2).is_ok());
  ASSERT_TRUE(s.receive(2, insert_at(2, 2, "c"), "a-2", "ana", 3).is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(since, s.ops_since(1));
  ASSERT_EQ(since.size(), 2u);
  EXPECT_EQ(since[0].rev, 2u);
  EXPECT_EQ(since[0].edit_id, "b-1");
  EXPECT_EQ(since[0].author, "ben");
  EXPECT_EQ(since[0].at_ms, 2);
  EXPECT_EQ(since[1].op, insert_at(2, 2, "c"));
  COLEAD_ASSERT_OK_AND_ASSIGN(none, s.ops_since(3));
  EXPECT_TRUE(none.empty());
  const auto ahead = s.ops_since(4);
  ASSERT_FALSE(ahead.is_ok());
  EXPECT_EQ(ahead.error().code(), error_code::bad_revision);
}

TEST(DocumentServer, OpsSinceSignalsAGapTooOld) {
  server_options options;
  options.history_limit = 3;
  options.checkpoint_interval = 1;
  server s(options);
  for (std::size_t k = 0; k < 8; ++k) {
    ASSERT_TRUE(s.receive(k, insert_at(k, k, "x"), "", "ana", 1).is_ok());
  }
  EXPECT_EQ(s.oldest_revision(), 5u);
  const auto gone = s.ops_since(4);
  ASSERT_FALSE(gone.is_ok());
  EXPECT_EQ(gone.error().code(), error_code::bad_revision);
  EXPECT_NE(gone.error().message().find("reload the document"), std::string::npos);
  COLEAD_ASSERT_OK_AND_ASSIGN(kept, s.ops_since(5));
  EXPECT_EQ(kept.size(), 3u);
}

TEST(DocumentServer, DuplicateIsForgottenWithItsTrimmedEdit) {
  server_options options;
  options.history_limit = 2;
  options.checkpoint_interval = 1;
  server s(options);
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "a"), "a-1", "ana", 1).is_ok());
  for (std::size_t k = 1; k < 5; ++k) {
    ASSERT_TRUE(s.receive(k, insert_at(k, k, "x"), "", "ana", 1).is_ok());
  }
  // Edit a-1 is gone from the history, so its old base revision is refused outright.
  const result<receipt> out = s.receive(0, insert_at(0, 0, "a"), "a-1", "ana", 2);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().code(), error_code::bad_revision);
}

TEST(DocumentServer, TextAtTwentyThousandRevisions) {
  server_options options;
  options.history_limit = 1'000'000;
  options.history_bytes = std::size_t{1} << 30;
  options.checkpoint_interval = 64;
  options.limits = {1'000'000, 4'000'000};
  server s(options);
  std::mt19937_64 rng(20'000);
  const std::string pieces[] = {"a", "\u00e9", "\u5171", "\U0001F600", "\u05e9"};
  // Keep the expected text of every 97th revision to compare against.
  std::vector<std::pair<std::uint64_t, std::string>> expected{{0, ""}};
  for (std::uint64_t k = 0; k < 20'000; ++k) {
    const std::size_t length = s.length();
    text_operation op;
    if (length > 50 && rng() % 4 == 0) {
      op = remove_at(length, rng() % (length - 5), 1 + rng() % 3);
    } else {
      op = insert_at(length, length == 0 ? 0 : rng() % length, pieces[rng() % 5]);
    }
    ASSERT_TRUE(s.receive(k, op, "", "ana", 1).is_ok());
    if (s.revision() % 97 == 0) expected.emplace_back(s.revision(), s.text());
  }
  EXPECT_EQ(s.revision(), 20'000u);
  for (const auto& [rev, text] : expected) {
    COLEAD_ASSERT_OK_AND_ASSIGN(at, s.text_at(rev));
    ASSERT_EQ(at, text) << "revision " << rev;
  }
  COLEAD_ASSERT_OK_AND_ASSIGN(now, s.text_at(20'000));
  EXPECT_EQ(now, s.text());
  EXPECT_FALSE(s.text_at(20'001).is_ok());
}

TEST(DocumentServer, TextAtOutsideRetainedHistoryIsRefused) {
  server_options options;
  options.history_limit = 4;
  options.checkpoint_interval = 4;
  server s(options);
  for (std::size_t k = 0; k < 12; ++k) {
    ASSERT_TRUE(s.receive(k, insert_at(k, k, std::string(1, char('a' + k))), "", "ana", 1).is_ok());
  }
  EXPECT_EQ(s.oldest_revision(), 8u);
  COLEAD_ASSERT_OK_AND_ASSIGN(at8, s.text_at(8));
  EXPECT_EQ(at8, "abcdefgh");
  COLEAD_ASSERT_OK_AND_ASSIGN(at10, s.text_at(10));
  EXPECT_EQ(at10, "abcdefghij");
  const auto old = s.text_at(7);
  ASSERT_FALSE(old.is_ok());
  EXPECT_EQ(old.error().code(), error_code::bad_revision);
}

TEST(DocumentServer, AuthorshipRunsFollowEdits) {
  server s;
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "We care"), "a-1", "ana", 1).is_ok());
  ASSERT_TRUE(s.receive(1, insert_at(7, 3, "\U0001F91D "), "b-1", "ben", 2).is_ok());
  EXPECT_EQ(s.text(), "We \U0001F91D care");
  EXPECT_EQ(s.authorship(), (std::vector<authorship_run>{{"ana", 3}, {"ben", 2}, {"ana", 4}}));
  // Ben deletes across the boundary: "e " of Ana and his own emoji.
  ASSERT_TRUE(s.receive(2, remove_at(9, 1, 3), "b-2", "ben", 3).is_ok());
  EXPECT_EQ(s.text(), "W care");
  EXPECT_EQ(s.authorship(), (std::vector<authorship_run>{{"ana", 1}, {"ben", 1}, {"ana", 4}}));
  // Deleting Ben's last character merges Ana's runs.
  ASSERT_TRUE(s.receive(3, remove_at(6, 1, 1), "a-2", "ana", 4).is_ok());
  EXPECT_EQ(s.authorship(), (std::vector<authorship_run>{{"ana", 5}}));
  EXPECT_EQ(s.shares(), (std::vector<author_share>{{"ana", 5}}));
}

TEST(DocumentServer, SharesSumPerAuthor) {
  server s;
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "aaaa"), "a-1", "ana", 1).is_ok());
  ASSERT_TRUE(s.receive(1, insert_at(4, 2, "bb"), "b-1", "ben", 2).is_ok());
  ASSERT_TRUE(s.receive(2, insert_at(6, 6, "\u05e9\u05e9\u05e9"), "c-1", "cai", 3).is_ok());
  EXPECT_EQ(s.shares(), (std::vector<author_share>{{"ana", 4}, {"ben", 2}, {"cai", 3}}));
}

TEST(DocumentServer, LoadsSnapshotAndLaterEdits) {
  server original;
  ASSERT_TRUE(original.receive(0, insert_at(0, 0, "shared"), "a-1", "ana", 1).is_ok());
  ASSERT_TRUE(original.receive(1, insert_at(6, 0, "our "), "b-1", "ben", 2).is_ok());
  const snapshot snap = original.current_snapshot();
  ASSERT_TRUE(original.receive(2, insert_at(10, 10, " purpose"), "a-2", "ana", 3).is_ok());
  ASSERT_TRUE(original.receive(3, remove_at(18, 0, 1), "b-2", "ben", 4).is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(later, original.ops_since(2));

  COLEAD_ASSERT_OK_AND_ASSIGN(
      loaded, server::load(snap, std::vector<applied_edit>(later.begin(), later.end())));
  EXPECT_EQ(loaded.revision(), 4u);
  EXPECT_EQ(loaded.text(), original.text());
  EXPECT_EQ(loaded.authorship(), original.authorship());
  EXPECT_EQ(loaded.oldest_revision(), 2u);
  COLEAD_ASSERT_OK_AND_ASSIGN(at3, loaded.text_at(3));
  EXPECT_EQ(at3, "our shared purpose");
  // Edit ids survive the reload, so a resend is still recognised.
  COLEAD_ASSERT_OK_AND_ASSIGN(again, loaded.receive(3, remove_at(18, 0, 1), "b-2", "ben", 5));
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.rev, 4u);
  // And a client at revision 2 can be transformed over the reloaded history.
  COLEAD_ASSERT_OK_AND_ASSIGN(late, loaded.receive(2, insert_at(10, 10, "!"), "c-1", "cai", 6));
  EXPECT_EQ(loaded.text(), "ur shared purpose!");
  EXPECT_EQ(late.rev, 5u);
}

TEST(DocumentServer, LoadRejectsStoredEditsThatDoNotFit) {
  applied_edit gap;
  gap.rev = 7;
  gap.op = insert_at(3, 0, "x");
  auto out = server::load({5, "abc", {}}, {gap});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().message(), "stored edit 7 does not follow revision 5; expected revision 6");

  applied_edit wrong_length;
  wrong_length.rev = 6;
  wrong_length.op = insert_at(4, 0, "x");
  out = server::load({5, "abc", {}}, {wrong_length});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().message(),
            "stored edit 6: operation covers 4 characters but the document has 3");
}

TEST(DocumentServer, LoadRejectsInvalidSnapshot) {
  auto out = server::load({1, "ab\xC0\xAF", {}}, {});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().code(), error_code::invalid_op);
  out = server::load({1, "abc", {{"ana", 2}}}, {});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().message(),
            "snapshot authorship covers 2 characters but the snapshot text has 3");
}

TEST(DocumentServer, SnapshotWithoutAuthorshipBelongsToNobody) {
  COLEAD_ASSERT_OK_AND_ASSIGN(s, server::load({3, "abc", {}}, {}));
  ASSERT_TRUE(s.receive(3, insert_at(3, 3, "d"), "a-1", "ana", 1).is_ok());
  EXPECT_EQ(s.authorship(), (std::vector<authorship_run>{{"", 3}, {"ana", 1}}));
}

}  // namespace
}  // namespace colead::ot
