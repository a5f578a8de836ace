// The room's documents: edits through the OT authority, adding, renaming and removing
// documents, agreeing on a version, restoring an earlier one; and, for a device that
// reconnects, the edits it missed.
#pragma once

#include "room/consult_feature.hpp"
#include "room/room_context.hpp"
#include "room/room_feature.hpp"

namespace colead::room {

class documents_feature final : public room_feature {
 public:
  // Edits are refused when the consult's current phase does not let their author edit.
  documents_feature(room_context& room, const consult_feature& consult);

  std::vector<v1::ClientMessage::KindCase> kinds() const override;
  void handle(const request& r, const v1::ClientMessage& message) override;
  void fill_welcome(v1::RoomSnapshot& room, const std::string& member,
                    const v1::Hello& hello) const override;
  void after_welcome(const std::shared_ptr<participant>& to, const v1::Hello& hello) override;

  // OT settings for documents of a room with these options (also used when loading).
  static ot::server_options document_options(const room_options& options);

 private:
  document_state* find(const std::string& id);
  void on_edit(const request& r, const v1::Edit& edit);
  void on_command(const request& r, const v1::DocumentCommand& command);
  void on_agree(const request& r, const v1::DocumentCommand::Agree& agree);
  void on_restore(const request& r, const v1::DocumentCommand::Restore& restore);
  void apply_edit(const request& r, document_state& doc, std::uint64_t base_rev,
                  const ot::text_operation& op, const std::string& edit_id,
                  bool author_needs_applied);
  // Writes `doc`'s record (and its text, for a new one), then acknowledges with `ack` and
  // broadcasts the documents list.
  void save(const request& r, const document_state& doc, v1::Ack ack, bool with_text);
  v1::ServerMessage documents_message(const std::string& changed_by) const;

  room_context& room_;
  const consult_feature& consult_;
};

}  // namespace colead::room
