// The room's call: which members are in it, from which device, with what microphone and
// camera, and the relay of their browsers' connection setup (`signal`) from one member to
// another. The media itself goes between the browsers, never through the server.
//
// Each member is in the call from at most one device: the connection that sent the join.
// Joining from another device moves the member there; when that connection goes (closed or
// dropped) the member leaves the call. After every change every member's devices get
// `call_state`, and the welcome carries it too. Nothing of the call is stored: after a restart
// nobody is in it. A signal is handed on to its one recipient and forgotten: never stored,
// never logged, never put in an error message.
//
// Thread safety: none, like the room: every call is made on the room's strand.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "room/room_context.hpp"
#include "room/room_feature.hpp"

namespace colead::room {

class call_feature final : public room_feature {
 public:
  explicit call_feature(room_context& room);

  std::vector<v1::ClientMessage::KindCase> kinds() const override;
  void handle(const request& r, const v1::ClientMessage& message) override;
  void fill_welcome(v1::RoomSnapshot& room, const std::string& member,
                    const v1::Hello& hello) const override;
  // A member's device went: if it was their device in the call, they leave it.
  void presence_changed(const std::string& member) override;

  // Who is in the call now, as every member sees it.
  v1::CallState state() const;

  // Whether `session` is a valid call session id: 8 to 64 of [A-Za-z0-9_-].
  static bool valid_session(std::string_view session);

 private:
  // One member in the call.
  struct in_call {
    std::string member;                 // member id
    std::string session;                // the session id their client chose at join
    bool muted = false;                 // microphone muted
    bool camera_on = false;             // camera sending
    bool no_microphone = false;         // listening without a microphone
    std::int64_t joined_at_ms = 0;      // wall clock, when they joined
    std::weak_ptr<participant> device;  // the connection in the call
    const participant* key = nullptr;   // which connection, to find it by (never dereferenced)
  };

  void on_join(const request& r, const v1::CallCommand::Join& join);
  void on_leave(const request& r);
  void on_media(const request& r, const v1::CallCommand::Media& media);
  void on_signal(const request& r, const v1::Signal& signal);

  // The member in the call from the device that sent `r`, or null.
  in_call* from_device(const request& r);
  in_call* find(const std::string& member);
  // Acknowledges `r`, then (when `changed`) sends call_state to every member's devices.
  void answer(const request& r, bool changed);
  void broadcast_state();

  room_context& room_;
  std::vector<in_call> members_;  // in the order they joined; at most one entry per member
};

}  // namespace colead::room
