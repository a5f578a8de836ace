// The room's meeting, nudges, prompts, learning log and settings, on a manual clock.
#include <gtest/gtest.h>

#include <ctime>
#include <map>

#include "room/room_records.hpp"
#include "room_fixture.hpp"
#include "store_journal.hpp"

namespace colead::room {
namespace {

constexpr std::int64_t minute = 60'000;

class RoomMeeting : public RoomTest {
 protected:
  void SetUp() override {
    a_ = connect();
    b_ = connect();
    hello(a_, tokens_[0], "Ana");
    hello(b_, tokens_[1], "Ben");
    a_->clear();
    b_->clear();
  }

  v1::ClientMessage meeting(std::uint64_t req) {
    v1::ClientMessage m;
    m.set_req(req);
    m.mutable_meeting();
    return m;
  }

  void start(unsigned minutes, unsigned pct = 0, bool end_on_time = false) {
    auto m = meeting(10);
    m.mutable_meeting()->mutable_start()->set_planned_minutes(minutes);
    m.mutable_meeting()->mutable_start()->set_reflection_target_pct(pct);
    m.mutable_meeting()->mutable_start()->set_title("Monthly check-in");
    m.mutable_meeting()->mutable_start()->set_end_on_time(end_on_time);
    send(a_, m);
  }

  void auto_reflect() {
    v1::ClientMessage s;
    s.set_req(5);
    s.mutable_room()->mutable_settings()->set_auto_reflect(v1::RoomCommand::AUTO_ON);
    send(a_, s);
  }

  void switch_to(const std::shared_ptr<fake_participant>& p, v1::MeetingState::Mode mode) {
    auto m = meeting(11);
    m.mutable_meeting()->mutable_mode()->set_mode(mode);
    send(p, m);
  }

  void end(const std::shared_ptr<fake_participant>& p, const std::string& reason = {}) {
    auto m = meeting(12);
    m.mutable_meeting()->mutable_end()->set_reason(reason);
    send(p, m);
  }

  // Moves time and runs the room's timer whenever it asked for it.
  void run_for(std::int64_t ms) {
    const auto until = clock_.now_ms() + ms;
    while (true) {
      auto due = room_->next_deadline();
      if (!due || *due > until) break;
      clock_.advance(std::max<std::int64_t>(0, *due - clock_.now_ms()));
      room_->on_timer();
      journal_.complete_all();
    }
    clock_.advance(until - clock_.now_ms());
  }

  v1::MeetingState last_state(const std::shared_ptr<fake_participant>& p) {
    auto all = p->of_kind(v1::ServerMessage::kMeetingState);
    return all.empty() ? v1::MeetingState{} : all.back().meeting_state();
  }

  v1::Error last_error(const std::shared_ptr<fake_participant>& p) {
    auto all = p->of_kind(v1::ServerMessage::kError);
    return all.empty() ? v1::Error{} : all.back().error();
  }

  std::vector<v1::Nudge::Kind> nudges(const std::shared_ptr<fake_participant>& p) {
    std::vector<v1::Nudge::Kind> out;
    for (const auto& m : p->of_kind(v1::ServerMessage::kNudge))
      out.push_back(m.nudge().kind());
    return out;
  }

  v1::ClientMessage note(std::uint64_t req, const std::string& text,
                         v1::LearningNote::Category category = v1::LearningNote::RELATIONSHIP) {
    v1::ClientMessage m;
    m.set_req(req);
    m.mutable_note()->set_text(text);
    m.mutable_note()->set_category(category);
    return m;
  }

