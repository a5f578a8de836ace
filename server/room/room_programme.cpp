// What reaches a room from its cohort: the programme's changes and facilitators' nudges. The
// programme feature (programme_feature.hpp) keeps the room's side.
#include "room/programme_feature.hpp"
#include "room/room.hpp"

namespace colead::room {

void room::programme_changed(const v1::ProgrammeState& full) {
  if (context_.broken() || erase_due_) return;
  programme_->programme_changed(full);
}

status room::facilitator_nudge(const v1::Nudge& nudge) {
  if (context_.broken() || erase_due_) {
    return status::not_allowed(
        "this room cannot take messages now: it is being reloaded or erased");
  }
  return programme_->facilitator_nudge(nudge);
}

v1::ProgrammeState room::programme() const {
  return programme_->view();
}

}  // namespace colead::room
