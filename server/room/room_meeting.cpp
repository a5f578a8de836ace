// Meetings that keep the 40 per cent reflection rule, the learning log, and the room's
// shared settings.
//
// A meeting is a meeting_clock fed with room time; every change is stored as a "meeting"
// item (a MeetingState, with its summary once ended) and then pushed to every member with the
// server's wall time, so clients count down locally. Notes are "note" items (LearningNote);
// each edit or removal is a newer version, so the store keeps the history.
//
// Restart. Room time does not survive a restart (its origin is the process's steady clock),
// so a meeting that was running when the server stopped cannot carry on. It is restored as
// ended at its last stored change, with the figures it had then and the reason "the server
// restarted during this meeting": honest about what was measured, and nothing invented. The
// ended version is written back as a newer version of the meeting's item when the room loads
// (save_restored_items), so the learning record, read from the store, includes it.
#include <algorithm>
#include <cstdio>
#include <ctime>

#include "room/learning_record.hpp"
#include "room/outbound.hpp"
#include "room/reflection_rule.hpp"
#include "room/room.hpp"
#include "room/room_records.hpp"
#include "room/text_limits.hpp"
#include "room/wire.hpp"

namespace colead::room {

namespace {

constexpr std::size_t max_note_chars = 4'000;
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

const prompt_set& room::prompts() const {
  return options_.prompts ? *options_.prompts : builtin_prompts();
}

void room::restore_meeting_items() {
  for (const auto& item : model_.items) {
    if (item.kind == "note") {
      v1::LearningNote note;
      // A removed note is never shown or edited again; the store keeps its versions.
      if (!note_from_stored(item.payload, note) || note.removed()) continue;
      note.set_category(shown_category(note.category()));
      notes_.push_back(std::move(note));
    } else if (item.kind == "meeting") {
      v1::MeetingState state;
      if (!meeting_from_stored(item.payload, state) || state.meeting_id().empty()) continue;
      if (!state.has_summary()) {
        state = closed_after_restart(std::move(state));
        restored_writes_.push_back(store::item_record{model_.id, item.kind, item.item_id,
                                                      item.version + 1, clock_.wall_ms(),
                                                      stored_meeting(state)});
      }
      past_meetings_.push_back(state.summary());
      if (!restored_ || restored_->started_at_ms() <= state.started_at_ms()) {
        restored_ = std::move(state);
      }
    }
  }
  std::stable_sort(past_meetings_.begin(), past_meetings_.end(), [](const auto& a, const auto& b) {
    return a.started_at_ms() < b.started_at_ms();
  });
  std::stable_sort(notes_.begin(), notes_.end(),
                   [](const auto& a, const auto& b) { return a.at_ms() < b.at_ms(); });
}

void room::save_restored_items() {
  if (restored_writes_.empty()) return;
  store::write_batch batch;
  for (auto& item : restored_writes_)
    batch.put_item(std::move(item));
  restored_writes_.clear();
  persist(std::move(batch), {}, [this](const store::status& why) { fail_room(nullptr, 0, why); });
}

std::int64_t room::wall_at(room_time t) const {
  const auto ahead = static_cast<double>((t - room_time_at(clock_.now_ms())).count());
  return clock_.wall_ms() + static_cast<std::int64_t>(ahead / clock_.scale());
}

std::string room::label_at(room_time t) const {
  const std::time_t secs = static_cast<std::time_t>(wall_at(t) / 1000);
  std::tm local{};
  localtime_r(&secs, &local);
  char out[8];
  std::snprintf(out, sizeof out, "%02d:%02d", local.tm_hour, local.tm_min);
  return out;
}

v1::MeetingSummary room::summary_message(const meeting_summary& s) const {
  v1::MeetingSummary out;
  out.set_meeting_id(meeting_id_);
  out.set_title(meeting_title_);
  out.set_started_at_ms(meeting_started_wall_);
  out.set_ended_at_ms(wall_at(s.ended_at));
  out.set_planned_ms(s.planned_length.count());
  out.set_task_ms(s.task.count());
  out.set_reflection_ms(s.reflection.count());
  out.set_paused_ms(s.paused.count());
  out.set_target_pct(static_cast<std::uint32_t>(s.target_pct));
  out.set_share(s.share);
  out.set_met(s.met);
  if (s.end_reason) out.set_reason(*s.end_reason);
  out.set_ended_by(s.ended_by);
  for (const auto& n : notes_)
    if (n.meeting_id() == meeting_id_ && !n.removed() && !n.personal()) *out.add_notes() = n;
  for (const auto& d : model_.docs) {
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

v1::MeetingState room::meeting_state_message() const {
  if (meeting_.mode() == meeting_mode::not_started) {
    return restored_ ? *restored_ : v1::MeetingState{};
  }
  const auto now = room_time_at(clock_.now_ms());
  const auto snap = meeting_.snapshot(now);
  v1::MeetingState m;
  m.set_meeting_id(meeting_id_);
  m.set_mode(mode_to_wire(snap.mode));
  m.set_server_time_ms(clock_.wall_ms());
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
  m.set_changed_by(meeting_changed_by_);
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
  m.set_title(meeting_title_);
  m.set_time_scale(clock_.scale());
  m.set_started_at_ms(meeting_started_wall_);
  if (auto s = meeting_.summary()) *m.mutable_summary() = summary_message(*s);
  return m;
}

void room::meeting_changed(const participant_ptr& p, std::uint64_t req, const std::string& by) {
  meeting_changed_by_ = by;
  auto state = meeting_state_message();
  if (state.has_summary()) past_meetings_.push_back(state.summary());
  store::write_batch batch;
  const std::int64_t wall = clock_.wall_ms();
  batch.put_item(store::item_record{model_.id, "meeting", meeting_id_, ++meeting_version_, wall,
                                    stored_meeting(state)});
  batch.touch_room(model_.id, wall);
  v1::ServerMessage out;
  *out.mutable_meeting_state() = std::move(state);
  persist(
      std::move(batch),
      [this, p, req, out = std::move(out)]() mutable {
        if (p) send_ack(p, req, {});
        broadcast(std::move(out));
      },
      [this, p, req](const store::status& why) { fail_room(p, req, why); });
}

void room::announce_nudges(std::vector<meeting_nudge> nudges) {
  for (auto& n : nudges) {
    v1::ServerMessage m;
    auto* nudge = m.mutable_nudge();
    nudge->set_kind(nudge_to_wire(n.kind));
    nudge->set_message(std::move(n.message));
    nudge->set_at_ms(wall_at(n.at));
    emit([this, m = std::move(m)]() mutable { broadcast(std::move(m)); });
  }
}

// Applies what fell due before now (nudges, the room's own switch to reflection, the end on
// time), so a member's command never lands before an earlier event. True when the meeting
// changed.
bool room::apply_due_nudges() {
  if (!running(meeting_.mode())) return false;
  const auto now = room_time_at(clock_.now_ms());
  const auto before = meeting_.timeline().size();
  auto nudges = meeting_.take_due_nudges(now, [this](room_time t) { return label_at(t); });
  announce_nudges(std::move(nudges));
  // Ending adds no segment, so an end on time shows only in the mode.
  if (meeting_.timeline().size() == before && running(meeting_.mode())) return false;
  meeting_changed(nullptr, 0, std::string(room_actor));
  return true;
}

void room::on_meeting(connection& c, std::uint64_t req, const v1::MeetingCommand& command) {
  const auto p = c.p;
  const auto member = c.member_id;
  apply_due_nudges();
  const auto now = room_time_at(clock_.now_ms());
  command_result result = command_result::ok();
  switch (command.action_case()) {
    case v1::MeetingCommand::kStart: {
      const auto& start = command.start();
      if (running(meeting_.mode())) {
        return send_error(p, req, v1::Error::NOT_ALLOWED,
                          "a meeting is already running; end it before starting another");
      }
      if (start.planned_minutes() < 1 || start.planned_minutes() > 480) {
        return send_error(p, req, v1::Error::NOT_ALLOWED,
                          "planned_minutes must be 1 to 480 minutes");
      }
      if (start.reflection_target_pct() != 0 &&
          !reflection_rule::valid_target(start.reflection_target_pct())) {
        return send_error(p, req, v1::Error::NOT_ALLOWED,
                          reflection_rule::target_problem(start.reflection_target_pct()) +
                              " Leave it out for the room's default.");
      }
      const auto title = clean_text(start.title());
      if (!is_valid_text(start.title()) || code_points(title) > max_title_chars) {
        return send_error(p, req, v1::Error::NOT_ALLOWED,
                          "a meeting title is at most 120 characters of valid UTF-8");
      }
      meeting_plan plan;
      plan.planned_length = std::chrono::minutes{start.planned_minutes()};
      plan.target_pct = static_cast<int>(start.reflection_target_pct() != 0
                                             ? start.reflection_target_pct()
                                             : model_.settings.reflection_target_pct);
      plan.nudge_lead = std::chrono::minutes{model_.settings.nudge_lead_minutes};
      plan.auto_reflect = model_.settings.auto_reflect;
      plan.end_on_time = start.end_on_time();
      meeting_clock next;
      result = next.start(now, member, plan);
      if (!result) break;
      meeting_ = std::move(next);
      meeting_id_ = make_id(12);
      meeting_title_ = title;
      meeting_started_wall_ = clock_.wall_ms();
      meeting_version_ = 0;
      prompt_.emplace(prompts());
      restored_.reset();
      break;
    }
    case v1::MeetingCommand::kMode: {
      const auto mode = command.mode().mode();
      if (mode != v1::MeetingState::TASK && mode != v1::MeetingState::REFLECTION) {
        return send_error(p, req, v1::Error::NOT_ALLOWED, "switch to TASK or REFLECTION");
      }
      result = meeting_.switch_mode(
          now, member,
          mode == v1::MeetingState::TASK ? meeting_mode::task : meeting_mode::reflection);
      break;
    }
    case v1::MeetingCommand::kPause:
      result = meeting_.pause(now, member);
      break;
    case v1::MeetingCommand::kResume:
      result = meeting_.resume(now, member);
      break;
    case v1::MeetingCommand::kEnd: {
      const auto reason = clean_text(command.end().reason(), true);
      if (!is_valid_text(command.end().reason())) {
        return send_error(p, req, v1::Error::NOT_ALLOWED, "the reason is not valid UTF-8");
      }
      result = meeting_.end(
          now, member, reason.empty() ? std::nullopt : std::optional<std::string_view>(reason));
      break;
    }
    case v1::MeetingCommand::kTarget: {
      const auto pct = command.target().reflection_target_pct();
      if (!reflection_rule::valid_target(pct)) {
        return send_error(p, req, v1::Error::NOT_ALLOWED, reflection_rule::target_problem(pct));
      }
      result = meeting_.set_target(now, member, static_cast<int>(pct));
      break;
    }
    case v1::MeetingCommand::kPrompt: {
      if (!running(meeting_.mode()) || !prompt_) {
        return send_error(p, req, v1::Error::NOT_ALLOWED,
                          "prompts move only while a meeting is running");
      }
      const bool back = command.prompt().step() < 0;
      if (!(back ? prompt_->previous() : prompt_->next())) {
        return send_error(p, req, v1::Error::NOT_ALLOWED,
                          back ? "this is the first prompt" : "this is the last prompt");
      }
      break;
    }
    default:
      return send_error(p, req, v1::Error::NOT_ALLOWED,
                        "say what to do: start, mode, pause, resume, end, target or prompt");
  }
  if (!result) return send_error(p, req, v1::Error::NOT_ALLOWED, result.message());
  meeting_changed(p, req, member);
}

std::optional<std::int64_t> room::meeting_deadline() const {
  if (!running(meeting_.mode())) return std::nullopt;
  auto at = meeting_.next_nudge_at(room_time_at(clock_.now_ms()));
  if (!at) return std::nullopt;
  return at->time_since_epoch().count();
}

void room::on_meeting_timer() {
  apply_due_nudges();
}

void room::send_note(const v1::LearningNote& note, bool added) {
  v1::ServerMessage m;
  if (added) {
    *m.mutable_note_added()->mutable_note() = note;
  } else {
    *m.mutable_note_updated()->mutable_note() = note;
  }
  if (!note.personal()) return broadcast(std::move(m));
  outbound out(std::move(m));
  for (auto& c : connections_)
    if (c->welcomed && c->member_id == note.author()) send_to(c->p, out);
}

void room::on_note(connection& c, std::uint64_t req, const v1::NoteCommand& command) {
  const auto p = c.p;
  const auto member = c.member_id;
  // A note written after the meeting ended on time belongs to no meeting.
  apply_due_nudges();
  if (command.takeaway()) {
    auto status = consult_takeaway(member, command.text());
    if (!status) {
      return send_error(
          p, req,
          status.code() == consult_code::too_large ? v1::Error::TOO_LARGE : v1::Error::NOT_ALLOWED,
          status.message());
    }
    return emit([this, p, req] { send_ack(p, req, {}); });
  }
  const bool editing = !command.note_id().empty() || command.remove();
  const auto text = clean_text(command.text(), true);
  if (!command.remove()) {
    if (!is_valid_text(command.text()) || text.empty()) {
      return send_error(p, req, v1::Error::NOT_ALLOWED, "a note needs some text");
    }
    if (code_points(text) > max_note_chars) {
      return send_error(p, req, v1::Error::TOO_LARGE, "a note is at most 4,000 characters");
    }
  }
  const auto category = shown_category(command.category());
  const std::int64_t wall = clock_.wall_ms();
  // The room keeps its whole learning log in memory (every welcome carries it), so its size is
  // bounded: a note that would take the log over the limit is refused.
  std::size_t log_bytes = 0;
  for (const auto& n : notes_)
    log_bytes += n.text().size();
  auto over_limit = [&](std::size_t replaced) {
    return !command.remove() && log_bytes - replaced + text.size() > options_.limits.max_log_bytes;
  };
  const std::string log_full = "this room's learning log holds at most " +
                               std::to_string(options_.limits.max_log_bytes / 1024) +
                               " KB of notes; export it and remove notes you no longer need";
  v1::LearningNote note;
  bool added = false;
  if (editing) {
    auto it = std::find_if(notes_.begin(), notes_.end(),
                           [&](const auto& n) { return n.id() == command.note_id(); });
    if (it == notes_.end() || it->removed()) {
      return send_error(p, req, v1::Error::NOT_FOUND, "there is no such note in this room");
    }
    if (it->author() != member) {
      return send_error(p, req, v1::Error::NOT_ALLOWED,
                        "only a note's author can edit or remove it");
    }
    if (over_limit(it->text().size())) return send_error(p, req, v1::Error::TOO_LARGE, log_full);
    if (command.remove()) {
      it->set_removed(true);
    } else {
      it->set_text(text);
      it->set_category(category);
    }
    it->set_version(it->version() + 1);
    it->set_at_ms(wall);
    note = *it;
    // A removed note leaves memory; the store keeps every version of it.
    if (command.remove()) notes_.erase(it);
  } else {
    if (over_limit(0)) return send_error(p, req, v1::Error::TOO_LARGE, log_full);
    if (!command.personal()) {
      if (auto refusal = consult_may_write(member, consult_write::note)) {
        return send_error(p, req, v1::Error::NOT_ALLOWED, *refusal);
      }
    }
    note.set_id(make_id(12));
    note.set_text(text);
    note.set_author(member);
    note.set_at_ms(wall);
    note.set_category(category);
    if (running(meeting_.mode())) note.set_meeting_id(meeting_id_);
    if (consult_meeting_mode()) note.set_consult_id(consult_id());
    note.set_personal(command.personal());
    notes_.push_back(note);
    added = true;
  }
  store::write_batch batch;
  batch.put_item(store::item_record{model_.id, "note", note.id(), note.version() + 1, wall,
                                    stored_note(note)});
  batch.touch_room(model_.id, wall);
  v1::Ack ack;
  ack.set_id(note.id());
  persist(
      std::move(batch),
      [this, p, req, ack = std::move(ack), note = std::move(note), added]() mutable {
        send_ack(p, req, std::move(ack));
        send_note(note, added);
      },
      [this, p, req](const store::status& why) { fail_room(p, req, why); });
}

void room::on_room_command(connection& c, std::uint64_t req, const v1::RoomCommand& command) {
  const auto p = c.p;
  const auto member = c.member_id;
  if (!command.has_settings()) {
    return send_error(p, req, v1::Error::NOT_ALLOWED, "say which settings to change");
  }
  const auto& s = command.settings();
  if (s.reflection_target_pct() != 0 && !reflection_rule::valid_target(s.reflection_target_pct())) {
    return send_error(p, req, v1::Error::NOT_ALLOWED,
                      reflection_rule::target_problem(s.reflection_target_pct()));
  }
  if (s.nudge_lead_minutes() > 30) {
    return send_error(p, req, v1::Error::NOT_ALLOWED, "nudge_lead_minutes must be 1 to 30");
  }
  auto& settings = model_.settings;
  if (s.reflection_target_pct() != 0) settings.reflection_target_pct = s.reflection_target_pct();
  if (s.nudge_lead_minutes() != 0) settings.nudge_lead_minutes = s.nudge_lead_minutes();
  if (s.auto_reflect() != v1::RoomCommand::TOGGLE_UNSPECIFIED) {
    settings.auto_reflect = s.auto_reflect() == v1::RoomCommand::AUTO_ON;
  }
  if (s.advance_when_ready() != v1::RoomCommand::TOGGLE_UNSPECIFIED) {
    settings.advance_when_ready = s.advance_when_ready() == v1::RoomCommand::AUTO_ON;
  }
  store::write_batch batch;
  batch.put_room(room_record_of(model_, clock_.wall_ms()));
  v1::ServerMessage changed;
  auto* rc = changed.mutable_room_changed();
  for (const auto& m : model_.erase_confirmed_by)
    rc->add_erase_confirmed_by(m);
  rc->set_changed_by(member);
  settings_to_wire(settings, rc->mutable_settings());
  persist(
      std::move(batch),
      [this, p, req, changed = std::move(changed)]() mutable {
        send_ack(p, req, {});
        broadcast(std::move(changed));
      },
      [this, p, req](const store::status& why) { fail_room(p, req, why); });
}

void room::fill_meeting(v1::RoomSnapshot& snapshot, const std::string& member_id) const {
  if (meeting_.mode() != meeting_mode::not_started || restored_) {
    *snapshot.mutable_meeting() = meeting_state_message();
  }
  for (const auto& n : notes_) {
    if (n.removed() || (n.personal() && n.author() != member_id)) continue;
    *snapshot.add_notes() = n;
  }
  for (const auto& m : past_meetings_)
    *snapshot.add_past_meetings() = m;
}

}  // namespace colead::room
