#include "room/room_records.hpp"

#include "room/wire.hpp"

namespace colead::room {

namespace {

std::string settings_bytes(const room_settings& s) {
  v1::RoomSettings out;
  settings_to_wire(s, &out);
  return out.SerializeAsString();
}

room_settings settings_from_bytes(const std::string& bytes) {
  room_settings out;
  v1::RoomSettings in;
  if (bytes.empty() || !in.ParseFromString(bytes)) return out;
  if (in.reflection_target_pct() != 0) out.reflection_target_pct = in.reflection_target_pct();
  if (in.nudge_lead_minutes() != 0) out.nudge_lead_minutes = in.nudge_lead_minutes();
  out.auto_reflect = in.auto_reflect();
  out.advance_when_ready = in.advance_when_ready();
  return out;
}

std::string authorship_bytes(const std::vector<ot::authorship_run>& runs) {
  v1::DocumentState holder;
  for (const auto& run : runs) {
    auto* r = holder.add_authorship();
    r->set_author(run.author);
    r->set_length(static_cast<std::uint32_t>(run.length));
  }
  return holder.SerializeAsString();
}

std::vector<ot::authorship_run> authorship_from_bytes(const std::string& bytes) {
  std::vector<ot::authorship_run> out;
  v1::DocumentState holder;
  if (bytes.empty() || !holder.ParseFromString(bytes)) return out;
  for (const auto& r : holder.authorship())
    out.push_back({r.author(), r.length()});
  return out;
}

}  // namespace

store::room_record room_record_of(const room_model& model, std::int64_t now_ms) {
  store::room_record r;
  r.id = model.id;
  r.title = model.title;
  r.seats = static_cast<std::uint32_t>(model.seats.size());
  r.created_at_ms = model.created_at_ms;
  r.last_active_ms = now_ms;
  r.settings = settings_bytes(model.settings);
  // Room-level state: who asked for erasure (a RoomChanged without settings).
  v1::RoomChanged state;
  for (const auto& m : model.erase_confirmed_by)
    state.add_erase_confirmed_by(m);
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
  // Agreed versions and a proposal in progress travel as a DocumentState without text.
  v1::DocumentState meta;
  if (doc.proposal) agreed_to_wire(*doc.proposal, meta.mutable_proposal());
  for (const auto& v : doc.agreed)
    agreed_to_wire(v, meta.add_agreed_history());
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
  v1::Applied applied;
  applied.set_doc(doc_id);
  applied.set_rev(edit.rev);
  op_to_wire(edit.op, applied.mutable_op());
  applied.set_author(edit.author);
  applied.set_edit_id(edit.edit_id);
  applied.set_at_ms(edit.at_ms);
  r.op = applied.SerializeAsString();
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
  v1::Applied applied;
  if (!applied.ParseFromString(record.op)) return false;
  auto op = op_from_wire(applied.op());
  if (!op) return false;
  out.rev = record.rev;
  out.op = std::move(op.value());
  out.edit_id = record.edit_id;
  out.author = record.author;
  out.at_ms = record.at_ms;
  return true;
}

bool model_from_image(const store::room_image& image, const ot::server_options& options,
                      room_model& out, std::string& error) {
  out.id = image.room.id;
  out.title = image.room.title;
  out.created_at_ms = image.room.created_at_ms;
  out.settings = settings_from_bytes(image.room.settings);
  out.erase_confirmed_by.clear();
  v1::RoomChanged state;
  if (!image.room.state.empty() && state.ParseFromString(image.room.state)) {
    out.erase_confirmed_by.assign(state.erase_confirmed_by().begin(),
                                  state.erase_confirmed_by().end());
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
    v1::DocumentState meta;
    if (!d.document.meta.empty() && meta.ParseFromString(d.document.meta)) {
      if (meta.has_proposal()) doc.proposal = agreed_from_wire(meta.proposal());
      for (const auto& v : meta.agreed_history())
        doc.agreed.push_back(agreed_from_wire(v));
    }
    out.docs.push_back(std::move(doc));
  }
  return true;
}

}  // namespace colead::room
