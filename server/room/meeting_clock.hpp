// The meeting clock: how one meeting of a room spends its time, measured so the room can keep
// "the 40 per cent reflection rule" ("for every meeting, they will spend at least 40 per cent
// of their time together in reflection and learning about their relationship, how they are
// working and what they are learning about their local system").
//
// The design (units, the rule: how much reflection is still needed and the latest moment it
// can begin, the statuses, the nudges and when they are armed, ending on time, and the
// invariants the tests check) is in docs/architecture.md, "The meeting clock". In short: every
// time is a `room_time`, milliseconds on the room's monotonic scale, passed in by the caller;
// targets are whole per cent, so comparisons with them are exact (R * 100 >= pct * A).
//
// Thread safety: none; a plain value. The room calls it on its own strand.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <ratio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "colead/status.hpp"

#include "room/reflection_rule.hpp"

namespace colead::room {

// Tag for the room's monotonic time scale. It deliberately has no now(): the meeting clock
// only ever receives time.
struct room_time_scale {
  using rep = std::int64_t;
  using period = std::milli;
  using duration = std::chrono::milliseconds;
  static constexpr bool is_steady = true;
};

// A moment on the room's monotonic scale, in ms.
using room_time = std::chrono::time_point<room_time_scale, std::chrono::milliseconds>;

// The room_time `ms` milliseconds after the scale's origin (e.g. from clock::now_ms()).
constexpr room_time room_time_at(std::int64_t ms) {
  return room_time{std::chrono::milliseconds{ms}};
}

// The member id recorded for changes the meeting makes by itself. Members may not use it.
inline constexpr std::string_view room_actor = "colead";

// Longest planned length a meeting may have (the wire contract allows 1 to 480 minutes).
inline constexpr std::chrono::milliseconds max_planned_length = std::chrono::hours{8};

// Longest nudge lead time a meeting may have.
inline constexpr std::chrono::milliseconds max_nudge_lead = std::chrono::minutes{60};

// Most timeline segments one meeting keeps. Members' changes are refused one short of it,
// so the meeting's own switch to reflection always has room; ending is always possible.
inline constexpr std::size_t max_timeline_segments = 10'000;

// Longest honest-ending reason, in bytes.
inline constexpr std::size_t max_end_reason_bytes = 1'000;

// Longest member id, in bytes.
inline constexpr std::size_t max_member_id_bytes = 128;

enum class meeting_mode {
  not_started,  // no meeting yet
  task,         // working on the task: counts towards T
  reflection,   // reflecting and learning together: counts towards R
  paused,       // counts as neither
  ended,        // over; the summary is final
};

// "not_started", "task", "reflection", "paused", "ended".
std::string_view to_string(meeting_mode mode);

// Whether the meeting can keep its target; defined in docs/architecture.md, "The meeting clock".
enum class reflection_status { on_track, at_risk, missed, met };

// "on_track", "at_risk", "missed", "met".
std::string_view to_string(reflection_status status);

// What a timeline segment began with.
enum class change_kind {
  start,            // the meeting started (in task)
  switch_mode,      // a member switched between task and reflection
  pause,            // a member paused
  resume,           // a member resumed (or switched mode while paused)
  set_target,       // a member changed the target (the mode stays)
  auto_reflection,  // the meeting switched to reflection by itself at the latest moment
  consult_phase,    // a consult phase began that counts as the other mode (follow_consult)
};

// "start", "switch_mode", "pause", "resume", "set_target", "auto_reflection".
std::string_view to_string(change_kind kind);

// One stretch of the meeting spent in one mode under one target.
struct timeline_segment {
  meeting_mode mode = meeting_mode::task;  // task, reflection or paused
  room_time begin{};                       // when it began
  std::optional<room_time> end;            // when it ended; absent while it is the open one
  std::string by;                          // member id who began it, or room_actor
  change_kind cause = change_kind::start;  // the change that began it
  int target_pct = reflection_rule::default_target_pct;  // the target in force during it

