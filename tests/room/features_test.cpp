// Each room feature on its own: built on a room_context with only the features it is wired to,
// and driven through its room_feature interface, without the room core or a socket.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "fake_participant.hpp"
#include "room/consult_feature.hpp"
#include "room/documents_feature.hpp"
#include "room/learning_log.hpp"
#include "room/meeting_feature.hpp"
#include "room/settings_feature.hpp"
#include "room/wire.hpp"
#include "test_journal.hpp"

namespace colead::room {
namespace {

using testing::fake_participant;
using testing::test_journal;

class FeatureTest : public ::testing::Test {
 protected:
  FeatureTest()
      : context_(make_room("Discharge planning", 2, clock_).model, clock_, journal_, {}) {}

  // A welcomed device of `member`, as the core leaves it after hello.
  std::shared_ptr<fake_participant> device(const std::string& member) {
    auto p = std::make_shared<fake_participant>();
    context_.connections().push_back(std::make_unique<room_context::connection>(
        room_context::connection{p, p.get(), member, true}));
    auto* seat = context_.seat_of(member);
    seat->taken = true;
    seat->name = member;
    return p;
  }

  // Hands `message` to `feature` as from `p`, a device of `member`, and makes writes durable.
  void send(room_feature& feature, const std::shared_ptr<fake_participant>& p,
            const std::string& member, const v1::ClientMessage& message) {
    feature.handle({p, member, message.req()}, message);
    journal_.complete_all();
  }

