#include "room/meeting_clock.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace colead::room {

namespace {

using std::chrono::milliseconds;

constexpr std::int64_t ms_per_minute = 60'000;

bool share_meets(milliseconds task, milliseconds reflection, int pct) {
  return reflection_rule::met(task.count(), reflection.count(), pct);
}

double share_of(milliseconds task, milliseconds reflection) {
  return reflection_rule::share(task.count(), reflection.count());
}

std::string describe_length(milliseconds length) {
  const std::int64_t ms = length.count();
  if (ms != 0 && ms % ms_per_minute == 0) {
    const std::int64_t minutes = ms / ms_per_minute;
    return std::to_string(minutes) + (minutes == 1 || minutes == -1 ? " minute" : " minutes");
  }
  return std::to_string(ms) + " ms";
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view blanks = " \t\r\n\f\v";
  const auto first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(blanks);
  return text.substr(first, last - first + 1);
}

// Ties are broken so that a reminder comes before the event it announces, and the room's own
// switch comes before an end_soon due at the same moment (whose message quotes the share).
// The end on time comes after every nudge due at the same moment (see earliest_due).
int rank(nudge_kind kind) {
  switch (kind) {
    case nudge_kind::reflect_soon:
      return 0;
    case nudge_kind::reflect_now:
      return 1;
    case nudge_kind::auto_reflection:
      return 2;
    case nudge_kind::end_soon:
      return 3;
  }
  return 4;
}

}  // namespace

std::string_view to_string(meeting_mode mode) {
  switch (mode) {
    case meeting_mode::not_started:
      return "not_started";
    case meeting_mode::task:
      return "task";
    case meeting_mode::reflection:
      return "reflection";
    case meeting_mode::paused:
      return "paused";
    case meeting_mode::ended:
      return "ended";
  }
  return "unknown";
}

std::string_view to_string(reflection_status status) {
  switch (status) {
    case reflection_status::on_track:
      return "on_track";
    case reflection_status::at_risk:
      return "at_risk";
    case reflection_status::missed:
      return "missed";
    case reflection_status::met:
      return "met";
  }
  return "unknown";
}

std::string_view to_string(change_kind kind) {
  switch (kind) {
    case change_kind::start:
      return "start";
    case change_kind::switch_mode:
      return "switch_mode";
    case change_kind::pause:
      return "pause";
    case change_kind::resume:
      return "resume";
    case change_kind::set_target:
      return "set_target";
    case change_kind::auto_reflection:
      return "auto_reflection";
    case change_kind::consult_phase:
      return "consult_phase";
  }
  return "unknown";
}

std::string_view to_string(nudge_kind kind) {
  switch (kind) {
    case nudge_kind::reflect_soon:
      return "reflect_soon";
    case nudge_kind::reflect_now:
      return "reflect_now";
    case nudge_kind::end_soon:
      return "end_soon";
    case nudge_kind::auto_reflection:
      return "auto_reflection";
  }
  return "unknown";
}

time_label time_of_day_label(milliseconds local_offset) {
  return [local_offset](room_time t) {
    constexpr std::int64_t ms_per_day = 24 * 60 * ms_per_minute;
    const std::int64_t local = (t.time_since_epoch() + local_offset).count();
    // Floor modulo, so times before the scale's origin still read as a time of day.
    const std::int64_t of_day = ((local % ms_per_day) + ms_per_day) % ms_per_day;
    const auto hours = static_cast<int>(of_day / (60 * ms_per_minute));
    const auto minutes = static_cast<int>((of_day / ms_per_minute) % 60);
    char text[6];
    std::snprintf(text, sizeof text, "%02d:%02d", hours, minutes);
    return std::string(text);
  };
}

bool meeting_clock::running() const {
  return mode_ == meeting_mode::task || mode_ == meeting_mode::reflection ||
         mode_ == meeting_mode::paused;
}

