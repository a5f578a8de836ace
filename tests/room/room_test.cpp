#include "room/room.hpp"

#include <gtest/gtest.h>

#include "room_fixture.hpp"

namespace colead::room {
namespace {

TEST_F(RoomTest, NewRoomStartsWithSharedPurposeAndPrinciples) {
  const auto& docs = room_->model().docs;
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].title, "Shared purpose");
  EXPECT_EQ(docs[1].title, "Shared principles");
  EXPECT_EQ(tokens_.size(), 2u);
  EXPECT_GE(tokens_[0].size(), 22u);  // 128 bits in base64
  EXPECT_NE(tokens_[0], tokens_[1]);
}

TEST_F(RoomTest, HelloWithSeatTokenAnswersWelcome) {
  auto p = connect();
  hello(p, tokens_[0], "Asha", 7);
  auto messages = p->messages();
  ASSERT_GE(messages.size(), 1u);
  const auto& w = messages[0];
  ASSERT_TRUE(w.has_welcome());
  EXPECT_EQ(w.re(), 7u);
  EXPECT_EQ(w.welcome().member_id(), "m1");
  EXPECT_EQ(w.welcome().room().title(), "Heart failure pathway");
  EXPECT_EQ(w.welcome().room().docs_size(), 2);
  ASSERT_TRUE(messages.back().has_presence());
  EXPECT_EQ(messages.back().presence().members(0).name(), "Asha");
  EXPECT_EQ(messages.back().presence().members(0).role(), "carer");
}

TEST_F(RoomTest, BadTokenIsUnauthorizedAndClosed) {
  auto p = connect();
  hello(p, "not-a-token", "Eve");
  ASSERT_TRUE(p->last().has_error());
  EXPECT_EQ(p->last().error().code(), v1::Error::UNAUTHORIZED);
  EXPECT_TRUE(p->last().error().fatal());
  EXPECT_TRUE(p->closed);
}

TEST_F(RoomTest, EmptyTokenIsUnauthorized) {
  auto p = connect();
  hello(p, "", "Eve");
  EXPECT_EQ(p->last().error().code(), v1::Error::UNAUTHORIZED);
}

TEST_F(RoomTest, MessageBeforeHelloIsNotJoined) {
  auto p = connect();
  send(p, ping(3));
  ASSERT_TRUE(p->last().has_error());
  EXPECT_EQ(p->last().error().code(), v1::Error::NOT_JOINED);
  EXPECT_EQ(p->last().re(), 3u);
  EXPECT_FALSE(p->closed);
}

TEST_F(RoomTest, PingAnswersPongWithServerTime) {
  auto p = connect();
  hello(p, tokens_[0], "Asha");
  send(p, ping(9));
  ASSERT_TRUE(p->last().has_pong());
  EXPECT_EQ(p->last().re(), 9u);
  EXPECT_EQ(p->last().pong().server_time_ms(), clock_.wall_ms());
}

TEST_F(RoomTest, SameTokenOnAnotherDeviceIsTheSameMember) {
  auto phone = connect();
  auto laptop = connect(protocol::encoding::json);
  hello(phone, tokens_[0], "Asha");
  hello(laptop, tokens_[0], "");
  auto w = laptop->of_kind(v1::ServerMessage::kWelcome);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].welcome().member_id(), "m1");
  auto presence = laptop->last().presence();
  ASSERT_EQ(presence.members_size(), 1);
  EXPECT_EQ(presence.members(0).name(), "Asha");  // kept from the first device
  EXPECT_EQ(presence.members(0).devices(), 2u);
}

TEST_F(RoomTest, NeverMoreMembersThanSeats) {
  std::vector<std::shared_ptr<fake_participant>> devices;
  for (int i = 0; i < 6; ++i) {
    devices.push_back(connect());
    hello(devices.back(), tokens_[i % 2], "Person " + std::to_string(i));
  }
  auto presence = devices.back()->last().presence();
  EXPECT_EQ(presence.members_size(), 2);
}

TEST_F(RoomTest, PresenceGoesToEveryoneOnJoinAndLeave) {
  auto a = connect();
  auto b = connect();
  hello(a, tokens_[0], "Asha");
  hello(b, tokens_[1], "Ben");
  ASSERT_TRUE(a->last().has_presence());
  EXPECT_EQ(a->last().presence().members_size(), 2);
  room_->detach(b);
  auto last = a->last();
  ASSERT_TRUE(last.has_presence());
  const auto& members = last.presence().members();
  auto ben =
      std::find_if(members.begin(), members.end(), [](const auto& m) { return m.name() == "Ben"; });
  ASSERT_NE(ben, members.end());
  EXPECT_FALSE(ben->online());
}

