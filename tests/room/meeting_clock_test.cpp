#include "room/meeting_clock.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace colead::room {

// Readable enum values in failure messages.
void PrintTo(meeting_mode mode, std::ostream* out) {
  *out << to_string(mode);
}
void PrintTo(reflection_status status, std::ostream* out) {
  *out << to_string(status);
}
void PrintTo(nudge_kind kind, std::ostream* out) {
  *out << to_string(kind);
}
void PrintTo(change_kind kind, std::ostream* out) {
  *out << to_string(kind);
}

namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

// Every meeting here starts at this arbitrary point of the room's scale, shown as 14:00.
constexpr room_time start_at = room_time_at(5'000'000'000);

room_time at(minutes m, milliseconds extra = milliseconds{0}) {
  return start_at + m + extra;
}

const time_label fourteen_hundred = time_of_day_label(hours{14} - start_at.time_since_epoch());

meeting_plan plan_of(minutes planned, int target_pct = 40) {
  meeting_plan plan;
  plan.planned_length = planned;
  plan.target_pct = target_pct;
  return plan;
}

// A started meeting with the helpers every test needs.
class MeetingClock : public ::testing::Test {
 protected:
  void start(const meeting_plan& plan) { ASSERT_TRUE(clock_.start(start_at, "ana", plan)); }
  void to(meeting_mode mode, room_time when, std::string_view who = "ben") {
    const status result = clock_.switch_mode(when, who, mode);
    ASSERT_TRUE(result) << result.message();
  }
  void finish(room_time when) { ASSERT_TRUE(clock_.end(when, "ana")); }
  std::vector<meeting_nudge> take(room_time when) {
    return clock_.take_due_nudges(when, fourteen_hundred);
  }

  meeting_clock clock_;
};

TEST_F(MeetingClock, NotStartedHasNoFiguresAndNoNudges) {
  const meeting_snapshot s = clock_.snapshot(start_at);
  EXPECT_EQ(s.mode, meeting_mode::not_started);
  EXPECT_EQ(s.task.count() + s.reflection.count() + s.paused.count(), 0);
  EXPECT_FALSE(s.latest_reflection_start);
  EXPECT_FALSE(clock_.next_nudge_at(start_at));
  EXPECT_TRUE(take(at(minutes{90})).empty());
  EXPECT_FALSE(clock_.summary());
}

TEST_F(MeetingClock, FortyPercentReachedExactly) {
  start(plan_of(minutes{60}));
  to(meeting_mode::reflection, at(minutes{36}));
  finish(at(minutes{60}));

  const std::optional<meeting_summary> s = clock_.summary();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->task, minutes{36});
  EXPECT_EQ(s->reflection, minutes{24});
  EXPECT_EQ(s->paused, minutes{0});
  EXPECT_EQ(s->overtime, minutes{0});
  EXPECT_EQ(s->share, 0.4);
  EXPECT_EQ(s->target_pct, 40);
  EXPECT_TRUE(s->met);
  EXPECT_EQ(s->ended_by, "ana");
  EXPECT_FALSE(s->end_reason);
  ASSERT_EQ(s->timeline.size(), 2u);
  EXPECT_EQ(s->timeline[0], (timeline_segment{meeting_mode::task, start_at, at(minutes{36}), "ana",
                                              change_kind::start, 40}));
  EXPECT_EQ(s->timeline[1],
            (timeline_segment{meeting_mode::reflection, at(minutes{36}), at(minutes{60}), "ben",
                              change_kind::switch_mode, 40}));
  EXPECT_EQ(clock_.snapshot(at(minutes{61})).status, reflection_status::met);
}

TEST_F(MeetingClock, AConsultPhaseMovesTheMeetingAsTheRoomsOwnChange) {
  start(plan_of(minutes{60}));
  ASSERT_TRUE(clock_.follow_consult(at(minutes{10}), room_actor, meeting_mode::reflection));
  ASSERT_TRUE(clock_.follow_consult(at(minutes{40}), room_actor, meeting_mode::task));
  EXPECT_EQ(clock_.timeline()[1],
            (timeline_segment{meeting_mode::reflection, at(minutes{10}), at(minutes{40}),
                              std::string(room_actor), change_kind::consult_phase, 40}));
  EXPECT_EQ(clock_.snapshot(at(minutes{40})).reflection, minutes{30});
  // Members may still not use the room's name, and a pause stays a pause.
  EXPECT_FALSE(clock_.switch_mode(at(minutes{41}), room_actor, meeting_mode::reflection));
  ASSERT_TRUE(clock_.pause(at(minutes{41}), "ben"));
  const status paused =
      clock_.follow_consult(at(minutes{42}), room_actor, meeting_mode::reflection);
  EXPECT_EQ(paused.code(), error_code::wrong_state);
  EXPECT_EQ(clock_.mode(), meeting_mode::paused);
  // Same mode, out of order, or after the end: refused, nothing changes.
  ASSERT_TRUE(clock_.resume(at(minutes{43}), "ben"));
  EXPECT_FALSE(clock_.follow_consult(at(minutes{44}), room_actor, meeting_mode::task));
  EXPECT_FALSE(clock_.follow_consult(at(minutes{42}), room_actor, meeting_mode::reflection));
  finish(at(minutes{50}));
  EXPECT_FALSE(clock_.follow_consult(at(minutes{51}), room_actor, meeting_mode::reflection));
  EXPECT_EQ(clock_.summary()->reflection, minutes{30});
}

TEST_F(MeetingClock, OneMillisecondShortOfFortyPercentIsNotMet) {
  start(plan_of(minutes{60}));
  to(meeting_mode::reflection, at(minutes{36}, milliseconds{1}));
  finish(at(minutes{60}));

  const std::optional<meeting_summary> s = clock_.summary();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reflection, minutes{24} - milliseconds{1});
  EXPECT_LT(s->share, 0.4);
  EXPECT_FALSE(s->met);
  EXPECT_EQ(clock_.snapshot(at(minutes{60})).status, reflection_status::missed);
}

