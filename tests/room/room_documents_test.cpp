// The room's documents: edits through OT, durability before acknowledgement, reconnect
// catch-up, agreed versions, restore, and document commands.
#include <gtest/gtest.h>

#include <algorithm>
#include <variant>

#include "room/consult_feature.hpp"
#include "room/documents_feature.hpp"
#include "room_fixture.hpp"

namespace colead::room {
namespace {

struct op_part {
  enum { retain, insert, remove } kind;
  std::uint32_t count = 0;
  std::string text;
};

v1::ClientMessage edit(const std::string& doc, std::uint64_t base_rev, std::vector<op_part> parts,
                       const std::string& edit_id, std::uint64_t req = 0) {
  v1::ClientMessage m;
  m.set_req(req);
  auto* e = m.mutable_edit();
  e->set_doc(doc);
  e->set_base_rev(base_rev);
  e->set_edit_id(edit_id);
  for (const auto& part : parts) {
    auto* c = e->add_op();
    if (part.kind == op_part::retain) c->set_retain(part.count);
    if (part.kind == op_part::insert) c->set_insert(part.text);
    if (part.kind == op_part::remove) c->set_delete_(part.count);
  }
  return m;
}

op_part ins(std::string text) {
  return {op_part::insert, 0, std::move(text)};
}
op_part keep(std::uint32_t n) {
  return {op_part::retain, n, {}};
}
op_part del(std::uint32_t n) {
  return {op_part::remove, n, {}};
}

class RoomDocumentsTest : public RoomTest {
 protected:
  RoomDocumentsTest() {
    a_ = connect();
    b_ = connect(protocol::encoding::json);
    hello(a_, tokens_[0], "Asha");
    hello(b_, tokens_[1], "Ben");
    a_->clear();
    b_->clear();
  }

  const document_state& purpose() const { return room_->model().docs[0]; }

  v1::ClientMessage agree(std::uint64_t rev, std::uint64_t req = 0) {
    v1::ClientMessage m;
    m.set_req(req);
    m.mutable_document()->mutable_agree()->set_doc("purpose");
    m.mutable_document()->mutable_agree()->set_rev(rev);
    return m;
  }

