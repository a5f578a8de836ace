// Meetings against the real server over WebSockets, on a clock 600 times faster: an hour
// takes six seconds. In the full hour the room switches to reflection by itself at the latest
// moment and the meeting, started to end on time, ends by itself at its planned end: both
// take effect at their exact moment however late the server's timer fires, so the summary is
// exact whatever the machine's load. A meeting a member ends keeps who ended it and why.
#include <chrono>

#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

using Meeting = ServerTest;
using std::chrono::milliseconds;

constexpr std::int64_t minute = 60'000;
constexpr double scale = 600;

// Reads messages in order until one satisfies `done`, recording the kinds of every nudge seen
// on the way (and in that message). Nothing when `timeout` passes first.
std::optional<v1::ServerMessage> read_until(client::connection& conn, const message_test& done,
                                            std::vector<v1::Nudge::Kind>& nudges,
                                            milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left =
        std::chrono::duration_cast<milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto m = conn.receive(left);
    if (!m) return std::nullopt;
    if (m->has_nudge()) nudges.push_back(m->nudge().kind());
    if (done(*m)) return m;
  }
}

message_test state_where(std::function<bool(const v1::MeetingState&)> test) {
  return [test = std::move(test)](const v1::ServerMessage& m) {
    return m.has_meeting_state() && test(m.meeting_state());
  };
}

TEST_F(Meeting, HourEndingOnTimeIsExactlyFortyPerCentWithNudgesInOrder) {
  server_options options;
  options.extra_args = {"--time-scale", "600"};
  start_server(options);
  auto room = make_room(2, "Pair");
  v1::Welcome wa, wb;
  auto ann = join(room, 0, "Ann", encoding::binary, &wa);
  auto bea = join(room, 1, "Bea", encoding::json, &wb);
  ASSERT_TRUE(ann && bea);

  // The room asks to switch to reflection by itself at the latest moment.
  v1::ClientMessage settings;
  settings.mutable_room()->mutable_settings()->set_auto_reflect(v1::RoomCommand::AUTO_ON);
  ASSERT_TRUE(bea->send(settings).is_ok());
  auto changed = ann->receive_matching(kind_is(v1::ServerMessage::kRoomChanged), expect_within);
  ASSERT_TRUE(changed) << ann->last_error();
  EXPECT_TRUE(changed->room_changed().settings().auto_reflect());
  EXPECT_EQ(changed->room_changed().changed_by(), wb.member_id());

  v1::ClientMessage start;
  start.mutable_meeting()->mutable_start()->set_planned_minutes(60);
  start.mutable_meeting()->mutable_start()->set_title("Monthly check-in");
  start.mutable_meeting()->mutable_start()->set_end_on_time(true);
  ASSERT_TRUE(ann->send(start).is_ok());
  std::vector<v1::Nudge::Kind> seen_by_ann, seen_by_bea;
  for (auto* conn : {ann.get(), bea.get()}) {
    auto& seen = conn == ann.get() ? seen_by_ann : seen_by_bea;
    auto started = read_until(
        *conn, state_where([](const auto& s) { return s.mode() == v1::MeetingState::TASK; }), seen,
        expect_within);
    ASSERT_TRUE(started) << conn->last_error();
    const auto& s = started->meeting_state();
    EXPECT_EQ(s.planned_ms(), 60 * minute);
    EXPECT_EQ(s.target_pct(), 40u);
    EXPECT_EQ(s.changed_by(), wa.member_id());
    EXPECT_TRUE(s.end_on_time());
    EXPECT_TRUE(s.auto_reflect());
    EXPECT_DOUBLE_EQ(s.time_scale(), scale);
    EXPECT_GT(s.server_time_ms(), 0);
    EXPECT_EQ(s.reflect_by_in_ms(), 36 * minute - s.elapsed_ms());
  }

  // At 36 minutes the room switches itself, so the task takes exactly 36 minutes.
  for (auto* conn : {ann.get(), bea.get()}) {
    auto& seen = conn == ann.get() ? seen_by_ann : seen_by_bea;
    auto reflecting = read_until(
        *conn, state_where([](const auto& s) { return s.mode() == v1::MeetingState::REFLECTION; }),
        seen, milliseconds(15000));
    ASSERT_TRUE(reflecting) << conn->last_error();
    const auto& s = reflecting->meeting_state();
    EXPECT_EQ(s.changed_by(), "colead");
    EXPECT_EQ(s.task_ms(), 36 * minute);
    EXPECT_TRUE(s.has_prompt());
    EXPECT_EQ(s.prompt().text(), "What role am I in now?");
  }

  // Bea moves the prompt on; everyone sees the next one.
  v1::ClientMessage next;
  next.mutable_meeting()->mutable_prompt()->set_step(1);
  ASSERT_TRUE(bea->send(next).is_ok());
  for (auto* conn : {ann.get(), bea.get()}) {
    auto& seen = conn == ann.get() ? seen_by_ann : seen_by_bea;
    auto moved =
        read_until(*conn, state_where([](const auto& s) { return s.prompt().index() == 1; }), seen,
                   expect_within);
    ASSERT_TRUE(moved) << conn->last_error();
    EXPECT_EQ(moved->meeting_state().changed_by(), wb.member_id());
  }

  // END_SOON comes five minutes before the planned end and says when the meeting ends by
  // itself; at 60:00 it ends, with exactly 36 minutes of task and 24 of reflection.
  auto end_soon = read_until(
      *ann, [](const v1::ServerMessage& m) { return m.nudge().kind() == v1::Nudge::END_SOON; },
      seen_by_ann, milliseconds(15000));
  ASSERT_TRUE(end_soon) << ann->last_error();
  EXPECT_NE(end_soon->nudge().message().find("ends by itself at"), std::string::npos)
      << end_soon->nudge().message();
  for (auto* conn : {ann.get(), bea.get()}) {
    auto& seen = conn == ann.get() ? seen_by_ann : seen_by_bea;
    auto ended = read_until(
        *conn, state_where([](const auto& s) { return s.mode() == v1::MeetingState::ENDED; }), seen,
        milliseconds(15000));
    ASSERT_TRUE(ended) << conn->last_error();
    EXPECT_EQ(ended->meeting_state().changed_by(), "colead");
    EXPECT_TRUE(ended->meeting_state().end_on_time());
    const auto& summary = ended->meeting_state().summary();
    EXPECT_EQ(summary.task_ms(), 36 * minute);
    EXPECT_EQ(summary.reflection_ms(), 24 * minute);
    EXPECT_EQ(summary.paused_ms(), 0);
    EXPECT_DOUBLE_EQ(summary.share(), 0.40);
    EXPECT_TRUE(summary.met());
    EXPECT_EQ(summary.ended_by(), "colead");
    EXPECT_EQ(summary.reason(), "");
    ASSERT_EQ(summary.timeline_size(), 2);
    EXPECT_EQ(summary.timeline(1).from_ms(), 36 * minute);
    EXPECT_EQ(summary.timeline(1).to_ms(), 60 * minute);
    EXPECT_EQ(summary.purpose().id(), "purpose");
  }
  const std::vector<v1::Nudge::Kind> in_order = {v1::Nudge::REFLECT_SOON,
                                                 v1::Nudge::AUTO_REFLECTION, v1::Nudge::END_SOON};
  EXPECT_EQ(seen_by_ann, in_order);
  EXPECT_EQ(seen_by_bea, in_order);

  // The meeting is over: a member's command finds it ended.
  v1::ClientMessage to_task;
  to_task.mutable_meeting()->mutable_mode()->set_mode(v1::MeetingState::TASK);
  ASSERT_TRUE(bea->send(to_task).is_ok());
  auto refused = bea->receive_matching(
      [req = to_task.req()](const v1::ServerMessage& m) { return m.re() == req; }, expect_within);
  ASSERT_TRUE(refused) << bea->last_error();
  EXPECT_EQ(refused->error().code(), v1::Error::NOT_ALLOWED);
  EXPECT_NE(refused->error().message().find("has ended"), std::string::npos)
      << refused->error().message();

  // A member joining later sees the meeting among the past ones.
  v1::Welcome later;
  auto again = join(room, 1, "Bea", encoding::binary, &later);
  ASSERT_TRUE(again);
  ASSERT_EQ(later.room().past_meetings_size(), 1);
  EXPECT_TRUE(later.room().past_meetings(0).met());
  EXPECT_EQ(later.room().past_meetings(0).ended_by(), "colead");
}

