// The fixture most integration tests share: a fresh colead-server per test, and helpers that
// create a room and join it, failing the test with the reason when they cannot.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "harness/room_client.hpp"
#include "harness/server_process.hpp"

namespace colead::integration {

// True when the server and the tests are built with AddressSanitizer and UBSan
// (tests/run_all.sh --sanitize) or ThreadSanitizer (--tsan). A few tests measure what only
// the real allocator, the real descriptor table or the real build's speed show, and skip
// there.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool sanitized_build = true;
#else
inline constexpr bool sanitized_build = false;
#endif

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start_server({}); }

  // Starts the server with these options (a test that needs flags calls it again).
  void start_server(const server_options& options) {
    server_.reset();
    std::string error;
    server_ = server_process::start(options, error);
    ASSERT_NE(server_, nullptr) << error;
  }

  // Starts the server with these flags after the harness's own.
  void start_with(std::vector<std::string> extra_args) {
    server_options options;
    options.extra_args = std::move(extra_args);
    start_server(options);
  }

  // Creates a room with `seats` seats; an empty response (and a failure) if it cannot.
  v1::CreateRoomResponse make_room(int seats, std::string_view title = "Pair") {
    std::string error;
    auto created = create_room(*server_, title, seats, error);
    if (!created) {
      ADD_FAILURE() << "cannot create a room: " << error;
      return {};
    }
    EXPECT_EQ(created->invites_size(), seats);
    return *created;
  }

  // Joins `room` with the token of seat index `seat` (0-based); null (and a failure) if the
  // server did not welcome.
  std::unique_ptr<client::connection> join(const v1::CreateRoomResponse& room, int seat,
                                           std::string_view name,
                                           encoding subprotocol = encoding::binary,
                                           v1::Welcome* welcome = nullptr) {
    if (seat >= room.invites_size()) {
      ADD_FAILURE() << "the room has no seat " << seat;
      return nullptr;
    }
    std::string error;
    auto conn = join_room(*server_, room.id(), room.invites(seat).token(), name, subprotocol, error,
                          welcome);
    if (!conn) ADD_FAILURE() << name << " cannot join: " << error;
    return conn;
  }

  std::unique_ptr<server_process> server_;
};

// Names parameterised tests after the subprotocol: .../Binary, .../Json.
inline std::string subprotocol_test_name(const ::testing::TestParamInfo<encoding>& info) {
  return info.param == encoding::binary ? "Binary" : "Json";
}

}  // namespace colead::integration