  friend bool operator==(const timeline_segment&, const timeline_segment&) = default;
};

// How a meeting is planned; given to start().
struct meeting_plan {
  std::chrono::milliseconds planned_length{0};           // P: 1 ms to max_planned_length
  int target_pct = reflection_rule::default_target_pct;  // t: reflection_rule::valid_target
  std::chrono::milliseconds nudge_lead = std::chrono::minutes{5};  // 0 to max_nudge_lead
  bool auto_reflect = false;  // switch to reflection by itself at the latest moment
  bool end_on_time = false;   // end by itself at the planned end
};

// Each command returns ok, or (changing nothing) a status: wrong_state when not allowed in
// the meeting's current mode, invalid_argument for a value out of range or malformed (both
// NOT_ALLOWED on the wire), out_of_order when `now` is before the last recorded change (a
// caller's mistake). See colead/status.hpp.

// The meeting as it stands at one moment. Lengths are >= 0 unless said otherwise.
struct meeting_snapshot {
  meeting_mode mode = meeting_mode::not_started;
  meeting_mode resumes_to = meeting_mode::task;  // while paused: the mode resume returns to
  room_time at{};                                // the moment the figures hold for
  room_time started_at{};
  room_time planned_end{};                      // started_at + planned_length
  std::chrono::milliseconds planned_length{0};  // P
  int target_pct = 0;                           // t, whole per cent
  std::chrono::milliseconds nudge_lead{0};
  bool auto_reflect = false;
  bool end_on_time = false;  // the meeting ends by itself at planned_end

  std::chrono::milliseconds task{0};        // T
  std::chrono::milliseconds reflection{0};  // R
  std::chrono::milliseconds paused{0};      // neither
  std::chrono::milliseconds elapsed{0};     // at - started_at == T + R + paused
  std::chrono::milliseconds remaining{0};   // planned_end - at; negative in overtime
  std::chrono::milliseconds overtime{0};    // max(0, at - planned_end)
  double share = 0;                         // R / (T + R), 0 when T + R == 0
  bool target_met_now = false;              // R*100 >= pct*(T+R) (exact; docs/architecture.md)

  // Reflection still needed by the planned end (0 in overtime: status then follows the share).
  std::chrono::milliseconds reflection_needed{0};
  // The latest moment reflection can begin and still reach the target by the planned end.
  // Present while the meeting runs, before the planned end, when reflection is still needed;
  // it may lie in the past (status missed). Fixed while in task mode.
  std::optional<room_time> latest_reflection_start;
  reflection_status status = reflection_status::on_track;
};

// The record of a finished meeting.
struct meeting_summary {
  room_time started_at{};
  room_time ended_at{};
  std::chrono::milliseconds planned_length{0};
  std::chrono::milliseconds task{0};        // T
  std::chrono::milliseconds reflection{0};  // R
  std::chrono::milliseconds paused{0};
  std::chrono::milliseconds overtime{0};   // max(0, ended_at - planned end)
  double share = 0;                        // R / (T + R), 0 when T + R == 0
  int target_pct = 0;                      // the target in force at the end
  bool met = false;                        // exact: docs/architecture.md
  std::string ended_by;                    // member id, or room_actor when it ended on time
  std::optional<std::string> end_reason;   // the honest-ending reason, if one was given
  std::vector<timeline_segment> timeline;  // every segment, all closed
};

enum class nudge_kind { reflect_soon, reflect_now, end_soon, auto_reflection };

// "reflect_soon", "reflect_now", "end_soon", "auto_reflection" (the wire names, lower case).
std::string_view to_string(nudge_kind kind);

// Something the room should announce.
struct meeting_nudge {
  nudge_kind kind = nudge_kind::reflect_soon;
  std::string message;  // kind, concrete, with the time of day: "Start reflecting by 14:32 ..."
  room_time at{};       // the moment it was due

  friend bool operator==(const meeting_nudge&, const meeting_nudge&) = default;
};

// Turns a room_time into the local time of day people read, e.g. "14:32".
using time_label = std::function<std::string(room_time)>;

// A time_label for a fixed offset: local time of day = (t + local_offset) modulo 24 hours,
// rounded down to the minute, as "HH:MM". The room computes the offset from its wall clock
// and time zone (e.g. wall_ms - now_ms + zone offset).
time_label time_of_day_label(std::chrono::milliseconds local_offset);

class meeting_clock {
 public:
  // A meeting that has not started.
  meeting_clock() = default;

  // Commands. Each takes the moment it happens (`now`, never before the last recorded
  // change) and the member id of who makes it (non-empty, at most max_member_id_bytes, not
  // room_actor). Each either applies fully and returns ok, or changes nothing and returns
  // why.

  // Starts the meeting in task mode. Refused if already started or ended, or if the plan is
  // out of range (planned length, target, lead time).
  status start(room_time now, std::string_view who, const meeting_plan& plan);

