// What reaches a room from its cohort: the programme's changes and facilitators' nudges.
#include "room/outbound.hpp"
#include "room/programme_items.hpp"
#include "room/room.hpp"

namespace colead::room {

void room::programme_changed(const v1::ProgrammeState& full) {
  auto view = view_for_room(full, context_.model().id);
  if (view.SerializeAsString() == programme_.SerializeAsString()) return;
  programme_ = std::move(view);
  context_.emit([this, view = programme_] {
    v1::ServerMessage m;
    *m.mutable_programme() = view;
    context_.broadcast(std::move(m));
  });
}

void room::facilitator_nudge(const v1::Nudge& nudge) {
  context_.emit([this, nudge] {
    v1::ServerMessage m;
    *m.mutable_nudge() = nudge;
    context_.broadcast(std::move(m));
  });
}

}  // namespace colead::room