TEST_F(MeetingClock, LatestMomentFollowsTheDesignFormula) {
  start(plan_of(minutes{60}));
  // end - (t*P - R) = 60 - (24 - 0) = 36 minutes in.
  EXPECT_EQ(clock_.snapshot(start_at).latest_reflection_start, at(minutes{36}));
  EXPECT_EQ(clock_.snapshot(at(minutes{20})).latest_reflection_start, at(minutes{36}));
  to(meeting_mode::reflection, at(minutes{20}));
  to(meeting_mode::task, at(minutes{30}));
  // R = 10, so 60 - (24 - 10) = 46.
  const meeting_snapshot s = clock_.snapshot(at(minutes{31}));
  EXPECT_EQ(s.latest_reflection_start, at(minutes{46}));
  EXPECT_EQ(s.reflection_needed, minutes{14});
  EXPECT_EQ(s.elapsed, minutes{31});
  EXPECT_EQ(s.remaining, minutes{29});
}

TEST_F(MeetingClock, StatusDefinitionsAtTheirBoundaries) {
  start(plan_of(minutes{60}));  // latest at 36, lead 5 minutes
  EXPECT_EQ(clock_.snapshot(start_at).status, reflection_status::on_track);
  EXPECT_EQ(clock_.snapshot(at(minutes{31}, milliseconds{-1})).status, reflection_status::on_track);
  // Exactly the lead time before the latest moment: at risk.
  EXPECT_EQ(clock_.snapshot(at(minutes{31})).status, reflection_status::at_risk);
  // At the latest moment itself reflection can still reach the target exactly.
  EXPECT_EQ(clock_.snapshot(at(minutes{36})).status, reflection_status::at_risk);
  EXPECT_EQ(clock_.snapshot(at(minutes{36}, milliseconds{1})).status, reflection_status::missed);

  to(meeting_mode::reflection, at(minutes{33}));
  // Reflecting within the lead time is on the needed pace.
  EXPECT_EQ(clock_.snapshot(at(minutes{34})).status, reflection_status::on_track);
  // After 24 minutes of reflection the target holds even if the rest goes to task.
  const meeting_snapshot secured = clock_.snapshot(at(minutes{57}));
  EXPECT_EQ(secured.status, reflection_status::met);
  EXPECT_EQ(secured.reflection_needed, minutes{0});
  EXPECT_FALSE(secured.latest_reflection_start);
  to(meeting_mode::task, at(minutes{57}));
  EXPECT_EQ(clock_.snapshot(at(minutes{59})).status, reflection_status::met);
}

TEST_F(MeetingClock, TargetCanBeMissed) {
  start(plan_of(minutes{60}));
  const meeting_snapshot late = clock_.snapshot(at(minutes{40}));
  EXPECT_EQ(late.status, reflection_status::missed);
  EXPECT_EQ(late.latest_reflection_start, at(minutes{36}));  // in the past
  to(meeting_mode::reflection, at(minutes{40}));
  EXPECT_EQ(clock_.snapshot(at(minutes{50})).status, reflection_status::missed);
  ASSERT_TRUE(clock_.end(at(minutes{60}), "ben", "We had a decision to make for the board."));

  const std::optional<meeting_summary> s = clock_.summary();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->task, minutes{40});
  EXPECT_EQ(s->reflection, minutes{20});
  EXPECT_FALSE(s->met);
  EXPECT_EQ(s->end_reason, "We had a decision to make for the board.");
  EXPECT_EQ(s->ended_by, "ben");
  EXPECT_EQ(clock_.snapshot(at(minutes{90})).status, reflection_status::missed);
}

TEST_F(MeetingClock, PausedTimeCountsAsNeither) {
  start(plan_of(minutes{60}));
  ASSERT_TRUE(clock_.pause(at(minutes{10}), "ben"));
  meeting_snapshot s = clock_.snapshot(at(minutes{30}));
  EXPECT_EQ(s.mode, meeting_mode::paused);
  EXPECT_EQ(s.task, minutes{10});
  EXPECT_EQ(s.reflection, minutes{0});
  EXPECT_EQ(s.paused, minutes{20});
  EXPECT_EQ(s.elapsed, minutes{30});
  // Active time by the planned end is 10 + 30 = 40 minutes, so 16 are needed: latest = 44.
  EXPECT_EQ(s.latest_reflection_start, at(minutes{44}));

  ASSERT_TRUE(clock_.resume(at(minutes{30}), "ana"));
  EXPECT_EQ(clock_.mode(), meeting_mode::task);
  to(meeting_mode::reflection, at(minutes{44}));
  // Pausing during reflection resumes into reflection.
  ASSERT_TRUE(clock_.pause(at(minutes{50}), "ana"));
  ASSERT_TRUE(clock_.resume(at(minutes{50}), "ben"));
  EXPECT_EQ(clock_.mode(), meeting_mode::reflection);
  finish(at(minutes{60}));

  const std::optional<meeting_summary> sum = clock_.summary();
  ASSERT_TRUE(sum);
  EXPECT_EQ(sum->task, minutes{24});
  EXPECT_EQ(sum->reflection, minutes{16});
  EXPECT_EQ(sum->paused, minutes{20});
  EXPECT_EQ(sum->share, 0.4);
  EXPECT_TRUE(sum->met);
}

TEST_F(MeetingClock, PausingPastTheLatestMomentMissesTheTarget) {
  start(plan_of(minutes{60}));
  ASSERT_TRUE(clock_.pause(at(minutes{30}), "ben"));  // latest 36, lead 5: at risk soon
  EXPECT_EQ(clock_.snapshot(at(minutes{30})).status, reflection_status::on_track);
  // While paused the latest moment moves later at 40% of the pace of time.
  EXPECT_EQ(clock_.snapshot(at(minutes{35})).latest_reflection_start, at(minutes{38}));
  EXPECT_EQ(clock_.snapshot(at(minutes{35})).status, reflection_status::at_risk);
  // At 40 minutes: T = 30, 20 left, needed ceil(0.4 * 50) = 20: latest = 40, still reachable.
  EXPECT_EQ(clock_.snapshot(at(minutes{40})).status, reflection_status::at_risk);
  EXPECT_EQ(clock_.snapshot(at(minutes{41})).status, reflection_status::missed);
}

