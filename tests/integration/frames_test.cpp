// Frames the server must survive: garbage, unknown kinds, messages before hello and frames
// over the size limit each get an error naming what was wrong, and (unless fatal) the
// connection stays usable.
#include <random>

#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

using GarbageFrames = ServerTest;
class Frames : public ServerTest, public ::testing::WithParamInterface<encoding> {};

// Sends `payload` in the connection's frame type and returns the error it earned.
std::optional<v1::ServerMessage> error_for(client::connection& conn, std::string_view payload) {
  auto sent = conn.subprotocol() == encoding::binary ? conn.send_raw_binary(payload)
                                                     : conn.send_raw_text(payload);
  EXPECT_TRUE(sent.is_ok()) << sent.message();
  return conn.receive_matching(kind_is(v1::ServerMessage::kError), expect_within);
}

TEST_F(GarbageFrames, BinaryGarbageGetsBadFrameAndTheConnectionStaysUsable) {
  auto room = make_room(2);
  auto conn = join(room, 0, "Ann", encoding::binary);
  ASSERT_NE(conn, nullptr);

  // Varints that never end: not a protobuf message by any reading.
  auto error = error_for(*conn, std::string(12, '\xff'));
  ASSERT_TRUE(error) << conn->last_error();
  EXPECT_EQ(error->error().code(), v1::Error::BAD_FRAME) << error->DebugString();
  EXPECT_FALSE(error->error().fatal());
  EXPECT_FALSE(error->error().message().empty());
  EXPECT_TRUE(ping_pong(*conn));

  // Seeded random frames; those that happen to decode as a real message are skipped, the
  // rest are garbage or name no kind.
  const auto seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  int sent = 0;
  for (int i = 0; i < 40 && sent < 20; ++i) {
    std::string bytes(1 + random() % 64, '\0');
    for (auto& b : bytes)
      b = static_cast<char>(random() % 256);
    v1::ClientMessage probe;
    protocol::decode_error why;
    if (protocol::decode_client_message(bytes, encoding::binary, probe, why)) continue;
    ++sent;
    auto answer = error_for(*conn, bytes);
    ASSERT_TRUE(answer) << conn->last_error();
    EXPECT_TRUE(answer->error().code() == v1::Error::BAD_FRAME ||
                answer->error().code() == v1::Error::UNKNOWN_KIND)
        << answer->DebugString();
    EXPECT_FALSE(answer->error().fatal());
  }
  EXPECT_TRUE(ping_pong(*conn));
  EXPECT_TRUE(conn->is_open());
}

TEST_F(GarbageFrames, JsonGarbageAndUnknownKindsKeepTheConnectionUsable) {
  auto room = make_room(2);
  auto conn = join(room, 0, "Ann", encoding::json);
  ASSERT_NE(conn, nullptr);

  struct bad_frame {
    std::string payload;
    v1::Error::Code expected;
  };
  const std::vector<bad_frame> frames = {
      {"this is not JSON {", v1::Error::BAD_FRAME},
      {"[1, 2, 3]", v1::Error::BAD_FRAME},
      {"{\"ping\": {}", v1::Error::BAD_FRAME},
      {"{\"frobnicate\": {}}", v1::Error::UNKNOWN_KIND},
      {"{\"req\": \"5\", \"teleport\": {\"to\": \"mars\"}}", v1::Error::UNKNOWN_KIND},
      {"{}", v1::Error::UNKNOWN_KIND},
  };
  for (const auto& frame : frames) {
    SCOPED_TRACE("frame: " + frame.payload);
    auto error = error_for(*conn, frame.payload);
    ASSERT_TRUE(error) << conn->last_error();
    EXPECT_EQ(error->error().code(), frame.expected) << error->DebugString();
    EXPECT_FALSE(error->error().fatal());
    EXPECT_FALSE(error->error().message().empty());
    EXPECT_TRUE(ping_pong(*conn));
  }
}

TEST_F(GarbageFrames, JsonRequestWithAFieldThisServerDoesNotKnowIsAnsweredByItsReq) {
  auto room = make_room(2);
  auto conn = join(room, 0, "Ann", encoding::json);
  ASSERT_NE(conn, nullptr);

  auto error = error_for(
      *conn, R"({"req": "42", "meeting": {"start": {"plannedMinutes": 30, "warpSpeed": 9}}})");
  ASSERT_TRUE(error) << conn->last_error();
  EXPECT_EQ(error->error().code(), v1::Error::BAD_FRAME) << error->DebugString();
  EXPECT_EQ(error->re(), 42u);
  EXPECT_NE(error->error().message().find("warpSpeed"), std::string::npos)
      << error->error().message();
  EXPECT_TRUE(ping_pong(*conn));
}

TEST_P(Frames, MessageBeforeHelloGetsNotJoined) {
  auto room = make_room(2);
  client::connection conn;
  ASSERT_TRUE(conn.connect(server_->url(), room.id(), GetParam(), expect_within).is_ok());

  auto ping = ping_message();
  ASSERT_TRUE(conn.send(ping).is_ok());
  auto error = conn.receive_matching(kind_is(v1::ServerMessage::kError), expect_within);
  ASSERT_TRUE(error) << conn.last_error();
  EXPECT_EQ(error->error().code(), v1::Error::NOT_JOINED) << error->DebugString();
  EXPECT_EQ(error->re(), ping.req());
  EXPECT_FALSE(error->error().fatal());

  // Not fatal: the same connection can still join.
  auto joined = conn.hello({room.invites(0).token(), "Ann", "", ""}, expect_within);
  EXPECT_TRUE(joined.outcome.is_ok()) << joined.outcome.message();
}

class OversizeFrames : public Frames {
 protected:
  static constexpr std::size_t max_frame_bytes = 4096;
  void SetUp() override {
    server_options options;
    options.extra_args = {"--max-frame-bytes", std::to_string(max_frame_bytes)};
    start_server(options);
  }
};

TEST_P(OversizeFrames, FrameOverTheLimitGetsTooLargeOrClose1009) {
  auto room = make_room(2);
  auto conn = join(room, 0, "Ann", GetParam());
  ASSERT_NE(conn, nullptr);

  v1::ClientMessage note;
  note.mutable_note()->set_text(std::string(2 * max_frame_bytes, 'x'));
  note.mutable_note()->set_category(v1::LearningNote::OTHER);
  ASSERT_TRUE(conn->send(note).is_ok()) << conn->last_error();

  auto error = conn->receive_matching(error_is(v1::Error::TOO_LARGE), expect_within);
  if (error) {
    EXPECT_FALSE(error->error().message().empty());
    if (!error->error().fatal()) {
      EXPECT_TRUE(ping_pong(*conn));
    }
  }
  if (!error || error->error().fatal()) {
    auto closed = conn->wait_closed(expect_within);
    ASSERT_TRUE(closed) << "neither TOO_LARGE nor a close frame: " << conn->last_error();
    EXPECT_EQ(closed->code, 1009) << closed->reason;
  }
}

INSTANTIATE_TEST_SUITE_P(Subprotocols, Frames, ::testing::Values(encoding::binary, encoding::json),
                         subprotocol_test_name);
INSTANTIATE_TEST_SUITE_P(Subprotocols, OversizeFrames,
                         ::testing::Values(encoding::binary, encoding::json),
                         subprotocol_test_name);

}  // namespace
}  // namespace colead::integration
