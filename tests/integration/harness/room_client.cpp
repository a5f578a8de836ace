#include "harness/room_client.hpp"

#include "client/http_request.hpp"
#include "codec.hpp"

namespace colead::integration {

std::optional<v1::CreateRoomResponse> create_room(const server_process& server,
                                                  std::string_view title, int seats,
                                                  std::string& error) {
  v1::CreateRoomRequest request;
  request.set_title(std::string(title));
  request.set_seats(static_cast<std::uint32_t>(seats));
  return create_room(server, request, error);
}

std::optional<v1::CreateRoomResponse> create_room(const server_process& server,
                                                  const v1::CreateRoomRequest& request,
                                                  std::string& error) {
  auto result = client::http_request("POST", server.url() + "/api/rooms",
                                     protocol::to_json(request), {}, expect_within);
  if (!result.outcome.is_ok()) {
    error = result.outcome.message();
    return std::nullopt;
  }
  if (result.response.status != 201) {
    error = "POST /api/rooms answered " + std::to_string(result.response.status) + ": " +
            result.response.body;
    return std::nullopt;
  }
  v1::CreateRoomResponse created;
  std::string why;
  if (!protocol::from_json(result.response.body, created, why)) {
    error = "POST /api/rooms answered a body that is not a CreateRoomResponse (" + why +
            "): " + result.response.body;
    return std::nullopt;
  }
  return created;
}

std::unique_ptr<client::connection> join_room(const server_process& server,
                                              std::string_view room_id, std::string_view token,
                                              std::string_view name, encoding subprotocol,
                                              std::string& error, v1::Welcome* welcome) {
  auto conn = std::make_unique<client::connection>();
  auto connected = conn->connect(server.url(), room_id, subprotocol, expect_within);
  if (!connected.is_ok()) {
    error = connected.message();
    return nullptr;
  }
  auto joined = conn->hello({std::string(token), std::string(name), "", ""}, expect_within);
  if (!joined.outcome.is_ok()) {
    error = joined.outcome.message();
    return nullptr;
  }
  if (welcome) *welcome = joined.welcome();
  return conn;
}

message_test kind_is(v1::ServerMessage::KindCase kind) {
  return [kind](const v1::ServerMessage& m) { return m.kind_case() == kind; };
}

message_test error_is(v1::Error::Code code) {
  return [code](const v1::ServerMessage& m) { return m.has_error() && m.error().code() == code; };
}

message_test presence_where(std::function<bool(const v1::Presence&)> test) {
  return [test = std::move(test)](const v1::ServerMessage& m) {
    return m.has_presence() && test(m.presence());
  };
}

const v1::Member* find_member(const google::protobuf::RepeatedPtrField<v1::Member>& members,
                              std::string_view member_id) {
  for (const auto& member : members) {
    if (member.member_id() == member_id) return &member;
  }
  return nullptr;
}

v1::ClientMessage ping_message() {
  v1::ClientMessage message;
  message.mutable_ping();
  return message;
}

bool ping_pong(client::connection& conn, milliseconds timeout) {
  auto ping = ping_message();
  if (!conn.send(ping).is_ok()) return false;
  auto req = ping.req();
  return conn
      .receive_matching([req](const v1::ServerMessage& m) { return m.has_pong() && m.re() == req; },
                        timeout)
      .has_value();
}

}  // namespace colead::integration