TEST_F(MeetingClock, OvertimeTakesTheShareOverActualTime) {
  start(plan_of(minutes{60}));
  to(meeting_mode::reflection, at(minutes{36}));
  to(meeting_mode::task, at(minutes{60}));
  const meeting_snapshot over = clock_.snapshot(at(minutes{70}));
  EXPECT_EQ(over.remaining, minutes{-10});
  EXPECT_EQ(over.overtime, minutes{10});
  EXPECT_EQ(over.elapsed, minutes{70});
  EXPECT_EQ(over.share, 24.0 / 70.0);
  EXPECT_FALSE(over.target_met_now);
  EXPECT_FALSE(over.latest_reflection_start);
  EXPECT_EQ(over.status, reflection_status::missed);

  to(meeting_mode::reflection, at(minutes{70}));
  // 31 of 77 minutes is 40.26%.
  EXPECT_EQ(clock_.snapshot(at(minutes{77})).status, reflection_status::met);
  finish(at(minutes{77}));
  const std::optional<meeting_summary> s = clock_.summary();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->task, minutes{46});
  EXPECT_EQ(s->reflection, minutes{31});
  EXPECT_EQ(s->overtime, minutes{17});
  EXPECT_EQ(s->share, 31.0 / 77.0);
  EXPECT_TRUE(s->met);
}

TEST_F(MeetingClock, TargetChangedMidMeeting) {
  start(plan_of(minutes{60}));
  ASSERT_TRUE(clock_.set_target(at(minutes{10}), "ben", 50));
  meeting_snapshot s = clock_.snapshot(at(minutes{10}));
  EXPECT_EQ(s.target_pct, 50);
  EXPECT_EQ(s.mode, meeting_mode::task);
  EXPECT_EQ(s.latest_reflection_start, at(minutes{30}));

  to(meeting_mode::reflection, at(minutes{30}));
  finish(at(minutes{60}));
  const std::optional<meeting_summary> sum = clock_.summary();
  ASSERT_TRUE(sum);
  EXPECT_EQ(sum->target_pct, 50);
  EXPECT_EQ(sum->share, 0.5);
  EXPECT_TRUE(sum->met);
  ASSERT_EQ(sum->timeline.size(), 3u);
  EXPECT_EQ(sum->timeline[0].target_pct, 40);
  EXPECT_EQ(sum->timeline[1],
            (timeline_segment{meeting_mode::task, at(minutes{10}), at(minutes{30}), "ben",
                              change_kind::set_target, 50}));
  EXPECT_EQ(sum->timeline[2].target_pct, 50);
}

TEST_F(MeetingClock, LoweringTheTargetMidMeetingCanMeetIt) {
  start(plan_of(minutes{60}));
  to(meeting_mode::reflection, at(minutes{45}));
  EXPECT_EQ(clock_.snapshot(at(minutes{50})).status, reflection_status::missed);
  ASSERT_TRUE(clock_.set_target(at(minutes{50}), "ana", 25));
  EXPECT_EQ(clock_.mode(), meeting_mode::reflection);
  EXPECT_EQ(clock_.snapshot(at(minutes{50})).status, reflection_status::on_track);
  finish(at(minutes{60}));
  EXPECT_TRUE(clock_.summary()->met);  // 15 of 60 is 25%
}

