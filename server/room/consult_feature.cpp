#include "room/consult_feature.hpp"

#include <algorithm>
#include <tuple>

#include "room/meeting_feature.hpp"
#include "room/room_records.hpp"
#include "room/text_limits.hpp"
#include "room/wire.hpp"

namespace colead::room {

namespace {

constexpr const char* restart_reason = "the server restarted during this consult";

std::string_view kind_name(consult_role_kind kind) {
  switch (kind) {
    case consult_role_kind::presenter:
      return "presenter";
    case consult_role_kind::facilitator:
      return "facilitator";
    case consult_role_kind::consultant:
      break;
  }
  return "consultant";
}

// What a timer or a presence change can move: compared before and after to know whether
// the room must hear about it.
auto signature(const consult_engine& engine, std::int64_t now) {
  auto s = engine.state(now);
  return std::make_tuple(s.status, s.round, s.phase_index, s.ready);
}

// A run that was going on when the server stopped, stopped at its last stored change: what
// only a live run has (the clock, readiness, the turned-away presenter) is cleared, the rest
// kept as it was then.
v1::ConsultState stopped_after_restart(v1::ConsultState state) {
  state.set_active(false);
  state.set_status("stopped");
  state.set_changed_by(std::string(room_actor));
  state.set_stopped_reason(restart_reason);
  state.set_paused(false);
  state.clear_paused_by();
  state.set_phase_remaining_ms(0);
  state.set_presenter_turned_away(false);
  state.clear_ready();
  state.clear_waiting_for();
  for (auto& r : *state.mutable_roles()) {
    r.set_turned_away(false);
    // With no run going on, notes and edits are free and questions wait for the next run.
    r.set_may_ask_questions(false);
    r.set_may_write_notes(true);
    r.set_may_edit_documents(true);
  }
  return state;
}

}  // namespace

consult_feature::consult_feature(room_context& room) : room_(room) {}

consult_feature::~consult_feature() {
  if (observed_ && room_.observer() != nullptr) room_.observer()->consult_stopped();
}

const script_catalog& consult_feature::scripts() const {
  static const script_catalog built_ins = script_catalog::with_built_ins();
  const auto& given = room_.options().scripts;
  return given ? *given : built_ins;
}

std::vector<v1::ClientMessage::KindCase> consult_feature::kinds() const {
  return {v1::ClientMessage::kConsult, v1::ClientMessage::kQuestion};
}

void consult_feature::handle(const request& r, const v1::ClientMessage& message) {
  if (message.kind_case() == v1::ClientMessage::kQuestion)
    return on_question(r, message.question());
  on_command(r, message.consult());
}

void consult_feature::observe() {
  auto* o = room_.observer();
  if (o == nullptr) return;
  if (const bool now = engine_.is_active(); now != observed_) {
    observed_ = now;
    now ? o->consult_started() : o->consult_stopped();
  }
}

void consult_feature::on_command(const request& r, const v1::ConsultCommand& command) {
  const auto now = room_.time().now_ms();
  const auto& member = r.member;
  status st;
  switch (command.action_case()) {
    case v1::ConsultCommand::kStart:
      st = start(member, command.start());
      break;
    case v1::ConsultCommand::kReady: {
      engine_.tick(now);
      const auto ready = engine_.state(now).ready;
      // Ready again withdraws it, so a member who pressed too soon can take it back.
      st = std::find(ready.begin(), ready.end(), member) != ready.end()
               ? engine_.not_ready(member, now)
               : engine_.ready(member, now);
      break;
    }
    case v1::ConsultCommand::kAdvance:
      st = engine_.advance(member, now);
      break;
    case v1::ConsultCommand::kExtend:
      st = engine_.extend(member, static_cast<int>(std::min(command.extend().minutes(), 1000u)),
                          now);
      break;
    case v1::ConsultCommand::kStop:
      st = engine_.stop(member, now);
      break;
    case v1::ConsultCommand::kPause: {
      if (!is_valid_text(command.pause().reason())) {
        return room_.send_error(r, v1::Error::BAD_FRAME, "the reason is not valid UTF-8 text");
      }
      st = engine_.pause(member, clean_text(command.pause().reason(), true), now);
      break;
    }
    case v1::ConsultCommand::kResume:
      st = engine_.resume(member, now);
      break;
    default:
      return room_.send_error(
          r, v1::Error::UNKNOWN_KIND,
          "consult names no action (start, ready, advance, extend, stop, pause or "
          "resume)");
  }
  if (!st) return room_.send_error(r, wire_code(st), st.message());
  changed(r);
}

status consult_feature::start(const std::string& member, const v1::ConsultCommand::Start& start) {
  if (!is_valid_script_id(start.script_id())) {
    return status::not_allowed(
        "scriptId must name a consulting script, e.g. \"troika\"; GET /api/scripts lists them");
  }
  const auto* script = scripts().find(start.script_id());
  if (script == nullptr) {
    return status::not_allowed("there is no consulting script \"" + start.script_id() +
                               "\" on this server; GET /api/scripts lists them");
  }
  std::vector<std::string> members;
  std::vector<std::string> present;
  for (const auto& s : room_.model().seats) {
    if (!s.taken) continue;
    members.push_back(s.member_id);
    if (room_.devices_of(s.member_id) > 0) present.push_back(s.member_id);
  }
  consult_start_options options;
  options.presenter = start.presenter();
  options.facilitator = start.facilitator();
  // In a set with a facilitator seat, its member facilitates every script that has a
  // facilitator role and keeps its time; the others keep the roles.
  if (auto seat_holder = facilitator_member(room_.model());
      !seat_holder.empty() && script->role_of_kind(consult_role_kind::facilitator) != nullptr) {
    if (!options.facilitator.empty() && options.facilitator != seat_holder) {
      return status::not_allowed("this set's facilitator is the member in the facilitator seat (" +
                                 seat_holder + "): start without naming another");
    }
    options.facilitator = std::move(seat_holder);
    options.facilitator_keeps_time = true;
  }
  options.advance_when_ready = start.has_advance_when_ready()
                                   ? start.advance_when_ready()
                                   : room_.model().settings.advance_when_ready;
  options.run_id = "c-" + make_id(12);
  auto st =
      engine_.start(*script, std::move(members), present, options, member, room_.time().now_ms());
  if (st) {
    id_ = options.run_id;
    version_ = 0;
    questions_ = 0;
    restored_.reset();
  }
  return st;
}

status consult_feature::start_for(const std::string& member, const std::string& script_id,
                                  const std::string& presenter) {
  v1::ConsultCommand::Start command;
  command.set_script_id(script_id);
  command.set_presenter(presenter);
  auto st = start(member, command);
  if (st) changed({{}, member, 0});
  return st;
}

void consult_feature::on_question(const request& r, const v1::Question& question) {
  if (!is_valid_text(question.text())) {
    return room_.send_error(r, v1::Error::BAD_FRAME, "the question is not valid UTF-8 text");
  }
  auto st =
      engine_.ask_question(r.member, clean_text(question.text(), true), room_.time().now_ms());
  if (!st) return room_.send_error(r, wire_code(st), st.message());
  changed(r);
}

std::optional<std::string> consult_feature::may_write(const std::string& member,
                                                      consult_write what) const {
  auto st = engine_.may_write(member, what);
  if (st) return std::nullopt;
  return st.message();
}

status consult_feature::takeaway(const std::string& member, const std::string& text) {
  // A run loaded from the store is a record only: the engine, which knows whose round ended,
  // holds no run.
  if (restored_) {
    return status::not_allowed(
        "The server has restarted since this consult ran: its takeaways can no longer be "
        "added. Write what you learned as a note.");
  }
  auto st = engine_.record_takeaway(member, text, room_.time().now_ms());
  if (st) changed({{}, member, 0});
  return st;
}

std::optional<consult_time_kind> consult_feature::meeting_mode() const {
  return engine_.implied_meeting_mode();
}

std::optional<std::int64_t> consult_feature::next_deadline() const {
  return engine_.next_deadline_ms();
}

void consult_feature::on_timer() {
  if (!engine_.is_active()) return;
  const auto now = room_.time().now_ms();
  const auto before = signature(engine_, now);
  engine_.tick(now);
  if (signature(engine_, now) != before) changed({{}, std::string(room_actor), 0});
}

void consult_feature::presence_changed(const std::string& member_id) {
  if (!engine_.is_active()) return;
  const auto now = room_.time().now_ms();
  // Members not taking part are refused by the engine: nothing changes for them.
  if (engine_.set_present(member_id, room_.devices_of(member_id) > 0, now))
    changed({{}, std::string(room_actor), 0});
}

v1::ConsultState consult_feature::state_message() const {
  v1::ConsultState out;
  const auto now = room_.time().now_ms();
  const auto wall = room_.time().wall_ms();
  const auto scale = room_.time().scale() > 0 ? room_.time().scale() : 1.0;
  const auto s = engine_.state(now);
  const auto* script = engine_.script();
  // Room time of an event, as the wall-clock time people read.
  auto wall_at = [&](std::int64_t at) {
    return wall - static_cast<std::int64_t>(static_cast<double>(now - at) / scale);
  };
  out.set_consult_id(id_);
  out.set_script_id(s.script_id);
  out.set_script_name(s.script_name);
  out.set_active(engine_.is_active());
  out.set_status(std::string(to_string(s.status)));
  out.set_round(static_cast<std::uint32_t>(s.round));
  out.set_round_count(static_cast<std::uint32_t>(s.round_count));
  out.set_presenter(s.presenter);
  out.set_facilitator(s.facilitator);
  out.set_facilitator_keeps_time(s.facilitator_keeps_time);
  out.set_started_by(s.started_by);
  out.set_changed_by(s.changed_by);
  out.set_advance_when_ready(s.advance_when_ready);
  out.set_phase_index(static_cast<std::uint32_t>(s.phase_index));
  out.set_phase_rule(s.phase_rule);
  out.set_server_time_ms(wall);
  out.set_phase_remaining_ms(s.remaining_ms);
  out.set_time_scale(scale);
  out.set_paused(s.paused);
  out.set_paused_by(s.paused_by);
  out.set_presenter_turned_away(s.presenter_turned_away);
  out.set_reflection_ms(s.time.reflection_ms);
  out.set_task_ms(s.time.task_ms);
  for (const auto& m : s.members) {
    auto* r = out.add_roles();
    r->set_member_id(m.member);
    r->set_role(m.role_id);
    r->set_role_name(m.role_name);
    r->set_kind(std::string(kind_name(m.role_kind)));
    r->set_prompt(m.prompt);
    r->set_speaks(m.speaks);
    r->set_may_ask_questions(m.may_ask_questions);
    r->set_may_write_notes(m.may_write_notes);
    r->set_may_edit_documents(m.may_edit_documents);
    r->set_turned_away(m.turned_away);
    r->set_present(m.present);
    r->set_ready(m.ready);
  }
  for (const auto& m : s.ready)
    out.add_ready(m);
  for (const auto& m : s.waiting_for)
    out.add_waiting_for(m);
  if (script != nullptr) {
    for (std::size_t i = 0; i < script->phases.size(); ++i) {
      const auto& phase = script->phases[i];
      auto* p = out.add_phases();
      p->set_title(phase.title);
      // The current phase shows its length with extensions.
      p->set_minutes(static_cast<std::uint32_t>(
          static_cast<int>(i) == s.phase_index ? s.phase_minutes : phase.minutes));
      p->set_reflection(phase.counts_as_reflection);
      p->set_presenter_turned_away(phase.presenter_turned_away);
      p->set_rule(phase.rule);
      for (const auto& r : phase.speakers)
        p->add_speakers(r);
      for (const auto& r : phase.question_writers)
        p->add_question_writers(r);
      for (const auto& r : phase.note_writers)
        p->add_note_writers(r);
      for (const auto& r : phase.document_editors)
        p->add_document_editors(r);
      // writers: anyone who may write anything shared in the phase.
      for (const auto& role : script->roles) {
        auto has = [&](const std::vector<std::string>& v) {
          return std::find(v.begin(), v.end(), role.id) != v.end();
        };
        if (has(phase.question_writers) || has(phase.note_writers) || has(phase.document_editors)) {
          p->add_writers(role.id);
        }
      }
      for (const auto& [role, prompt] : phase.prompts)
        (*p->mutable_prompts())[role] = prompt;
    }
  }
  for (const auto& q : engine_.questions()) {
    auto* a = out.add_questions();
    a->set_id(id_ + "-q" + std::to_string(q.id));
    a->set_text(q.text);
    a->set_author(q.author);
    a->set_phase(q.phase_title);
    a->set_at_ms(wall_at(q.at_ms));
    a->set_consult_id(id_);
  }
  for (const auto& t : engine_.takeaways()) {
    auto* n = out.add_takeaways();
    n->set_member_id(t.author);
    n->set_text(t.text);
    n->set_round(static_cast<std::uint32_t>(t.round));
  }
  for (const auto& note : engine_.process_notes()) {
    auto* n = out.add_process_notes();
    n->set_member_id(note.author);
    n->set_text(note.text);
    n->set_round(static_cast<std::uint32_t>(note.round));
    if (script != nullptr && note.phase_index >= 0 &&
        static_cast<std::size_t>(note.phase_index) < script->phases.size()) {
      n->set_phase(script->phases[static_cast<std::size_t>(note.phase_index)].title);
    }
  }
  return out;
}

void consult_feature::changed(const request& r) {
  const auto& room_id = room_.model().id;
  const auto wall = room_.time().wall_ms();
  auto state = state_message();
  store::write_batch batch;
  batch.put_item(
      store::item_record{room_id, "consult", id_, ++version_, wall, stored_consult(state)});
  std::vector<v1::ServerMessage> added;
  std::string last_question;
  for (auto i = questions_; i < static_cast<std::size_t>(state.questions_size()); ++i) {
    const auto& q = state.questions(static_cast<int>(i));
    batch.put_item(
        store::item_record{room_id, "question", q.id(), 1, q.at_ms(), stored_question(q)});
    v1::ServerMessage m;
    *m.mutable_question_added() = q;
    added.push_back(std::move(m));
    last_question = q.id();
  }
  questions_ = static_cast<std::size_t>(state.questions_size());
  batch.touch_room(room_id, wall);
  v1::Ack ack;
  ack.set_id(last_question.empty() ? id_ : last_question);
  v1::ServerMessage m;
  *m.mutable_consult_state() = std::move(state);
  room_.commit(std::move(batch), r,
               [this, r, ack, m = std::move(m), added = std::move(added)]() mutable {
                 room_.send_ack(r, ack);
                 for (auto& q : added)
                   room_.broadcast(std::move(q));
                 room_.broadcast(std::move(m));
               });
  // A running meeting counts the consult's time as its phase declares: its mode follows.
  // `r.member` is whoever moved the consult on: a member, or the room when a phase's time ran
  // out.
  if (const auto wanted = engine_.implied_meeting_mode(); wanted && meeting_ != nullptr) {
    meeting_->follow_consult(*wanted, r.member);
  }
}

void consult_feature::fill_welcome(v1::RoomSnapshot& room, const std::string&,
                                   const v1::Hello&) const {
  if (restored_) {
    *room.mutable_consult() = *restored_;
    return;
  }
  if (id_.empty()) return;
  *room.mutable_consult() = state_message();
}

void consult_feature::fill_overview(v1::RoomOverview& overview) const {
  if (restored_ || id_.empty() || !engine_.is_active()) return;
  const auto state = state_message();
  overview.set_consult_script(state.script_name());
  if (state.phase_index() < static_cast<std::uint32_t>(state.phases_size())) {
    overview.set_consult_phase(state.phases(static_cast<int>(state.phase_index())).title());
  }
  overview.set_consult_paused(state.paused());
}

void consult_feature::restore(const std::vector<store::item_record>& items,
                              std::vector<store::item_record>& writes) {
  // The latest run is the one changed last; of equal times, the one written last.
  const store::item_record* latest = nullptr;
  v1::ConsultState state;
  for (const auto& item : items) {
    if (item.kind != "consult") continue;
    v1::ConsultState parsed;
    if (!consult_from_stored(item.payload, parsed) || parsed.consult_id().empty()) continue;
    if (latest == nullptr || state.server_time_ms() <= parsed.server_time_ms()) {
      latest = &item;
      state = std::move(parsed);
    }
  }
  if (latest == nullptr) return;
  id_ = latest->item_id;
  version_ = latest->version;
  questions_ = static_cast<std::size_t>(state.questions_size());
  if (state.active()) {
    state = stopped_after_restart(std::move(state));
    writes.push_back(store::item_record{room_.model().id, latest->kind, latest->item_id, ++version_,
                                        room_.time().wall_ms(), stored_consult(state)});
  }
  restored_ = std::move(state);
}

}  // namespace colead::room
