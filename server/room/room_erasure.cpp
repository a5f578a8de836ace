// Erasure: a room can be deleted completely. A member asks, every member confirms (any of
// them may withdraw the request), and then the room is gone; the operator can erase at once
// with the organiser key (see erase()).
#include <algorithm>

#include "room/room.hpp"
#include "room/room_records.hpp"
#include "room/wire.hpp"

namespace colead::room {

void room::erase() {
  erase_due_ = true;
  close_all({1000, "this room has been erased"});
}

void room::on_erase(connection& c, std::uint64_t req, const v1::RoomCommand& command) {
  const auto p = c.p;
  const auto member = c.member_id;
  auto& confirmed = model_.erase_confirmed_by;
  if (command.has_keep()) {
    if (confirmed.empty()) {
      return send_error(p, req, v1::Error::NOT_ALLOWED, "nobody has asked to erase this room");
    }
    confirmed.clear();
  } else if (std::find(confirmed.begin(), confirmed.end(), member) == confirmed.end()) {
    confirmed.push_back(member);
  }
  // Erased once every member (every seat taken) has confirmed: power is shared, so one
  // member cannot delete what the pair or trio wrote together.
  const bool everyone = !confirmed.empty() && confirmed.size() >= members_count();
  store::write_batch batch;
  batch.put_room(room_record_of(model_, clock_.wall_ms()));
  v1::ServerMessage changed;
  auto* rc = changed.mutable_room_changed();
  for (const auto& m : confirmed)
    rc->add_erase_confirmed_by(m);
  rc->set_changed_by(member);
  settings_to_wire(model_.settings, rc->mutable_settings());
  persist(
      std::move(batch),
      [this, p, req, changed = std::move(changed), everyone]() mutable {
        send_ack(p, req, {});
        broadcast(std::move(changed));
        if (everyone) erase();
      },
      [this, p, req](const store::status& why) { fail_room(p, req, why); });
}

}  // namespace colead::room
