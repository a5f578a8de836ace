// The room's own record: its shared settings, and erasure. A member asks to erase the room,
// every member confirms (any of them may withdraw the request), and then the room is gone;
// the operator can erase at once with the organiser key (room::erase).
#pragma once

#include <functional>

#include "room/room_context.hpp"
#include "room/room_feature.hpp"

namespace colead::room {

class settings_feature final : public room_feature {
 public:
  // `erase` erases the room once every member has confirmed.
  settings_feature(room_context& room, std::function<void()> erase);

  std::vector<v1::ClientMessage::KindCase> kinds() const override;
  void handle(const request& r, const v1::ClientMessage& message) override;
  void fill_welcome(v1::RoomSnapshot& room, const std::string& member,
                    const v1::Hello& hello) const override;

 private:
  void on_settings(const request& r, const v1::RoomCommand& command);
  void on_erase(const request& r, const v1::RoomCommand& command);
  // Stores the room's record, then acknowledges `r`, tells everyone and, when `then`, runs it.
  void changed(const request& r, std::function<void()> then);

  room_context& room_;
  std::function<void()> erase_;
};

}  // namespace colead::room
