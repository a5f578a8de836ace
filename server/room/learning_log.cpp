#include "room/learning_log.hpp"

#include <algorithm>

#include "ot/utf8.hpp"
#include "room/learning_record.hpp"
#include "room/room_records.hpp"
#include "room/text_limits.hpp"
#include "room/wire.hpp"

namespace colead::room {

namespace {

constexpr std::size_t max_note_chars = 4'000;

}  // namespace

learning_log::learning_log(room_context& room, meeting_feature& meeting, consult_feature& consult)
    : room_(room), meeting_(meeting), consult_(consult) {}

std::vector<v1::ClientMessage::KindCase> learning_log::kinds() const {
  return {v1::ClientMessage::kNote};
}

void learning_log::restore(const std::vector<store::item_record>& items,
                           std::vector<store::item_record>&) {
  for (const auto& item : items) {
    if (item.kind != "note") continue;
    v1::LearningNote note;
    // A removed note is never shown or edited again; the store keeps its versions.
    if (!note_from_stored(item.payload, note) || note.removed()) continue;
    note.set_category(shown_category(note.category()));
    notes_.push_back(std::move(note));
  }
  std::stable_sort(notes_.begin(), notes_.end(),
                   [](const auto& a, const auto& b) { return a.at_ms() < b.at_ms(); });
}

void learning_log::fill_welcome(v1::RoomSnapshot& room, const std::string& member,
                                const v1::Hello&) const {
  for (const auto& n : notes_) {
    if (n.removed() || (n.personal() && n.author() != member)) continue;
    *room.add_notes() = n;
  }
}

void learning_log::send_note(const v1::LearningNote& note, bool added) {
  v1::ServerMessage m;
  if (added) {
    *m.mutable_note_added()->mutable_note() = note;
  } else {
    *m.mutable_note_updated()->mutable_note() = note;
  }
  if (note.personal()) return room_.send_to_member(note.author(), std::move(m));
  room_.broadcast(std::move(m));
}

void learning_log::handle(const request& r, const v1::ClientMessage& message) {
  const auto& command = message.note();
  const auto& member = r.member;
  // A note written after the meeting ended on time belongs to no meeting.
  meeting_.catch_up();
  if (command.takeaway()) {
    auto status = consult_.takeaway(member, command.text());
    if (!status) {
      return room_.send_error(r, wire_code(status), status.message());
    }
    return room_.emit([this, r] { room_.send_ack(r); });
  }
  const bool editing = !command.note_id().empty() || command.remove();
  const auto text = clean_text(command.text(), true);
  if (!command.remove()) {
    if (!is_valid_text(command.text()) || text.empty()) {
      return room_.send_error(r, v1::Error::NOT_ALLOWED, "a note needs some text");
    }
    if (ot::utf8::count_code_points(text) > max_note_chars) {
      return room_.send_error(r, v1::Error::TOO_LARGE, "a note is at most 4,000 characters");
    }
  }
  const auto category = shown_category(command.category());
  const std::int64_t wall = room_.time().wall_ms();
  // The room keeps its whole learning log in memory (every welcome carries it), so its size is
  // bounded: a note that would take the log over the limit is refused.
  std::size_t log_bytes = 0;
  for (const auto& n : notes_)
    log_bytes += n.text().size();
  auto over_limit = [&](std::size_t replaced) {
    return !command.remove() &&
           log_bytes - replaced + text.size() > room_.options().limits.max_log_bytes;
  };
  const std::string log_full = "this room's learning log holds at most " +
                               std::to_string(room_.options().limits.max_log_bytes / 1024) +
                               " KB of notes; export it and remove notes you no longer need";
  v1::LearningNote note;
  bool added = false;
  if (editing) {
    auto it = std::find_if(notes_.begin(), notes_.end(),
                           [&](const auto& n) { return n.id() == command.note_id(); });
    if (it == notes_.end() || it->removed()) {
      return room_.send_error(r, v1::Error::NOT_FOUND, "there is no such note in this room");
    }
    if (it->author() != member) {
      return room_.send_error(r, v1::Error::NOT_ALLOWED,
                              "only a note's author can edit or remove it");
    }
    if (over_limit(it->text().size())) return room_.send_error(r, v1::Error::TOO_LARGE, log_full);
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
    if (over_limit(0)) return room_.send_error(r, v1::Error::TOO_LARGE, log_full);
    if (!command.personal()) {
      if (auto refusal = consult_.may_write(member, consult_write::note)) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED, *refusal);
      }
    }
    note.set_id(make_id(12));
    note.set_text(text);
    note.set_author(member);
    note.set_at_ms(wall);
    note.set_category(category);
    note.set_meeting_id(meeting_.running_id());
    if (consult_.meeting_mode()) note.set_consult_id(consult_.id());
    note.set_personal(command.personal());
    notes_.push_back(note);
    added = true;
  }
  const auto& room_id = room_.model().id;
  store::write_batch batch;
  batch.put_item(
      store::item_record{room_id, "note", note.id(), note.version() + 1, wall, stored_note(note)});
  batch.touch_room(room_id, wall);
  v1::Ack ack;
  ack.set_id(note.id());
  room_.commit(std::move(batch), r,
               [this, r, ack = std::move(ack), note = std::move(note), added]() mutable {
                 room_.send_ack(r, std::move(ack));
                 send_note(note, added);
               });
}

}  // namespace colead::room