  // Switches to `mode` (task or reflection). Refused before the start, after the end, and
  // when already in that mode. While paused it resumes in `mode`.
  status switch_mode(room_time now, std::string_view who, meeting_mode mode);

  // Switches to `mode` (task or reflection) because a consult phase that counts as that mode
  // began ("consulting to each other is learning"). `who` is whoever moved the consult on: a
  // member, or room_actor when the phase began by its own timer. Refused as switch_mode is,
  // and also while paused (a pause stays a pause).
  status follow_consult(room_time now, std::string_view who, meeting_mode mode);

  // Pauses. Refused unless in task or reflection.
  status pause(room_time now, std::string_view who);

  // Resumes in the mode the meeting was paused in. Refused unless paused.
  status resume(room_time now, std::string_view who);

  // Changes the target (0 to 100 per cent) of the running meeting; the mode stays. Refused
  // before the start, after the end, or when the target is already `target_pct`.
  status set_target(room_time now, std::string_view who, int target_pct);

  // Ends the meeting, from any running mode; nothing blocks ending. `reason` is the optional
  // honest-ending reason (at most max_end_reason_bytes; blank counts as none).
  status end(room_time now, std::string_view who,
             std::optional<std::string_view> reason = std::nullopt);

  // Queries.

  // The figures at `now`. A `now` before the last recorded change is taken as that change's
  // moment; after the end, the figures are those at the end.
  meeting_snapshot snapshot(room_time now) const;

  // When take_due_nudges next has something to announce or apply (the end on time too),
  // assuming no command comes first: a moment <= now means "now". Absent when nothing more
  // is scheduled.
  std::optional<room_time> next_nudge_at(room_time now) const;

  // Everything due at `now`, in time order, each marked sent; applies auto_reflection (a
  // timeline change by room_actor) and the end on time (mode() becomes ended; no nudge is
  // returned for it). `label` turns times into the time of day for the messages. Call it
  // when next_nudge_at says, and before applying any member's command at `now`, so events
  // due earlier take effect first.
  std::vector<meeting_nudge> take_due_nudges(room_time now, const time_label& label);

  // The record of the meeting, once it has ended.
  std::optional<meeting_summary> summary() const;

  meeting_mode mode() const { return mode_; }

  // Every segment so far; the last is open (no end) while the meeting runs.
  const std::vector<timeline_segment>& timeline() const { return timeline_; }

 private:
  struct totals {
    std::chrono::milliseconds task{0};
    std::chrono::milliseconds reflection{0};
    std::chrono::milliseconds paused{0};
  };
  // What falls due next: a nudge, or the end on time.
  struct due_candidate {
    nudge_kind kind;    // the nudge, unless `ends`
    room_time at;       // when it is due
    bool ends = false;  // the end on time, which no nudge announces
  };

  bool running() const;
  status check_command(room_time now, std::string_view who, bool adds_segment = true,
                       bool by_room = false) const;
  status switch_to(room_time now, std::string_view who, meeting_mode mode, change_kind cause);
  void record_change(room_time now, std::string_view who, meeting_mode mode, change_kind cause);
  void on_enter_task(room_time now);
  void finish(room_time now, std::string_view who, std::optional<std::string> reason);
  totals totals_at(room_time t) const;
  std::chrono::milliseconds reflection_needed_at(room_time t, const totals& sums) const;
  std::optional<room_time> latest_at(room_time t) const;
  std::optional<due_candidate> earliest_due(room_time now) const;
  std::string message_for(const due_candidate& due, const time_label& label) const;

  meeting_mode mode_ = meeting_mode::not_started;  // current mode
  meeting_mode resume_mode_ = meeting_mode::task;  // the mode a pause returns to
  meeting_plan plan_;                              // as started, target as changed since
  room_time started_at_{};                         // when start() was applied
  room_time last_change_at_{};                     // begin of the open segment, or the end
  totals closed_;                                  // accrued over every closed segment
  std::vector<timeline_segment> timeline_;         // every change since the start
  std::string ended_by_;                           // who ended it (once ended)
  std::optional<std::string> end_reason_;          // the honest-ending reason (once ended)

  // Nudge arming (docs/architecture.md, "The meeting clock"): true while the nudge may still be
  // sent.
  bool reflect_soon_armed_ = false;
  bool reflect_now_armed_ = false;  // also arms auto_reflection when plan_.auto_reflect
  bool end_soon_armed_ = false;
};

}  // namespace colead::room