status meeting_clock::check_command(room_time now, std::string_view who, bool adds_segment,
                                    bool by_room) const {
  if (who.empty()) {
    return status::invalid_argument("A change to the meeting must name the member who makes it.");
  }
  if (who.size() > max_member_id_bytes) {
    return status::invalid_argument("The member id is longer than " +
                                    std::to_string(max_member_id_bytes) + " bytes.");
  }
  if (who == room_actor && !by_room) {
    return status::invalid_argument(
        "\"colead\" is the name the meeting uses for its own changes; a member cannot use it.");
  }
  if (mode_ != meeting_mode::not_started && now < last_change_at_) {
    return status::out_of_order(
        "This change is dated " + describe_length(last_change_at_ - now) +
        " before the meeting's last recorded change; changes must come in time order.");
  }
  // One segment is always kept spare for the room's own switch to reflection, which can
  // follow any member's change and must never be refused.
  if (adds_segment && running() && timeline_.size() + 1 >= max_timeline_segments) {
    return status::wrong_state("This meeting has recorded the most changes it can keep (" +
                               std::to_string(max_timeline_segments) +
                               "); end it and start a new meeting.");
  }
  return status::ok();
}

void meeting_clock::record_change(room_time now, std::string_view who, meeting_mode mode,
                                  change_kind cause) {
  const milliseconds spent = now - last_change_at_;
  switch (mode_) {
    case meeting_mode::task:
      closed_.task += spent;
      break;
    case meeting_mode::reflection:
      closed_.reflection += spent;
      break;
    case meeting_mode::paused:
      closed_.paused += spent;
      break;
    case meeting_mode::not_started:
    case meeting_mode::ended:
      break;
  }
  if (!timeline_.empty()) timeline_.back().end = now;
  timeline_.push_back(
      timeline_segment{mode, now, std::nullopt, std::string(who), cause, plan_.target_pct});
  last_change_at_ = now;
  mode_ = mode;
}

void meeting_clock::on_enter_task(room_time now) {
  const std::optional<room_time> latest = latest_at(now);
  if (!latest) return;
  if (*latest > now) {
    reflect_now_armed_ = true;
    if (*latest - plan_.nudge_lead > now) reflect_soon_armed_ = true;
  } else {
    // The member chose task at or past the latest moment: the status already says so, and
    // the room asked to be reminded, not overruled.
    reflect_now_armed_ = false;
    reflect_soon_armed_ = false;
  }
}

meeting_clock::totals meeting_clock::totals_at(room_time t) const {
  totals sums = closed_;
  const milliseconds open = t - last_change_at_;
  switch (mode_) {
    case meeting_mode::task:
      sums.task += open;
      break;
    case meeting_mode::reflection:
      sums.reflection += open;
      break;
    case meeting_mode::paused:
      sums.paused += open;
      break;
    case meeting_mode::not_started:
    case meeting_mode::ended:
      break;
  }
  return sums;
}

milliseconds meeting_clock::reflection_needed_at(room_time t, const totals& sums) const {
  const room_time planned_end = started_at_ + plan_.planned_length;
  if (!running() || t >= planned_end) return milliseconds{0};
  // The active time the meeting will have if it ends on plan: paused time is not in it.
  const std::int64_t active = (sums.task + sums.reflection + (planned_end - t)).count();
  const std::int64_t required = reflection_rule::required_ms(active, plan_.target_pct);
  return milliseconds{std::max<std::int64_t>(0, required - sums.reflection.count())};
}

std::optional<room_time> meeting_clock::latest_at(room_time t) const {
  const milliseconds needed = reflection_needed_at(t, totals_at(t));
  if (needed.count() == 0) return std::nullopt;
  return started_at_ + plan_.planned_length - needed;
}

status meeting_clock::start(room_time now, std::string_view who, const meeting_plan& plan) {
  if (mode_ == meeting_mode::ended) {
    return status::wrong_state("This meeting has already ended; start a new meeting instead.");
  }
  if (mode_ != meeting_mode::not_started) {
    return status::wrong_state("A meeting is already running; end it before starting a new one.");
  }
  if (status checked = check_command(now, who); !checked) return checked;
  if (plan.planned_length <= milliseconds{0} || plan.planned_length > max_planned_length) {
    return status::invalid_argument("The planned length must be more than 0 and at most " +
                                    describe_length(max_planned_length) + "; it was " +
                                    describe_length(plan.planned_length) + ".");
  }
  if (!reflection_rule::valid_target(plan.target_pct)) {
    return status::invalid_argument(reflection_rule::target_problem(plan.target_pct));
  }
  if (plan.nudge_lead < milliseconds{0} || plan.nudge_lead > max_nudge_lead) {
    return status::invalid_argument("The nudge lead time must be from 0 to " +
                                    describe_length(max_nudge_lead) + "; it was " +
                                    describe_length(plan.nudge_lead) + ".");
  }
  plan_ = plan;
  started_at_ = now;
  last_change_at_ = now;
  record_change(now, who, meeting_mode::task, change_kind::start);
  reflect_soon_armed_ = true;
  reflect_now_armed_ = true;
  end_soon_armed_ = true;
  return status::ok();
}