  manual_clock clock_;
  test_journal journal_;
  room_context context_;
};

// Inserts `text` at the start of a document `length` code points long.
v1::ClientMessage insert_at_start(const std::string& doc, const std::string& text,
                                  std::uint64_t base_rev, std::uint64_t req,
                                  std::size_t length = 0) {
  v1::ClientMessage m;
  m.set_req(req);
  auto* e = m.mutable_edit();
  e->set_doc(doc);
  e->set_base_rev(base_rev);
  ot::text_operation op;
  op.insert(text);
  op.retain(length);
  op_to_wire(op, e->mutable_op());
  return m;
}

TEST_F(FeatureTest, DocumentsAcknowledgeAnEditOnceDurableAndSendItToTheOthers) {
  consult_feature consult(context_);
  documents_feature docs(context_, consult);
  auto a = device("m1");
  auto b = device("m2");
  docs.handle({a, "m1", 7}, insert_at_start(purpose_doc_id, "Home by Friday", 0, 7));
  EXPECT_TRUE(a->frames.empty()) << "nothing is told before the write is durable";
  ASSERT_EQ(journal_.saved.size(), 1u);
  journal_.complete_all();
  ASSERT_EQ(a->of_kind(v1::ServerMessage::kAck).size(), 1u);
  EXPECT_EQ(a->last().re(), 7u);
  EXPECT_EQ(a->last().ack().rev(), 1u);
  ASSERT_EQ(b->of_kind(v1::ServerMessage::kApplied).size(), 1u);
  EXPECT_TRUE(a->of_kind(v1::ServerMessage::kApplied).empty());

  v1::RoomSnapshot welcome;
  docs.fill_welcome(welcome, "m2", {});
  ASSERT_EQ(welcome.docs_size(), 2);
  EXPECT_EQ(welcome.docs(0).text(), "Home by Friday");
}

TEST_F(FeatureTest, DocumentsSendAReconnectingDeviceTheEditsItMissed) {
  consult_feature consult(context_);
  documents_feature docs(context_, consult);
  auto a = device("m1");
  send(docs, a, "m1", insert_at_start(purpose_doc_id, "b", 0, 1));
  send(docs, a, "m1", insert_at_start(purpose_doc_id, "a", 1, 2, 1));
  v1::Hello hello;
  (*hello.mutable_known_revisions())[purpose_doc_id] = 0;
  v1::RoomSnapshot welcome;
  docs.fill_welcome(welcome, "m2", hello);
  EXPECT_TRUE(welcome.docs(0).catching_up());
  auto back = std::make_shared<fake_participant>();
  docs.after_welcome(back, hello);
  EXPECT_EQ(back->of_kind(v1::ServerMessage::kApplied).size(), 2u);
}

TEST_F(FeatureTest, DocumentsRefuseAnUnknownDocumentAndWriteNothing) {
  consult_feature consult(context_);
  documents_feature docs(context_, consult);
  auto a = device("m1");
  send(docs, a, "m1", insert_at_start("nope", "x", 0, 3));
  EXPECT_TRUE(journal_.saved.empty());
  EXPECT_EQ(a->last().error().code(), v1::Error::INVALID_OP);
  EXPECT_EQ(a->last().re(), 3u);
}

v1::ClientMessage start_meeting(unsigned minutes) {
  v1::ClientMessage m;
  m.set_req(1);
  m.mutable_meeting()->mutable_start()->set_planned_minutes(minutes);
  return m;
}

TEST_F(FeatureTest, MeetingStartsStoresAndNudgesOnItsOwnTimer) {
  meeting_feature meeting(context_);
  auto a = device("m1");
  EXPECT_EQ(meeting.next_deadline(), std::nullopt);
  send(meeting, a, "m1", start_meeting(60));
  ASSERT_EQ(journal_.saved.size(), 1u);
  EXPECT_EQ(a->of_kind(v1::ServerMessage::kMeetingState).back().meeting_state().mode(),
            v1::MeetingState::TASK);
  EXPECT_FALSE(meeting.running_id().empty());
  const auto due = meeting.next_deadline();
  ASSERT_TRUE(due.has_value());
  clock_.advance(*due - clock_.now_ms());
  meeting.on_timer();
  journal_.complete_all();
  EXPECT_FALSE(a->of_kind(v1::ServerMessage::kNudge).empty());

  v1::RoomSnapshot welcome;
  meeting.fill_welcome(welcome, "m1", {});
  EXPECT_TRUE(welcome.has_meeting());
}

TEST_F(FeatureTest, MeetingRestoresOneThatWasRunningAsEndedAndWritesThatBack) {
  v1::MeetingState running;
  running.set_meeting_id("m-1");
  running.set_mode(v1::MeetingState::TASK);
  running.set_task_ms(60'000);
  meeting_feature meeting(context_);
  std::vector<store::item_record> writes;
  meeting.restore({{context_.model().id, "meeting", "m-1", 3, 0, running.SerializeAsString()}},
                  writes);
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].version, 4u);
  EXPECT_TRUE(meeting.running_id().empty());
  v1::RoomSnapshot welcome;
  meeting.fill_welcome(welcome, "m1", {});
  EXPECT_EQ(welcome.meeting().mode(), v1::MeetingState::ENDED);
  EXPECT_EQ(welcome.past_meetings_size(), 1);
}

v1::ClientMessage note(const std::string& text, bool personal) {
  v1::ClientMessage m;
  m.set_req(5);
  m.mutable_note()->set_text(text);
  m.mutable_note()->set_personal(personal);
  return m;
}

TEST_F(FeatureTest, LearningLogSharesANoteAndKeepsAPersonalOneToItsAuthor) {
  meeting_feature meeting(context_);
  consult_feature consult(context_);
  learning_log log(context_, meeting, consult);
  meeting.notes_from(log);
  auto a = device("m1");
  auto b = device("m2");
  send(log, a, "m1", note("Ask the carer first", false));
  EXPECT_EQ(b->of_kind(v1::ServerMessage::kNoteAdded).size(), 1u);
  send(log, a, "m1", note("I rushed the ending", true));
  EXPECT_EQ(a->of_kind(v1::ServerMessage::kNoteAdded).size(), 2u);
  EXPECT_EQ(b->of_kind(v1::ServerMessage::kNoteAdded).size(), 1u);
  ASSERT_EQ(log.notes().size(), 2u);

  v1::RoomSnapshot for_b;
  log.fill_welcome(for_b, "m2", {});
  EXPECT_EQ(for_b.notes_size(), 1);
}

TEST_F(FeatureTest, LearningLogNotesBelongToTheMeetingRunning) {
  meeting_feature meeting(context_);
  consult_feature consult(context_);
  learning_log log(context_, meeting, consult);
  auto a = device("m1");
  send(meeting, a, "m1", start_meeting(30));
  send(log, a, "m1", note("We kept to the purpose", false));
  EXPECT_EQ(log.notes().back().meeting_id(), meeting.running_id());
}

v1::ClientMessage start_consult(const std::string& script) {
  v1::ClientMessage m;
  m.set_req(9);
  m.mutable_consult()->mutable_start()->set_script_id(script);
  m.mutable_consult()->mutable_start()->set_presenter("m1");
  return m;
}

TEST_F(FeatureTest, ConsultRunsAScriptAndItsRulesGovernWriting) {
  consult_feature consult(context_);
  auto a = device("m1");
  device("m2");
  send(consult, a, "m1", start_consult("pair-consult"));
  const auto states = a->of_kind(v1::ServerMessage::kConsultState);
  ASSERT_EQ(states.size(), 1u) << a->last().DebugString();
  EXPECT_TRUE(states[0].consult_state().active());
  EXPECT_FALSE(consult.id().empty());
  EXPECT_TRUE(consult.next_deadline().has_value());
  ASSERT_TRUE(consult.meeting_mode().has_value());
  // What each member may write is what the state tells them.
  for (const auto& role : states[0].consult_state().roles()) {
    EXPECT_EQ(!consult.may_write(role.member_id(), consult_write::question).has_value(),
              role.may_ask_questions())
        << role.member_id();
  }
}

TEST_F(FeatureTest, ConsultMovesAWiredMeetingToTheModeItsPhaseDeclares) {
  meeting_feature meeting(context_);
  consult_feature consult(context_);
  consult.follow_with(meeting);
  auto a = device("m1");
  device("m2");
  send(meeting, a, "m1", start_meeting(60));
  send(consult, a, "m1", start_consult("pair-consult"));
  ASSERT_TRUE(consult.meeting_mode().has_value());
  v1::RoomSnapshot welcome;
  meeting.fill_welcome(welcome, "m1", {});
  const auto wanted = *consult.meeting_mode() == consult_time_kind::reflection
                          ? v1::MeetingState::REFLECTION
                          : v1::MeetingState::TASK;
  EXPECT_EQ(welcome.meeting().mode(), wanted);
}

TEST_F(FeatureTest, ConsultRefusesAnUnknownScriptAndWritesNothing) {
  consult_feature consult(context_);
  auto a = device("m1");
  send(consult, a, "m1", start_consult("no-such-script"));
  EXPECT_TRUE(journal_.saved.empty());
  EXPECT_EQ(a->last().error().code(), v1::Error::NOT_ALLOWED);
}

TEST_F(FeatureTest, SettingsAreStoredAndToldToEveryone) {
  bool erased = false;
  settings_feature settings(context_, [&] { erased = true; });
  auto a = device("m1");
  auto b = device("m2");
  v1::ClientMessage m;
  m.set_req(4);
  m.mutable_room()->mutable_settings()->set_reflection_target_pct(50);
  send(settings, a, "m1", m);
  EXPECT_EQ(context_.model().settings.reflection_target_pct, 50u);
  ASSERT_EQ(b->of_kind(v1::ServerMessage::kRoomChanged).size(), 1u);
  EXPECT_EQ(b->last().room_changed().settings().reflection_target_pct(), 50u);
  EXPECT_FALSE(erased);
}

TEST_F(FeatureTest, SettingsEraseTheRoomOnlyOnceEveryMemberConfirmed) {
  bool erased = false;
  settings_feature settings(context_, [&] { erased = true; });
  auto a = device("m1");
  auto b = device("m2");
  v1::ClientMessage m;
  m.mutable_room()->mutable_erase();
  send(settings, a, "m1", m);
  EXPECT_FALSE(erased);
  send(settings, b, "m2", m);
  EXPECT_TRUE(erased);
}

}  // namespace
}  // namespace colead::room
