// Consulting in the room: starting a run, ready and timer-driven phase ends, attributed
// advance, extend, pause and stop, writing rules, questions and takeaways, and what is stored.
#include <gtest/gtest.h>

#include <variant>

#include "room_fixture.hpp"

namespace colead::room {
namespace {

constexpr std::int64_t minute = 60'000;

class RoomConsultTest : public RoomTest {
 protected:
  RoomConsultTest() : RoomTest(3) {
    a_ = connect();
    b_ = connect(protocol::encoding::json);
    c_ = connect();
    hello(a_, tokens_[0], "Asha");
    hello(b_, tokens_[1], "Ben");
    hello(c_, tokens_[2], "Chidi");
    clear();
  }

  void clear() {
    a_->clear();
    b_->clear();
    c_->clear();
  }

  static v1::ClientMessage consult(std::uint64_t req) {
    v1::ClientMessage m;
    m.set_req(req);
    m.mutable_consult();
    return m;
  }

  void start(const std::string& script = "troika", const std::string& presenter = "m1",
             bool when_ready = true) {
    auto m = consult(10);
    m.mutable_consult()->mutable_start()->set_script_id(script);
    m.mutable_consult()->mutable_start()->set_presenter(presenter);
    m.mutable_consult()->mutable_start()->set_advance_when_ready(when_ready);
    send(a_, m);
  }

  void advance(const std::shared_ptr<fake_participant>& p, std::uint64_t req = 11) {
    auto m = consult(req);
    m.mutable_consult()->mutable_advance();
    send(p, m);
  }

  void ready(const std::shared_ptr<fake_participant>& p, std::uint64_t req = 12) {
    auto m = consult(req);
    m.mutable_consult()->mutable_ready();
    send(p, m);
  }

  void ask(const std::shared_ptr<fake_participant>& p, const std::string& text,
           std::uint64_t req = 13) {
    v1::ClientMessage m;
    m.set_req(req);
    m.mutable_question()->set_text(text);
    send(p, m);
  }

  static v1::ConsultState state_of(const std::shared_ptr<fake_participant>& p) {
    auto states = p->of_kind(v1::ServerMessage::kConsultState);
    return states.empty() ? v1::ConsultState{} : states.back().consult_state();
  }

  static v1::Error error_of(const std::shared_ptr<fake_participant>& p) {
    auto errors = p->of_kind(v1::ServerMessage::kError);
    return errors.empty() ? v1::Error{} : errors.back().error();
  }

  static const v1::RoleAssignment* role_of(const v1::ConsultState& s, const std::string& member) {
    for (const auto& r : s.roles())
      if (r.member_id() == member) return &r;
    return nullptr;
  }

  std::vector<store::item_record> items(const std::string& kind) const {
    std::vector<store::item_record> out;
    for (const auto& batch : journal_.saved)
      for (const auto& m : batch.mutations())
        if (const auto* i = std::get_if<store::item_record>(&m); i && i->kind == kind)
          out.push_back(*i);
    return out;
  }

  std::shared_ptr<fake_participant> a_, b_, c_;
};

TEST_F(RoomConsultTest, StartSendsEveryoneThePhaseRolesAndEachRolesPrompt) {
  start();
  for (const auto& p : {a_, b_, c_}) {
    auto s = state_of(p);
    EXPECT_TRUE(s.active());
    EXPECT_EQ(s.script_id(), "troika");
    EXPECT_EQ(s.status(), "running");
    EXPECT_EQ(s.presenter(), "m1");
    EXPECT_EQ(s.round(), 1u);
    EXPECT_EQ(s.round_count(), 3u);
    EXPECT_EQ(s.phase_index(), 0u);
    EXPECT_EQ(s.phases_size(), 4);
    EXPECT_EQ(s.phase_remaining_ms(), 2 * minute);
    EXPECT_EQ(s.started_by(), "m1");
    ASSERT_EQ(s.roles_size(), 3);
    EXPECT_EQ(role_of(s, "m1")->role(), "client");
    EXPECT_EQ(role_of(s, "m1")->kind(), "presenter");
    EXPECT_EQ(role_of(s, "m1")->prompt(), "Share your challenge and the kind of help you need.");
    EXPECT_EQ(role_of(s, "m2")->role(), "consultant");
    EXPECT_EQ(role_of(s, "m2")->prompt(), "Listen. No questions or advice yet.");
    EXPECT_TRUE(role_of(s, "m3")->present());
  }
  auto acks = a_->of_kind(v1::ServerMessage::kAck);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].re(), 10u);
  EXPECT_EQ(acks[0].ack().id(), state_of(a_).consult_id());
}

