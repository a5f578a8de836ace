// What the integration tests do again and again against a running server: create a room,
// join it, and wait for the message that matters, each within a bound.
//
// Free functions; thread-safety is that of the connection passed in.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "client/connection.hpp"
#include "harness/server_process.hpp"

namespace colead::integration {

namespace v1 = colead::v1;
using client::encoding;

// How long a test waits for a message it expects. Generous: a loaded machine (two cores,
// sanitizers) must not fail a correct server; a message that never comes still fails fast
// enough.
inline constexpr milliseconds expect_within{5000};

// A test of what a server checks.
using message_test = std::function<bool(const v1::ServerMessage&)>;

// Creates a room through POST /api/rooms. Returns nothing and sets `error` unless the server
// answered 201 with a CreateRoomResponse.
std::optional<v1::CreateRoomResponse> create_room(const server_process& server,
                                                  std::string_view title, int seats,
                                                  std::string& error);
// The same for a whole request (e.g. with a facilitator seat).
std::optional<v1::CreateRoomResponse> create_room(const server_process& server,
                                                  const v1::CreateRoomRequest& request,
                                                  std::string& error);

// Connects to the room in `subprotocol` and says hello. Returns null and sets `error` unless
// a welcome arrived; `welcome` receives it.
std::unique_ptr<client::connection> join_room(const server_process& server,
                                              std::string_view room_id, std::string_view token,
                                              std::string_view name, encoding subprotocol,
                                              std::string& error, v1::Welcome* welcome = nullptr);

// Messages of one kind, e.g. kind_is(v1::ServerMessage::kPong).
message_test kind_is(v1::ServerMessage::KindCase kind);
// Errors with this code.
message_test error_is(v1::Error::Code code);
// Presence messages for which `test` holds.
message_test presence_where(std::function<bool(const v1::Presence&)> test);

// The member with this id in a member list, or null.
const v1::Member* find_member(const google::protobuf::RepeatedPtrField<v1::Member>& members,
                              std::string_view member_id);

// Sends a ping and waits for its pong (matched by `re`); true once it arrived.
bool ping_pong(client::connection& conn, milliseconds timeout = expect_within);

// A ClientMessage holding one ping.
v1::ClientMessage ping_message();

}  // namespace colead::integration
