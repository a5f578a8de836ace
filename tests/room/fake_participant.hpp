// A participant that records what the room sends it, for room tests without a network.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "codec.hpp"
#include "room/participant.hpp"

namespace colead::room::testing {

class fake_participant final : public participant {
 public:
  explicit fake_participant(protocol::encoding e = protocol::encoding::binary) : encoding_(e) {}

  // Encodes as a session does: once per encoding, the frame kept in the message.
  void deliver(outbound& message) override {
    auto& frame = message.frame(encoding_ == protocol::encoding::binary ? 0 : 1);
    if (!frame) {
      frame = std::make_shared<const std::string>(protocol::encode(message.message(), encoding_));
    }
    frames.push_back(frame);
  }

  void close(close_reason reason) override {
    closed = true;
    close_with = reason;
  }

  // Every message received so far, decoded.
  std::vector<v1::ServerMessage> messages() const {
    std::vector<v1::ServerMessage> out;
    for (const auto& f : frames) {
      v1::ServerMessage m;
      protocol::decode_error error;
      if (protocol::decode(*f, encoding_, m, error)) out.push_back(std::move(m));
    }
    return out;
  }

  // The last message received; an empty message when none.
  v1::ServerMessage last() const {
    auto all = messages();
    return all.empty() ? v1::ServerMessage{} : all.back();
  }

  // Messages of one kind.
  std::vector<v1::ServerMessage> of_kind(v1::ServerMessage::KindCase kind) const {
    std::vector<v1::ServerMessage> out;
    for (auto& m : messages())
      if (m.kind_case() == kind) out.push_back(std::move(m));
    return out;
  }

  void clear() { frames.clear(); }

  std::vector<std::shared_ptr<const std::string>> frames;  // as delivered
  bool closed = false;                                     // close() was called
  close_reason close_with;                                 // what close() said

 private:
  protocol::encoding encoding_;
};

}  // namespace colead::room::testing
