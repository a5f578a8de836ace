// A member's replica of the shared purpose over a real WebSocket, as the command-line client
// keeps it: a client::shared_document fed by everything the connection receives, sending what
// the replica asks to send. Tests type through `doc` and call pump() to let edits flow.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "client/shared_document.hpp"
#include "harness/room_client.hpp"
#include "harness/server_process.hpp"

namespace colead::integration {

struct replica_client {
  std::unique_ptr<client::connection> conn;
  client::shared_document doc;
  std::uint64_t req = 0;

  explicit replica_client(std::string id) : doc("purpose", std::move(id)) {}

  void send(std::optional<v1::ClientMessage> m) {
    if (!m || !conn) return;
    m->set_req(++req);
    EXPECT_TRUE(conn->send(*m).is_ok()) << conn->last_error();
  }

  // Handles what has arrived, waiting up to `wait` for the first message.
  void pump(std::chrono::milliseconds wait) {
    while (conn) {
      auto m = conn->receive(wait);
      if (!m) return;
      wait = std::chrono::milliseconds(0);
      if (m->has_error()) ADD_FAILURE() << "server error: " << m->error().message();
      auto next = doc.receive(*m);
      ASSERT_TRUE(next) << next.error().to_string();
      send(std::move(next.value()));
    }
  }

  // Joins seat `seat` as `name`; a rejoin names the revision the replica holds and expects
  // the server to catch it up.
  void join(const server_process& server, const v1::CreateRoomResponse& room, int seat,
            const std::string& name, bool rejoin = false) {
    conn = std::make_unique<client::connection>();
    ASSERT_TRUE(conn->connect(server.url(), room.id(), client::encoding::binary).is_ok());
    v1::ClientMessage hello;
    hello.set_req(++req);
    hello.mutable_hello()->set_token(room.invites(seat).token());
    hello.mutable_hello()->set_name(name);
    if (rejoin) (*hello.mutable_hello()->mutable_known_revisions())["purpose"] = doc.revision();
    ASSERT_TRUE(conn->send(hello).is_ok());
    auto welcome = conn->receive_matching(kind_is(v1::ServerMessage::kWelcome), expect_within);
    ASSERT_TRUE(welcome);
    for (const auto& d : welcome->welcome().room().docs()) {
      if (d.id() != "purpose") continue;
      if (rejoin) {
        EXPECT_TRUE(d.catching_up());
      }
      send(doc.welcome(d));
    }
  }
};

}  // namespace colead::integration