TEST_F(MeetingClock, SwitchAtTheExactLatestMoment) {
  start(plan_of(minutes{60}));
  const room_time latest = *clock_.snapshot(start_at).latest_reflection_start;
  ASSERT_EQ(latest, at(minutes{36}));
  EXPECT_EQ(clock_.snapshot(latest).status, reflection_status::at_risk);
  to(meeting_mode::reflection, latest);
  const meeting_snapshot s = clock_.snapshot(latest);
  EXPECT_EQ(s.status, reflection_status::on_track);
  EXPECT_EQ(s.latest_reflection_start, latest);
  EXPECT_EQ(clock_.snapshot(at(minutes{59}, milliseconds{59'999})).status,
            reflection_status::on_track);
  finish(at(minutes{60}));
  EXPECT_TRUE(clock_.summary()->met);
}

TEST_F(MeetingClock, ThreeHourMeetingsToTheMillisecond) {
  // A planned length that is not a whole number of minutes: t*P is 4'320'002.8 ms, so
  // 4'320'003 ms of reflection are needed.
  const milliseconds planned = hours{3} + milliseconds{7};
  meeting_plan plan;
  plan.planned_length = planned;
  // Far from the scale's origin, to show the sums do not overflow.
  const room_time origin = room_time_at(std::int64_t{4'000'000'000'000'000'000});
  const room_time planned_end = origin + planned;
  const room_time latest = planned_end - milliseconds{4'320'003};

  meeting_clock exact;
  ASSERT_TRUE(exact.start(origin, "ana", plan));
  EXPECT_EQ(exact.snapshot(origin).latest_reflection_start, latest);
  ASSERT_TRUE(exact.switch_mode(latest, "ben", meeting_mode::reflection));
  ASSERT_TRUE(exact.end(planned_end, "ana"));
  EXPECT_EQ(exact.summary()->reflection, milliseconds{4'320'003});
  EXPECT_EQ(exact.summary()->task, milliseconds{6'480'004});
  EXPECT_TRUE(exact.summary()->met);

  meeting_clock late;
  ASSERT_TRUE(late.start(origin, "ana", plan));
  ASSERT_TRUE(late.switch_mode(latest + milliseconds{1}, "ben", meeting_mode::reflection));
  ASSERT_TRUE(late.end(planned_end, "ana"));
  EXPECT_FALSE(late.summary()->met);

  // A long overtime (two days) still sums exactly.
  meeting_clock long_one;
  ASSERT_TRUE(long_one.start(origin, "ana", plan));
  ASSERT_TRUE(long_one.switch_mode(origin + hours{1}, "ben", meeting_mode::reflection));
  const meeting_snapshot s = long_one.snapshot(origin + hours{49});
  EXPECT_EQ(s.task, hours{1});
  EXPECT_EQ(s.reflection, hours{48});
  EXPECT_EQ(s.elapsed, hours{49});
  EXPECT_EQ(s.overtime, hours{49} - planned);
  EXPECT_TRUE(s.target_met_now);
}

TEST_F(MeetingClock, EightHourMeetingAtFullTarget) {
  meeting_plan plan;
  plan.planned_length = max_planned_length;
  plan.target_pct = 100;
  start(plan);
  // Every minute must be reflection: the latest moment is the start itself.
  EXPECT_EQ(clock_.snapshot(start_at).latest_reflection_start, start_at);
  EXPECT_EQ(clock_.snapshot(start_at).status, reflection_status::at_risk);
  to(meeting_mode::reflection, start_at);
  finish(start_at + max_planned_length);
  EXPECT_TRUE(clock_.summary()->met);
  EXPECT_EQ(clock_.summary()->share, 1.0);
}

// The smallest target the rule allows (reflection_rule.hpp) is 1%: a meeting always asks for
// some reflection, and the room, the page and the clock agree on that.
TEST_F(MeetingClock, TargetsOutsideTheRuleAreRefusedAndOnePerCentIsKept) {
  EXPECT_FALSE(clock_.start(start_at, "ana", plan_of(minutes{30}, 0)));
  EXPECT_FALSE(clock_.start(start_at, "ana", plan_of(minutes{30}, 101)));
  start(plan_of(minutes{30}, 1));
  EXPECT_EQ(clock_.snapshot(at(minutes{10})).status, reflection_status::on_track);
  EXPECT_FALSE(clock_.set_target(at(minutes{10}), "ana", 0));
  to(meeting_mode::reflection, at(minutes{29}));
  finish(at(minutes{30}));
  EXPECT_TRUE(clock_.summary()->met);
}

TEST_F(MeetingClock, EndingAtTheStartHasShareZeroAndMeetsNoTarget) {
  start(plan_of(minutes{30}));
  finish(start_at);
  EXPECT_EQ(clock_.summary()->share, 0.0);
  EXPECT_FALSE(clock_.summary()->met);
  ASSERT_EQ(clock_.summary()->timeline.size(), 1u);
  EXPECT_EQ(clock_.summary()->timeline[0].end, start_at);
}

TEST_F(MeetingClock, NudgesComeInOrderEachOnce) {
  start(plan_of(minutes{60}));  // 14:00 to 15:00, latest 14:36, lead 5 minutes
  EXPECT_EQ(clock_.next_nudge_at(start_at), at(minutes{31}));
  EXPECT_TRUE(take(at(minutes{31}, milliseconds{-1})).empty());

  std::vector<meeting_nudge> due = take(at(minutes{31}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], (meeting_nudge{nudge_kind::reflect_soon,
                                   "Time to reflect soon: start reflecting by 14:36 to keep "
                                   "your 40%.",
                                   at(minutes{31})}));
  EXPECT_TRUE(take(at(minutes{31})).empty());
  EXPECT_EQ(clock_.next_nudge_at(at(minutes{31})), at(minutes{36}));

  due = take(at(minutes{36}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], (meeting_nudge{nudge_kind::reflect_now,
                                   "Time to reflect: start reflecting now (14:36) to keep your "
                                   "40%.",
                                   at(minutes{36})}));
  EXPECT_TRUE(take(at(minutes{36})).empty());

  to(meeting_mode::reflection, at(minutes{37}));
  EXPECT_EQ(clock_.next_nudge_at(at(minutes{37})), at(minutes{55}));
  // Back to task and to reflection again: the room was told once, it is not told again.
  to(meeting_mode::task, at(minutes{40}));
  to(meeting_mode::reflection, at(minutes{41}));
  EXPECT_TRUE(take(at(minutes{50})).empty());

  due = take(at(minutes{56}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], (meeting_nudge{nudge_kind::end_soon,
                                   "Your meeting is planned to end at 15:00, in 5 minutes. "
                                   "Reflection so far: 30% (your target is 40%).",
                                   at(minutes{55})}));
  EXPECT_FALSE(clock_.next_nudge_at(at(minutes{56})));
  EXPECT_TRUE(take(at(minutes{90})).empty());
}

TEST_F(MeetingClock, ALateCallDropsRemindersThatHavePassed) {
  start(plan_of(minutes{60}));
  // Nothing was asked before 14:37: "reflect soon" is past, "reflect now" is still news.
  std::vector<meeting_nudge> due = take(at(minutes{37}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].kind, nudge_kind::reflect_now);
  EXPECT_EQ(due[0].at, at(minutes{36}));
  // After the planned end, nothing is announced any more.
  meeting_clock other;
  ASSERT_TRUE(other.start(start_at, "ana", plan_of(minutes{60})));
  EXPECT_TRUE(other.take_due_nudges(at(minutes{61}), fourteen_hundred).empty());
  EXPECT_FALSE(other.next_nudge_at(at(minutes{61})));
}

TEST_F(MeetingClock, ReflectingBeforeTheRemindersMeansNoReminders) {
  start(plan_of(minutes{60}));
  to(meeting_mode::reflection, at(minutes{5}));
  to(meeting_mode::task, at(minutes{29}));  // 24 minutes reflected: target secured
  EXPECT_EQ(clock_.next_nudge_at(at(minutes{29})), at(minutes{55}));
  const std::vector<meeting_nudge> due = take(at(minutes{59}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].kind, nudge_kind::end_soon);
  EXPECT_EQ(due[0].message,
            "Your meeting is planned to end at 15:00, in 5 minutes. Reflection so far: 43% "
            "(your target is 40%).");
}

TEST_F(MeetingClock, ReturningToTaskWithTimeInHandRearmsTheReminders) {
  start(plan_of(minutes{60}));
  to(meeting_mode::reflection, at(minutes{10}));
  to(meeting_mode::task, at(minutes{20}));  // R = 10: latest moves to 46
  EXPECT_EQ(clock_.next_nudge_at(at(minutes{20})), at(minutes{41}));
  EXPECT_EQ(take(at(minutes{41}))[0].message,
            "Time to reflect soon: start reflecting by 14:46 to keep your 40%.");
  EXPECT_EQ(take(at(minutes{46}))[0].kind, nudge_kind::reflect_now);
}

TEST_F(MeetingClock, AChangedTargetIsAnnouncedAgain) {
  start(plan_of(minutes{60}));
  ASSERT_EQ(take(at(minutes{31})).size(), 1u);  // reflect_soon for 14:36
  // At 14:32 the room raises its target to 50%: it needed to reflect from 14:30.
  ASSERT_TRUE(clock_.set_target(at(minutes{32}), "ben", 50));
  std::vector<meeting_nudge> due = take(at(minutes{32}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], (meeting_nudge{nudge_kind::reflect_now,
                                   "Reflecting from now until the planned end at 15:00 will not "
                                   "quite reach your 50%, but every minute of reflection still "
                                   "counts.",
                                   at(minutes{32})}));
  EXPECT_EQ(clock_.snapshot(at(minutes{32})).status, reflection_status::missed);
  // Lowering it to 30% gives a new latest moment, 14:42, and new reminders.
  ASSERT_TRUE(clock_.set_target(at(minutes{33}), "ana", 30));
  EXPECT_EQ(clock_.next_nudge_at(at(minutes{33})), at(minutes{37}));
  due = take(at(minutes{37}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].message, "Time to reflect soon: start reflecting by 14:42 to keep your 30%.");
  due = take(at(minutes{42}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].kind, nudge_kind::reflect_now);
}

TEST_F(MeetingClock, ShortMeetingGetsItsRemindersAtOnce) {
  meeting_plan plan = plan_of(minutes{4});
  start(plan);  // latest 14:02:24, lead 5 minutes: both reminders are inside the lead time
  const std::vector<meeting_nudge> due = take(start_at);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].kind, nudge_kind::reflect_soon);
  EXPECT_EQ(due[0].message, "Time to reflect soon: start reflecting by 14:02 to keep your 40%.");
  EXPECT_EQ(due[1].kind, nudge_kind::end_soon);
  EXPECT_EQ(due[1].message,
            "Your meeting is planned to end at 14:04, in 4 minutes. Reflection so far: 0% (your "
            "target is 40%).");
}

TEST_F(MeetingClock, AutoReflectionSwitchesAtTheLatestMoment) {
  meeting_plan plan = plan_of(minutes{60});
  plan.auto_reflect = true;
  start(plan);
  EXPECT_TRUE(clock_.snapshot(start_at).auto_reflect);
  ASSERT_EQ(take(at(minutes{31})).size(), 1u);  // reflect_soon still comes
  EXPECT_EQ(clock_.next_nudge_at(at(minutes{31})), at(minutes{36}));

  // The room's timer fires 250 ms late: the switch still takes effect at 14:36.
  std::vector<meeting_nudge> due = take(at(minutes{36}, milliseconds{250}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], (meeting_nudge{nudge_kind::auto_reflection,
                                   "As this room asked, Colead has moved the meeting into "
                                   "reflection at 14:36 to keep your 40%.",
                                   at(minutes{36})}));
  EXPECT_EQ(clock_.mode(), meeting_mode::reflection);
  EXPECT_EQ(clock_.timeline().back(),
            (timeline_segment{meeting_mode::reflection, at(minutes{36}), std::nullopt,
                              std::string(room_actor), change_kind::auto_reflection, 40}));

  // A member who goes back to task at the latest moment is not switched back.
  to(meeting_mode::task, at(minutes{40}));
  EXPECT_EQ(clock_.next_nudge_at(at(minutes{40})), at(minutes{55}));
  due = take(at(minutes{55}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].kind, nudge_kind::end_soon);
  EXPECT_EQ(clock_.mode(), meeting_mode::task);
  to(meeting_mode::reflection, at(minutes{55}));
  finish(at(minutes{60}));
  EXPECT_FALSE(clock_.summary()->met);  // 4 + 5 of 60 minutes
}

TEST_F(MeetingClock, AutoReflectionKeepsTheTargetExactly) {
  meeting_plan plan = plan_of(minutes{60});
  plan.auto_reflect = true;
  start(plan);
  for (room_time t = start_at; t <= at(minutes{60}); t += minutes{1})
    take(t);
  finish(at(minutes{60}));
  const std::optional<meeting_summary> s = clock_.summary();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reflection, minutes{24});
  EXPECT_TRUE(s->met);
}