  std::shared_ptr<fake_participant> a_, b_;
};

TEST_F(RoomDocumentsTest, EditIsAckedToAuthorAndAppliedToOthers) {
  send(a_, edit("purpose", 0, {ins("Better heart failure care 💙")}, "e1", 5));
  EXPECT_EQ(purpose().text.text(), "Better heart failure care 💙");
  auto ack = a_->last();
  ASSERT_TRUE(ack.has_ack());
  EXPECT_EQ(ack.re(), 5u);
  EXPECT_EQ(ack.ack().rev(), 1u);
  auto applied = b_->last();
  ASSERT_TRUE(applied.has_applied());
  EXPECT_EQ(applied.applied().rev(), 1u);
  EXPECT_EQ(applied.applied().author(), "m1");
  EXPECT_EQ(applied.applied().edit_id(), "e1");
  EXPECT_TRUE(a_->of_kind(v1::ServerMessage::kApplied).empty());
}

TEST_F(RoomDocumentsTest, EditsMoveTheRoomsLastActivityAtMostOnceAMinute) {
  // Whether the write of the edit just made also moves the room's last activity.
  auto touched = [this] {
    const auto& m = journal_.saved.back().mutations();
    EXPECT_TRUE(std::any_of(m.begin(), m.end(), [](const auto& x) {
      return std::holds_alternative<store::op_record>(x);
    }));
    return std::any_of(m.begin(), m.end(), [](const auto& x) {
      return std::holds_alternative<store::touch_record>(x);
    });
  };
  send(a_, edit("purpose", 0, {ins("a")}, "e1"));
  EXPECT_TRUE(touched());
  clock_.advance(30'000);
  send(b_, edit("purpose", 1, {keep(1), ins("b")}, "e2"));
  EXPECT_FALSE(touched());
  clock_.advance(29'999);
  send(a_, edit("purpose", 2, {keep(2), ins("c")}, "e3"));
  EXPECT_FALSE(touched());
  clock_.advance(1);  // a minute after the last one kept
  send(a_, edit("purpose", 3, {keep(3), ins("d")}, "e4"));
  EXPECT_TRUE(touched());
  EXPECT_EQ(purpose().text.text(), "abcd");
}

TEST_F(RoomDocumentsTest, NothingIsAcknowledgedBeforeTheWriteIsDurable) {
  room_->handle(a_, edit("purpose", 0, {ins("x")}, "e1"));
  EXPECT_EQ(journal_.waiting(), 1u);
  EXPECT_TRUE(a_->of_kind(v1::ServerMessage::kAck).empty());
  EXPECT_TRUE(b_->of_kind(v1::ServerMessage::kApplied).empty());
  // A ping behind the edit waits too, so answers keep their order.
  room_->handle(a_, ping(2));
  EXPECT_TRUE(a_->of_kind(v1::ServerMessage::kPong).empty());
  journal_.complete_all();
  auto messages = a_->messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_TRUE(messages[0].has_ack());
  EXPECT_TRUE(messages[1].has_pong());
}

TEST_F(RoomDocumentsTest, ConcurrentInsertsAtSamePlaceKeepAppliedFirst) {
  send(a_, edit("purpose", 0, {ins("A")}, "ea"));
  send(b_, edit("purpose", 0, {ins("B")}, "eb"));
  EXPECT_EQ(purpose().text.text(), "AB");
  auto applied = a_->last();
  ASSERT_TRUE(applied.has_applied());
  EXPECT_EQ(applied.applied().rev(), 2u);
  ASSERT_EQ(applied.applied().op_size(), 2);
  EXPECT_EQ(applied.applied().op(0).retain(), 1u);
  EXPECT_EQ(applied.applied().op(1).insert(), "B");
  // Each applied edit names the revision its author made it on, for clients' tie-breaks.
  EXPECT_EQ(applied.applied().base_rev(), 0u);
}

TEST_F(RoomDocumentsTest, EditMadeOnLaterRevisionKeepsItsAuthorsRunTogether) {
  send(a_, edit("purpose", 0, {ins("R")}, "a1"));
  send(b_, edit("purpose", 0, {ins("e")}, "b1"));
  // A types on after her acknowledged "R", before she has seen B's "e".
  send(a_, edit("purpose", 1, {keep(1), ins("E")}, "a2"));
  EXPECT_EQ(purpose().text.text(), "REe");
  auto applied = b_->last();
  ASSERT_TRUE(applied.has_applied());
  EXPECT_EQ(applied.applied().base_rev(), 1u);
}

TEST_F(RoomDocumentsTest, ResentEditIdIsAckedWithOriginalRevisionAndNotAppliedTwice) {
  send(a_, edit("purpose", 0, {ins("hello")}, "same"));
  send(b_, edit("purpose", 1, {keep(5), ins("!")}, "other"));
  a_->clear();
  auto saved = journal_.saved.size();
  send(a_, edit("purpose", 0, {ins("hello")}, "same", 9));
  EXPECT_EQ(purpose().text.text(), "hello!");
  EXPECT_EQ(a_->last().ack().rev(), 1u);
  EXPECT_EQ(a_->last().re(), 9u);
  EXPECT_EQ(journal_.saved.size(), saved);
}

TEST_F(RoomDocumentsTest, FutureBaseRevisionIsBadRevisionAndChangesNothing) {
  auto saved = journal_.saved.size();
  send(a_, edit("purpose", 3, {ins("x")}, "e1", 4));
  EXPECT_EQ(a_->last().error().code(), v1::Error::BAD_REVISION);
  EXPECT_EQ(a_->last().re(), 4u);
  EXPECT_EQ(purpose().text.revision(), 0u);
  EXPECT_EQ(journal_.saved.size(), saved);
}

TEST_F(RoomDocumentsTest, OperationThatDoesNotFitIsInvalidOp) {
  send(a_, edit("purpose", 0, {keep(4), ins("x")}, "e1"));
  EXPECT_EQ(a_->last().error().code(), v1::Error::INVALID_OP);
  EXPECT_TRUE(b_->frames.empty());
}

TEST_F(RoomDocumentsTest, UnknownDocumentAndBadEditIdAreInvalidOp) {
  send(a_, edit("nope", 0, {ins("x")}, "e1"));
  EXPECT_EQ(a_->last().error().code(), v1::Error::INVALID_OP);
  send(a_, edit("purpose", 0, {ins("x")}, "../../etc"));
  EXPECT_EQ(a_->last().error().code(), v1::Error::INVALID_OP);
}

TEST_F(RoomDocumentsTest, DocumentOverItsLimitIsTooLarge) {
  limits_.max_doc_chars = 10;
  auto made = make_room("Small", 2, clock_, documents_feature::document_options(options()));
  room small(std::move(made.model), clock_, journal_, options());
  auto p = std::make_shared<fake_participant>();
  small.attach(p);
  v1::ClientMessage h;
  h.mutable_hello()->set_token(made.tokens[0]);
  small.handle(p, h);
  small.handle(p, edit("purpose", 0, {ins("0123456789A")}, "e1"));
  journal_.complete_all();
  EXPECT_EQ(p->last().error().code(), v1::Error::TOO_LARGE);
  EXPECT_EQ(small.model().docs[0].text.text(), "");
}

TEST_F(RoomDocumentsTest, LargeEditsKeepHistoryWithinItsByteLimit) {
  room_options o = options();
  o.history_bytes = 64 * 1024;
  auto made = make_room("Large", 2, clock_, documents_feature::document_options(o));
  room large(std::move(made.model), clock_, journal_, o);
  auto p = std::make_shared<fake_participant>();
  auto q = std::make_shared<fake_participant>();
  large.attach(p);
  large.attach(q);
  v1::ClientMessage h;
  h.mutable_hello()->set_token(made.tokens[0]);
  large.handle(p, h);
  h.mutable_hello()->set_token(made.tokens[1]);
  large.handle(q, h);
  journal_.complete_all();
  const auto& doc = large.model().docs[0].text;
  std::uint32_t length = 0;
  for (std::uint64_t rev = 0; rev < 60; ++rev) {
    const std::string text(15'000, static_cast<char>('a' + rev % 26));
    std::vector<op_part> parts{ins(text)};
    if (length > 0) parts.insert(parts.begin(), del(length));
    large.handle(p, edit("purpose", rev, parts, std::string("e").append(std::to_string(rev))));
    journal_.complete_all();
    length = 15'000;
    ASSERT_EQ(doc.revision(), rev + 1);
    ASSERT_LE(doc.retained_bytes(), o.history_bytes);
  }
  ASSERT_GT(doc.oldest_revision(), 1u);
  // A member still at revision 1 is told to reload, as for any revision older than the history.
  large.handle(q, edit("purpose", 1, {keep(15'000), ins("late")}, "late", 9));
  journal_.complete_all();
  EXPECT_EQ(q->last().error().code(), v1::Error::BAD_REVISION);
  EXPECT_EQ(q->last().re(), 9u);
  EXPECT_NE(q->last().error().message().find("reload the document"), std::string::npos);
  // Reconnecting from there gets the text as it stands, not a catch-up.
  auto again = std::make_shared<fake_participant>();
  large.attach(again);
  h.mutable_hello()->set_token(made.tokens[1]);
  (*h.mutable_hello()->mutable_known_revisions())["purpose"] = 1;
  large.handle(again, h);
  journal_.complete_all();
  auto messages = again->messages();
  ASSERT_TRUE(messages[0].has_welcome());
  EXPECT_FALSE(messages[0].welcome().room().docs(0).catching_up());
  EXPECT_EQ(messages[0].welcome().room().docs(0).rev(), 60u);
  EXPECT_TRUE(again->of_kind(v1::ServerMessage::kApplied).empty());
}

TEST_F(RoomDocumentsTest, AgreedVersionsAreBoundedInBytesAndNotRepeated) {
  limits_.max_agreed_bytes = 2'048;
  auto made = make_room("Alone", 2, clock_, documents_feature::document_options(options()));
  room alone(std::move(made.model), clock_, journal_, options());
  auto p = std::make_shared<fake_participant>();
  alone.attach(p);
  v1::ClientMessage h;
  h.mutable_hello()->set_token(made.tokens[0]);
  alone.handle(p, h);
  journal_.complete_all();
  const auto& doc = alone.model().docs[0];
  // The only member who took a seat agrees alone.
  alone.handle(p, edit("purpose", 0, {ins(std::string(1'000, 'a'))}, "e1"));
  alone.handle(p, agree(1, 2));
  alone.handle(p, agree(1, 3));
  journal_.complete_all();
  EXPECT_EQ(p->last().re(), 3u);
  EXPECT_TRUE(p->last().has_ack());
  EXPECT_EQ(doc.agreed.size(), 1u);
  alone.handle(p, edit("purpose", 1, {del(1'000), ins(std::string(1'000, 'b'))}, "e2"));
  alone.handle(p, agree(2, 4));
  journal_.complete_all();
  EXPECT_EQ(doc.agreed.size(), 2u);
  alone.handle(p, edit("purpose", 2, {del(1'000), ins(std::string(1'000, 'c'))}, "e3"));
  alone.handle(p, agree(3, 5));
  journal_.complete_all();
  EXPECT_EQ(p->last().error().code(), v1::Error::TOO_LARGE);
  EXPECT_EQ(p->last().re(), 5u);
  EXPECT_EQ(doc.agreed.size(), 2u);
}

TEST_F(RoomDocumentsTest, RemovedDocumentKeepsNoHistoryInMemory) {
  v1::ClientMessage add;
  add.set_req(1);
  add.mutable_document()->mutable_add()->set_title("Shared ambition");
  send(a_, add);
  auto id = a_->of_kind(v1::ServerMessage::kAck).back().ack().id();
  for (std::uint32_t rev = 0; rev < 20; ++rev)
    send(a_, edit(id, rev, {keep(rev), ins("x")}, std::string("e").append(std::to_string(rev))));
  const auto& added = room_->model().docs[2].text;
  EXPECT_EQ(added.retained_edits(), 20u);
  v1::ClientMessage remove;
  remove.mutable_document()->mutable_remove()->set_doc(id);
  send(b_, remove);
  EXPECT_EQ(added.retained_edits(), 0u);
  EXPECT_EQ(added.text(), std::string(20, 'x'));
}

TEST_F(RoomDocumentsTest, ReconnectGetsExactlyTheMissedEdits) {
  send(a_, edit("purpose", 0, {ins("one")}, "e1"));
  send(a_, edit("purpose", 1, {keep(3), ins(" two")}, "e2"));
  send(b_, edit("purpose", 2, {keep(7), ins(" three")}, "e3"));
  auto again = connect();
  v1::ClientMessage h;
  h.mutable_hello()->set_token(tokens_[0]);
  (*h.mutable_hello()->mutable_known_revisions())["purpose"] = 1;
  send(again, h);
  auto messages = again->messages();
  ASSERT_TRUE(messages[0].has_welcome());
  EXPECT_TRUE(messages[0].welcome().room().docs(0).catching_up());
  auto applied = again->of_kind(v1::ServerMessage::kApplied);
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_EQ(applied[0].applied().rev(), 2u);
  EXPECT_EQ(applied[0].applied().edit_id(), "e2");
  EXPECT_EQ(applied[1].applied().rev(), 3u);
}

TEST_F(RoomDocumentsTest, AgreedWhenEveryMemberAgreesToTheSameRevision) {
  send(a_, edit("purpose", 0, {ins("Together")}, "e1"));
  send(a_, agree(1));
  EXPECT_TRUE(purpose().proposal.has_value());
  EXPECT_TRUE(purpose().agreed.empty());
  send(b_, agree(1));
  ASSERT_EQ(purpose().agreed.size(), 1u);
  EXPECT_EQ(purpose().agreed[0].text, "Together");
  EXPECT_EQ(purpose().agreed[0].agreed_by, (std::vector<std::string>{"m1", "m2"}));
  auto documents = b_->of_kind(v1::ServerMessage::kDocuments);
  ASSERT_FALSE(documents.empty());
  EXPECT_EQ(documents.back().documents().docs(0).agreed().rev(), 1u);
}

TEST_F(RoomDocumentsTest, EditBeforeEveryoneAgreedWithdrawsTheProposal) {
  send(a_, edit("purpose", 0, {ins("Together")}, "e1"));
  send(a_, agree(1));
  send(b_, edit("purpose", 1, {keep(8), ins("!")}, "e2"));
  EXPECT_FALSE(purpose().proposal.has_value());
  send(b_, agree(1, 3));
  EXPECT_EQ(b_->last().error().code(), v1::Error::NOT_ALLOWED);
}

TEST_F(RoomDocumentsTest, RestoreMakesANewRevisionWithTheOldText) {
  send(a_, edit("purpose", 0, {ins("first words")}, "e1"));
  send(b_, edit("purpose", 1, {del(5), ins("better"), keep(6)}, "e2"));
  EXPECT_EQ(purpose().text.text(), "better words");
  v1::ClientMessage r;
  r.mutable_document()->mutable_restore()->set_doc("purpose");
  r.mutable_document()->mutable_restore()->set_rev(1);
  send(a_, r);
  EXPECT_EQ(purpose().text.text(), "first words");
  EXPECT_EQ(purpose().text.revision(), 3u);
  // The author did not make the op locally, so they get it as applied too.
  EXPECT_FALSE(a_->of_kind(v1::ServerMessage::kApplied).empty());
}

TEST_F(RoomDocumentsTest, MembersAddRenameAndRemoveDocuments) {
  v1::ClientMessage add;
  add.set_req(1);
  add.mutable_document()->mutable_add()->set_title("Shared ambition");
  send(a_, add);
  auto id = a_->of_kind(v1::ServerMessage::kAck).back().ack().id();
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(b_->last().documents().docs_size(), 3);
  v1::ClientMessage rename;
  rename.mutable_document()->mutable_rename()->set_doc(id);
  rename.mutable_document()->mutable_rename()->set_title("Our ambition");
  send(b_, rename);
  EXPECT_EQ(room_->model().docs[2].title, "Our ambition");
  v1::ClientMessage remove;
  remove.mutable_document()->mutable_remove()->set_doc(id);
  send(b_, remove);
  EXPECT_EQ(a_->last().documents().docs_size(), 2);
  remove.mutable_document()->mutable_remove()->set_doc("purpose");
  send(b_, remove);
  EXPECT_EQ(b_->last().error().code(), v1::Error::NOT_ALLOWED);
}

TEST_F(RoomDocumentsTest, FailedWriteAnswersInternalAndClosesTheRoom) {
  room_->handle(a_, edit("purpose", 0, {ins("x")}, "e1", 6));
  journal_.complete_all(store::status::io_error("disk full"));
  EXPECT_EQ(a_->last().error().code(), v1::Error::INTERNAL);
  EXPECT_EQ(a_->last().re(), 6u);
  EXPECT_TRUE(a_->closed);
  EXPECT_TRUE(b_->closed);
  EXPECT_TRUE(b_->of_kind(v1::ServerMessage::kApplied).empty());
  EXPECT_TRUE(room_->state().broken);
}

TEST_F(RoomDocumentsTest, SnapshotIsStoredEveryNRevisions) {
  std::size_t snapshots = 0;
  for (int i = 0; i < 100; ++i) {
    send(a_, edit("purpose", static_cast<std::uint64_t>(i), {keep(i), ins("x")},
                  std::string("e").append(std::to_string(i))));
  }
  for (const auto& batch : journal_.saved)
    for (const auto& m : batch.mutations())
      if (std::holds_alternative<store::snapshot_record>(m)) ++snapshots;
  // Two at creation time are not in this journal; one at revision 100.
  EXPECT_EQ(snapshots, 1u);
}

}  // namespace
}  // namespace colead::room