TEST_F(Meeting, AMemberEndingBelowTargetIsNamedAndTheReasonKept) {
  server_options options;
  options.extra_args = {"--time-scale", "600"};
  start_server(options);
  auto room = make_room(2, "Pair");
  v1::Welcome wa;
  auto ann = join(room, 0, "Ann", encoding::binary, &wa);
  ASSERT_TRUE(ann);
  std::vector<v1::Nudge::Kind> seen;
  v1::ClientMessage start;
  start.mutable_meeting()->mutable_start()->set_planned_minutes(60);
  ASSERT_TRUE(ann->send(start).is_ok());
  ASSERT_TRUE(read_until(
      *ann, state_where([](const auto& s) { return s.mode() == v1::MeetingState::TASK; }), seen,
      expect_within));
  v1::ClientMessage end;
  end.mutable_meeting()->mutable_end()->set_reason("We ran out of time");
  ASSERT_TRUE(ann->send(end).is_ok());
  auto ended = read_until(
      *ann, state_where([](const auto& s) { return s.mode() == v1::MeetingState::ENDED; }), seen,
      expect_within);
  ASSERT_TRUE(ended) << ann->last_error();
  EXPECT_EQ(ended->meeting_state().changed_by(), wa.member_id());
  EXPECT_FALSE(ended->meeting_state().end_on_time());
  const auto& summary = ended->meeting_state().summary();
  EXPECT_FALSE(summary.met());
  EXPECT_EQ(summary.reason(), "We ran out of time");
  EXPECT_EQ(summary.ended_by(), wa.member_id());
  EXPECT_EQ(summary.timeline_size(), 1);
  EXPECT_EQ(summary.purpose().id(), "purpose");
}

}  // namespace
}  // namespace colead::integration
