// The WebSocket handshake: both subprotocols reach a welcome; a subprotocol the server does
// not speak and a foreign Origin are refused before any frame.
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

class SubprotocolHandshake : public ServerTest, public ::testing::WithParamInterface<encoding> {};

TEST_P(SubprotocolHandshake, HelloGetsWelcomeInTheNegotiatedSubprotocol) {
  auto room = make_room(2, "Monthly pair");
  ASSERT_FALSE(room.id().empty());

  client::connection conn;
  auto connected = conn.connect(server_->url(), room.id(), GetParam(), expect_within);
  ASSERT_TRUE(connected.is_ok()) << connected.message();
  EXPECT_EQ(conn.handshake().status, 101);
  EXPECT_EQ(conn.handshake().subprotocol, protocol::subprotocol_name(GetParam()));

  v1::ClientMessage hello;
  hello.set_req(7);
  hello.mutable_hello()->set_token(room.invites(0).token());
  hello.mutable_hello()->set_name("Ann");
  hello.mutable_hello()->set_role("carer");
  hello.mutable_hello()->set_client_id("device-1");
  ASSERT_TRUE(conn.send(hello).is_ok());

  auto frame = conn.receive_raw(expect_within);
  ASSERT_TRUE(frame) << conn.last_error();
  EXPECT_EQ(frame->binary, GetParam() == encoding::binary);
  v1::ServerMessage answer;
  protocol::decode_error error;
  ASSERT_TRUE(protocol::decode(frame->payload, GetParam(), answer, error)) << error.message;
  ASSERT_TRUE(answer.has_welcome()) << answer.DebugString();
  EXPECT_EQ(answer.re(), 7u);
  const auto& welcome = answer.welcome();
  EXPECT_FALSE(welcome.member_id().empty());
  EXPECT_GT(welcome.server_time_ms(), 0);
  EXPECT_EQ(welcome.room().id(), room.id());
  EXPECT_EQ(welcome.room().title(), "Monthly pair");
  EXPECT_EQ(welcome.room().seats(), 2u);
  const auto* me = find_member(welcome.room().members(), welcome.member_id());
  ASSERT_NE(me, nullptr);
  EXPECT_EQ(me->name(), "Ann");
  EXPECT_EQ(me->role(), "carer");
  EXPECT_TRUE(me->online());
  if (GetParam() == encoding::json) {
    // The canonical JSON mapping: lowerCamelCase names, 64-bit integers as strings.
    EXPECT_NE(frame->payload.find("\"memberId\""), std::string::npos) << frame->payload;
    EXPECT_NE(frame->payload.find("\"re\":\"7\""), std::string::npos) << frame->payload;
  }
  EXPECT_TRUE(ping_pong(conn));
}

INSTANTIATE_TEST_SUITE_P(Subprotocols, SubprotocolHandshake,
                         ::testing::Values(encoding::binary, encoding::json),
                         subprotocol_test_name);

using Handshake = ServerTest;

TEST_F(Handshake, SubprotocolOfferingNeitherGets400WithPlainTextReason) {
  auto room = make_room(2);
  for (std::string offered : {"colead.v2.proto", "chat, superchat", ""}) {
    SCOPED_TRACE("offered subprotocol: '" + offered + "'");
    client::connection conn;
    client::connect_options options;
    options.offered_subprotocol = offered;
    options.timeout = expect_within;
    auto connected = conn.connect(server_->url(), room.id(), options);
    EXPECT_FALSE(connected.is_ok());
    EXPECT_FALSE(conn.is_open());
    EXPECT_EQ(conn.handshake().status, 400) << connected.message();
    EXPECT_EQ(conn.handshake().content_type.rfind("text/plain", 0), 0u)
        << conn.handshake().content_type;
    EXPECT_FALSE(conn.handshake().body.empty());
  }
}

TEST_F(Handshake, ForeignOriginGets403) {
  auto room = make_room(2);
  client::connection conn;
  client::connect_options options;
  options.headers = {{"Origin", "http://evil.example"}};
  options.timeout = expect_within;
  auto connected = conn.connect(server_->url(), room.id(), options);
  EXPECT_FALSE(connected.is_ok());
  EXPECT_EQ(conn.handshake().status, 403) << connected.message();
}

TEST_F(Handshake, BrowserOriginMatchingHostIsAccepted) {
  auto room = make_room(2);
  client::connection conn;
  client::connect_options options;
  options.headers = {{"Origin", server_->url()}};
  options.timeout = expect_within;
  auto connected = conn.connect(server_->url(), room.id(), options);
  ASSERT_TRUE(connected.is_ok()) << connected.message();
  auto joined = conn.hello({room.invites(0).token(), "Ann", "", ""}, expect_within);
  EXPECT_TRUE(joined.outcome.is_ok()) << joined.outcome.message();
}

}  // namespace
}  // namespace colead::integration
