// The fixture of room tests: a two-seat room on a manual clock and a test journal, with
// helpers that connect fake participants and send messages.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fake_participant.hpp"
#include "room/room.hpp"
#include "test_journal.hpp"

namespace colead::room {

using testing::fake_participant;
using testing::test_journal;

class RoomTest : public ::testing::Test {
 protected:
  explicit RoomTest(unsigned seats = 2, bool facilitator_seat = false) {
    auto made = make_room("Heart failure pathway", seats, clock_, {}, facilitator_seat);
    tokens_ = made.tokens;
    room_ = std::make_unique<room>(std::move(made.model), clock_, journal_, options());
  }

  room_options options() const {
    room_options o;
    o.limits = limits_;
    return o;
  }

  // Runs `message` through the room and makes every write durable.
  void send(const std::shared_ptr<fake_participant>& p, const v1::ClientMessage& message) {
    room_->handle(p, message);
    journal_.complete_all();
  }

  std::shared_ptr<fake_participant> connect(protocol::encoding e = protocol::encoding::binary) {
    auto p = std::make_shared<fake_participant>(e);
    room_->attach(p);
    return p;
  }

  void hello(const std::shared_ptr<fake_participant>& p, const std::string& token,
             const std::string& name, std::uint64_t req = 1) {
    v1::ClientMessage m;
    m.set_req(req);
    m.mutable_hello()->set_token(token);
    m.mutable_hello()->set_name(name);
    m.mutable_hello()->set_role("carer");
    send(p, m);
  }

  static v1::ClientMessage ping(std::uint64_t req) {
    v1::ClientMessage m;
    m.set_req(req);
    m.mutable_ping();
    return m;
  }

  manual_clock clock_;
  room_limits limits_;
  test_journal journal_;
  std::vector<std::string> tokens_;
  std::unique_ptr<room> room_;
};

}  // namespace colead::room