status meeting_clock::switch_mode(room_time now, std::string_view who, meeting_mode mode) {
  if (status checked = check_command(now, who); !checked) return checked;
  return switch_to(now, who, mode,
                   mode_ == meeting_mode::paused ? change_kind::resume : change_kind::switch_mode);
}

status meeting_clock::follow_consult(room_time now, std::string_view who, meeting_mode mode) {
  if (status checked = check_command(now, who, true, who == room_actor); !checked) {
    return checked;
  }
  if (mode_ == meeting_mode::paused) {
    return status::wrong_state("The meeting is paused; a consult phase does not resume it.");
  }
  return switch_to(now, who, mode, change_kind::consult_phase);
}

status meeting_clock::switch_to(room_time now, std::string_view who, meeting_mode mode,
                                change_kind cause) {
  if (mode != meeting_mode::task && mode != meeting_mode::reflection) {
    return status::invalid_argument(
        "A meeting switches only between task and reflection; use pause, resume or end for "
        "the rest.");
  }
  if (mode_ == meeting_mode::not_started) {
    return status::wrong_state("No meeting has started yet; start one first.");
  }
  if (mode_ == meeting_mode::ended) {
    return status::wrong_state("This meeting has ended; start a new meeting to carry on.");
  }
  if (mode_ == mode) {
    return status::wrong_state("The meeting is already in " + std::string(to_string(mode)) + ".");
  }
  record_change(now, who, mode, cause);
  if (mode == meeting_mode::task) on_enter_task(now);
  return status::ok();
}

status meeting_clock::pause(room_time now, std::string_view who) {
  if (status checked = check_command(now, who); !checked) return checked;
  if (mode_ == meeting_mode::paused) {
    return status::wrong_state("The meeting is already paused; resume it to carry on.");
  }
  if (!running()) {
    return status::wrong_state(mode_ == meeting_mode::ended
                                   ? "This meeting has ended, so it cannot be paused."
                                   : "No meeting has started yet, so there is nothing "
                                     "to pause.");
  }
  resume_mode_ = mode_;
  record_change(now, who, meeting_mode::paused, change_kind::pause);
  return status::ok();
}

status meeting_clock::resume(room_time now, std::string_view who) {
  if (status checked = check_command(now, who); !checked) return checked;
  if (mode_ != meeting_mode::paused) {
    return status::wrong_state(
        mode_ == meeting_mode::ended         ? "This meeting has ended, so it cannot be resumed."
        : mode_ == meeting_mode::not_started ? "No meeting has started yet; start one first."
                                             : "The meeting is not paused, so there is nothing "
                                               "to resume.");
  }
  record_change(now, who, resume_mode_, change_kind::resume);
  if (mode_ == meeting_mode::task) on_enter_task(now);
  return status::ok();
}

status meeting_clock::set_target(room_time now, std::string_view who, int target_pct) {
  if (status checked = check_command(now, who); !checked) return checked;
  if (!running()) {
    return status::wrong_state(
        mode_ == meeting_mode::ended
            ? "This meeting has ended, so its target can no longer change."
            : "No meeting has started yet; give the target when starting one.");
  }
  if (!reflection_rule::valid_target(target_pct)) {
    return status::invalid_argument(reflection_rule::target_problem(target_pct));
  }
  if (target_pct == plan_.target_pct) {
    return status::invalid_argument("The reflection target is already " +
                                    std::to_string(target_pct) + "%.");
  }
  plan_.target_pct = target_pct;
  record_change(now, who, mode_, change_kind::set_target);
  // A new target is a new plan: the room hears once where it stands under it.
  reflect_soon_armed_ = true;
  reflect_now_armed_ = true;
  return status::ok();
}

