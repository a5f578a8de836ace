// The learning log: what the members learn, as notes (shared, or personal to their author),
// each stored as a "note" item; every edit or removal is a newer version, so the store keeps
// the history. A presenter's takeaway of a consult round is written here too and recorded by
// the consult.
#pragma once

#include <string>
#include <vector>

#include "room/consult_feature.hpp"
#include "room/meeting_feature.hpp"
#include "room/room_context.hpp"
#include "room/room_feature.hpp"

namespace colead::room {

class learning_log final : public room_feature {
 public:
  // Notes belong to the meeting running when they are written and follow the consult's
  // rules for shared writing.
  learning_log(room_context& room, meeting_feature& meeting, consult_feature& consult);

  std::vector<v1::ClientMessage::KindCase> kinds() const override;
  void handle(const request& r, const v1::ClientMessage& message) override;
  void fill_welcome(v1::RoomSnapshot& room, const std::string& member,
                    const v1::Hello& hello) const override;
  void restore(const std::vector<store::item_record>& items,
               std::vector<store::item_record>& writes) override;

  // The notes kept, oldest first (removed ones leave the log).
  const std::vector<v1::LearningNote>& notes() const { return notes_; }

 private:
  void send_note(const v1::LearningNote& note, bool added);

  room_context& room_;
  meeting_feature& meeting_;
  consult_feature& consult_;
  std::vector<v1::LearningNote> notes_;  // the learning log, oldest first
};

}  // namespace colead::room