meeting_plan ending_on_time(minutes planned, bool auto_reflect = false) {
  meeting_plan plan = plan_of(planned);
  plan.end_on_time = true;
  plan.auto_reflect = auto_reflect;
  return plan;
}

TEST_F(MeetingClock, EndOnTimeEndsFromTaskExactlyAtThePlannedEnd) {
  start(ending_on_time(minutes{60}));
  EXPECT_TRUE(clock_.snapshot(start_at).end_on_time);
  ASSERT_EQ(take(at(minutes{55})).size(), 2u);  // reflect_now and end_soon
  EXPECT_EQ(clock_.next_nudge_at(at(minutes{55})), at(minutes{60}));
  EXPECT_TRUE(take(at(minutes{60}, milliseconds{-1})).empty());
  EXPECT_EQ(clock_.mode(), meeting_mode::task);

  // The end is no nudge: the caller sees the mode and the summary.
  EXPECT_TRUE(take(at(minutes{60})).empty());
  EXPECT_EQ(clock_.mode(), meeting_mode::ended);
  EXPECT_FALSE(clock_.next_nudge_at(at(minutes{60})));
  const std::optional<meeting_summary> s = clock_.summary();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->ended_at, at(minutes{60}));
  EXPECT_EQ(s->task, minutes{60});
  EXPECT_EQ(s->reflection, minutes{0});
  EXPECT_EQ(s->overtime, minutes{0});
  EXPECT_FALSE(s->met);
  EXPECT_EQ(s->ended_by, room_actor);
  EXPECT_FALSE(s->end_reason);
  ASSERT_EQ(s->timeline.size(), 1u);
  EXPECT_EQ(s->timeline[0].end, at(minutes{60}));
  EXPECT_EQ(clock_.snapshot(at(minutes{70})).elapsed, minutes{60});
}

TEST_F(MeetingClock, EndOnTimeEndsFromReflection) {
  start(ending_on_time(minutes{60}));
  to(meeting_mode::reflection, at(minutes{30}));
  take(at(minutes{60}));
  const std::optional<meeting_summary> s = clock_.summary();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->ended_at, at(minutes{60}));
  EXPECT_EQ(s->task, minutes{30});
  EXPECT_EQ(s->reflection, minutes{30});
  EXPECT_TRUE(s->met);
  EXPECT_EQ(s->ended_by, room_actor);
  ASSERT_EQ(s->timeline.size(), 2u);
  EXPECT_EQ(s->timeline[1].end, at(minutes{60}));
}

TEST_F(MeetingClock, EndOnTimeEndsWhilePaused) {
  start(ending_on_time(minutes{60}));
  to(meeting_mode::reflection, at(minutes{20}));
  ASSERT_TRUE(clock_.pause(at(minutes{50}), "ben"));
  ASSERT_EQ(take(at(minutes{56})).size(), 1u);  // end_soon
  EXPECT_EQ(clock_.next_nudge_at(at(minutes{56})), at(minutes{60}));
  take(at(minutes{60}));
  const std::optional<meeting_summary> s = clock_.summary();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->ended_at, at(minutes{60}));
  EXPECT_EQ(s->task, minutes{20});
  EXPECT_EQ(s->reflection, minutes{30});
  EXPECT_EQ(s->paused, minutes{10});
  EXPECT_EQ(s->ended_by, room_actor);
  EXPECT_EQ(s->timeline.back().mode, meeting_mode::paused);
}

