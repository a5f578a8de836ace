// A server message on its way to many participants: serialised once per encoding, the first
// time a recipient with that encoding needs it, and then shared by every recipient.
//
// Not thread-safe: used on the room's strand only. The frames it hands out are immutable and
// may be read from any thread.
#pragma once

#include <memory>
#include <string>

#include "codec.hpp"

namespace colead::room {

class outbound {
 public:
  explicit outbound(v1::ServerMessage message) : message_(std::move(message)) {}

  outbound(const outbound&) = delete;
  outbound& operator=(const outbound&) = delete;

  const v1::ServerMessage& message() const { return message_; }

  // The message encoded in `e`, serialised on first use.
  const std::shared_ptr<const std::string>& frame(protocol::encoding e) {
    auto& slot = e == protocol::encoding::binary ? binary_ : json_;
    if (!slot) slot = std::make_shared<const std::string>(protocol::encode(message_, e));
    return slot;
  }

 private:
  v1::ServerMessage message_;                  // what is sent
  std::shared_ptr<const std::string> binary_;  // colead.v1.proto frame, once made
  std::shared_ptr<const std::string> json_;    // colead.v1.json frame, once made
};

}  // namespace colead::room