TEST_F(RoomConsultTest, StartIsRefusedForAnUnknownScriptOrAPresenterWhoIsNotAMember) {
  start("no-such-script");
  EXPECT_EQ(error_of(a_).code(), v1::Error::NOT_ALLOWED);
  EXPECT_NE(error_of(a_).message().find("no-such-script"), std::string::npos);
  start("troika", "m9");
  EXPECT_EQ(error_of(a_).code(), v1::Error::NOT_ALLOWED);
  EXPECT_TRUE(b_->of_kind(v1::ServerMessage::kConsultState).empty());
  EXPECT_TRUE(items("consult").empty());
}

TEST_F(RoomConsultTest, PhaseMovesOnWhenEveryPresentMemberIsReady) {
  start();
  ready(a_);
  ready(b_);
  EXPECT_EQ(state_of(c_).phase_index(), 0u);
  EXPECT_EQ(state_of(c_).ready_size(), 2);
  ready(c_);
  EXPECT_EQ(state_of(c_).phase_index(), 1u);
  EXPECT_EQ(state_of(c_).ready_size(), 0);
}

TEST_F(RoomConsultTest, ReadyIsNotEnoughWhenTheRunChoseTimeOnly) {
  start("troika", "m1", false);
  ready(a_);
  ready(b_);
  ready(c_);
  EXPECT_EQ(state_of(a_).phase_index(), 0u);
  EXPECT_FALSE(state_of(a_).advance_when_ready());
}

TEST_F(RoomConsultTest, AMemberWhoLeavesNoLongerHoldsThePhaseBack) {
  start();
  ready(a_);
  ready(b_);
  room_->detach(c_);
  journal_.complete_all();
  EXPECT_EQ(state_of(a_).phase_index(), 1u);
}

TEST_F(RoomConsultTest, TheTimerEndsAPhaseWhenItsTimeRunsOut) {
  start();
  ASSERT_TRUE(room_->next_deadline().has_value());
  EXPECT_EQ(*room_->next_deadline(), clock_.now_ms() + 2 * minute);
  clock_.advance(2 * minute);
  clear();
  room_->on_timer();
  journal_.complete_all();
  EXPECT_EQ(state_of(b_).phase_index(), 1u);
  EXPECT_EQ(state_of(b_).phase_remaining_ms(), 2 * minute);
}

TEST_F(RoomConsultTest, AdvanceExtendAndStopAreAttributed) {
  start();
  advance(b_);
  EXPECT_EQ(state_of(a_).phase_index(), 1u);
  EXPECT_EQ(state_of(a_).changed_by(), "m2");
  auto m = consult(20);
  m.mutable_consult()->mutable_extend()->set_minutes(3);
  send(c_, m);
  EXPECT_EQ(state_of(a_).changed_by(), "m3");
  EXPECT_EQ(state_of(a_).phase_remaining_ms(), 5 * minute);
  EXPECT_EQ(state_of(a_).phases(1).minutes(), 5u);
  m = consult(21);
  m.mutable_consult()->mutable_extend()->set_minutes(0);
  send(c_, m);
  EXPECT_EQ(error_of(c_).code(), v1::Error::NOT_ALLOWED);
  m = consult(22);
  m.mutable_consult()->mutable_stop();
  send(a_, m);
  EXPECT_FALSE(state_of(b_).active());
  EXPECT_EQ(state_of(b_).status(), "stopped");
  EXPECT_EQ(state_of(b_).changed_by(), "m1");
  EXPECT_FALSE(room_->next_deadline().has_value());
}

TEST_F(RoomConsultTest, PausingTheRoundStopsTheClockAndLogsAProcessNote) {
  start();
  clock_.advance(minute / 2);
  auto m = consult(30);
  m.mutable_consult()->mutable_pause()->set_reason("We keep giving advice too early");
  send(b_, m);
  auto s = state_of(a_);
  EXPECT_TRUE(s.paused());
  EXPECT_EQ(s.paused_by(), "m2");
  ASSERT_EQ(s.process_notes_size(), 1);
  EXPECT_EQ(s.process_notes(0).text(), "We keep giving advice too early");
  EXPECT_EQ(s.process_notes(0).member_id(), "m2");
  EXPECT_FALSE(room_->next_deadline().has_value());
  clock_.advance(10 * minute);
  m = consult(31);
  m.mutable_consult()->mutable_resume();
  send(c_, m);
  EXPECT_FALSE(state_of(a_).paused());
  EXPECT_EQ(state_of(a_).phase_index(), 0u);
  EXPECT_EQ(state_of(a_).phase_remaining_ms(), 2 * minute - minute / 2);
}