TEST_F(MeetingClock, EndOnTimeALateTimerStillEndsAtThePlannedEnd) {
  start(ending_on_time(minutes{60}));
  to(meeting_mode::reflection, at(minutes{36}));
  // The room's timer fires 750 ms late: the meeting still ends at 15:00 exactly.
  EXPECT_TRUE(take(at(minutes{60}, milliseconds{750})).empty());  // end_soon has passed
  const std::optional<meeting_summary> s = clock_.summary();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->ended_at, at(minutes{60}));
  EXPECT_EQ(s->task, minutes{36});
  EXPECT_EQ(s->reflection, minutes{24});
  EXPECT_EQ(s->share, 0.4);
  EXPECT_TRUE(s->met);
  EXPECT_EQ(s->overtime, minutes{0});
}

TEST_F(MeetingClock, WithoutEndOnTimeTheMeetingRunsOver) {
  start(plan_of(minutes{60}));
  EXPECT_FALSE(clock_.snapshot(start_at).end_on_time);
  take(at(minutes{90}));
  EXPECT_EQ(clock_.mode(), meeting_mode::task);
  EXPECT_FALSE(clock_.next_nudge_at(at(minutes{90})));
  EXPECT_EQ(clock_.snapshot(at(minutes{90})).overtime, minutes{30});
  to(meeting_mode::reflection, at(minutes{90}));
  finish(at(minutes{120}));
  EXPECT_EQ(clock_.summary()->overtime, minutes{60});
  EXPECT_EQ(clock_.summary()->ended_by, "ana");
}

TEST_F(MeetingClock, AutoReflectionAndEndOnTimeGiveExactlyFortyPerCent) {
  start(ending_on_time(minutes{60}, true));
  std::vector<nudge_kind> kinds;
  for (room_time t = start_at; clock_.mode() != meeting_mode::ended; t += minutes{1}) {
    ASSERT_LE(t, at(minutes{60}));
    for (const meeting_nudge& n : take(t))
      kinds.push_back(n.kind);
  }
  EXPECT_EQ(kinds, (std::vector<nudge_kind>{nudge_kind::reflect_soon, nudge_kind::auto_reflection,
                                            nudge_kind::end_soon}));
  const std::optional<meeting_summary> s = clock_.summary();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->task, minutes{36});
  EXPECT_EQ(s->reflection, minutes{24});
  EXPECT_EQ(s->paused, minutes{0});
  EXPECT_EQ(s->share, 0.4);
  EXPECT_TRUE(s->met);
  EXPECT_EQ(s->ended_at, at(minutes{60}));
  EXPECT_EQ(s->ended_by, room_actor);
  ASSERT_EQ(s->timeline.size(), 2u);
  EXPECT_EQ(s->timeline[1],
            (timeline_segment{meeting_mode::reflection, at(minutes{36}), at(minutes{60}),
                              std::string(room_actor), change_kind::auto_reflection, 40}));
}

TEST_F(MeetingClock, OneLateCallAppliesTheSwitchAndTheEndEachAtItsMoment) {
  start(ending_on_time(minutes{60}, true));
  // Nothing was asked for the whole hour: the switch lands at 14:36, the end at 15:00.
  const std::vector<meeting_nudge> due = take(at(minutes{61}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].kind, nudge_kind::auto_reflection);
  const std::optional<meeting_summary> s = clock_.summary();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->task, minutes{36});
  EXPECT_EQ(s->reflection, minutes{24});
  EXPECT_EQ(s->share, 0.4);
  EXPECT_TRUE(s->met);
  EXPECT_EQ(s->ended_at, at(minutes{60}));
}

TEST_F(MeetingClock, EndOnTimeEndSoonSaysWhenTheMeetingEndsByItself) {
  start(ending_on_time(minutes{60}));
  to(meeting_mode::reflection, at(minutes{36}));
  const std::vector<meeting_nudge> due = take(at(minutes{55}));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], (meeting_nudge{nudge_kind::end_soon,
                                   "Your meeting ends by itself at 15:00, in 5 minutes. "
                                   "Reflection so far: 34% (your target is 40%).",
                                   at(minutes{55})}));
}

TEST_F(MeetingClock, ACommandAtOrAfterThePlannedEndFindsTheMeetingEnded) {
  start(ending_on_time(minutes{60}));
  // As the room does: what fell due is applied before the member's command.
  take(at(minutes{60}));
  const std::vector<timeline_segment> before = clock_.timeline();
  status r = clock_.switch_mode(at(minutes{60}), "ben", meeting_mode::reflection);
  EXPECT_EQ(r.code(), error_code::wrong_state);
  EXPECT_EQ(r.message(), "This meeting has ended; start a new meeting to carry on.");
  EXPECT_EQ(clock_.pause(at(minutes{61}), "ben").code(), error_code::wrong_state);
  r = clock_.end(at(minutes{61}), "ana", "We ran over");
  EXPECT_EQ(r.message(), "This meeting has already ended.");
  EXPECT_EQ(clock_.timeline(), before);
  EXPECT_EQ(clock_.summary()->ended_by, room_actor);
  EXPECT_FALSE(clock_.summary()->end_reason);
}

