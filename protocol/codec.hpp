// Turns wire frames into protobuf messages and back, in either subprotocol.
//
// `colead.v1.proto` frames are binary, one serialised message each; `colead.v1.json` frames
// are text, one message each in the proto3 canonical JSON mapping. Every function here is
// pure and thread-safe (protobuf's JSON utilities keep no shared mutable state).
#pragma once

#if defined(COLEAD_LAYER_ROOM) || defined(COLEAD_LAYER_STORE) || defined(COLEAD_LAYER_OT)
#error "the codec is used by the net layer only: rooms speak schema messages (room/outbound.hpp)"
#endif

#include <cstdint>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "colead/v1/colead.pb.h"

namespace colead::protocol {

// The two subprotocols a WebSocket may negotiate.
enum class encoding { binary, json };

inline constexpr std::string_view binary_subprotocol = "colead.v1.proto";
inline constexpr std::string_view json_subprotocol = "colead.v1.json";

// The subprotocol name of an encoding.
std::string_view subprotocol_name(encoding e);

// Why a frame did not decode. `unknown_kind` is set when the frame is well formed but names
// a kind this server does not know (JSON) or none at all.
struct decode_error {
  std::string message;
  bool unknown_kind = false;
};

// Serialises `message` in `e`. JSON output uses lowerCamelCase names and omits fields at
// their default value, as the canonical mapping does.
std::string encode(const google::protobuf::Message& message, encoding e);

// Parses `frame` into `out`. Returns true on success; otherwise fills `error` and leaves
// `out` in an unspecified state. JSON input accepts lowerCamelCase and proto field names
// and 64-bit integers as numbers or strings.
bool decode(std::string_view frame, encoding e, google::protobuf::Message& out,
            decode_error& error);

// Decodes a client message and checks it names a kind; the result distinguishes a frame
// that does not decode (BAD_FRAME) from one with no known kind (UNKNOWN_KIND). When a frame is
// refused, `out.req()` holds the request number `peek_req` finds in it (and nothing else),
// so the error can answer the request. A message with an enum value its schema does not
// name is refused (BAD_FRAME) the same way.
bool decode_client_message(std::string_view frame, encoding e, v1::ClientMessage& out,
                           decode_error& error);

// True when every enum field set in `message`, at any depth, holds a value its enum names.
// Proto3 keeps numbers it does not know (binary) and the JSON parser takes any number, so a
// client could store a category that no export or page can show; the server refuses those.
// Otherwise `why` names the field and its value.
bool known_enum_values(const google::protobuf::Message& message, std::string& why);

// The request number of a client frame, read without decoding the whole message, so an error
// about a frame that is refused (too fast, too large, or not a valid message) still answers
// the request it carried. JSON: the top-level "req" member, a number or a string of digits;
// binary: field 1 (`req`) of ClientMessage read straight off the wire. Works on a truncated
// frame (the first bytes of a message too large to keep); 0 when none can be found.
// Linear in the frame's size, no allocation.
std::uint64_t peek_req(std::string_view frame, encoding e);

// JSON helpers for HTTP bodies, which always use the JSON mapping.
std::string to_json(const google::protobuf::Message& message);
bool from_json(std::string_view json, google::protobuf::Message& out, std::string& error);

}  // namespace colead::protocol
