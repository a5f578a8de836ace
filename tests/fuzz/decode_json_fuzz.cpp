// Fuzzes the JSON subprotocol (colead.v1.json): any bytes as one text frame through
// decode_client_message. A refused frame says why; a refused frame that is a JSON object
// keeps at most its request number. A decoded message prints as JSON that decodes to the
// same message, and survives the binary form too.
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
  if (!protocol::decode_client_message(frame, protocol::encoding::json, message, error)) {
    fuzz::check(!error.message.empty(), "a refused JSON frame says why");
    return 0;
  }
  fuzz::check(message.kind_case() != v1::ClientMessage::KIND_NOT_SET,
              "a decoded message names a kind");
  using google::protobuf::util::MessageDifferencer;
  auto json = protocol::encode(message, protocol::encoding::json);
  v1::ClientMessage from_json;
  protocol::decode_error json_error;
  fuzz::check(
      protocol::decode_client_message(json, protocol::encoding::json, from_json, json_error),
      "a message printed as JSON decodes");
  fuzz::check(MessageDifferencer::Equals(message, from_json),
              "a JSON message survives print and parse");
  auto binary = protocol::encode(message, protocol::encoding::binary);
  v1::ClientMessage from_binary;
  protocol::decode_error binary_error;
  fuzz::check(protocol::decode_client_message(binary, protocol::encoding::binary, from_binary,
                                              binary_error),
              "a JSON message encoded as binary decodes");
  fuzz::check(MessageDifferencer::Equals(message, from_binary),
              "a JSON message survives the binary form");
  return 0;
}