TEST_F(MeetingClock, InvalidCommandsChangeNothing) {
  struct attempt {
    const char* what;
    std::function<status(meeting_clock&)> run;
    error_code expected;
  };
  const auto start_with = [](meeting_plan plan, std::string who = "ana") {
    return [plan, who](meeting_clock& c) { return c.start(start_at, who, plan); };
  };
  meeting_plan bad_length_zero = plan_of(minutes{0});
  meeting_plan bad_length_negative = plan_of(minutes{-5});
  meeting_plan bad_length_long = plan_of(minutes{8 * 60 + 1});
  meeting_plan bad_target_low = plan_of(minutes{60}, -1);
  meeting_plan bad_target_high = plan_of(minutes{60}, 101);
  meeting_plan bad_lead = plan_of(minutes{60});
  bad_lead.nudge_lead = minutes{61};
  meeting_plan bad_lead_negative = plan_of(minutes{60});
  bad_lead_negative.nudge_lead = milliseconds{-1};
  using code = error_code;

  // Before the start.
  const std::vector<attempt> before = {
      {"switch",
       [](meeting_clock& c) { return c.switch_mode(start_at, "ana", meeting_mode::reflection); },
       code::wrong_state},
      {"pause", [](meeting_clock& c) { return c.pause(start_at, "ana"); }, code::wrong_state},
      {"resume", [](meeting_clock& c) { return c.resume(start_at, "ana"); }, code::wrong_state},
      {"target", [](meeting_clock& c) { return c.set_target(start_at, "ana", 50); },
       code::wrong_state},
      {"end", [](meeting_clock& c) { return c.end(start_at, "ana"); }, code::wrong_state},
      {"zero length", start_with(bad_length_zero), code::invalid_argument},
      {"negative length", start_with(bad_length_negative), code::invalid_argument},
      {"absurd length", start_with(bad_length_long), code::invalid_argument},
      {"target below 0", start_with(bad_target_low), code::invalid_argument},
      {"target above 100", start_with(bad_target_high), code::invalid_argument},
      {"lead too long", start_with(bad_lead), code::invalid_argument},
      {"negative lead", start_with(bad_lead_negative), code::invalid_argument},
      {"nobody", start_with(plan_of(minutes{60}), ""), code::invalid_argument},
      {"the room's name", start_with(plan_of(minutes{60}), "colead"), code::invalid_argument},
      {"long member id", start_with(plan_of(minutes{60}), std::string(129, 'm')),
       code::invalid_argument},
  };
  // While running (started at 14:00, in task since; last change at 14:10, a pause).
  const std::vector<attempt> paused = {
      {"start twice", start_with(plan_of(minutes{60})), code::wrong_state},
      {"pause while paused", [](meeting_clock& c) { return c.pause(at(minutes{11}), "ana"); },
       code::wrong_state},
      {"switch to paused",
       [](meeting_clock& c) { return c.switch_mode(at(minutes{11}), "ana", meeting_mode::paused); },
       code::invalid_argument},
      {"switch to ended",
       [](meeting_clock& c) { return c.switch_mode(at(minutes{11}), "ana", meeting_mode::ended); },
       code::invalid_argument},
      {"same target", [](meeting_clock& c) { return c.set_target(at(minutes{11}), "ana", 40); },
       code::invalid_argument},
      {"target above 100",
       [](meeting_clock& c) { return c.set_target(at(minutes{11}), "ana", 101); },
       code::invalid_argument},
      {"target below 0", [](meeting_clock& c) { return c.set_target(at(minutes{11}), "ana", -3); },
       code::invalid_argument},
      {"time going back", [](meeting_clock& c) { return c.resume(at(minutes{9}), "ana"); },
       code::out_of_order},
      {"end going back", [](meeting_clock& c) { return c.end(at(minutes{9}), "ana"); },
       code::out_of_order},
      {"reason too long",
       [](meeting_clock& c) { return c.end(at(minutes{11}), "ana", std::string(1001, 'r')); },
       code::invalid_argument},
      {"nobody ends", [](meeting_clock& c) { return c.end(at(minutes{11}), ""); },
       code::invalid_argument},
  };
  const std::vector<attempt> in_task = {
      {"resume while running", [](meeting_clock& c) { return c.resume(at(minutes{11}), "ana"); },
       code::wrong_state},
      {"switch to the same mode",
       [](meeting_clock& c) { return c.switch_mode(at(minutes{11}), "ana", meeting_mode::task); },
       code::wrong_state},
  };
  const std::vector<attempt> ended = {
      {"start again", start_with(plan_of(minutes{60})), code::wrong_state},
      {"switch",
       [](meeting_clock& c) {
         return c.switch_mode(at(minutes{30}), "ana", meeting_mode::reflection);
       },
       code::wrong_state},
      {"pause", [](meeting_clock& c) { return c.pause(at(minutes{30}), "ana"); },
       code::wrong_state},
      {"resume", [](meeting_clock& c) { return c.resume(at(minutes{30}), "ana"); },
       code::wrong_state},
      {"target", [](meeting_clock& c) { return c.set_target(at(minutes{30}), "ana", 50); },
       code::wrong_state},
      {"end twice", [](meeting_clock& c) { return c.end(at(minutes{30}), "ana"); },
       code::wrong_state},
  };

  const auto check = [](meeting_clock& c, const std::vector<attempt>& attempts) {
    for (const attempt& a : attempts) {
      SCOPED_TRACE(a.what);
      const meeting_snapshot before_snapshot = c.snapshot(at(minutes{20}));
      const std::vector<timeline_segment> before_timeline = c.timeline();
      const status result = a.run(c);
      EXPECT_FALSE(result);
      EXPECT_EQ(result.code(), a.expected);
      EXPECT_FALSE(result.message().empty());
      EXPECT_EQ(c.timeline(), before_timeline);
      EXPECT_EQ(c.mode(), before_snapshot.mode);
      const meeting_snapshot after_snapshot = c.snapshot(at(minutes{20}));
      EXPECT_EQ(after_snapshot.task, before_snapshot.task);
      EXPECT_EQ(after_snapshot.reflection, before_snapshot.reflection);
      EXPECT_EQ(after_snapshot.target_pct, before_snapshot.target_pct);
      EXPECT_EQ(after_snapshot.planned_length, before_snapshot.planned_length);
    }
  };

  meeting_clock c;
  check(c, before);
  ASSERT_TRUE(c.start(start_at, "ana", plan_of(minutes{60})));
  check(c, in_task);
  ASSERT_TRUE(c.pause(at(minutes{10}), "ben"));
  check(c, paused);
  ASSERT_TRUE(c.end(at(minutes{20}), "ben", "  "));
  EXPECT_FALSE(c.summary()->end_reason);  // a blank reason counts as none
  check(c, ended);
}

TEST_F(MeetingClock, ErrorMessagesSayWhatToDo) {
  EXPECT_EQ(clock_.start(start_at, "ana", plan_of(minutes{0})).message(),
            "The planned length must be more than 0 and at most 480 minutes; it was 0 ms.");
  EXPECT_EQ(clock_.start(start_at, "ana", plan_of(minutes{60}, 140)).message(),
            "The reflection target must be a whole per cent from 1 to 100; it was 140%.");
  start(plan_of(minutes{60}));
  EXPECT_EQ(clock_.start(start_at, "ana", plan_of(minutes{60})).message(),
            "A meeting is already running; end it before starting a new one.");
  EXPECT_EQ(clock_.resume(start_at, "ana").message(),
            "The meeting is not paused, so there is nothing to resume.");
  EXPECT_EQ(clock_.switch_mode(start_at, "ana", meeting_mode::task).message(),
            "The meeting is already in task.");
  ASSERT_TRUE(clock_.pause(at(minutes{1}), "ana"));
  EXPECT_EQ(clock_.pause(at(minutes{2}), "ana").message(),
            "The meeting is already paused; resume it to carry on.");
  EXPECT_EQ(clock_.resume(start_at, "ana").message(),
            "This change is dated 1 minute before the meeting's last recorded change; changes "
            "must come in time order.");
  finish(at(minutes{3}));
  EXPECT_EQ(clock_.switch_mode(at(minutes{4}), "ana", meeting_mode::reflection).message(),
            "This meeting has ended; start a new meeting to carry on.");
}