TEST_F(RoomConsultTest, QuestionsAreCapturedAttributedAndStored) {
  start();
  advance(a_);  // clarifying questions
  clear();
  ask(b_, "  What would success look like for you?  ");
  auto added = c_->of_kind(v1::ServerMessage::kQuestionAdded);
  ASSERT_EQ(added.size(), 1u);
  const auto& q = added[0].question_added();
  EXPECT_EQ(q.text(), "What would success look like for you?");
  EXPECT_EQ(q.author(), "m2");
  EXPECT_EQ(q.phase(), "Clarifying questions");
  EXPECT_EQ(q.consult_id(), state_of(c_).consult_id());
  ASSERT_EQ(state_of(c_).questions_size(), 1);
  auto acks = b_->of_kind(v1::ServerMessage::kAck);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].ack().id(), q.id());
  auto stored = items("question");
  ASSERT_EQ(stored.size(), 1u);
  v1::QuestionAdded parsed;
  ASSERT_TRUE(parsed.ParseFromString(stored[0].payload));
  EXPECT_EQ(parsed.text(), q.text());
  EXPECT_FALSE(items("consult").empty());
}

TEST_F(RoomConsultTest, TheClientMayNotAskQuestionsOrEditWhileTurnedAway) {
  start();
  advance(a_);
  advance(a_);  // consultants discuss
  ASSERT_TRUE(state_of(a_).presenter_turned_away());
  EXPECT_TRUE(role_of(state_of(a_), "m1")->turned_away());
  clear();
  ask(a_, "Can I add something?");
  auto e = error_of(a_);
  EXPECT_EQ(e.code(), v1::Error::NOT_ALLOWED);
  EXPECT_NE(e.message().find("Consultants discuss"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("back turned"), std::string::npos) << e.message();
  EXPECT_TRUE(b_->of_kind(v1::ServerMessage::kQuestionAdded).empty());

  v1::ClientMessage edit;
  edit.set_req(40);
  edit.mutable_edit()->set_doc("purpose");
  edit.mutable_edit()->set_edit_id("e1");
  edit.mutable_edit()->add_op()->set_insert("I disagree");
  send(a_, edit);
  EXPECT_EQ(error_of(a_).code(), v1::Error::NOT_ALLOWED);
  EXPECT_EQ(room_->model().docs[0].text.revision(), 0u);

  EXPECT_TRUE(room_->consult_may_write("m1", consult_write::note).has_value());
  EXPECT_FALSE(room_->consult_may_write("m2", consult_write::note).has_value());
}

TEST_F(RoomConsultTest, ConsultantsMayNotAskQuestionsWhileTheClientShares) {
  start();
  ask(b_, "Why?");
  EXPECT_EQ(error_of(b_).code(), v1::Error::NOT_ALLOWED);
  EXPECT_NE(error_of(b_).message().find("Client shares the challenge"), std::string::npos);
}

TEST_F(RoomConsultTest, ThePresenterRecordsTakeawaysAtTheEndOfTheirRound) {
  start();
  EXPECT_FALSE(room_->consult_takeaway("m1", "Too early").is_ok());
  advance(a_);
  advance(a_);
  advance(a_);  // client says what was useful
  clear();
  EXPECT_FALSE(room_->consult_takeaway("m2", "Not my round").is_ok());
  EXPECT_TRUE(room_->consult_takeaway("m1", "Ask the carers first").is_ok());
  journal_.complete_all();
  auto s = state_of(b_);
  ASSERT_EQ(s.takeaways_size(), 1);
  EXPECT_EQ(s.takeaways(0).member_id(), "m1");
  EXPECT_EQ(s.takeaways(0).text(), "Ask the carers first");
  EXPECT_EQ(s.takeaways(0).round(), 1u);
}

TEST_F(RoomConsultTest, TheRoundRotatesUntilEveryMemberPresentedAndCountsReflection) {
  start();
  for (int i = 0; i < 4; ++i)
    advance(b_);
  EXPECT_EQ(state_of(a_).round(), 2u);
  EXPECT_EQ(state_of(a_).presenter(), "m2");
  for (int i = 0; i < 8; ++i)
    advance(b_);
  auto s = state_of(a_);
  EXPECT_EQ(s.status(), "finished");
  EXPECT_FALSE(s.active());
  // Advanced at once: no time passed, so none counted.
  EXPECT_EQ(s.reflection_ms(), 0);
  EXPECT_EQ(room_->consult_meeting_mode(), std::nullopt);
}

TEST_F(RoomConsultTest, PhaseTimeCountsAsTheReflectionItDeclares) {
  start();
  EXPECT_EQ(room_->consult_meeting_mode(), consult_time_kind::reflection);
  clock_.advance(minute);
  advance(b_);
  EXPECT_EQ(state_of(a_).reflection_ms(), minute);
}

TEST_F(RoomConsultTest, ARunningMeetingCountsConsultTimeAsThePhaseDeclares) {
  v1::ClientMessage meeting;
  meeting.set_req(50);
  meeting.mutable_meeting()->mutable_start()->set_planned_minutes(60);
  send(a_, meeting);
  auto meetings = c_->of_kind(v1::ServerMessage::kMeetingState);
  ASSERT_FALSE(meetings.empty());
  ASSERT_EQ(meetings.back().meeting_state().mode(), v1::MeetingState::TASK);
  start();
  meetings = c_->of_kind(v1::ServerMessage::kMeetingState);
  EXPECT_EQ(meetings.back().meeting_state().mode(), v1::MeetingState::REFLECTION);
}

// An action-learning set needs four: Asha, Ben, Chidi and Dara.
class RoomConsultSetTest : public RoomTest {
 protected:
  RoomConsultSetTest() : RoomTest(4) {
    const char* names[] = {"Asha", "Ben", "Chidi", "Dara"};
    for (int i = 0; i < 4; ++i) {
      members_.push_back(connect());
      hello(members_.back(), tokens_[static_cast<std::size_t>(i)], names[i]);
    }
  }
  v1::MeetingState meeting_now() const {
    auto states = members_[2]->of_kind(v1::ServerMessage::kMeetingState);
    return states.empty() ? v1::MeetingState{} : states.back().meeting_state();
  }
  v1::ConsultState consult_now() const {
    auto states = members_[2]->of_kind(v1::ServerMessage::kConsultState);
    return states.empty() ? v1::ConsultState{} : states.back().consult_state();
  }
  void timer_after(std::int64_t ms) {
    clock_.advance(ms);
    room_->on_timer();
    journal_.complete_all();
  }
  std::vector<std::shared_ptr<fake_participant>> members_;
};

TEST_F(RoomConsultSetTest, APhaseEndedByItsTimerMovesTheMeetingAsTheRoomsOwnChange) {
  v1::ClientMessage meeting;
  meeting.set_req(50);
  meeting.mutable_meeting()->mutable_start()->set_planned_minutes(120);
  send(members_[0], meeting);
  v1::ClientMessage consult;
  consult.set_req(51);
  consult.mutable_consult()->mutable_start()->set_script_id("action-learning");
  consult.mutable_consult()->mutable_start()->set_presenter("m1");
  consult.mutable_consult()->mutable_start()->set_advance_when_ready(false);
  send(members_[1], consult);
  ASSERT_TRUE(consult_now().active());
  ASSERT_EQ(meeting_now().mode(), v1::MeetingState::REFLECTION);
  EXPECT_EQ(meeting_now().changed_by(), "m2");
  // Presentation, clarifying questions, questions that help and the summary: 40 minutes of
  // reflection, each phase ended by the timer.
  for (std::int64_t minutes : {10, 5, 20, 5})
    timer_after(minutes * minute);
  ASSERT_EQ(consult_now().phases(static_cast<int>(consult_now().phase_index())).title(), "Actions");
  // Agreeing actions counts as task: the room moved the meeting itself.
  EXPECT_EQ(meeting_now().mode(), v1::MeetingState::TASK);
  EXPECT_EQ(meeting_now().changed_by(), "colead");
  EXPECT_EQ(meeting_now().reflection_ms(), 40 * minute);
  timer_after(5 * minute);
  EXPECT_EQ(meeting_now().mode(), v1::MeetingState::REFLECTION);
  EXPECT_EQ(meeting_now().changed_by(), "colead");
  EXPECT_EQ(meeting_now().task_ms(), 5 * minute);
}

TEST_F(RoomConsultTest, AJoiningDeviceSeesTheConsultInItsWelcome) {
  start();
  auto d = connect();
  hello(d, tokens_[1], "Ben");
  auto welcomes = d->of_kind(v1::ServerMessage::kWelcome);
  ASSERT_EQ(welcomes.size(), 1u);
  const auto& consult = welcomes[0].welcome().room().consult();
  EXPECT_EQ(consult.script_id(), "troika");
  EXPECT_EQ(consult.presenter(), "m1");
}

TEST_F(RoomConsultTest, AQuestionWithoutAConsultIsNotAllowed) {
  ask(a_, "Anyone?");
  EXPECT_EQ(error_of(a_).code(), v1::Error::NOT_ALLOWED);
  EXPECT_NE(error_of(a_).message().find("No consult is running"), std::string::npos);
}

}  // namespace
}  // namespace colead::room
