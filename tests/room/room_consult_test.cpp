// Consulting in the room: starting a run, ready and timer-driven phase ends, attributed
// advance, extend, pause and stop, writing rules, questions and takeaways, what is stored, and
// what a restart does to a consult.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <functional>
#include <variant>

#include "room/consult_feature.hpp"
#include "room/documents_feature.hpp"
#include "room/room_records.hpp"
#include "room_fixture.hpp"
#include "store_journal.hpp"

namespace colead::room {
namespace {

constexpr std::int64_t minute = 60'000;

using testing::learning_record;
using testing::load;
using testing::store_journal;

// Whether two messages hold the same fields (maps in any order).
bool same(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

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

  EXPECT_TRUE(room_->consult().may_write("m1", consult_write::note).has_value());
  EXPECT_FALSE(room_->consult().may_write("m2", consult_write::note).has_value());
}

TEST_F(RoomConsultTest, ConsultantsMayNotAskQuestionsWhileTheClientShares) {
  start();
  ask(b_, "Why?");
  EXPECT_EQ(error_of(b_).code(), v1::Error::NOT_ALLOWED);
  EXPECT_NE(error_of(b_).message().find("The person presenting shares the challenge"),
            std::string::npos);
}

TEST_F(RoomConsultTest, ThePresenterRecordsTakeawaysAtTheEndOfTheirRound) {
  start();
  EXPECT_FALSE(room_->consult().takeaway("m1", "Too early").is_ok());
  advance(a_);
  advance(a_);
  advance(a_);  // client says what was useful
  clear();
  EXPECT_FALSE(room_->consult().takeaway("m2", "Not my round").is_ok());
  EXPECT_TRUE(room_->consult().takeaway("m1", "Ask the carers first").is_ok());
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
  EXPECT_EQ(room_->consult().meeting_mode(), std::nullopt);
}

TEST_F(RoomConsultTest, PhaseTimeCountsAsTheReflectionItDeclares) {
  start();
  EXPECT_EQ(room_->consult().meeting_mode(), consult_time_kind::reflection);
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
  explicit RoomConsultSetTest(unsigned seats = 4, bool facilitator_seat = false)
      : RoomTest(seats, facilitator_seat) {
    const char* names[] = {"Asha", "Ben", "Chidi", "Dara", "Eve"};
    for (unsigned i = 0; i < seats; ++i) {
      members_.push_back(connect());
      hello(members_.back(), tokens_[i], names[i]);
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

// An action-learning set of four with its facilitator, Eve, in the facilitator seat (seat 5).
class RoomFacilitatorSeatTest : public RoomConsultSetTest {
 protected:
  RoomFacilitatorSeatTest() : RoomConsultSetTest(5, true) {}
  const std::shared_ptr<fake_participant>& eve() const { return members_[4]; }

  void command(const std::shared_ptr<fake_participant>& p,
               const std::function<void(v1::ConsultCommand&)>& fill, std::uint64_t req = 60) {
    v1::ClientMessage m;
    m.set_req(req);
    fill(*m.mutable_consult());
    send(p, m);
  }
  void start_set(const std::string& facilitator = {}, const std::string& presenter = "m1") {
    command(members_[0], [&](v1::ConsultCommand& c) {
      c.mutable_start()->set_script_id("action-learning");
      c.mutable_start()->set_presenter(presenter);
      c.mutable_start()->set_facilitator(facilitator);
      c.mutable_start()->set_advance_when_ready(false);
    });
  }
  v1::Error error_of(const std::shared_ptr<fake_participant>& p) const {
    auto errors = p->of_kind(v1::ServerMessage::kError);
    return errors.empty() ? v1::Error{} : errors.back().error();
  }
};

TEST_F(RoomFacilitatorSeatTest, EveryoneSeesWhoHoldsTheFacilitatorSeat) {
  auto presence = members_[0]->of_kind(v1::ServerMessage::kPresence);
  ASSERT_FALSE(presence.empty());
  const auto& members = presence.back().presence().members();
  ASSERT_EQ(members.size(), 5);
  for (const auto& m : members)
    EXPECT_EQ(m.facilitator(), m.member_id() == "m5") << m.member_id();
  auto welcome = eve()->of_kind(v1::ServerMessage::kWelcome);
  ASSERT_EQ(welcome.size(), 1u);
  EXPECT_TRUE(welcome[0].welcome().room().members(4).facilitator());
}

TEST_F(RoomFacilitatorSeatTest, TheSeatsMemberFacilitatesTheRoundAndNeverPresents) {
  start_set();
  auto st = consult_now();
  ASSERT_TRUE(st.active());
  EXPECT_EQ(st.facilitator(), "m5");
  EXPECT_TRUE(st.facilitator_keeps_time());
  EXPECT_EQ(st.round_count(), 4u);  // the four set members present; Eve never does
  // Naming another facilitator, or the facilitator as presenter, is refused.
  command(members_[0], [](v1::ConsultCommand& c) { c.mutable_stop(); });
  EXPECT_EQ(error_of(members_[0]).code(), v1::Error::NOT_ALLOWED);
  command(eve(), [](v1::ConsultCommand& c) { c.mutable_stop(); });
  ASSERT_EQ(consult_now().status(), "stopped");
  members_[0]->clear();
  start_set("m2");
  EXPECT_EQ(error_of(members_[0]).message(),
            "this set's facilitator is the member in the facilitator seat (m5): start without "
            "naming another");
  start_set({}, "m5");
  EXPECT_EQ(error_of(members_[0]).message(),
            "The facilitator never presents: choose another member to present first.");
  EXPECT_EQ(consult_now().status(), "stopped");
}

TEST_F(RoomFacilitatorSeatTest, TheFacilitatorKeepsTimeAndAnyMemberMayStopTheSet) {
  start_set();
  command(members_[1], [](v1::ConsultCommand& c) { c.mutable_advance(); });
  EXPECT_EQ(error_of(members_[1]).code(), v1::Error::NOT_ALLOWED);
  EXPECT_EQ(error_of(members_[1]).message(), "'m5' keeps time in this set: ask them to move on.");
  EXPECT_EQ(consult_now().phase_index(), 0u);
  command(members_[2], [](v1::ConsultCommand& c) { c.mutable_pause()->set_reason("advice"); });
  EXPECT_TRUE(consult_now().paused());
  command(members_[2], [](v1::ConsultCommand& c) { c.mutable_resume(); });
  EXPECT_TRUE(consult_now().paused());
  command(eve(), [](v1::ConsultCommand& c) { c.mutable_resume(); });
  command(eve(), [](v1::ConsultCommand& c) { c.mutable_advance(); });
  EXPECT_EQ(consult_now().phase_index(), 1u);
  EXPECT_EQ(consult_now().changed_by(), "m5");

  // With the facilitator gone, the set keeps its own time.
  room_->detach(eve());
  journal_.complete_all();
  command(members_[1], [](v1::ConsultCommand& c) { c.mutable_advance(); });
  EXPECT_EQ(consult_now().phase_index(), 2u);
  EXPECT_EQ(consult_now().changed_by(), "m2");
}

TEST_F(RoomFacilitatorSeatTest, TheFacilitatorSeatOutlivesAReload) {
  const auto& model = room_->model();
  store::room_image image;
  image.room = room_record_of(model, 0);
  for (const auto& seat : model.seats)
    image.seats.push_back(seat_record_of(model.id, seat));
  room_model loaded;
  std::string why;
  ASSERT_TRUE(model_from_image(image, {}, loaded, why)) << why;
  EXPECT_EQ(loaded.facilitator_seat, 5u);
  EXPECT_EQ(facilitator_member(loaded), "m5");
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

// A trio's room in an in-memory store, and restarts of the server: the room is dropped with
// its devices and loaded again from what the store holds.
class RoomConsultRestart : public ::testing::Test {
 protected:
  static constexpr const char* restart_reason = "the server restarted during this consult";

  RoomConsultRestart() : journal_(store_) {
    auto made = make_room("Trio", 3, clock_);
    id_ = made.model.id;
    tokens_ = made.tokens;
    const store::status created =
        store_.submit(creation_batch(made.model, clock_.wall_ms()), [](store::status) {});
    EXPECT_TRUE(created) << created.message();
    journal_.commit_all();
    room_ = std::make_unique<room>(std::move(made.model), clock_, journal_, room_options{});
    for (std::size_t seat = 0; seat < 3; ++seat)
      members_.push_back(join(seat));
  }

  // Connects a device with the token of seat `seat` (0-based) and says hello.
  std::shared_ptr<fake_participant> join(std::size_t seat) {
    auto p = std::make_shared<fake_participant>();
    room_->attach(p);
    v1::ClientMessage m;
    m.set_req(1);
    m.mutable_hello()->set_token(tokens_[seat]);
    m.mutable_hello()->set_name("Member " + std::to_string(seat + 1));
    send(p, m);
    return p;
  }

  // Runs `message` through the room and makes every write durable.
  void send(const std::shared_ptr<fake_participant>& p, const v1::ClientMessage& message) {
    room_->handle(p, message);
    journal_.commit_all();
  }

  void consult(std::size_t member, const std::function<void(v1::ConsultCommand&)>& fill) {
    v1::ClientMessage m;
    m.set_req(++req_);
    fill(*m.mutable_consult());
    send(members_[member], m);
  }

  void start(bool when_ready = false) {
    consult(0, [&](v1::ConsultCommand& c) {
      c.mutable_start()->set_script_id("troika");
      c.mutable_start()->set_presenter("m1");
      c.mutable_start()->set_advance_when_ready(when_ready);
    });
  }

  void advance(std::size_t member = 1) {
    consult(member, [](v1::ConsultCommand& c) { c.mutable_advance(); });
  }

  // The last error the device received, or an empty one.
  static v1::Error error_of(const std::shared_ptr<fake_participant>& p) {
    auto errors = p->of_kind(v1::ServerMessage::kError);
    return errors.empty() ? v1::Error{} : errors.back().error();
  }

  // The consult state a device last received, or an empty one.
  static v1::ConsultState state_of(const std::shared_ptr<fake_participant>& p) {
    auto states = p->of_kind(v1::ServerMessage::kConsultState);
    return states.empty() ? v1::ConsultState{} : states.back().consult_state();
  }

  // The server stops (the room and its devices are dropped) and starts again: the room is
  // loaded from the store and writes back what loading changed, as the server does first.
  void restart(std::int64_t after_ms = 0) {
    members_.clear();
    room_.reset();
    clock_.advance(after_ms);
    room_ = load(store_, id_, clock_, journal_);
    room_->save_restored_items();
    journal_.commit_all();
  }

  // The welcome of a device of seat `seat` joining now.
  v1::RoomSnapshot welcome_of(std::size_t seat) {
    auto p = join(seat);
    auto welcomes = p->of_kind(v1::ServerMessage::kWelcome);
    EXPECT_EQ(welcomes.size(), 1u);
    members_.push_back(p);
    return welcomes.empty() ? v1::RoomSnapshot{} : welcomes[0].welcome().room();
  }

  // Every stored version of the consult item `consult_id`, oldest first.
  std::vector<store::item_record> history(const std::string& consult_id) {
    auto versions = store_.item_history(id_, "consult", consult_id);
    EXPECT_TRUE(versions) << versions.error().message();
    return versions ? versions.value() : std::vector<store::item_record>{};
  }

  manual_clock clock_;
  store::memory_store store_;
  store_journal journal_;
  std::string id_;
  std::vector<std::string> tokens_;
  std::unique_ptr<room> room_;
  std::vector<std::shared_ptr<fake_participant>> members_;
  std::uint64_t req_ = 10;
};

TEST_F(RoomConsultRestart, ARunningConsultIsStoppedWithItsReasonAndKeepsItsRecord) {
  // Round 1: Ben asks a question, Asha records a takeaway; round 2 runs (paused by Chidi) when
  // the server stops.
  start();
  clock_.advance(minute);
  advance();  // clarifying questions
  v1::ClientMessage question;
  question.set_req(30);
  question.mutable_question()->set_text("What have you tried already?");
  send(members_[1], question);
  advance();
  advance();  // the person presenting says what was useful
  v1::ClientMessage takeaway;
  takeaway.set_req(31);
  takeaway.mutable_note()->set_takeaway(true);
  takeaway.mutable_note()->set_text("Ask the carers first");
  send(members_[0], takeaway);
  advance();  // round 2: Ben presents
  clock_.advance(minute / 2);
  consult(2, [](v1::ConsultCommand& c) { c.mutable_pause()->set_reason("Too much advice"); });
  const auto before = state_of(members_[0]);
  ASSERT_TRUE(before.active());
  ASSERT_TRUE(before.paused());
  ASSERT_EQ(before.round(), 2u);
  const auto stored = history(before.consult_id());
  ASSERT_FALSE(stored.empty());

  restart(10 * minute);

  // Written back: a newer version of the consult's item, stopped by the room.
  const auto versions = history(before.consult_id());
  ASSERT_EQ(versions.size(), stored.size() + 1);
  EXPECT_EQ(versions.back().version, stored.back().version + 1);
  v1::ConsultState written;
  ASSERT_TRUE(written.ParseFromString(versions.back().payload));
  EXPECT_FALSE(written.active());
  EXPECT_EQ(written.status(), "stopped");
  EXPECT_EQ(written.stopped_reason(), restart_reason);

  // Every member sees it in the welcome, stopped at its last stored figures, with what it
  // captured.
  const auto snap = welcome_of(0);
  ASSERT_TRUE(snap.has_consult());
  const auto& s = snap.consult();
  EXPECT_EQ(s.consult_id(), before.consult_id());
  EXPECT_FALSE(s.active());
  EXPECT_EQ(s.status(), "stopped");
  EXPECT_EQ(s.changed_by(), "colead");
  EXPECT_EQ(s.stopped_reason(), restart_reason);
  EXPECT_FALSE(s.paused());
  EXPECT_TRUE(s.paused_by().empty());
  EXPECT_EQ(s.phase_remaining_ms(), 0);
  EXPECT_EQ(s.round(), 2u);
  EXPECT_EQ(s.presenter(), "m2");
  EXPECT_EQ(s.server_time_ms(), before.server_time_ms());
  EXPECT_EQ(s.reflection_ms(), before.reflection_ms());
  EXPECT_EQ(s.task_ms(), before.task_ms());
  EXPECT_EQ(s.started_by(), "m1");
  ASSERT_EQ(s.roles_size(), 3);
  for (const auto& r : s.roles()) {
    EXPECT_FALSE(r.may_ask_questions()) << r.member_id();
    EXPECT_FALSE(r.turned_away()) << r.member_id();
  }
  ASSERT_EQ(s.questions_size(), 1);
  EXPECT_EQ(s.questions(0).text(), "What have you tried already?");
  EXPECT_EQ(s.questions(0).author(), "m2");
  ASSERT_EQ(s.takeaways_size(), 1);
  EXPECT_EQ(s.takeaways(0).text(), "Ask the carers first");
  ASSERT_EQ(s.process_notes_size(), 1);
  EXPECT_EQ(s.process_notes(0).text(), "Too much advice");
  EXPECT_TRUE(same(written, s));
  EXPECT_EQ(learning_record(store_, id_, clock_).questions_size(), 1);

  // Nothing of the stopped run goes on: no timer, no questions, no more takeaways.
  EXPECT_FALSE(room_->next_deadline().has_value());
  EXPECT_EQ(room_->consult().meeting_mode(), std::nullopt);
  send(members_[0], question);
  EXPECT_EQ(error_of(members_[0]).code(), v1::Error::NOT_ALLOWED);
  send(members_[0], takeaway);
  EXPECT_EQ(error_of(members_[0]).code(), v1::Error::NOT_ALLOWED);
  EXPECT_NE(error_of(members_[0]).message().find("restarted"), std::string::npos)
      << error_of(members_[0]).message();
  EXPECT_EQ(history(before.consult_id()).size(), versions.size());

  // A later start of the server shows the same run and writes nothing more.
  restart(minute);
  EXPECT_EQ(history(before.consult_id()).size(), versions.size());
  EXPECT_TRUE(same(welcome_of(2).consult(), s));
}

TEST_F(RoomConsultRestart, AFinishedConsultIsRestoredAsItWasAndNotWrittenAgain) {
  start();
  for (int i = 0; i < 12; ++i)
    advance(static_cast<std::size_t>(i % 3));
  const auto before = state_of(members_[1]);
  ASSERT_EQ(before.status(), "finished");
  const auto stored = history(before.consult_id());

  restart(5 * minute);
  EXPECT_EQ(history(before.consult_id()).size(), stored.size());
  const auto snap = welcome_of(0);
  ASSERT_TRUE(snap.has_consult());
  EXPECT_TRUE(same(snap.consult(), before));
  EXPECT_EQ(snap.consult().status(), "finished");
  EXPECT_TRUE(snap.consult().stopped_reason().empty());
}

TEST_F(RoomConsultRestart, AMemberStoppedConsultIsRestoredAsItWas) {
  start();
  advance();
  consult(2, [](v1::ConsultCommand& c) { c.mutable_stop(); });
  const auto before = state_of(members_[0]);
  ASSERT_EQ(before.status(), "stopped");
  const auto stored = history(before.consult_id());

  restart(minute);
  EXPECT_EQ(history(before.consult_id()).size(), stored.size());
  const auto snap = welcome_of(0);
  EXPECT_EQ(snap.consult().changed_by(), "m3");
  EXPECT_TRUE(snap.consult().stopped_reason().empty());
  EXPECT_TRUE(same(snap.consult(), before));
}

TEST_F(RoomConsultRestart, ANewConsultStartsAfterARestartAndReplacesTheRestoredOne) {
  start();
  const auto first = state_of(members_[0]);
  restart(minute);
  for (std::size_t seat = 0; seat < 3; ++seat)
    members_.push_back(join(seat));
  ASSERT_EQ(
      members_[0]->of_kind(v1::ServerMessage::kWelcome)[0].welcome().room().consult().status(),
      "stopped");

  start();
  const auto second = state_of(members_[1]);
  EXPECT_TRUE(second.active());
  EXPECT_EQ(second.status(), "running");
  EXPECT_NE(second.consult_id(), first.consult_id());
  EXPECT_TRUE(second.stopped_reason().empty());
  EXPECT_EQ(second.questions_size(), 0);
  EXPECT_TRUE(room_->next_deadline().has_value());
  // The new run is stored from its first version; the restored one keeps its history.
  const auto versions = history(second.consult_id());
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].version, 1u);
  EXPECT_EQ(history(first.consult_id()).size(), 2u);

  const auto snap = welcome_of(2);
  EXPECT_EQ(snap.consult().consult_id(), second.consult_id());
  EXPECT_TRUE(snap.consult().active());
}

TEST(RoomConsultRestartItems, TheRunChangedLastIsRestoredWhateverTheOrderOfItsItems) {
  manual_clock clock;
  test_journal journal;
  auto made = make_room("Trio", 3, clock);
  room_model model = std::move(made.model);
  v1::ConsultState later;
  later.set_consult_id("c-later");
  later.set_active(true);
  later.set_status("running");
  later.set_server_time_ms(clock.wall_ms() - minute);
  v1::ConsultState earlier;
  earlier.set_consult_id("c-earlier");
  earlier.set_status("finished");
  earlier.set_server_time_ms(clock.wall_ms() - 60 * minute);
  model.items.push_back(store::item_record{model.id, "consult", "c-later", 7, clock.wall_ms(),
                                           later.SerializeAsString()});
  model.items.push_back(store::item_record{model.id, "consult", "c-earlier", 3, clock.wall_ms(),
                                           earlier.SerializeAsString()});
  room r(std::move(model), clock, journal, room_options{});
  r.save_restored_items();
  EXPECT_EQ(r.consult().id(), "c-later");
  ASSERT_EQ(journal.saved.size(), 1u);
  const auto& mutations = journal.saved[0].mutations();
  ASSERT_EQ(mutations.size(), 1u);
  const auto* item = std::get_if<store::item_record>(&mutations[0]);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->item_id, "c-later");
  EXPECT_EQ(item->version, 8u);
  v1::ConsultState stopped;
  ASSERT_TRUE(stopped.ParseFromString(item->payload));
  EXPECT_EQ(stopped.status(), "stopped");
  EXPECT_EQ(stopped.server_time_ms(), later.server_time_ms());

  // A failed write-back breaks the room like any other failed write.
  journal.complete_all(store::status::io_error("disk full"));
  EXPECT_TRUE(r.state().broken);
}

}  // namespace
}  // namespace colead::room
