#include "ot/client.hpp"

#include <gtest/gtest.h>

#include <string>

#include "ot/server.hpp"
#include "test_support.hpp"

namespace colead::ot {
namespace {

text_operation insert_at(std::size_t length, std::size_t at, std::string_view text) {
  text_operation op;
  op.retain(at).insert(text).retain(length - at);
  return op;
}

using state = client::state;

TEST(DocumentClient, LocalEditIsSentWhenSynchronized) {
  client c("c1", 4, 0);
  COLEAD_ASSERT_OK_AND_ASSIGN(out, c.apply_local(insert_at(0, 0, "hi")));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->base_rev, 4u);
  EXPECT_EQ(out->edit_id, "c1-1");
  EXPECT_EQ(out->op, insert_at(0, 0, "hi"));
  EXPECT_EQ(c.current_state(), state::awaiting_confirm);
  EXPECT_EQ(c.length(), 2u);
}

TEST(DocumentClient, EditsMadeWhileAwaitingAreBufferedAndComposed) {
  client c("c1", 0, 0);
  ASSERT_TRUE(c.apply_local(insert_at(0, 0, "a")).is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(second, c.apply_local(insert_at(1, 1, "\u00e9")));
  EXPECT_FALSE(second.has_value());
  EXPECT_EQ(c.current_state(), state::awaiting_with_buffer);
  COLEAD_ASSERT_OK_AND_ASSIGN(third, c.apply_local(insert_at(2, 2, "\U0001F600")));
  EXPECT_FALSE(third.has_value());
  ASSERT_NE(c.buffer(), nullptr);
  EXPECT_EQ(*c.buffer(), insert_at(1, 1, "\u00e9\U0001F600"));

  COLEAD_ASSERT_OK_AND_ASSIGN(next, c.on_ack(1));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->base_rev, 1u);
  EXPECT_EQ(next->edit_id, "c1-2");
  EXPECT_EQ(next->op, insert_at(1, 1, "\u00e9\U0001F600"));
  EXPECT_EQ(c.current_state(), state::awaiting_confirm);

  COLEAD_ASSERT_OK_AND_ASSIGN(done, c.on_ack(2));
  EXPECT_FALSE(done.has_value());
  EXPECT_EQ(c.current_state(), state::synchronized);
  EXPECT_EQ(c.revision(), 2u);
}

TEST(DocumentClient, BufferThatUndidItselfIsNotSentAfterTheAck) {
  client c("c1", 0, 0);
  ASSERT_TRUE(c.apply_local(insert_at(0, 0, "a")).is_ok());
  ASSERT_TRUE(c.apply_local(insert_at(1, 1, "b")).is_ok());
  text_operation undo;
  undo.retain(1).remove(1);
  COLEAD_ASSERT_OK_AND_ASSIGN(none, c.apply_local(undo));
  EXPECT_FALSE(none.has_value());
  EXPECT_EQ(c.current_state(), state::awaiting_with_buffer);

  COLEAD_ASSERT_OK_AND_ASSIGN(next, c.on_ack(1));
  EXPECT_FALSE(next.has_value());
  EXPECT_EQ(c.current_state(), state::synchronized);
  EXPECT_FALSE(c.unconfirmed().has_value());
  EXPECT_EQ(c.revision(), 1u);
}

TEST(DocumentClient, RemoteEditWhenSynchronizedPassesThrough) {
  client c("c1", 3, 2);
  COLEAD_ASSERT_OK_AND_ASSIGN(local, c.on_remote(insert_at(2, 1, "x"), 4, 3));
  EXPECT_EQ(local, insert_at(2, 1, "x"));
  EXPECT_EQ(c.revision(), 4u);
  EXPECT_EQ(c.length(), 3u);
}

TEST(DocumentClient, RemoteEditIsTransformedOverOutstandingAndBuffer) {
  // Server text "ab" at revision 1. The client types "X" then "Y" at position 1 while the
  // server applies another member's "Z" at the same position.
  client c("c1", 1, 2);
  ASSERT_TRUE(c.apply_local(insert_at(2, 1, "X")).is_ok());
  ASSERT_TRUE(c.apply_local(insert_at(3, 2, "Y")).is_ok());
  // "Z" was made on revision 1 too, so the server's edit (applied first) stays first: "Z"
  // goes before the client's pending text.
  COLEAD_ASSERT_OK_AND_ASSIGN(local, c.on_remote(insert_at(2, 1, "Z"), 2, 1));
  EXPECT_EQ(local, insert_at(4, 1, "Z"));
  EXPECT_EQ(*c.outstanding(), insert_at(3, 2, "X"));
  EXPECT_EQ(*c.buffer(), insert_at(4, 3, "Y"));
  EXPECT_EQ(c.revision(), 2u);
  EXPECT_EQ(c.length(), 5u);
}

TEST(DocumentClient, RemoteInsertAtSamePlaceGoesBeforeOutstandingText) {
  client c("c1", 1, 2);
  ASSERT_TRUE(c.apply_local(insert_at(2, 1, "\U0001F44D")).is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(local, c.on_remote(insert_at(2, 1, "\u05e9"), 2, 1));
  EXPECT_EQ(local, insert_at(3, 1, "\u05e9"));
  EXPECT_EQ(*c.outstanding(), insert_at(3, 2, "\U0001F44D"));
}

TEST(DocumentClient, RemoteInsertMadeOnOlderRevisionGoesAfterPendingRun) {
  // "X" was sent on revision 1; "Z" was made on revision 0, before its author saw what
  // revision 1 brought, and lands at the same place: the member's own "XY" stays together.
  client c("c1", 1, 2);
  ASSERT_TRUE(c.apply_local(insert_at(2, 1, "X")).is_ok());
  ASSERT_TRUE(c.apply_local(insert_at(3, 2, "Y")).is_ok());
  EXPECT_EQ(c.sent_base(), 1u);
  COLEAD_ASSERT_OK_AND_ASSIGN(local, c.on_remote(insert_at(2, 1, "Z"), 2, 0));
  EXPECT_EQ(local, insert_at(4, 3, "Z"));
  EXPECT_EQ(*c.outstanding(), insert_at(3, 1, "X"));
  EXPECT_EQ(*c.buffer(), insert_at(4, 2, "Y"));
  EXPECT_EQ(*local.apply("aXYb"), "aXYZb");
}

TEST(DocumentClient, BufferedRunStaysBeforeRemoteInsertAtItsEnd) {
  // The outstanding "X" is elsewhere; the buffered "Y" and the remote "Z" tie: the buffer will
  // be sent on a later revision than "Z" was made on, so it stays first.
  client c("c1", 3, 2);
  ASSERT_TRUE(c.apply_local(insert_at(2, 0, "X")).is_ok());
  ASSERT_TRUE(c.apply_local(insert_at(3, 2, "Y")).is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(local, c.on_remote(insert_at(2, 1, "Z"), 4, 3));
  EXPECT_EQ(*local.apply("XaYb"), "XaYZb");
}

TEST(DocumentClient, SameSpotTypingKeepsEachRunWhole) {
  // Ana and Ben both at the start of an empty text, each typing a word. The server applies
  // Ana's "R" (made on 0) then Ben's "e" (made on 0, goes after "R"). Ana's "E", made on 1
  // once "R" was acknowledged, reaches the server before Ana has seen "e": "RE" stays whole.
  server s;
  client ana("a", 0, 0);
  client ben("b", 0, 0);
  std::string ana_text = "R";
  std::string ben_text = "e";
  COLEAD_ASSERT_OK_AND_ASSIGN(r, ana.apply_local(insert_at(0, 0, "R")));
  COLEAD_ASSERT_OK_AND_ASSIGN(e, ben.apply_local(insert_at(0, 0, "e")));
  COLEAD_ASSERT_OK_AND_ASSIGN(got_r, s.receive(r->base_rev, r->op, r->edit_id, "ana", 1));
  COLEAD_ASSERT_OK_AND_ASSIGN(got_e, s.receive(e->base_rev, e->op, e->edit_id, "ben", 2));
  ASSERT_TRUE(ana.on_ack(got_r.rev).is_ok());
  ana_text = "RE";
  COLEAD_ASSERT_OK_AND_ASSIGN(big_e, ana.apply_local(insert_at(1, 1, "E")));
  ASSERT_EQ(big_e->base_rev, 1u);
  COLEAD_ASSERT_OK_AND_ASSIGN(got_big_e,
                              s.receive(big_e->base_rev, big_e->op, big_e->edit_id, "ana", 3));
  EXPECT_EQ(s.text(), "REe");
  // Ana sees "e" while her "E" is in flight; Ben sees "R", his ack, then "E".
  COLEAD_ASSERT_OK_AND_ASSIGN(at_ana, ana.on_applied(got_e.op, got_e.rev, e->edit_id, 0));
  ana_text = *at_ana.apply->apply(ana_text);
  ASSERT_TRUE(ana.on_ack(got_big_e.rev).is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(at_ben, ben.on_applied(got_r.op, got_r.rev, r->edit_id, 0));
  ben_text = *at_ben.apply->apply(ben_text);
  ASSERT_TRUE(ben.on_ack(got_e.rev).is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(last, ben.on_applied(got_big_e.op, got_big_e.rev, "a-2", 1));
  ben_text = *last.apply->apply(ben_text);
  EXPECT_EQ(ana_text, "REe");
  EXPECT_EQ(ben_text, "REe");
}

TEST(DocumentClient, AckWithoutOutstandingEditIsRefused) {
  client c("c1", 0, 0);
  const auto out = c.on_ack(1);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().code(), error_code::bad_revision);
}

TEST(DocumentClient, OutOfOrderRevisionsAreRefusedWithoutChange) {
  client c("c1", 5, 0);
  ASSERT_TRUE(c.apply_local(insert_at(0, 0, "a")).is_ok());
  const auto remote = c.on_remote(insert_at(0, 0, "b"), 7, 5);
  ASSERT_FALSE(remote.is_ok());
  EXPECT_EQ(remote.error().message(),
            "remote edit names revision 7 but the client is at revision 5 and expects 6");
  const auto ack = c.on_ack(5);
  ASSERT_FALSE(ack.is_ok());
  EXPECT_EQ(c.revision(), 5u);
  EXPECT_EQ(c.current_state(), state::awaiting_confirm);
}

TEST(DocumentClient, LocalEditOfWrongLengthIsRefused) {
  client c("c1", 0, 3);
  const auto out = c.apply_local(text_operation().retain(4));
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().message(), "local edit covers 4 characters but the local text has 3");
  EXPECT_EQ(c.current_state(), state::synchronized);
}

TEST(DocumentClient, RemoteEditOfWrongLengthIsRefused) {
  client c("c1", 0, 3);
  EXPECT_FALSE(c.on_remote(text_operation().retain(2), 1, 0).is_ok());
  ASSERT_TRUE(c.apply_local(insert_at(3, 0, "x")).is_ok());
  EXPECT_FALSE(c.on_remote(text_operation().retain(4), 1, 0).is_ok());
  EXPECT_EQ(c.revision(), 0u);
}

TEST(DocumentClient, NoopLocalEditIsNotSent) {
  client c("c1", 0, 3);
  COLEAD_ASSERT_OK_AND_ASSIGN(out, c.apply_local(text_operation().retain(3)));
  EXPECT_FALSE(out.has_value());
  EXPECT_EQ(c.current_state(), state::synchronized);
}

TEST(DocumentClient, OwnEditInCatchUpCountsAsAck) {
  client c("c1", 0, 0);
  COLEAD_ASSERT_OK_AND_ASSIGN(sent, c.apply_local(insert_at(0, 0, "a")));
  ASSERT_TRUE(c.apply_local(insert_at(1, 1, "b")).is_ok());
  // After a reconnect the server replays revision 1 (someone else) and 2 (this edit).
  COLEAD_ASSERT_OK_AND_ASSIGN(first, c.on_applied(insert_at(0, 0, "z"), 1, "other-1", 0));
  ASSERT_TRUE(first.apply.has_value());
  EXPECT_FALSE(first.send.has_value());
  COLEAD_ASSERT_OK_AND_ASSIGN(second, c.on_applied(insert_at(1, 1, "a"), 2, sent->edit_id, 0));
  EXPECT_FALSE(second.apply.has_value());
  ASSERT_TRUE(second.send.has_value());
  EXPECT_EQ(second.send->base_rev, 2u);
  EXPECT_EQ(second.send->op, insert_at(2, 2, "b"));
}

TEST(DocumentClient, UnconfirmedEditIsRebasedForResend) {
  server s;
  ASSERT_TRUE(s.receive(0, insert_at(0, 0, "ab"), "x-1", "xan", 1).is_ok());
  client c("c1", 1, 2);
  COLEAD_ASSERT_OK_AND_ASSIGN(sent, c.apply_local(insert_at(2, 2, "!")));
  // The edit is lost in transit; meanwhile another member edits.
  ASSERT_TRUE(s.receive(1, insert_at(2, 0, "\u00bf"), "y-1", "yan", 2).is_ok());
  COLEAD_ASSERT_OK_AND_ASSIGN(catch_up, s.ops_since(c.revision()));
  for (const applied_edit& e : catch_up) {
    ASSERT_TRUE(c.on_applied(e.op, e.rev, e.edit_id, e.base_rev).is_ok());
  }
  const auto resend = c.unconfirmed();
  ASSERT_TRUE(resend.has_value());
  EXPECT_EQ(resend->edit_id, sent->edit_id);
  EXPECT_EQ(resend->base_rev, 2u);
  EXPECT_EQ(c.sent_base(), 2u);
  COLEAD_ASSERT_OK_AND_ASSIGN(done,
                              s.receive(resend->base_rev, resend->op, resend->edit_id, "cai", 3));
  COLEAD_ASSERT_OK_AND_ASSIGN(none, c.on_ack(done.rev));
  EXPECT_FALSE(none.has_value());
  EXPECT_EQ(s.text(), "\u00bfab!");
  // A second resend of the same edit is recognised and not applied again.
  COLEAD_ASSERT_OK_AND_ASSIGN(dup,
                              s.receive(resend->base_rev, resend->op, resend->edit_id, "cai", 4));
  EXPECT_TRUE(dup.duplicate);
  EXPECT_EQ(dup.rev, done.rev);
}

}  // namespace
}  // namespace colead::ot
