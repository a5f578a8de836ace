// The invariants both decoder targets hold a client frame to, whichever subprotocol reads it:
// a refused frame says why; a decoded one names a kind, survives both encodings (printed as
// JSON and encoded as binary, each decodes to the same message, less the fields the schema
// does not know in JSON), and yields protocol::peek_req
// the req the parser read when it came in binary (JSON may spell a number in ways the peeker
// does not read, such as 1e1, so that check is binary only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <google/protobuf/util/message_differencer.h>

#include "codec.hpp"
#include "fuzz_support.hpp"

namespace colead::fuzz {

// `frame` decoded as `e`, checked against every invariant above.
inline void check_client_frame(std::string_view frame, protocol::encoding e) {
  v1::ClientMessage message;
  protocol::decode_error error;
  if (!protocol::decode_client_message(frame, e, message, error)) {
    check(!error.message.empty(), "a refused frame says why");
    return;
  }
  check(message.kind_case() != v1::ClientMessage::KIND_NOT_SET, "a decoded message names a kind");
  if (e == protocol::encoding::binary) {
    check(protocol::peek_req(frame, e) == message.req(), "peek_req reads the req the parser reads");
  }
  // Fields this schema does not know survive the binary form only: JSON has no way to print
  // them, so the JSON round trip is compared without them.
  v1::ClientMessage known = message;
  known.DiscardUnknownFields();
  for (auto form : {protocol::encoding::json, protocol::encoding::binary}) {
    auto again = protocol::encode(message, form);
    v1::ClientMessage round;
    protocol::decode_error round_error;
    check(protocol::decode_client_message(again, form, round, round_error),
          "a decoded message encodes into a frame that decodes");
    const auto& expected = form == protocol::encoding::json ? known : message;
    check(google::protobuf::util::MessageDifferencer::Equals(expected, round),
          "a decoded message survives encode and decode in both forms");
  }
}

}  // namespace colead::fuzz
