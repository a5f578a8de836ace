#include "room/room_records.hpp"

#include "colead/storage/v1/records.pb.h"
#include "room/op_components.hpp"

namespace colead::room {

namespace {

namespace storage = colead::storage::v1;

// Field by field between the wire's messages and the stored records, which have the same
// fields (names, numbers; an enum keeps its numbers). Each copy_* works in both directions,
// wire to stored and stored to wire; the `copy` overloads name the pairs.

// colead.v1.AuthorRun <-> colead.storage.v1.AuthorRun.
template <typename From, typename To>
void copy_run(const From& in, To* out) {
  out->set_author(in.author());
  out->set_length(in.length());
}
void copy(const v1::AuthorRun& in, storage::AuthorRun* out) {
  copy_run(in, out);
}
void copy(const storage::AuthorRun& in, v1::AuthorRun* out) {
  copy_run(in, out);
}

// colead.v1.AgreedVersion <-> colead.storage.v1.AgreedVersion.
template <typename From, typename To>
void copy_agreed(const From& in, To* out) {
  out->set_rev(in.rev());
  out->set_text(in.text());
  for (const auto& value : in.agreed_by())
    out->add_agreed_by(value);
  out->set_proposed_by(in.proposed_by());
  out->set_at_ms(in.at_ms());
}
void copy(const v1::AgreedVersion& in, storage::AgreedVersion* out) {
  copy_agreed(in, out);
}
void copy(const storage::AgreedVersion& in, v1::AgreedVersion* out) {
  copy_agreed(in, out);
}

// colead.v1.DocumentState <-> colead.storage.v1.Document.
template <typename From, typename To>
void copy_document(const From& in, To* out) {
  out->set_id(in.id());
  out->set_title(in.title());
  out->set_rev(in.rev());
  out->set_text(in.text());
  if (in.has_agreed()) copy(in.agreed(), out->mutable_agreed());
  if (in.has_proposal()) copy(in.proposal(), out->mutable_proposal());
  for (const auto& value : in.agreed_history())
    copy(value, out->add_agreed_history());
  for (const auto& value : in.authorship())
    copy(value, out->add_authorship());
}
void copy(const v1::DocumentState& in, storage::Document* out) {
  copy_document(in, out);
}
void copy(const storage::Document& in, v1::DocumentState* out) {
  copy_document(in, out);
}

// colead.v1.ReflectionPrompt <-> colead.storage.v1.ReflectionPrompt.
template <typename From, typename To>
void copy_prompt(const From& in, To* out) {
  out->set_section(in.section());
  out->set_text(in.text());
  out->set_index(in.index());
  out->set_count(in.count());
}
void copy(const v1::ReflectionPrompt& in, storage::ReflectionPrompt* out) {
  copy_prompt(in, out);
}
void copy(const storage::ReflectionPrompt& in, v1::ReflectionPrompt* out) {
  copy_prompt(in, out);
}

// colead.v1.LearningNote <-> colead.storage.v1.Note.
template <typename From, typename To>
void copy_note(const From& in, To* out) {
  out->set_id(in.id());
  out->set_text(in.text());
  out->set_author(in.author());
  out->set_at_ms(in.at_ms());
  out->set_category(static_cast<decltype(out->category())>(in.category()));
  out->set_meeting_id(in.meeting_id());
  out->set_consult_id(in.consult_id());
  out->set_takeaway(in.takeaway());
  out->set_personal(in.personal());
  out->set_version(in.version());
  out->set_removed(in.removed());
}
void copy(const v1::LearningNote& in, storage::Note* out) {
  copy_note(in, out);
}
void copy(const storage::Note& in, v1::LearningNote* out) {
  copy_note(in, out);
}

// colead.v1.MeetingSegment <-> colead.storage.v1.MeetingSegment.
template <typename From, typename To>
void copy_segment(const From& in, To* out) {
  out->set_mode(static_cast<decltype(out->mode())>(in.mode()));
  out->set_from_ms(in.from_ms());
  out->set_to_ms(in.to_ms());
  out->set_by(in.by());
}
void copy(const v1::MeetingSegment& in, storage::MeetingSegment* out) {
  copy_segment(in, out);
}
void copy(const storage::MeetingSegment& in, v1::MeetingSegment* out) {
  copy_segment(in, out);
}

// colead.v1.MeetingSummary <-> colead.storage.v1.MeetingSummary.
template <typename From, typename To>
void copy_summary(const From& in, To* out) {
  out->set_meeting_id(in.meeting_id());
  out->set_title(in.title());
  out->set_started_at_ms(in.started_at_ms());
  out->set_ended_at_ms(in.ended_at_ms());
  out->set_planned_ms(in.planned_ms());
  out->set_task_ms(in.task_ms());
  out->set_reflection_ms(in.reflection_ms());
  out->set_paused_ms(in.paused_ms());
  out->set_target_pct(in.target_pct());
  out->set_share(in.share());
  out->set_met(in.met());
  out->set_reason(in.reason());
  out->set_ended_by(in.ended_by());
  for (const auto& value : in.notes())
    copy(value, out->add_notes());
  if (in.has_purpose()) copy(in.purpose(), out->mutable_purpose());
  for (const auto& value : in.timeline())
    copy(value, out->add_timeline());
}
void copy(const v1::MeetingSummary& in, storage::MeetingSummary* out) {
  copy_summary(in, out);
}
void copy(const storage::MeetingSummary& in, v1::MeetingSummary* out) {
  copy_summary(in, out);
}

// colead.v1.MeetingState <-> colead.storage.v1.Meeting.
template <typename From, typename To>
void copy_meeting(const From& in, To* out) {
  out->set_meeting_id(in.meeting_id());
  out->set_mode(static_cast<decltype(out->mode())>(in.mode()));
  out->set_server_time_ms(in.server_time_ms());
  out->set_planned_ms(in.planned_ms());
  out->set_target_pct(in.target_pct());
  out->set_task_ms(in.task_ms());
  out->set_reflection_ms(in.reflection_ms());
  out->set_paused_ms(in.paused_ms());
  out->set_elapsed_ms(in.elapsed_ms());
  out->set_remaining_ms(in.remaining_ms());
  out->set_share(in.share());
  out->set_reflect_by_in_ms(in.reflect_by_in_ms());
  out->set_status(static_cast<decltype(out->status())>(in.status()));
  out->set_changed_by(in.changed_by());
  out->set_auto_reflect(in.auto_reflect());
  if (in.has_prompt()) copy(in.prompt(), out->mutable_prompt());
  out->set_title(in.title());
  out->set_time_scale(in.time_scale());
  if (in.has_summary()) copy(in.summary(), out->mutable_summary());
  out->set_started_at_ms(in.started_at_ms());
  out->set_end_on_time(in.end_on_time());
}
void copy(const v1::MeetingState& in, storage::Meeting* out) {
  copy_meeting(in, out);
}
void copy(const storage::Meeting& in, v1::MeetingState* out) {
  copy_meeting(in, out);
}

// colead.v1.QuestionAdded <-> colead.storage.v1.Question.
template <typename From, typename To>
void copy_question(const From& in, To* out) {
  out->set_id(in.id());
  out->set_text(in.text());
  out->set_author(in.author());
  out->set_phase(in.phase());
  out->set_at_ms(in.at_ms());
  out->set_consult_id(in.consult_id());
}
void copy(const v1::QuestionAdded& in, storage::Question* out) {
  copy_question(in, out);
}
void copy(const storage::Question& in, v1::QuestionAdded* out) {
  copy_question(in, out);
}

// colead.v1.ConsultNote <-> colead.storage.v1.ConsultNote.
template <typename From, typename To>
void copy_consult_note(const From& in, To* out) {
  out->set_member_id(in.member_id());
  out->set_text(in.text());
  out->set_round(in.round());
  out->set_phase(in.phase());
}
void copy(const v1::ConsultNote& in, storage::ConsultNote* out) {
  copy_consult_note(in, out);
}
void copy(const storage::ConsultNote& in, v1::ConsultNote* out) {
  copy_consult_note(in, out);
}

// colead.v1.RoleAssignment <-> colead.storage.v1.RoleAssignment.
template <typename From, typename To>
void copy_role(const From& in, To* out) {
  out->set_member_id(in.member_id());
  out->set_role(in.role());
  out->set_role_name(in.role_name());
  out->set_prompt(in.prompt());
  out->set_speaks(in.speaks());
  out->set_may_ask_questions(in.may_ask_questions());
  out->set_may_write_notes(in.may_write_notes());
  out->set_may_edit_documents(in.may_edit_documents());
  out->set_turned_away(in.turned_away());
  out->set_present(in.present());
  out->set_ready(in.ready());
  out->set_kind(in.kind());
}
void copy(const v1::RoleAssignment& in, storage::RoleAssignment* out) {
  copy_role(in, out);
}
void copy(const storage::RoleAssignment& in, v1::RoleAssignment* out) {
  copy_role(in, out);
}

// colead.v1.ConsultPhaseInfo <-> colead.storage.v1.ConsultPhase.
template <typename From, typename To>
void copy_phase(const From& in, To* out) {
  out->set_title(in.title());
  out->set_minutes(in.minutes());
  out->set_reflection(in.reflection());
  for (const auto& value : in.speakers())
    out->add_speakers(value);
  for (const auto& value : in.writers())
    out->add_writers(value);
  for (const auto& [key, value] : in.prompts())
    (*out->mutable_prompts())[key] = value;
  out->set_presenter_turned_away(in.presenter_turned_away());
  out->set_rule(in.rule());
  for (const auto& value : in.question_writers())
    out->add_question_writers(value);
  for (const auto& value : in.note_writers())
    out->add_note_writers(value);
  for (const auto& value : in.document_editors())
    out->add_document_editors(value);
}
void copy(const v1::ConsultPhaseInfo& in, storage::ConsultPhase* out) {
  copy_phase(in, out);
}
void copy(const storage::ConsultPhase& in, v1::ConsultPhaseInfo* out) {
  copy_phase(in, out);
}

// colead.v1.ConsultState <-> colead.storage.v1.Consult.
template <typename From, typename To>
void copy_consult(const From& in, To* out) {
  out->set_consult_id(in.consult_id());
  out->set_script_id(in.script_id());
  out->set_script_name(in.script_name());
  out->set_active(in.active());
  out->set_round(in.round());
  out->set_presenter(in.presenter());
  for (const auto& value : in.roles())
    copy(value, out->add_roles());
  out->set_phase_index(in.phase_index());
  for (const auto& value : in.phases())
    copy(value, out->add_phases());
  out->set_server_time_ms(in.server_time_ms());
  out->set_phase_remaining_ms(in.phase_remaining_ms());
  for (const auto& value : in.ready())
    out->add_ready(value);
  out->set_paused(in.paused());
  out->set_presenter_turned_away(in.presenter_turned_away());
  for (const auto& value : in.questions())
    copy(value, out->add_questions());
  out->set_changed_by(in.changed_by());
  out->set_advance_when_ready(in.advance_when_ready());
  out->set_time_scale(in.time_scale());
  out->set_status(in.status());
  out->set_round_count(in.round_count());
  out->set_phase_rule(in.phase_rule());
  for (const auto& value : in.waiting_for())
    out->add_waiting_for(value);
  out->set_facilitator(in.facilitator());
  for (const auto& value : in.takeaways())
    copy(value, out->add_takeaways());
  for (const auto& value : in.process_notes())
    copy(value, out->add_process_notes());
  out->set_started_by(in.started_by());
  out->set_reflection_ms(in.reflection_ms());
  out->set_task_ms(in.task_ms());
  out->set_paused_by(in.paused_by());
  out->set_stopped_reason(in.stopped_reason());
}
void copy(const v1::ConsultState& in, storage::Consult* out) {
  copy_consult(in, out);
}
void copy(const storage::Consult& in, v1::ConsultState* out) {
  copy_consult(in, out);
}

// Parses `bytes` as the stored record `Stored` and converts it into `out`.
template <typename Stored, typename Wire>
bool from_stored(const std::string& bytes, Wire& out) {
  Stored stored;
  if (!stored.ParseFromString(bytes)) return false;
  out.Clear();
  copy(stored, &out);
  return true;
}

template <typename Stored, typename Wire>
std::string to_stored(const Wire& in) {
  Stored stored;
  copy(in, &stored);
  return stored.SerializeAsString();
}

void copy(const agreed_version& in, storage::AgreedVersion* out) {
  out->set_rev(in.rev);
  out->set_text(in.text);
  for (const auto& m : in.agreed_by)
    out->add_agreed_by(m);
  out->set_proposed_by(in.proposed_by);
  out->set_at_ms(in.at_ms);
}

agreed_version agreed_of(const storage::AgreedVersion& in) {
  agreed_version out;
  out.rev = in.rev();
  out.text = in.text();
  out.agreed_by.assign(in.agreed_by().begin(), in.agreed_by().end());
  out.proposed_by = in.proposed_by();
  out.at_ms = in.at_ms();
  return out;
}

std::string settings_bytes(const room_settings& s) {
  storage::Settings out;
  out.set_reflection_target_pct(s.reflection_target_pct);
  out.set_nudge_lead_minutes(s.nudge_lead_minutes);
  out.set_auto_reflect(s.auto_reflect);
  out.set_advance_when_ready(s.advance_when_ready);
  out.set_share_with_cohort(s.share_with_cohort);
  out.set_share_changed_by(s.share_changed_by);
  out.set_share_changed_at_ms(s.share_changed_at_ms);
  return out.SerializeAsString();
}

room_settings settings_from_bytes(const std::string& bytes) {
  room_settings out;
  storage::Settings in;
  if (bytes.empty() || !in.ParseFromString(bytes)) return out;
  if (in.reflection_target_pct() != 0) out.reflection_target_pct = in.reflection_target_pct();
  if (in.nudge_lead_minutes() != 0) out.nudge_lead_minutes = in.nudge_lead_minutes();
  out.auto_reflect = in.auto_reflect();
  out.advance_when_ready = in.advance_when_ready();
  out.share_with_cohort = in.share_with_cohort();
  out.share_changed_by = in.share_changed_by();
  out.share_changed_at_ms = in.share_changed_at_ms();
  return out;
}

std::string authorship_bytes(const std::vector<ot::authorship_run>& runs) {
  storage::Document holder;
  for (const auto& run : runs) {
    auto* r = holder.add_authorship();
    r->set_author(run.author);
    r->set_length(static_cast<std::uint32_t>(run.length));
  }
  return holder.SerializeAsString();
}

std::vector<ot::authorship_run> authorship_from_bytes(const std::string& bytes) {
  std::vector<ot::authorship_run> out;
  storage::Document holder;
  if (bytes.empty() || !holder.ParseFromString(bytes)) return out;
  for (const auto& r : holder.authorship())
    out.push_back({r.author(), r.length()});
  return out;
}

}  // namespace

std::string stored_meeting(const v1::MeetingState& meeting) {
  return to_stored<storage::Meeting>(meeting);
}

bool meeting_from_stored(const std::string& bytes, v1::MeetingState& out) {
  return from_stored<storage::Meeting>(bytes, out);
}

std::string stored_note(const v1::LearningNote& note) {
  return to_stored<storage::Note>(note);
}

bool note_from_stored(const std::string& bytes, v1::LearningNote& out) {
  return from_stored<storage::Note>(bytes, out);
}

std::string stored_question(const v1::QuestionAdded& question) {
  return to_stored<storage::Question>(question);
}

bool question_from_stored(const std::string& bytes, v1::QuestionAdded& out) {
  return from_stored<storage::Question>(bytes, out);
}

std::string stored_consult(const v1::ConsultState& consult) {
  return to_stored<storage::Consult>(consult);
}

bool consult_from_stored(const std::string& bytes, v1::ConsultState& out) {
  return from_stored<storage::Consult>(bytes, out);
}

std::string stored_event(const v1::Nudge& nudge) {
  storage::Event out;
  out.set_kind(static_cast<storage::Event::Kind>(nudge.kind()));
  out.set_message(nudge.message());
  out.set_at_ms(nudge.at_ms());
  out.set_from_facilitator(nudge.from_facilitator());
  out.set_minutes_left(nudge.minutes_left());
  return out.SerializeAsString();
}

bool event_from_stored(const std::string& bytes, v1::Nudge& out) {
  storage::Event in;
  if (!in.ParseFromString(bytes)) return false;
  out.Clear();
  out.set_kind(static_cast<v1::Nudge::Kind>(in.kind()));
  out.set_message(in.message());
  out.set_at_ms(in.at_ms());
  out.set_from_facilitator(in.from_facilitator());
  out.set_minutes_left(in.minutes_left());
  return true;
}

std::string stored_proposal(const proposal_answer& proposal) {
  storage::Proposal out;
  const auto& p = proposal.proposal;
  out.set_id(p.id());
  out.set_script_id(p.script_id());
  out.set_script_title(p.script_title());
  out.set_from_facilitator(p.from_facilitator());
  out.set_at_ms(p.at_ms());
  for (const auto& m : p.accepted_by())
    out.add_accepted_by(m);
  out.set_answer(proposal.answer);
  out.set_answered_by(proposal.answered_by);
  out.set_answered_at_ms(proposal.answered_at_ms);
  return out.SerializeAsString();
}

bool proposal_from_stored(const std::string& bytes, proposal_answer& out) {
  storage::Proposal in;
  if (!in.ParseFromString(bytes)) return false;
  out = {};
  auto& p = out.proposal;
  p.set_id(in.id());
  p.set_script_id(in.script_id());
  p.set_script_title(in.script_title());
  p.set_from_facilitator(in.from_facilitator());
  p.set_at_ms(in.at_ms());
  for (const auto& m : in.accepted_by())
    p.add_accepted_by(m);
  out.answer = in.answer();
  out.answered_by = in.answered_by();
  out.answered_at_ms = in.answered_at_ms();
  return true;
}

store::room_record room_record_of(const room_model& model, std::int64_t now_ms) {
  store::room_record r;
  r.id = model.id;
  r.title = model.title;
  r.seats = static_cast<std::uint32_t>(model.seats.size());
  r.created_at_ms = model.created_at_ms;
  r.last_active_ms = now_ms;
  r.settings = settings_bytes(model.settings);
  // Room-level state: who asked for erasure, and the format the room is written in.
  storage::RoomState state;
  for (const auto& m : model.erase_confirmed_by)
    state.add_erase_confirmed_by(m);
  state.set_facilitator_seat(model.facilitator_seat);
  state.set_format(stored_format);
  r.state = state.SerializeAsString();
  return r;
}

store::seat_record seat_record_of(const std::string& room_id, const seat_model& seat) {
  store::seat_record r;
  r.room_id = room_id;
  r.seat = seat.number;
  r.token_hash = seat.hash;
  r.member_id = seat.member_id;
  r.name = seat.name;
  r.role = seat.role;
  r.joined = seat.taken;
  return r;
}

store::document_record document_record_of(const std::string& room_id, const document_state& doc) {
  store::document_record r;
  r.room_id = room_id;
  r.doc_id = doc.id;
  r.title = doc.title;
  r.position = doc.position;
  r.removed = doc.removed;
  // Agreed versions and a proposal in progress, without the current text.
  storage::Document meta;
  if (doc.proposal) copy(*doc.proposal, meta.mutable_proposal());
  for (const auto& v : doc.agreed)
    copy(v, meta.add_agreed_history());
  r.meta = meta.SerializeAsString();
  return r;
}

store::op_record op_record_of(const std::string& room_id, const std::string& doc_id,
                              const ot::applied_edit& edit) {
  store::op_record r;
  r.room_id = room_id;
  r.doc_id = doc_id;
  r.rev = edit.rev;
  r.author = edit.author;
  r.edit_id = edit.edit_id;
  r.at_ms = edit.at_ms;
  storage::Edit stored;
  stored.set_doc(doc_id);
  stored.set_rev(edit.rev);
  op_to_components(edit.op, stored.mutable_op());
  stored.set_author(edit.author);
  stored.set_edit_id(edit.edit_id);
  stored.set_at_ms(edit.at_ms);
  stored.set_base_rev(edit.base_rev);
  r.op = stored.SerializeAsString();
  return r;
}

store::snapshot_record snapshot_record_of(const std::string& room_id, const std::string& doc_id,
                                          const ot::snapshot& snap) {
  store::snapshot_record r;
  r.room_id = room_id;
  r.doc_id = doc_id;
  r.rev = snap.rev;
  r.text = snap.text;
  r.authorship = authorship_bytes(snap.authorship);
  return r;
}

store::write_batch creation_batch(const room_model& model, std::int64_t now_ms) {
  store::write_batch batch;
  batch.put_room(room_record_of(model, now_ms));
  for (const auto& seat : model.seats)
    batch.put_seat(seat_record_of(model.id, seat));
  for (const auto& doc : model.docs) {
    batch.put_document(document_record_of(model.id, doc));
    batch.put_snapshot(snapshot_record_of(model.id, doc.id, doc.text.current_snapshot()));
  }
  return batch;
}

bool applied_from_record(const store::op_record& record, ot::applied_edit& out) {
  storage::Edit stored;
  if (!stored.ParseFromString(record.op)) return false;
  auto op = op_from_components(stored.op());
  if (!op) return false;
  out.rev = record.rev;
  out.op = std::move(op.value());
  out.edit_id = record.edit_id;
  out.author = record.author;
  out.at_ms = record.at_ms;
  // Edits stored before base revisions were kept lost every tie to later edits, as an edit
  // made on rev - 1 does.
  out.base_rev = stored.has_base_rev() || record.rev == 0 ? stored.base_rev() : record.rev - 1;
  return true;
}

bool model_from_image(const store::room_image& image, const ot::server_options& options,
                      room_model& out, std::string& error) {
  out.id = image.room.id;
  out.title = image.room.title;
  out.created_at_ms = image.room.created_at_ms;
  out.settings = settings_from_bytes(image.room.settings);
  out.erase_confirmed_by.clear();
  out.facilitator_seat = 0;
  storage::RoomState state;
  if (!image.room.state.empty() && state.ParseFromString(image.room.state)) {
    // Rooms written before the format was recorded hold format 1.
    if (state.format() > stored_format) {
      error = "its records are in stored format " + std::to_string(state.format()) +
              ", written by a newer server; this server reads formats up to " +
              std::to_string(stored_format);
      return false;
    }
    out.erase_confirmed_by.assign(state.erase_confirmed_by().begin(),
                                  state.erase_confirmed_by().end());
    out.facilitator_seat = state.facilitator_seat();
  }
  // Meetings and learning-log notes are kept as they were stored; the room reads them back.
  out.items = image.items;
  out.seats.clear();
  for (const auto& s : image.seats) {
    seat_model seat;
    seat.number = s.seat;
    seat.hash = s.token_hash;
    seat.member_id = s.member_id;
    seat.name = s.name;
    seat.role = s.role;
    seat.taken = s.joined;
    out.seats.push_back(std::move(seat));
  }
  out.docs.clear();
  for (const auto& d : image.documents) {
    ot::snapshot snap;
    if (d.snapshot) {
      snap.rev = d.snapshot->rev;
      snap.text = d.snapshot->text;
      snap.authorship = authorship_from_bytes(d.snapshot->authorship);
    }
    std::vector<ot::applied_edit> later;
    later.reserve(d.ops.size());
    for (const auto& op : d.ops) {
      ot::applied_edit edit;
      if (!applied_from_record(op, edit)) {
        error = "document " + d.document.doc_id + " revision " + std::to_string(op.rev) +
                " is not readable";
        return false;
      }
      later.push_back(std::move(edit));
    }
    auto server = ot::server::load(std::move(snap), std::move(later), options);
    if (!server) {
      error = "document " + d.document.doc_id + ": " + server.error().message();
      return false;
    }
    document_state doc{d.document.doc_id,
                       d.document.title,
                       d.document.position,
                       d.document.removed,
                       std::move(server.value()),
                       0,
                       {},
                       {}};
    doc.announced_rev = doc.text.revision();
    storage::Document meta;
    if (!d.document.meta.empty() && meta.ParseFromString(d.document.meta)) {
      if (meta.has_proposal()) doc.proposal = agreed_of(meta.proposal());
      for (const auto& v : meta.agreed_history())
        doc.agreed.push_back(agreed_of(v));
    }
    out.docs.push_back(std::move(doc));
  }
  return true;
}

}  // namespace colead::room