TEST_F(RoomTest, RoomAtConnectionLimitIsFullAtHello) {
  limits_.max_connections = 2;
  auto made = make_room("Small", 2, clock_);
  room small(std::move(made.model), clock_, journal_, options());
  auto join = [&](const std::shared_ptr<fake_participant>& p, const std::string& token,
                  std::uint64_t req) {
    v1::ClientMessage m;
    m.set_req(req);
    m.mutable_hello()->set_token(token);
    small.handle(p, m);
    journal_.complete_all();
  };
  auto a = std::make_shared<fake_participant>();
  auto b = std::make_shared<fake_participant>();
  auto c = std::make_shared<fake_participant>();
  EXPECT_TRUE(small.attach(a));
  EXPECT_TRUE(small.attach(b));
  EXPECT_TRUE(small.attach(c));
  join(a, made.tokens[0], 1);
  join(b, made.tokens[1], 2);
  ASSERT_TRUE(b->last().has_presence() || b->last().has_welcome());
  EXPECT_EQ(small.connection_count(true), 2u);
  join(c, made.tokens[0], 3);
  ASSERT_TRUE(c->last().has_error());
  EXPECT_EQ(c->last().error().code(), v1::Error::ROOM_FULL);
  EXPECT_EQ(c->last().re(), 3u);
  EXPECT_TRUE(c->last().error().fatal());
  EXPECT_TRUE(c->closed);
  EXPECT_EQ(c->close_with.code, 1013);
  EXPECT_EQ(small.connection_count(true), 2u);
}

TEST_F(RoomTest, ConnectionsThatNeverSayHelloDoNotFillTheRoom) {
  limits_.max_connections = 2;
  auto made = make_room("Small", 2, clock_);
  room small(std::move(made.model), clock_, journal_, options());
  std::vector<std::shared_ptr<fake_participant>> silent;
  for (int i = 0; i < 20; ++i) {
    silent.push_back(std::make_shared<fake_participant>());
    EXPECT_TRUE(small.attach(silent.back()));
  }
  for (int seat = 0; seat < 2; ++seat) {
    auto member = std::make_shared<fake_participant>();
    ASSERT_TRUE(small.attach(member));
    v1::ClientMessage m;
    m.set_req(1);
    m.mutable_hello()->set_token(made.tokens[static_cast<std::size_t>(seat)]);
    small.handle(member, m);
    journal_.complete_all();
    EXPECT_FALSE(member->of_kind(v1::ServerMessage::kWelcome).empty()) << "seat " << seat;
    EXPECT_FALSE(member->closed);
  }
  for (const auto& s : silent)
    EXPECT_FALSE(s->closed);
  EXPECT_EQ(small.connection_count(true), 2u);
  EXPECT_EQ(small.connection_count(), 22u);
}

TEST_F(RoomTest, OverlongNameIsRejectedAndNothingChanges) {
  auto p = connect();
  hello(p, tokens_[0], std::string(61, 'x'));
  EXPECT_EQ(p->last().error().code(), v1::Error::TOO_LARGE);
  EXPECT_FALSE(room_->model().seats[0].taken);
}

TEST_F(RoomTest, BroadcastIsSerialisedOncePerEncoding) {
  auto a = connect();
  auto b = connect();
  hello(a, tokens_[0], "Asha");
  hello(b, tokens_[1], "Ben");
  // The presence after Ben joined went to both as the very same buffer.
  EXPECT_EQ(a->frames.back().get(), b->frames.back().get());
}

TEST_F(RoomTest, SelectionShowsInPresence) {
  auto a = connect();
  auto b = connect();
  hello(a, tokens_[0], "Asha");
  hello(b, tokens_[1], "Ben");
  v1::ClientMessage m;
  m.mutable_selection()->set_doc("purpose");
  m.mutable_selection()->set_head(0);
  send(a, m);
  auto presence = b->last().presence();
  EXPECT_EQ(presence.members(0).selection().doc(), "purpose");
}

TEST_F(RoomTest, AReissuedInviteRefusesTheOldTokenAndClosesItsDevices) {
  auto phone = connect();
  auto laptop = connect();
  auto ben = connect();
  hello(phone, tokens_[0], "Asha");
  hello(laptop, tokens_[0], "");
  hello(ben, tokens_[1], "Ben");
  ben->clear();

  auto token = room_->reissue_invite(1);
  ASSERT_TRUE(token.is_ok());
  EXPECT_EQ(token->size(), 22u);  // 128 random bits in URL-safe base64
  EXPECT_NE(*token, tokens_[0]);
  // The old token is refused at once, even before the change is durable.
  EXPECT_TRUE(member_for_token(room_->model(), tokens_[0]).empty());
  EXPECT_EQ(member_for_token(room_->model(), *token), "m1");
  EXPECT_FALSE(phone->closed);
  journal_.complete_all();

  for (const auto& device : {phone, laptop}) {
    ASSERT_TRUE(device->closed);
    EXPECT_EQ(device->close_with.code, 1008);
    auto errors = device->of_kind(v1::ServerMessage::kError);
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors.back().error().code(), v1::Error::UNAUTHORIZED);
    EXPECT_TRUE(errors.back().error().fatal());
  }
  EXPECT_FALSE(ben->closed);
  auto presence = ben->last().presence();
  ASSERT_EQ(presence.members_size(), 2);
  EXPECT_FALSE(presence.members(0).online());
  EXPECT_EQ(room_->connection_count(true), 1u);

  auto stale = connect();
  hello(stale, tokens_[0], "Asha");
  EXPECT_TRUE(stale->closed);
  auto again = connect();
  hello(again, *token, "");
  auto w = again->of_kind(v1::ServerMessage::kWelcome);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].welcome().member_id(), "m1");
  EXPECT_EQ(room_->model().seats[0].name, "Asha");

  EXPECT_FALSE(room_->reissue_invite(3).is_ok());
  EXPECT_FALSE(room_->reissue_invite(0).is_ok());
}

}  // namespace
}  // namespace colead::room