status meeting_clock::end(room_time now, std::string_view who,
                          std::optional<std::string_view> reason) {
  // Ending never adds a segment, so it stays possible when the timeline is full.
  if (status checked = check_command(now, who, false); !checked) return checked;
  if (mode_ == meeting_mode::not_started) {
    return status::wrong_state("No meeting has started, so there is nothing to end.");
  }
  if (mode_ == meeting_mode::ended) {
    return status::wrong_state("This meeting has already ended.");
  }
  std::optional<std::string> kept_reason;
  if (reason) {
    const std::string_view trimmed = trim(*reason);
    if (trimmed.size() > max_end_reason_bytes) {
      return status::invalid_argument("The reason for ending is " + std::to_string(trimmed.size()) +
                                      " bytes long; please keep it to " +
                                      std::to_string(max_end_reason_bytes) + ".");
    }
    if (!trimmed.empty()) kept_reason = std::string(trimmed);
  }
  finish(now, who, std::move(kept_reason));
  return status::ok();
}

void meeting_clock::finish(room_time now, std::string_view who, std::optional<std::string> reason) {
  closed_ = totals_at(now);
  timeline_.back().end = now;
  last_change_at_ = now;
  mode_ = meeting_mode::ended;
  ended_by_ = std::string(who);
  end_reason_ = std::move(reason);
  reflect_soon_armed_ = false;
  reflect_now_armed_ = false;
  end_soon_armed_ = false;
}

meeting_snapshot meeting_clock::snapshot(room_time now) const {
  meeting_snapshot s;
  s.mode = mode_;
  s.resumes_to = resume_mode_;
  s.at = now;
  if (mode_ == meeting_mode::not_started) return s;

  const room_time t =
      mode_ == meeting_mode::ended ? last_change_at_ : std::max(now, last_change_at_);
  const room_time planned_end = started_at_ + plan_.planned_length;
  const totals sums = totals_at(t);
  s.at = t;
  s.started_at = started_at_;
  s.planned_end = planned_end;
  s.planned_length = plan_.planned_length;
  s.target_pct = plan_.target_pct;
  s.nudge_lead = plan_.nudge_lead;
  s.auto_reflect = plan_.auto_reflect;
  s.end_on_time = plan_.end_on_time;
  s.task = sums.task;
  s.reflection = sums.reflection;
  s.paused = sums.paused;
  s.elapsed = t - started_at_;
  s.remaining = planned_end - t;
  s.overtime = std::max(milliseconds{0}, t - planned_end);
  s.share = share_of(sums.task, sums.reflection);
  s.target_met_now = share_meets(sums.task, sums.reflection, plan_.target_pct);
  s.reflection_needed = reflection_needed_at(t, sums);
  if (running() && s.reflection_needed.count() > 0) {
    s.latest_reflection_start = planned_end - s.reflection_needed;
  }

  if (!running() || t >= planned_end) {
    s.status = s.target_met_now ? reflection_status::met : reflection_status::missed;
  } else if (!s.latest_reflection_start) {
    s.status = reflection_status::met;
  } else if (*s.latest_reflection_start < t) {
    s.status = reflection_status::missed;
  } else if (mode_ == meeting_mode::reflection ||
             *s.latest_reflection_start - t > plan_.nudge_lead) {
    s.status = reflection_status::on_track;
  } else {
    s.status = reflection_status::at_risk;
  }
  return s;
}

std::optional<meeting_clock::due_candidate> meeting_clock::earliest_due(room_time now) const {
  if (!running()) return std::nullopt;
  const room_time planned_end = started_at_ + plan_.planned_length;
  std::optional<due_candidate> best;
  const auto consider = [&best](nudge_kind kind, room_time at) {
    if (!best || at < best->at ||
        (at == best->at && (best->ends || rank(kind) < rank(best->kind)))) {
      best = due_candidate{kind, at};
    }
  };

  if (plan_.end_on_time) {
    // Every nudge is due at or before the end; one due at the same moment goes first.
    best = due_candidate{nudge_kind::end_soon, std::max(planned_end, last_change_at_), true};
  }
  if (end_soon_armed_ && now < planned_end) {
    consider(nudge_kind::end_soon, std::max(planned_end - plan_.nudge_lead, last_change_at_));
  }
  if (mode_ == meeting_mode::task) {
    // In task mode the latest moment does not move, so the one computed at the last change
    // holds until the next.
    if (const std::optional<room_time> latest = latest_at(last_change_at_)) {
      if (reflect_soon_armed_ && now < *latest) {
        consider(nudge_kind::reflect_soon, std::max(*latest - plan_.nudge_lead, last_change_at_));
      }
      if (reflect_now_armed_) {
        const room_time at = std::max(*latest, last_change_at_);
        if (plan_.auto_reflect) {
          consider(nudge_kind::auto_reflection, at);
        } else if (now < planned_end) {
          consider(nudge_kind::reflect_now, at);
        }
      }
    }
  }
  return best;
}