  std::shared_ptr<fake_participant> a_;
  std::shared_ptr<fake_participant> b_;
};

TEST_F(RoomMeeting, StartIsPushedToEveryMemberWithTheRoomDefaultTarget) {
  start(60);
  auto state = last_state(b_);
  EXPECT_EQ(state.mode(), v1::MeetingState::TASK);
  EXPECT_EQ(state.target_pct(), 40u);
  EXPECT_EQ(state.planned_ms(), 60 * minute);
  EXPECT_EQ(state.remaining_ms(), 60 * minute);
  EXPECT_EQ(state.changed_by(), "m1");
  EXPECT_EQ(state.title(), "Monthly check-in");
  EXPECT_EQ(state.server_time_ms(), clock_.wall_ms());
  EXPECT_EQ(state.reflect_by_in_ms(), 36 * minute);
  EXPECT_FALSE(state.meeting_id().empty());
  EXPECT_EQ(a_->of_kind(v1::ServerMessage::kAck).size(), 1u);
}

TEST_F(RoomMeeting, AMeetingWithoutATitleIsNamedByItsNumberAndDay) {
  for (int n = 1; n <= 2; ++n) {
    auto m = meeting(10);
    m.mutable_meeting()->mutable_start()->set_planned_minutes(30);
    send(a_, m);
    const auto started = last_state(b_);
    const std::time_t secs = static_cast<std::time_t>(started.started_at_ms() / 1000);
    std::tm local{};
    localtime_r(&secs, &local);
    char day[32];
    std::strftime(day, sizeof day, "%B", &local);
    EXPECT_EQ(started.title(),
              "Meeting " + std::to_string(n) + ", " + std::to_string(local.tm_mday) + " " + day);
    clock_.advance(6 * minute);
    switch_to(a_, v1::MeetingState::REFLECTION);
    clock_.advance(4 * minute - 1);
    end(b_);
    const auto ended = last_state(a_);
    ASSERT_TRUE(ended.has_summary());
    EXPECT_EQ(ended.summary().title(), started.title());
    // 4 minutes less a millisecond of 10: 39.99...%, shown as 39%.
    EXPECT_EQ(ended.summary().share_pct(), 39u);
    clock_.advance(24 * 60 * minute);
  }
}

TEST_F(RoomMeeting, ExactFortyPerCentIsMetAndTheSummaryHasNotesAndPurpose) {
  start(60);
  clock_.advance(10 * minute);
  send(b_, note(20, "We listen better when we take turns"));
  clock_.advance(26 * minute);
  switch_to(b_, v1::MeetingState::REFLECTION);
  EXPECT_EQ(last_state(a_).changed_by(), "m2");
  clock_.advance(24 * minute);
  end(a_);
  auto state = last_state(b_);
  ASSERT_EQ(state.mode(), v1::MeetingState::ENDED);
  ASSERT_TRUE(state.has_summary());
  EXPECT_EQ(state.summary().task_ms(), 36 * minute);
  EXPECT_EQ(state.summary().reflection_ms(), 24 * minute);
  EXPECT_DOUBLE_EQ(state.summary().share(), 0.4);
  EXPECT_TRUE(state.summary().met());
  EXPECT_EQ(state.summary().ended_by(), "m1");
  ASSERT_EQ(state.summary().notes_size(), 1);
  EXPECT_EQ(state.summary().notes(0).text(), "We listen better when we take turns");
  EXPECT_EQ(state.summary().purpose().id(), "purpose");
  ASSERT_EQ(state.summary().timeline_size(), 2);
  EXPECT_EQ(state.summary().timeline(1).from_ms(), 36 * minute);
  EXPECT_EQ(state.summary().timeline(1).by(), "m2");
}

TEST_F(RoomMeeting, EndingBelowTargetRecordsTheReason) {
  start(60);
  clock_.advance(50 * minute);
  end(b_, "An urgent call");
  auto summary = last_state(a_).summary();
  EXPECT_FALSE(summary.met());
  EXPECT_EQ(summary.reason(), "An urgent call");
  EXPECT_EQ(last_state(a_).status(), v1::MeetingState::MISSED);
}

TEST_F(RoomMeeting, NudgesArriveInOrderWithTheTimeOfDay) {
  start(60);
  run_for(60 * minute);
  EXPECT_EQ(nudges(a_), (std::vector<v1::Nudge::Kind>{
                            v1::Nudge::REFLECT_SOON, v1::Nudge::REFLECT_NOW, v1::Nudge::END_SOON}));
  auto first = a_->of_kind(v1::ServerMessage::kNudge).front().nudge();
  EXPECT_NE(first.message().find(':'), std::string::npos);
  EXPECT_NE(first.message().find("40%"), std::string::npos) << first.message();
  EXPECT_EQ(nudges(b_), nudges(a_));
}

TEST_F(RoomMeeting, AutoReflectSwitchesAtTheLatestMomentAttributedToTheRoom) {
  v1::ClientMessage s;
  s.set_req(5);
  s.mutable_room()->mutable_settings()->set_auto_reflect(v1::RoomCommand::AUTO_ON);
  send(a_, s);
  ASSERT_EQ(b_->of_kind(v1::ServerMessage::kRoomChanged).size(), 1u);
  EXPECT_TRUE(
      b_->of_kind(v1::ServerMessage::kRoomChanged)[0].room_changed().settings().auto_reflect());
  start(60);
  run_for(36 * minute);
  auto state = last_state(b_);
  EXPECT_EQ(state.mode(), v1::MeetingState::REFLECTION);
  EXPECT_EQ(state.changed_by(), "colead");
  EXPECT_EQ(state.task_ms(), 36 * minute);
  ASSERT_TRUE(state.has_prompt());
  EXPECT_EQ(state.prompt().text(), "What role am I in now?");
  run_for(24 * minute);
  end(a_);
  EXPECT_TRUE(last_state(a_).summary().met());
  auto kinds = nudges(a_);
  ASSERT_GE(kinds.size(), 2u);
  EXPECT_EQ(kinds[1], v1::Nudge::AUTO_REFLECTION);
}

TEST_F(RoomMeeting, EndOnTimeEndsByItselfAndStoresAndBroadcastsTheSummary) {
  start(60, 0, true);
  EXPECT_TRUE(last_state(b_).end_on_time());
  const auto started_wall = last_state(b_).started_at_ms();
  run_for(60 * minute);
  for (const auto& p : {a_, b_}) {
    auto state = last_state(p);
    ASSERT_EQ(state.mode(), v1::MeetingState::ENDED);
    EXPECT_EQ(state.changed_by(), "colead");
    EXPECT_TRUE(state.end_on_time());
    ASSERT_TRUE(state.has_summary());
    EXPECT_EQ(state.summary().ended_by(), "colead");
    EXPECT_EQ(state.summary().reason(), "");
    EXPECT_EQ(state.summary().task_ms(), 60 * minute);
    EXPECT_EQ(state.summary().ended_at_ms() - started_wall, 60 * minute);
  }
  EXPECT_EQ(nudges(a_), (std::vector<v1::Nudge::Kind>{
                            v1::Nudge::REFLECT_SOON, v1::Nudge::REFLECT_NOW, v1::Nudge::END_SOON}));
  auto end_soon = a_->of_kind(v1::ServerMessage::kNudge).back().nudge();
  EXPECT_NE(end_soon.message().find("ends by itself at"), std::string::npos) << end_soon.message();

  // Stored with its summary, like a member's end.
  const store::item_record* stored = nullptr;
  for (const auto& batch : journal_.saved)
    for (const auto& mutation : batch.mutations())
      if (auto* item = std::get_if<store::item_record>(&mutation))
        if (item->kind == "meeting") stored = item;
  ASSERT_NE(stored, nullptr);
  v1::MeetingState kept;
  ASSERT_TRUE(kept.ParseFromString(stored->payload));
  EXPECT_EQ(kept.summary().ended_by(), "colead");
  EXPECT_TRUE(kept.end_on_time());

  // Among the past meetings of whoever joins next.
  auto c = connect();
  hello(c, tokens_[1], "Ben");
  auto welcome = c->of_kind(v1::ServerMessage::kWelcome);
  ASSERT_EQ(welcome.size(), 1u);
  const auto& snap = welcome[0].welcome().room();
  ASSERT_EQ(snap.past_meetings_size(), 1);
  EXPECT_EQ(snap.past_meetings(0).ended_by(), "colead");
  EXPECT_EQ(snap.meeting().mode(), v1::MeetingState::ENDED);
}

TEST_F(RoomMeeting, EndOnTimeWithAutoReflectIsExactlyFortyPerCent) {
  auto_reflect();
  start(60, 40, true);
  run_for(61 * minute);
  auto summary = last_state(b_).summary();
  EXPECT_EQ(summary.task_ms(), 36 * minute);
  EXPECT_EQ(summary.reflection_ms(), 24 * minute);
  EXPECT_EQ(summary.paused_ms(), 0);
  EXPECT_DOUBLE_EQ(summary.share(), 0.4);
  EXPECT_TRUE(summary.met());
  EXPECT_EQ(summary.ended_by(), "colead");
  ASSERT_EQ(summary.timeline_size(), 2);
  EXPECT_EQ(summary.timeline(1).from_ms(), 36 * minute);
  EXPECT_EQ(summary.timeline(1).to_ms(), 60 * minute);
  EXPECT_EQ(summary.timeline(1).by(), "colead");
  EXPECT_EQ(nudges(b_),
            (std::vector<v1::Nudge::Kind>{v1::Nudge::REFLECT_SOON, v1::Nudge::AUTO_REFLECTION,
                                          v1::Nudge::END_SOON}));
}

TEST_F(RoomMeeting, ACommandAfterThePlannedEndIsRefusedBecauseTheMeetingHasEnded) {
  start(60, 0, true);
  clock_.advance(36 * minute);
  switch_to(b_, v1::MeetingState::REFLECTION);
  // The room's timer has not fired yet when Ben's command arrives, 5 s after the end.
  clock_.advance(24 * minute + 5'000);
  switch_to(b_, v1::MeetingState::TASK);
  EXPECT_EQ(last_error(b_).code(), v1::Error::NOT_ALLOWED);
  EXPECT_EQ(last_error(b_).message(), "This meeting has ended; start a new meeting to carry on.");
  auto state = last_state(a_);
  ASSERT_EQ(state.mode(), v1::MeetingState::ENDED);
  EXPECT_EQ(state.summary().task_ms(), 36 * minute);
  EXPECT_EQ(state.summary().reflection_ms(), 24 * minute);
  EXPECT_TRUE(state.summary().met());
  EXPECT_EQ(state.summary().ended_by(), "colead");
  // A note written now belongs to no meeting.
  send(a_, note(90, "After the meeting"));
  auto added = b_->of_kind(v1::ServerMessage::kNoteAdded);
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].note_added().note().meeting_id(), "");
}

TEST_F(RoomMeeting, WithoutEndOnTimeTheMeetingRunsOverUntilAMemberEndsIt) {
  start(60);
  EXPECT_FALSE(last_state(b_).end_on_time());
  run_for(70 * minute);
  EXPECT_EQ(last_state(b_).mode(), v1::MeetingState::TASK);
  end(b_, "We ran over");
  auto summary = last_state(a_).summary();
  EXPECT_EQ(summary.task_ms(), 70 * minute);
  EXPECT_EQ(summary.ended_by(), "m2");
  EXPECT_EQ(summary.reason(), "We ran over");
}

TEST_F(RoomMeeting, PromptsMoveOneAtATimeAndStopAtTheLast) {
  start(60);
  switch_to(a_, v1::MeetingState::REFLECTION);
  auto m = meeting(30);
  m.mutable_meeting()->mutable_prompt()->set_step(1);
  send(b_, m);
  auto state = last_state(a_);
  EXPECT_EQ(state.prompt().index(), 1u);
  EXPECT_EQ(state.prompt().text(), "What role am I in in this context?");
  send(b_, m);
  send(b_, m);
  EXPECT_EQ(last_error(b_).code(), v1::Error::NOT_ALLOWED);
  EXPECT_EQ(last_state(a_).prompt().index(), 2u);
}

TEST_F(RoomMeeting, PauseCountsAsNeitherAndCommandsOutOfStateAreRefused) {
  start(60);
  clock_.advance(5 * minute);
  send(a_, [&] {
    auto m = meeting(40);
    m.mutable_meeting()->mutable_pause();
    return m;
  }());
  clock_.advance(10 * minute);
  send(b_, [&] {
    auto m = meeting(41);
    m.mutable_meeting()->mutable_resume();
    return m;
  }());
  auto state = last_state(a_);
  EXPECT_EQ(state.mode(), v1::MeetingState::TASK);
  EXPECT_EQ(state.paused_ms(), 10 * minute);
  EXPECT_EQ(state.task_ms(), 5 * minute);
  start(30);
  EXPECT_EQ(last_error(a_).code(), v1::Error::NOT_ALLOWED);
}

TEST_F(RoomMeeting, NotesAreEditedAndRemovedOnlyByTheirAuthorWithHistoryKept) {
  start(60);
  send(a_, note(50, "First thought"));
  auto added = b_->of_kind(v1::ServerMessage::kNoteAdded);
  ASSERT_EQ(added.size(), 1u);
  const auto id = added[0].note_added().note().id();
  EXPECT_EQ(added[0].note_added().note().author(), "m1");
  EXPECT_EQ(added[0].note_added().note().meeting_id(), last_state(a_).meeting_id());

  auto edit = note(51, "Better thought", v1::LearningNote::LOCAL_SYSTEM);
  edit.mutable_note()->set_note_id(id);
  send(b_, edit);
  EXPECT_EQ(last_error(b_).code(), v1::Error::NOT_ALLOWED);
  send(a_, edit);
  auto updated = b_->of_kind(v1::ServerMessage::kNoteUpdated);
  ASSERT_EQ(updated.size(), 1u);
  EXPECT_EQ(updated[0].note_updated().note().text(), "Better thought");
  EXPECT_EQ(updated[0].note_updated().note().version(), 1u);

  v1::ClientMessage remove;
  remove.set_req(52);
  remove.mutable_note()->set_note_id(id);
  remove.mutable_note()->set_remove(true);
  send(a_, remove);
  updated = b_->of_kind(v1::ServerMessage::kNoteUpdated);
  ASSERT_EQ(updated.size(), 2u);
  EXPECT_TRUE(updated[1].note_updated().note().removed());

  // Every version went to the store as a newer version of the same item.
  std::vector<std::uint64_t> versions;
  for (const auto& batch : journal_.saved)
    for (const auto& mutation : batch.mutations())
      if (auto* item = std::get_if<store::item_record>(&mutation))
        if (item->kind == "note") versions.push_back(item->version);
  EXPECT_EQ(versions, (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST_F(RoomMeeting, PersonalNotesReachOnlyTheirAuthor) {
  auto m = note(60, "Just for me");
  m.mutable_note()->set_personal(true);
  send(a_, m);
  EXPECT_EQ(a_->of_kind(v1::ServerMessage::kNoteAdded).size(), 1u);
  EXPECT_TRUE(b_->of_kind(v1::ServerMessage::kNoteAdded).empty());
}

TEST_F(RoomMeeting, EmptyAndOversizedNotesAreRefused) {
  send(a_, note(61, "   "));
  EXPECT_EQ(last_error(a_).code(), v1::Error::NOT_ALLOWED);
  send(a_, note(62, std::string(4001, 'x')));
  EXPECT_EQ(last_error(a_).code(), v1::Error::TOO_LARGE);
  EXPECT_TRUE(b_->of_kind(v1::ServerMessage::kNoteAdded).empty());
}

// A room whose learning log may hold 10,000 bytes of notes.
class RoomLearningLogLimit : public RoomMeeting {
 protected:
  void SetUp() override {
    limits_.max_log_bytes = 10'000;
    auto made = make_room("Small log", 2, clock_);
    tokens_ = made.tokens;
    room_ = std::make_unique<room>(std::move(made.model), clock_, journal_, options());
    RoomMeeting::SetUp();
  }
};

TEST_F(RoomLearningLogLimit, NotesBeyondTheLogLimitAreRefusedUntilSomeAreRemoved) {
  // The answer to request `req`.
  auto answer = [this](std::uint64_t req) {
    for (const auto& m : a_->messages())
      if (m.re() == req) return m;
    return v1::ServerMessage{};
  };
  std::vector<std::string> ids;
  for (std::uint64_t req = 1; req <= 3; ++req) {
    send(a_, note(req, std::string(3'300, 'a')));
    ids.push_back(a_->of_kind(v1::ServerMessage::kAck).back().ack().id());
  }
  send(a_, note(4, std::string(3'300, 'b')));
  auto refused = last_error(a_);
  EXPECT_EQ(refused.code(), v1::Error::TOO_LARGE);
  EXPECT_EQ(answer(4).error().code(), v1::Error::TOO_LARGE);
  EXPECT_NE(refused.message().find("learning log"), std::string::npos) << refused.message();
  // Growing a note past the limit is refused too; shrinking one is not.
  auto grow = note(5, std::string(4'000, 'c'));
  grow.mutable_note()->set_note_id(ids[0]);
  send(a_, grow);
  EXPECT_EQ(answer(5).error().code(), v1::Error::TOO_LARGE);
  // Removing a note makes room (and its text leaves memory; the store keeps it).
  v1::ClientMessage remove;
  remove.set_req(6);
  remove.mutable_note()->set_note_id(ids[1]);
  remove.mutable_note()->set_remove(true);
  send(a_, remove);
  EXPECT_TRUE(answer(6).has_ack());
  send(a_, note(7, std::string(3'300, 'b')));
  EXPECT_TRUE(answer(7).has_ack());
  // The removed note cannot be edited again.
  auto again = note(8, "back");
  again.mutable_note()->set_note_id(ids[1]);
  send(a_, again);
  EXPECT_EQ(answer(8).error().code(), v1::Error::NOT_FOUND);
}

TEST_F(RoomMeeting, ARestartKeepsPastMeetingsAndNotesAndEndsARunningMeeting) {
  start(60);
  send(a_, note(70, "Kept"));
  clock_.advance(36 * minute);
  switch_to(a_, v1::MeetingState::REFLECTION);
  clock_.advance(24 * minute);
  end(a_);
  start(30);
  clock_.advance(10 * minute);
  switch_to(b_, v1::MeetingState::REFLECTION);

  // Rebuild the room from what it wrote: the latest version of each item.
  std::map<std::pair<std::string, std::string>, store::item_record> latest;
  for (const auto& batch : journal_.saved)
    for (const auto& mutation : batch.mutations())
      if (auto* item = std::get_if<store::item_record>(&mutation))
        latest[{item->kind, item->item_id}] = *item;
  room_model model;
  model.id = room_->model().id;
  model.seats = room_->model().seats;
  for (auto& [key, item] : latest)
    model.items.push_back(item);
  room restarted(std::move(model), clock_, journal_, options());
  auto p = std::make_shared<fake_participant>();
  restarted.attach(p);
  v1::ClientMessage h;
  h.set_req(1);
  h.mutable_hello()->set_token(tokens_[0]);
  restarted.handle(p, h);
  journal_.complete_all();
  auto welcome = p->of_kind(v1::ServerMessage::kWelcome);
  ASSERT_EQ(welcome.size(), 1u);
  const auto& snap = welcome[0].welcome().room();
  ASSERT_EQ(snap.past_meetings_size(), 2);
  EXPECT_TRUE(snap.past_meetings(0).met());
  EXPECT_EQ(snap.past_meetings(1).reason(), "the server restarted during this meeting");
  EXPECT_EQ(snap.past_meetings(1).task_ms(), 10 * minute);
  EXPECT_EQ(snap.meeting().mode(), v1::MeetingState::ENDED);
  ASSERT_EQ(snap.notes_size(), 1);
  EXPECT_EQ(snap.notes(0).text(), "Kept");
}

TEST_F(RoomMeeting, SettingsOutOfRangeAreRefusedAndNewMeetingsTakeTheRoomDefaults) {
  v1::ClientMessage s;
  s.set_req(80);
  s.mutable_room()->mutable_settings()->set_nudge_lead_minutes(31);
  send(a_, s);
  EXPECT_EQ(last_error(a_).code(), v1::Error::NOT_ALLOWED);
  s.mutable_room()->mutable_settings()->set_nudge_lead_minutes(10);
  s.mutable_room()->mutable_settings()->set_reflection_target_pct(50);
  send(a_, s);
  EXPECT_EQ(room_->model().settings.nudge_lead_minutes, 10u);
  start(60);
  EXPECT_EQ(last_state(b_).target_pct(), 50u);
}

using testing::learning_record;
using testing::load;
using testing::store_journal;

TEST(RoomMeetingRestart, AMeetingRunningAtARestartIsStoredAsEndedForTheRecordAndLaterLoads) {
  manual_clock clock;
  store::memory_store store;
  store_journal journal(store);
  auto made = make_room("Heart failure pathway", 2, clock);
  const std::string id = made.model.id;
  ASSERT_TRUE(store.submit(creation_batch(made.model, clock.wall_ms()), [](store::status) {}));
  journal.commit_all();

  // A meeting runs 10 minutes of task, then 5 of reflection, when the server stops.
  {
    room before(std::move(made.model), clock, journal, room_options{});
    auto p = std::make_shared<fake_participant>();
    before.attach(p);
    v1::ClientMessage m;
    m.set_req(1);
    m.mutable_hello()->set_token(made.tokens[0]);
    before.handle(p, m);
    m.Clear();
    m.set_req(2);
    m.mutable_meeting()->mutable_start()->set_planned_minutes(60);
    m.mutable_meeting()->mutable_start()->set_title("Monthly check-in");
    before.handle(p, m);
    clock.advance(10 * minute);
    m.Clear();
    m.set_req(3);
    m.mutable_meeting()->mutable_mode()->set_mode(v1::MeetingState::REFLECTION);
    before.handle(p, m);
    journal.commit_all();
    clock.advance(5 * minute);
  }
  // Stored without a summary, the meeting is not in the learning record.
  EXPECT_EQ(learning_record(store, id, clock).meetings_size(), 0);

  auto after = load(store, id, clock, journal);
  after->save_restored_items();
  bool read = false;
  v1::RoomExport record;
  after->after_writes([&] {
    read = true;
    record = learning_record(store, id, clock);
  });
  EXPECT_FALSE(read);  // the export waits until the ended meeting is durable
  journal.commit_all();
  ASSERT_TRUE(read);
  ASSERT_EQ(record.meetings_size(), 1);
  const auto& summary = record.meetings(0);
  EXPECT_EQ(summary.reason(), "the server restarted during this meeting");
  EXPECT_EQ(summary.ended_by(), "colead");
  EXPECT_EQ(summary.title(), "Monthly check-in");
  EXPECT_EQ(summary.task_ms(), 10 * minute);
  EXPECT_EQ(summary.reflection_ms(), 0);
  EXPECT_FALSE(summary.met());

  // A newer version of the meeting's item: start, switch, then the ended one.
  auto history = store.item_history(id, "meeting", summary.meeting_id());
  ASSERT_TRUE(history);
  ASSERT_EQ(history.value().size(), 3u);
  v1::MeetingState ended;
  ASSERT_TRUE(ended.ParseFromString(history.value().back().payload));
  EXPECT_EQ(ended.mode(), v1::MeetingState::ENDED);
  EXPECT_EQ(ended.summary().reason(), "the server restarted during this meeting");

  // Every later load shows the same meeting and writes nothing more.
  after.reset();
  clock.advance(60 * minute);
  auto later = load(store, id, clock, journal);
  later->save_restored_items();
  EXPECT_EQ(store.commit_pending(), 0u);
  auto p = std::make_shared<fake_participant>();
  later->attach(p);
  v1::ClientMessage hello;
  hello.set_req(1);
  hello.mutable_hello()->set_token(made.tokens[1]);
  later->handle(p, hello);
  journal.commit_all();
  auto welcome = p->of_kind(v1::ServerMessage::kWelcome);
  ASSERT_EQ(welcome.size(), 1u);
  const auto& snap = welcome[0].welcome().room();
  ASSERT_EQ(snap.past_meetings_size(), 1);
  EXPECT_EQ(snap.past_meetings(0).reason(), "the server restarted during this meeting");
  EXPECT_EQ(snap.past_meetings(0).ended_at_ms(), summary.ended_at_ms());
  EXPECT_EQ(snap.meeting().mode(), v1::MeetingState::ENDED);
  EXPECT_EQ(learning_record(store, id, clock).meetings(0).ended_at_ms(), summary.ended_at_ms());
}

TEST(RoomMeetingRestart, AFailedWriteBackBreaksTheRoomAndStillAnswersTheExport) {
  manual_clock clock;
  test_journal journal;
  auto made = make_room("Pair", 2, clock);
  room_model model = std::move(made.model);
  v1::MeetingState running;
  running.set_meeting_id("k1");
  running.set_mode(v1::MeetingState::TASK);
  running.set_planned_ms(60 * minute);
  running.set_target_pct(40);
  model.items.push_back(store::item_record{model.id, "meeting", "k1", 4, clock.wall_ms(),
                                           running.SerializeAsString()});
  room r(std::move(model), clock, journal, room_options{});
  r.save_restored_items();
  ASSERT_EQ(journal.saved.size(), 1u);
  const auto& mutations = journal.saved[0].mutations();
  ASSERT_EQ(mutations.size(), 1u);
  const auto* item = std::get_if<store::item_record>(&mutations[0]);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->version, 5u);
  bool answered = false;
  r.after_writes([&] { answered = true; });
  journal.complete_all(store::status::io_error("disk full"));
  EXPECT_TRUE(r.state().broken);
  EXPECT_TRUE(answered);
}

}  // namespace
}  // namespace colead::room
