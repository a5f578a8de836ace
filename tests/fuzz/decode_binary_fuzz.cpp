// Fuzzes the binary subprotocol (colead.v1.proto): any bytes as one WebSocket frame through
// decode_client_message, as websocket_session does. A frame that decodes must encode again
// into a frame that decodes to the same message, must print as JSON, and must yield the same
// req to protocol::peek_req (which reads it off a frame the server refuses).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <google/protobuf/util/message_differencer.h>

#include "codec.hpp"
#include "fuzz_support.hpp"

using namespace colead;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::silence_protobuf();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view frame(reinterpret_cast<const char*>(data), size);
  v1::ClientMessage message;
  protocol::decode_error error;
  if (!protocol::decode_client_message(frame, protocol::encoding::binary, message, error)) {
    fuzz::check(!error.message.empty(), "a refused binary frame says why");
    return 0;
  }
  fuzz::check(message.kind_case() != v1::ClientMessage::KIND_NOT_SET,
              "a decoded message names a kind");
  // The req a refusal would answer is the one the parser reads.
  fuzz::check(protocol::peek_req(frame, protocol::encoding::binary) == message.req(),
              "peek_req reads the req the parser reads");
  auto again = protocol::encode(message, protocol::encoding::binary);
  v1::ClientMessage round;
  protocol::decode_error round_error;
  fuzz::check(
      protocol::decode_client_message(again, protocol::encoding::binary, round, round_error),
      "a re-encoded binary message decodes");
  fuzz::check(google::protobuf::util::MessageDifferencer::Equals(message, round),
              "a binary message survives encode and decode");
  // The JSON form is what a JSON client would send for the same message.
  auto json = protocol::encode(message, protocol::encoding::json);
  fuzz::check(!json.empty(), "a decoded message prints as JSON");
  return 0;
}
