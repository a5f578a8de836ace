// Stopping the server: on SIGTERM every WebSocket gets a close frame with code 1001 (going
// away) and the process exits 0, within its grace period even when clients do not answer.
#include <signal.h>

#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

using Shutdown = ServerTest;

TEST_F(Shutdown, SigtermClosesEveryClientWithGoingAwayAndExitsZero) {
  auto room = make_room(3);
  auto a = join(room, 0, "Ann", encoding::binary);
  auto b = join(room, 1, "Bea", encoding::json);
  ASSERT_TRUE(a && b);
  // A connection that has not said hello yet is a WebSocket too.
  client::connection waiting;
  ASSERT_TRUE(waiting.connect(server_->url(), room.id(), encoding::binary, expect_within).is_ok());

  server_->signal(SIGTERM);
  // The clients answer the close handshake as they read, as live clients would.
  for (auto* conn : {a.get(), b.get(), &waiting}) {
    auto closed = conn->wait_closed(expect_within);
    ASSERT_TRUE(closed) << "no close frame: " << conn->last_error();
    EXPECT_EQ(closed->code, 1001) << closed->reason;
    EXPECT_FALSE(conn->is_open());
  }
  auto status = server_->wait(std::chrono::seconds(15));
  EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
}

TEST_F(Shutdown, SigtermExitsZeroEvenWhenClientsNeverAnswerTheClose) {
  auto room = make_room(2);
  auto a = join(room, 0, "Ann", encoding::binary);
  ASSERT_NE(a, nullptr);

  // The client reads nothing until the server has gone: the server must not wait for it
  // beyond its grace period.
  auto status = server_->terminate(std::chrono::seconds(15));
  EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
  auto closed = a->wait_closed(expect_within);
  ASSERT_TRUE(closed) << "no close frame: " << a->last_error();
  EXPECT_EQ(closed->code, 1001) << closed->reason;
}

TEST_F(Shutdown, SigtermWithNoClientsExitsZero) {
  auto status = server_->terminate(std::chrono::seconds(15));
  EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
}

}  // namespace
}  // namespace colead::integration
