// A server message on its way to many participants. The room makes it once and hands the same
// object to every recipient; whoever encodes it (the network layer) keeps each encoding's
// frame here the first time a recipient needs it, so a broadcast is serialised once per
// encoding and the frame is shared by every recipient.
//
// Not thread-safe: used on the room's strand only (participant::deliver is called there). The
// frames kept are immutable and may be read from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>

#include "colead/v1/colead.pb.h"

namespace colead::room {

class outbound {
 public:
  // How many encodings a message may be kept in.
  static constexpr std::size_t encodings = 2;

  explicit outbound(v1::ServerMessage message) : message_(std::move(message)) {}
  outbound(const outbound&) = delete;
  outbound& operator=(const outbound&) = delete;

  const v1::ServerMessage& message() const { return message_; }

  // The frame kept for encoding number `e` (below `encodings`); empty until one is kept.
  std::shared_ptr<const std::string>& frame(std::size_t e) { return frames_.at(e); }

 private:
  v1::ServerMessage message_;                                         // what is sent
  std::array<std::shared_ptr<const std::string>, encodings> frames_;  // encoded, once made
};

}  // namespace colead::room
