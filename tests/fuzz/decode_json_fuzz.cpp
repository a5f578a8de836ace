// Fuzzes the JSON subprotocol (colead.v1.json): any bytes as one text frame through
// decode_client_message, as websocket_session does, held to decode_fuzz.hpp's invariants.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "decode_fuzz.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  colead::fuzz::silence_protobuf();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  colead::fuzz::check_client_frame({reinterpret_cast<const char*>(data), size},
                                   colead::protocol::encoding::json);
  return 0;
}