TEST_F(MeetingClock, SwitchingWhilePausedResumesInThatMode) {
  start(plan_of(minutes{60}));
  ASSERT_TRUE(clock_.pause(at(minutes{10}), "ana"));
  EXPECT_EQ(clock_.snapshot(at(minutes{12})).resumes_to, meeting_mode::task);
  to(meeting_mode::reflection, at(minutes{15}));
  EXPECT_EQ(clock_.timeline().back().cause, change_kind::resume);
  EXPECT_EQ(clock_.snapshot(at(minutes{20})).reflection, minutes{5});
  EXPECT_EQ(clock_.snapshot(at(minutes{20})).paused, minutes{5});
}

TEST_F(MeetingClock, TimelineIsBoundedButEndingStaysPossible) {
  start(plan_of(minutes{60}));
  room_time t = start_at;
  std::size_t accepted = 1;
  while (true) {
    t += milliseconds{1};
    const meeting_mode next =
        clock_.mode() == meeting_mode::task ? meeting_mode::reflection : meeting_mode::task;
    if (!clock_.switch_mode(t, "ana", next)) break;
    ++accepted;
  }
  // One segment stays spare for the room's own switch to reflection.
  EXPECT_EQ(accepted, max_timeline_segments - 1);
  EXPECT_EQ(clock_.switch_mode(t, "ana", meeting_mode::task).code(), error_code::wrong_state);
  ASSERT_TRUE(clock_.end(t, "ana"));
  EXPECT_EQ(clock_.summary()->timeline.size(), max_timeline_segments - 1);
}

TEST_F(MeetingClock, SnapshotBeforeTheLastChangeIsTakenAtIt) {
  start(plan_of(minutes{60}));
  to(meeting_mode::reflection, at(minutes{10}));
  const meeting_snapshot s = clock_.snapshot(at(minutes{5}));
  EXPECT_EQ(s.at, at(minutes{10}));
  EXPECT_EQ(s.task, minutes{10});
}

TEST(MeetingClockRandom, InvariantsHoldOverRandomMeetings) {
  const std::uint32_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  for (int meeting = 0; meeting < 200; ++meeting) {
    meeting_clock c;
    meeting_plan plan = plan_of(minutes{1 + static_cast<int>(random() % 180)},
                                1 + static_cast<int>(random() % 100));
    plan.auto_reflect = random() % 2 == 0;
    plan.end_on_time = random() % 2 == 0;
    ASSERT_TRUE(c.start(start_at, "ana", plan));
    room_time t = start_at;
    for (int step = 0; step < 60 && c.mode() != meeting_mode::ended; ++step) {
      t += milliseconds{random() % 600'000};
      c.take_due_nudges(t, fourteen_hundred);
      const std::vector<timeline_segment> before = c.timeline();
      status r = status::ok();
      switch (random() % 6) {
        case 0:
          r = c.switch_mode(t, "ana", meeting_mode::task);
          break;
        case 1:
          r = c.switch_mode(t, "ben", meeting_mode::reflection);
          break;
        case 2:
          r = c.pause(t, "ana");
          break;
        case 3:
          r = c.resume(t, "ben");
          break;
        case 4:
          r = c.set_target(t, "ana", static_cast<int>(random() % 101));
          break;
        default:
          if (random() % 10 == 0) r = c.end(t, "ben");
          break;
      }
      if (!r) {
        EXPECT_EQ(c.timeline(), before);
      }

      const meeting_snapshot s = c.snapshot(t);
      EXPECT_EQ(s.task + s.reflection + s.paused, s.elapsed);
      // Due events come before every command, so a meeting ending on time never runs over.
      if (plan.end_on_time) {
        EXPECT_LE(s.at, s.planned_end);
        if (c.mode() == meeting_mode::ended && c.summary()->ended_by == room_actor) {
          EXPECT_EQ(c.summary()->ended_at, s.planned_end);
        }
      }
      EXPECT_GE(s.task.count(), 0);
      EXPECT_GE(s.reflection.count(), 0);
      EXPECT_GE(s.paused.count(), 0);
      if (s.latest_reflection_start) {
        EXPECT_LE(*s.latest_reflection_start, s.planned_end);
        // Reflecting from the latest moment to the planned end reaches the target.
        const milliseconds active = s.task + s.reflection + (s.planned_end - s.at);
        EXPECT_GE((s.reflection + (s.planned_end - *s.latest_reflection_start)).count() * 100,
                  s.target_pct * active.count());
      }
      const std::vector<timeline_segment>& line = c.timeline();
      for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        ASSERT_TRUE(line[i].end);
        EXPECT_EQ(*line[i].end, line[i + 1].begin);
        EXPECT_LE(line[i].begin, *line[i].end);
      }
    }
  }
}

TEST(TimeOfDayLabel, ReadsHoursAndMinutesRoundedDown) {
  const time_label label = time_of_day_label(milliseconds{0});
  EXPECT_EQ(label(room_time_at(0)), "00:00");
  EXPECT_EQ(label(room_time_at((14 * 60 + 32) * 60'000 + 59'999)), "14:32");
  EXPECT_EQ(label(room_time_at(24 * 3'600'000 + 61'000)), "00:01");
  EXPECT_EQ(label(room_time_at(-60'000)), "23:59");
  EXPECT_EQ(time_of_day_label(hours{2})(room_time_at(23 * 3'600'000)), "01:00");
}

TEST(MeetingNames, ReadAsTheWireDoes) {
  EXPECT_EQ(to_string(nudge_kind::reflect_soon), "reflect_soon");
  EXPECT_EQ(to_string(nudge_kind::auto_reflection), "auto_reflection");
  EXPECT_EQ(to_string(reflection_status::at_risk), "at_risk");
  EXPECT_EQ(to_string(meeting_mode::reflection), "reflection");
  EXPECT_EQ(to_string(change_kind::set_target), "set_target");
}

}  // namespace
}  // namespace colead::room