std::optional<room_time> meeting_clock::next_nudge_at(room_time now) const {
  const std::optional<due_candidate> due = earliest_due(now);
  if (!due) return std::nullopt;
  return due->at;
}

std::string meeting_clock::message_for(const due_candidate& due, const time_label& label) const {
  const std::string pct = std::to_string(plan_.target_pct) + "%";
  const room_time planned_end = started_at_ + plan_.planned_length;
  const std::optional<room_time> latest = latest_at(due.at);
  switch (due.kind) {
    case nudge_kind::reflect_soon:
      return "Time to reflect soon: start reflecting by " + label(latest.value_or(due.at)) +
             " to keep your " + pct + ".";
    case nudge_kind::reflect_now:
      if (latest && *latest >= due.at) {
        return "Time to reflect: start reflecting now (" + label(due.at) + ") to keep your " + pct +
               ".";
      }
      return "Reflecting from now until the planned end at " + label(planned_end) +
             " will not quite reach your " + pct + ", but every minute of reflection still counts.";
    case nudge_kind::auto_reflection:
      if (latest && *latest >= due.at) {
        return "As this room asked, Colead has moved the meeting into reflection at " +
               label(due.at) + " to keep your " + pct + ".";
      }
      return "As this room asked, Colead has moved the meeting into reflection at " +
             label(due.at) + ". Your " + pct + " can no longer be reached by the planned end at " +
             label(planned_end) + ", but every minute of reflection still counts.";
    case nudge_kind::end_soon: {
      const totals sums = totals_at(due.at);
      const int share_pct =
          reflection_rule::shown_percent(sums.task.count(), sums.reflection.count());
      const std::int64_t left =
          planned_end - due.at == milliseconds{0}
              ? 0
              : ((planned_end - due.at).count() + ms_per_minute - 1) / ms_per_minute;
      return (plan_.end_on_time ? "Your meeting ends by itself at "
                                : "Your meeting is planned to end at ") +
             label(planned_end) + ", in " + std::to_string(left) +
             (left == 1 ? " minute" : " minutes") +
             ". Reflection so far: " + std::to_string(share_pct) + "% (your target is " + pct +
             ").";
    }
  }
  return {};
}

std::vector<meeting_nudge> meeting_clock::take_due_nudges(room_time now, const time_label& label) {
  std::vector<meeting_nudge> sent;
  // Each step disarms what it sends, so the loop ends: at most one of each kind per call.
  while (const std::optional<due_candidate> due = earliest_due(now)) {
    if (due->at > now) break;
    if (due->ends) {
      // Ending leaves nothing running, so nothing else is due after it.
      finish(due->at, room_actor, std::nullopt);
      break;
    }
    sent.push_back(meeting_nudge{due->kind, message_for(*due, label), due->at});
    switch (due->kind) {
      case nudge_kind::reflect_soon:
        reflect_soon_armed_ = false;
        break;
      case nudge_kind::reflect_now:
        reflect_soon_armed_ = false;
        reflect_now_armed_ = false;
        break;
      case nudge_kind::auto_reflection:
        reflect_soon_armed_ = false;
        reflect_now_armed_ = false;
        record_change(due->at, room_actor, meeting_mode::reflection, change_kind::auto_reflection);
        break;
      case nudge_kind::end_soon:
        end_soon_armed_ = false;
        break;
    }
  }
  return sent;
}

std::optional<meeting_summary> meeting_clock::summary() const {
  if (mode_ != meeting_mode::ended) return std::nullopt;
  meeting_summary s;
  s.started_at = started_at_;
  s.ended_at = last_change_at_;
  s.planned_length = plan_.planned_length;
  s.task = closed_.task;
  s.reflection = closed_.reflection;
  s.paused = closed_.paused;
  s.overtime = std::max(milliseconds{0}, last_change_at_ - (started_at_ + plan_.planned_length));
  s.share = share_of(closed_.task, closed_.reflection);
  s.target_pct = plan_.target_pct;
  s.met = share_meets(closed_.task, closed_.reflection, plan_.target_pct);
  s.ended_by = ended_by_;
  s.end_reason = end_reason_;
  s.timeline = timeline_;
  return s;
}

}  // namespace colead::room
