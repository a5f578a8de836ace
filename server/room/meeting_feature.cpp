#include "room/meeting_feature.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "ot/utf8.hpp"
#include "room/learning_log.hpp"
#include "room/meeting_name.hpp"
#include "room/reflection_rule.hpp"
#include "room/room_records.hpp"
#include "room/text_limits.hpp"

namespace colead::room {

namespace {

constexpr std::size_t max_title_chars = 120;
constexpr const char* restart_reason = "the server restarted during this meeting";

v1::MeetingState::Mode mode_to_wire(meeting_mode m) {
  switch (m) {
    case meeting_mode::task:
      return v1::MeetingState::TASK;
    case meeting_mode::reflection:
      return v1::MeetingState::REFLECTION;
    case meeting_mode::paused:
      return v1::MeetingState::PAUSED;
    case meeting_mode::ended:
      return v1::MeetingState::ENDED;
    default:
      return v1::MeetingState::MODE_UNSPECIFIED;
  }
}

v1::MeetingState::Status status_to_wire(reflection_status s) {
  switch (s) {
    case reflection_status::on_track:
      return v1::MeetingState::ON_TRACK;
    case reflection_status::at_risk:
      return v1::MeetingState::AT_RISK;
    case reflection_status::missed:
      return v1::MeetingState::MISSED;
    case reflection_status::met:
      return v1::MeetingState::MET;
  }
  return v1::MeetingState::STATUS_UNSPECIFIED;
}

v1::Nudge::Kind nudge_to_wire(nudge_kind k) {
  switch (k) {
    case nudge_kind::reflect_soon:
      return v1::Nudge::REFLECT_SOON;
    case nudge_kind::reflect_now:
      return v1::Nudge::REFLECT_NOW;
    case nudge_kind::end_soon:
      return v1::Nudge::END_SOON;
    case nudge_kind::auto_reflection:
      return v1::Nudge::AUTO_REFLECTION;
  }
  return v1::Nudge::KIND_UNSPECIFIED;
}

bool running(meeting_mode m) {
  return m == meeting_mode::task || m == meeting_mode::reflection || m == meeting_mode::paused;
}

// The prompts used when the server was given none: the guide's three role questions.
const prompt_set& builtin_prompts() {
  static const prompt_set set = parse_prompt_set(
                                    "# how_we_work: The three role questions\n"
                                    "What role am I in now?\n"
                                    "What role am I in in this context?\n"
                                    "What is the purpose of this role?\n",
                                    "built-in")
                                    .value();
  return set;
}

// A meeting that was running when the server stopped, closed at its last stored figures.
v1::MeetingState closed_after_restart(v1::MeetingState state) {
  auto* s = state.mutable_summary();
  s->set_meeting_id(state.meeting_id());
  s->set_title(state.title());
  s->set_started_at_ms(state.started_at_ms());
  s->set_ended_at_ms(state.server_time_ms());
  s->set_planned_ms(state.planned_ms());
  s->set_task_ms(state.task_ms());
  s->set_reflection_ms(state.reflection_ms());
  s->set_paused_ms(state.paused_ms());
  s->set_target_pct(state.target_pct());
  s->set_share(state.share());
  s->set_share_pct(static_cast<std::uint32_t>(
      reflection_rule::shown_percent(state.task_ms(), state.reflection_ms())));
  s->set_met(reflection_rule::met(state.task_ms(), state.reflection_ms(),
                                  static_cast<int>(state.target_pct())));
  s->set_reason(restart_reason);
  s->set_ended_by(std::string(room_actor));
  state.set_mode(v1::MeetingState::ENDED);
  state.set_status(s->met() ? v1::MeetingState::MET : v1::MeetingState::MISSED);
  state.set_reflect_by_in_ms(0);
  state.clear_prompt();
  return state;
}

}  // namespace

meeting_feature::meeting_feature(room_context& room) : room_(room) {}

meeting_feature::~meeting_feature() {
  if (observed_ && room_.observer() != nullptr) room_.observer()->meeting_stopped();
}

const prompt_set& meeting_feature::prompts() const {
  const auto& given = room_.options().prompts;
  return given ? *given : builtin_prompts();
}

std::vector<v1::ClientMessage::KindCase> meeting_feature::kinds() const {
  return {v1::ClientMessage::kMeeting};
}

void meeting_feature::handle(const request& r, const v1::ClientMessage& message) {
  on_command(r, message.meeting());
}

void meeting_feature::observe() {
  auto* o = room_.observer();
  if (o == nullptr) return;
  if (const bool now = running(clock_.mode()); now != observed_) {
    observed_ = now;
    now ? o->meeting_started() : o->meeting_stopped();
  }
}

std::string meeting_feature::running_id() const {
  return running(clock_.mode()) ? id_ : std::string();
}

void meeting_feature::restore(const std::vector<store::item_record>& items,
                              std::vector<store::item_record>& writes) {
  for (const auto& item : items) {
    if (item.kind != "meeting") continue;
    v1::MeetingState state;
    if (!meeting_from_stored(item.payload, state) || state.meeting_id().empty()) continue;
    if (!state.has_summary()) {
      state = closed_after_restart(std::move(state));
      writes.push_back(store::item_record{room_.model().id, item.kind, item.item_id,
                                          item.version + 1, room_.time().wall_ms(),
                                          stored_meeting(state)});
    }
    past_.push_back(state.summary());
    if (!restored_ || restored_->started_at_ms() <= state.started_at_ms()) {
      restored_ = std::move(state);
    }
  }
  std::stable_sort(past_.begin(), past_.end(), [](const auto& a, const auto& b) {
    return a.started_at_ms() < b.started_at_ms();
  });
  // Meetings stored before every meeting had a name get theirs by their place in the room.
  for (std::size_t i = 0; i < past_.size(); ++i) {
    auto& m = past_[i];
    m.set_title(meeting_name(m.title(), i + 1, m.started_at_ms()));
    m.set_share_pct(
        static_cast<std::uint32_t>(reflection_rule::shown_percent(m.task_ms(), m.reflection_ms())));
    if (restored_ && restored_->meeting_id() == m.meeting_id()) {
      restored_->set_title(m.title());
      *restored_->mutable_summary() = m;
    }
  }
}

void meeting_feature::fill_overview(v1::RoomOverview& overview) const {
  if (clock_.mode() != meeting_mode::not_started) {
    const auto m = state_message();
    overview.set_mode(m.mode());
    overview.set_share(m.share());
    overview.set_target_pct(m.target_pct());
    overview.set_status(m.status());
    overview.set_elapsed_ms(m.elapsed_ms());
    overview.set_planned_ms(m.planned_ms());
    overview.set_meeting_title(m.title());
  }
  for (const auto& past : past_) {
    auto* share = overview.add_meetings();
    share->set_title(past.title());
    share->set_started_at_ms(past.started_at_ms());
    share->set_share(past.share());
    share->set_target_pct(past.target_pct());
    share->set_task_ms(past.task_ms());
    share->set_reflection_ms(past.reflection_ms());
  }
}

void meeting_feature::fill_welcome(v1::RoomSnapshot& room, const std::string&,
                                   const v1::Hello&) const {
  if (clock_.mode() != meeting_mode::not_started || restored_) {
    *room.mutable_meeting() = state_message();
  }
  for (const auto& m : past_)
    *room.add_past_meetings() = m;
}

std::int64_t meeting_feature::wall_at(room_time t) const {
  const auto ahead = static_cast<double>((t - room_time_at(room_.time().now_ms())).count());
  return room_.time().wall_ms() + static_cast<std::int64_t>(ahead / room_.time().scale());
}

std::string meeting_feature::label_at(room_time t) const {
  const std::time_t secs = static_cast<std::time_t>(wall_at(t) / 1000);
  std::tm local{};
  localtime_r(&secs, &local);
  char out[8];
  std::snprintf(out, sizeof out, "%02d:%02d", local.tm_hour, local.tm_min);
  return out;
}

v1::MeetingSummary meeting_feature::summary_message(const meeting_summary& s) const {
  v1::MeetingSummary out;
  out.set_meeting_id(id_);
  out.set_title(title_);
  out.set_started_at_ms(started_wall_);
  out.set_ended_at_ms(wall_at(s.ended_at));
  out.set_planned_ms(s.planned_length.count());
  out.set_task_ms(s.task.count());
  out.set_reflection_ms(s.reflection.count());
  out.set_paused_ms(s.paused.count());
  out.set_target_pct(static_cast<std::uint32_t>(s.target_pct));
  out.set_share(s.share);
  out.set_share_pct(static_cast<std::uint32_t>(
      reflection_rule::shown_percent(s.task.count(), s.reflection.count())));
  out.set_met(s.met);
  if (s.end_reason) out.set_reason(*s.end_reason);
  out.set_ended_by(s.ended_by);
  if (log_ != nullptr) {
    for (const auto& n : log_->notes())
      if (n.meeting_id() == id_ && !n.removed() && !n.personal()) *out.add_notes() = n;
  }
  for (const auto& d : room_.model().docs) {
    if (d.id != purpose_doc_id || d.removed) continue;
    auto* p = out.mutable_purpose();
    p->set_id(d.id);
    p->set_title(d.title);
    p->set_rev(d.text.revision());
    p->set_text(d.text.current_snapshot().text);
  }
  for (const auto& seg : s.timeline) {
    auto* g = out.add_timeline();
    g->set_mode(mode_to_wire(seg.mode));
    g->set_from_ms((seg.begin - s.started_at).count());
    g->set_to_ms(((seg.end ? *seg.end : s.ended_at) - s.started_at).count());
    g->set_by(seg.by);
  }
  return out;
}

v1::MeetingState meeting_feature::state_message() const {
  if (clock_.mode() == meeting_mode::not_started) {
    return restored_ ? *restored_ : v1::MeetingState{};
  }
  const auto now = room_time_at(room_.time().now_ms());
  const auto snap = clock_.snapshot(now);
  v1::MeetingState m;
  m.set_meeting_id(id_);
  m.set_mode(mode_to_wire(snap.mode));
  m.set_server_time_ms(room_.time().wall_ms());
  m.set_planned_ms(snap.planned_length.count());
  m.set_target_pct(static_cast<std::uint32_t>(snap.target_pct));
  m.set_task_ms(snap.task.count());
  m.set_reflection_ms(snap.reflection.count());
  m.set_paused_ms(snap.paused.count());
  m.set_elapsed_ms(snap.elapsed.count());
  m.set_remaining_ms(snap.remaining.count());
  m.set_share(snap.share);
  if (snap.mode == meeting_mode::task && snap.latest_reflection_start) {
    m.set_reflect_by_in_ms((*snap.latest_reflection_start - now).count());
  }
  m.set_status(status_to_wire(snap.status));
  m.set_changed_by(changed_by_);
  m.set_auto_reflect(snap.auto_reflect);
  m.set_end_on_time(snap.end_on_time);
  if (snap.mode == meeting_mode::reflection && prompt_) {
    const auto& set = prompts();
    const auto& current = prompt_->current(set);
    auto* p = m.mutable_prompt();
    p->set_section(set.sections()[current.section].title);
    p->set_text(current.text);
    p->set_index(static_cast<std::uint32_t>(prompt_->index()));
    p->set_count(static_cast<std::uint32_t>(prompt_->count()));
  }
  m.set_title(title_);
  m.set_time_scale(room_.time().scale());
  m.set_started_at_ms(started_wall_);
  if (auto s = clock_.summary()) *m.mutable_summary() = summary_message(*s);
  return m;
}

void meeting_feature::changed(const request& r) {
  changed_by_ = r.member;
  auto state = state_message();
  if (state.has_summary()) past_.push_back(state.summary());
  const auto& room_id = room_.model().id;
  store::write_batch batch;
  const std::int64_t wall = room_.time().wall_ms();
  batch.put_item(
      store::item_record{room_id, "meeting", id_, ++version_, wall, stored_meeting(state)});
  batch.touch_room(room_id, wall);
  v1::ServerMessage out;
  *out.mutable_meeting_state() = std::move(state);
  room_.commit(std::move(batch), r, [this, r, out = std::move(out)]() mutable {
    room_.send_ack(r);
    room_.broadcast(std::move(out));
  });
}

void meeting_feature::announce(std::vector<meeting_nudge> nudges) {
  for (auto& n : nudges) {
    v1::ServerMessage m;
    auto* nudge = m.mutable_nudge();
    nudge->set_kind(nudge_to_wire(n.kind));
    nudge->set_message(std::move(n.message));
    nudge->set_at_ms(wall_at(n.at));
    room_.emit([this, m = std::move(m)]() mutable { room_.broadcast(std::move(m)); });
  }
}

bool meeting_feature::catch_up() {
  if (!running(clock_.mode())) return false;
  const auto now = room_time_at(room_.time().now_ms());
  const auto before = clock_.timeline().size();
  auto nudges = clock_.take_due_nudges(now, [this](room_time t) { return label_at(t); });
  announce(std::move(nudges));
  // Ending adds no segment, so an end on time shows only in the mode.
  if (clock_.timeline().size() == before && running(clock_.mode())) return false;
  changed({{}, std::string(room_actor), 0});
  return true;
}

void meeting_feature::on_command(const request& r, const v1::MeetingCommand& command) {
  const auto& member = r.member;
  catch_up();
  const auto now = room_time_at(room_.time().now_ms());
  status result = status::ok();
  switch (command.action_case()) {
    case v1::MeetingCommand::kStart: {
      const auto& start = command.start();
      if (running(clock_.mode())) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED,
                                "a meeting is already running; end it before starting another");
      }
      if (start.planned_minutes() < 1 || start.planned_minutes() > 480) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED,
                                "planned_minutes must be 1 to 480 minutes");
      }
      if (start.reflection_target_pct() != 0 &&
          !reflection_rule::valid_target(start.reflection_target_pct())) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED,
                                reflection_rule::target_problem(start.reflection_target_pct()) +
                                    " Leave it out for the room's default.");
      }
      const auto title = clean_text(start.title());
      if (!is_valid_text(start.title()) || ot::utf8::count_code_points(title) > max_title_chars) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED,
                                "a meeting title is at most 120 characters of valid UTF-8");
      }
      meeting_plan plan;
      plan.planned_length = std::chrono::minutes{start.planned_minutes()};
      plan.target_pct = static_cast<int>(start.reflection_target_pct() != 0
                                             ? start.reflection_target_pct()
                                             : room_.model().settings.reflection_target_pct);
      plan.nudge_lead = std::chrono::minutes{room_.model().settings.nudge_lead_minutes};
      plan.auto_reflect = room_.model().settings.auto_reflect;
      plan.end_on_time = start.end_on_time();
      meeting_clock next;
      result = next.start(now, member, plan);
      if (!result) break;
      clock_ = std::move(next);
      id_ = make_id(12);
      started_wall_ = room_.time().wall_ms();
      // One meeting runs at a time, so this one is the room's meeting number past_ + 1.
      title_ = meeting_name(title, past_.size() + 1, started_wall_);
      version_ = 0;
      prompt_.emplace(prompts());
      restored_.reset();
      break;
    }
    case v1::MeetingCommand::kMode: {
      const auto mode = command.mode().mode();
      if (mode != v1::MeetingState::TASK && mode != v1::MeetingState::REFLECTION) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED, "switch to TASK or REFLECTION");
      }
      result = clock_.switch_mode(
          now, member,
          mode == v1::MeetingState::TASK ? meeting_mode::task : meeting_mode::reflection);
      break;
    }
    case v1::MeetingCommand::kPause:
      result = clock_.pause(now, member);
      break;
    case v1::MeetingCommand::kResume:
      result = clock_.resume(now, member);
      break;
    case v1::MeetingCommand::kEnd: {
      const auto reason = clean_text(command.end().reason(), true);
      if (!is_valid_text(command.end().reason())) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED, "the reason is not valid UTF-8");
      }
      result = clock_.end(now, member,
                          reason.empty() ? std::nullopt : std::optional<std::string_view>(reason));
      break;
    }
    case v1::MeetingCommand::kTarget: {
      const auto pct = command.target().reflection_target_pct();
      if (!reflection_rule::valid_target(pct)) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED, reflection_rule::target_problem(pct));
      }
      result = clock_.set_target(now, member, static_cast<int>(pct));
      break;
    }
    case v1::MeetingCommand::kPrompt: {
      if (!running(clock_.mode()) || !prompt_) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED,
                                "prompts move only while a meeting is running");
      }
      const bool back = command.prompt().step() < 0;
      if (!(back ? prompt_->previous() : prompt_->next())) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED,
                                back ? "this is the first prompt" : "this is the last prompt");
      }
      break;
    }
    default:
      return room_.send_error(r, v1::Error::NOT_ALLOWED,
                              "say what to do: start, mode, pause, resume, end, target or prompt");
  }
  if (!result) return room_.send_error(r, v1::Error::NOT_ALLOWED, result.message());
  changed(r);
}

std::optional<std::int64_t> meeting_feature::next_deadline() const {
  if (!running(clock_.mode())) return std::nullopt;
  auto at = clock_.next_nudge_at(room_time_at(room_.time().now_ms()));
  if (!at) return std::nullopt;
  return at->time_since_epoch().count();
}

void meeting_feature::on_timer() {
  catch_up();
}

void meeting_feature::follow_consult(consult_time_kind wanted, std::string_view by) {
  // What fell due first (the room's own switch, the end on time) takes effect before this.
  catch_up();
  const auto current = clock_.mode();
  if (current != meeting_mode::task && current != meeting_mode::reflection) return;
  const auto mode =
      wanted == consult_time_kind::reflection ? meeting_mode::reflection : meeting_mode::task;
  if (mode == current) return;
  if (clock_.follow_consult(room_time_at(room_.time().now_ms()), by, mode)) {
    changed({{}, std::string(by), 0});
  }
}

}  // namespace colead::room
