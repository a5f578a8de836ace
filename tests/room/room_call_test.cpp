// The room's call: joining, leaving, microphone and camera, the call's state in the welcome
// and after every change, and the relay of signals to one member's device in the call.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "room/call_feature.hpp"
#include "room_fixture.hpp"

namespace colead::room {
namespace {

constexpr const char* offer_sdp =
    "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "a=group:BUNDLE 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:Qx7v\r\na=ice-pwd:secret-ice-password-of-a-test\r\n";
constexpr const char* candidate_line =
    "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0";

class CallTest : public RoomTest {
 protected:
  CallTest() : RoomTest(3) {}

  // Rebuilds the room with the limits and options the test set (before anyone connects).
  void rebuild(room_options o) {
    auto made = make_room("Heart failure pathway", 3, clock_);
    tokens_ = made.tokens;
    room_ = std::make_unique<room>(std::move(made.model), clock_, journal_, std::move(o));
  }

  // A device that said hello as seat `seat` (0-based), with what it received cleared.
  std::shared_ptr<fake_participant> member(std::size_t seat, const std::string& name) {
    auto p = connect();
    hello(p, tokens_[seat], name);
    return p;
  }

  static v1::ClientMessage join(const std::string& session, std::uint64_t req = 5,
                                bool muted = false, bool camera_on = true) {
    v1::ClientMessage m;
    m.set_req(req);
    auto* j = m.mutable_call()->mutable_join();
    j->set_session(session);
    j->set_muted(muted);
    j->set_camera_on(camera_on);
    return m;
  }

  static v1::ClientMessage leave(std::uint64_t req = 6) {
    v1::ClientMessage m;
    m.set_req(req);
    m.mutable_call()->mutable_leave();
    return m;
  }

  static v1::ClientMessage media(bool muted, bool camera_on, std::uint64_t req = 7) {
    v1::ClientMessage m;
    m.set_req(req);
    auto* md = m.mutable_call()->mutable_media();
    md->set_muted(muted);
    md->set_camera_on(camera_on);
    return m;
  }

  static v1::ClientMessage offer(const std::string& to, std::uint64_t req = 8) {
    v1::ClientMessage m;
    m.set_req(req);
    auto* s = m.mutable_signal();
    s->set_to(to);
    s->mutable_description()->set_type(v1::SessionDescription::OFFER);
    s->mutable_description()->set_sdp(offer_sdp);
    return m;
  }

  static v1::ClientMessage candidate(const std::string& to, std::uint64_t req = 9) {
    v1::ClientMessage m;
    m.set_req(req);
    auto* s = m.mutable_signal();
    s->set_to(to);
    s->mutable_candidate()->set_candidate(candidate_line);
    s->mutable_candidate()->set_sdp_mid("0");
    s->mutable_candidate()->set_sdp_m_line_index(0);
    return m;
  }

  // The last call_state `p` received.
  static v1::CallState last_state(const fake_participant& p) {
    auto states = p.of_kind(v1::ServerMessage::kCallState);
    return states.empty() ? v1::CallState{} : states.back().call_state();
  }

  // Expects `p`'s last message to be an error with `code` answering `req`.
  static void expect_error(const fake_participant& p, v1::Error::Code code, std::uint64_t req) {
    const auto last = p.last();
    ASSERT_TRUE(last.has_error()) << last.ShortDebugString();
    EXPECT_EQ(last.error().code(), code) << last.error().message();
    EXPECT_EQ(last.re(), req);
    EXPECT_FALSE(last.error().fatal());
  }
};

TEST_F(CallTest, WelcomeCarriesAnEmptyCallAndTheVideoLimit) {
  auto asha = member(0, "Asha");
  auto w = asha->of_kind(v1::ServerMessage::kWelcome);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].welcome().room().call().members_size(), 0);
  EXPECT_EQ(w[0].welcome().room().call().video_limit(), 4u);
  EXPECT_EQ(w[0].welcome().ice_servers_size(), 0);
}

TEST_F(CallTest, VideoLimitComesFromTheRoomLimits) {
  limits_.call_video_limit = 2;
  rebuild(options());
  auto asha = member(0, "Asha");
  send(asha, join("session-asha-1"));
  EXPECT_EQ(last_state(*asha).video_limit(), 2u);
}

TEST_F(CallTest, JoinIsAcknowledgedAndEveryMemberGetsTheCallState) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  asha->clear();
  ben->clear();
  clock_.advance(1'500);
  send(asha, join("session-asha-1", 11, true, false));

  auto acks = asha->of_kind(v1::ServerMessage::kAck);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].re(), 11u);
  for (const auto* p : {asha.get(), ben.get()}) {
    auto state = last_state(*p);
    ASSERT_EQ(state.members_size(), 1);
    EXPECT_EQ(state.members(0).member_id(), "m1");
    EXPECT_EQ(state.members(0).session(), "session-asha-1");
    EXPECT_TRUE(state.members(0).muted());
    EXPECT_FALSE(state.members(0).camera_on());
    EXPECT_EQ(state.members(0).joined_at_ms(), clock_.wall_ms());
  }
}

TEST_F(CallTest, MembersAreListedInJoinOrder) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  auto cleo = member(2, "Cleo");
  send(ben, join("session-ben-1"));
  send(cleo, join("session-cleo-1"));
  send(asha, join("session-asha-1"));
  auto state = last_state(*cleo);
  ASSERT_EQ(state.members_size(), 3);
  EXPECT_EQ(state.members(0).member_id(), "m2");
  EXPECT_EQ(state.members(1).member_id(), "m3");
  EXPECT_EQ(state.members(2).member_id(), "m1");
}

TEST_F(CallTest, WelcomeShowsWhoIsInTheCall) {
  auto asha = member(0, "Asha");
  send(asha, join("session-asha-1"));
  auto ben = member(1, "Ben");
  auto w = ben->of_kind(v1::ServerMessage::kWelcome);
  ASSERT_EQ(w.size(), 1u);
  const auto& call = w[0].welcome().room().call();
  ASSERT_EQ(call.members_size(), 1);
  EXPECT_EQ(call.members(0).member_id(), "m1");
  EXPECT_EQ(call.members(0).session(), "session-asha-1");
}

TEST_F(CallTest, WelcomeCarriesTheIceServersMadeForTheMember) {
  auto o = options();
  o.ice_servers = [](const std::string& member) {
    v1::IceServer turn;
    turn.add_urls("turn:turn.example.org:3478?transport=udp");
    turn.set_username("1700000600:" + member);
    turn.set_credential("credential-for-" + member);
    return std::vector<v1::IceServer>{turn};
  };
  rebuild(std::move(o));
  auto ben = member(1, "Ben");
  auto w = ben->of_kind(v1::ServerMessage::kWelcome);
  ASSERT_EQ(w.size(), 1u);
  ASSERT_EQ(w[0].welcome().ice_servers_size(), 1);
  EXPECT_EQ(w[0].welcome().ice_servers(0).urls(0), "turn:turn.example.org:3478?transport=udp");
  EXPECT_EQ(w[0].welcome().ice_servers(0).username(), "1700000600:m2");
  EXPECT_EQ(w[0].welcome().ice_servers(0).credential(), "credential-for-m2");
}

TEST_F(CallTest, SessionMustBeEightToSixtyFourSafeCharacters) {
  auto asha = member(0, "Asha");
  const std::vector<std::string> bad_sessions = {"",
                                                 "short",
                                                 std::string(65, 'a'),
                                                 "has space in it",
                                                 "slash/in/it",
                                                 "dot.dot.dot.",
                                                 "\xc3\xa9t\xc3\xa9-session"};
  for (const auto& bad : bad_sessions) {
    asha->clear();
    send(asha, join(bad, 21));
    expect_error(*asha, v1::Error::NOT_ALLOWED, 21);
    EXPECT_TRUE(asha->of_kind(v1::ServerMessage::kCallState).empty()) << bad;
  }
  EXPECT_TRUE(call_feature::valid_session("abcdEFGH"));
  EXPECT_TRUE(call_feature::valid_session(std::string(64, '_')));
  EXPECT_TRUE(call_feature::valid_session("a1-b2_c3"));
}

TEST_F(CallTest, CommandWithoutActionIsRefused) {
  auto asha = member(0, "Asha");
  v1::ClientMessage m;
  m.set_req(4);
  m.mutable_call();
  send(asha, m);
  expect_error(*asha, v1::Error::NOT_ALLOWED, 4);
}

TEST_F(CallTest, AnotherDeviceJoiningMovesTheMemberThere) {
  auto phone = member(0, "Asha");
  auto laptop = member(0, "");
  auto ben = member(1, "Ben");
  send(phone, join("session-phone-1"));
  send(ben, join("session-ben-1"));
  send(laptop, join("session-laptop-1"));
  auto state = last_state(*phone);
  ASSERT_EQ(state.members_size(), 2);
  EXPECT_EQ(state.members(0).member_id(), "m2");
  EXPECT_EQ(state.members(1).member_id(), "m1");
  EXPECT_EQ(state.members(1).session(), "session-laptop-1");
  // The phone is no longer the member's device in the call.
  send(phone, leave(30));
  expect_error(*phone, v1::Error::NOT_ALLOWED, 30);
  // Signals for Asha now reach the laptop only.
  phone->clear();
  laptop->clear();
  send(ben, offer("m1"));
  EXPECT_TRUE(phone->of_kind(v1::ServerMessage::kSignal).empty());
  EXPECT_EQ(laptop->of_kind(v1::ServerMessage::kSignal).size(), 1u);
}

TEST_F(CallTest, JoiningAgainWithANewSessionReplacesTheOld) {
  auto asha = member(0, "Asha");
  send(asha, join("session-asha-1"));
  send(asha, join("session-asha-2"));
  auto state = last_state(*asha);
  ASSERT_EQ(state.members_size(), 1);
  EXPECT_EQ(state.members(0).session(), "session-asha-2");
}

TEST_F(CallTest, SameJoinAgainChangesNothing) {
  auto asha = member(0, "Asha");
  send(asha, join("session-asha-1", 5));
  asha->clear();
  send(asha, join("session-asha-1", 6));
  ASSERT_TRUE(asha->last().has_ack());
  EXPECT_EQ(asha->last().re(), 6u);
  EXPECT_TRUE(asha->of_kind(v1::ServerMessage::kCallState).empty());
}

TEST_F(CallTest, LeaveTakesTheMemberOutForEveryone) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  send(asha, join("session-asha-1"));
  send(ben, join("session-ben-1"));
  send(asha, leave(12));
  ASSERT_EQ(asha->of_kind(v1::ServerMessage::kAck).back().re(), 12u);
  for (const auto* p : {asha.get(), ben.get()}) {
    auto state = last_state(*p);
    ASSERT_EQ(state.members_size(), 1);
    EXPECT_EQ(state.members(0).member_id(), "m2");
  }
}

TEST_F(CallTest, LeaveWhenNotInTheCallIsRefused) {
  auto asha = member(0, "Asha");
  asha->clear();
  send(asha, leave(13));
  expect_error(*asha, v1::Error::NOT_ALLOWED, 13);
  EXPECT_TRUE(asha->of_kind(v1::ServerMessage::kCallState).empty());
}

TEST_F(CallTest, MediaChangeReachesEveryone) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  send(asha, join("session-asha-1"));
  send(asha, media(true, false, 14));
  EXPECT_EQ(asha->of_kind(v1::ServerMessage::kAck).back().re(), 14u);
  auto state = last_state(*ben);
  ASSERT_EQ(state.members_size(), 1);
  EXPECT_TRUE(state.members(0).muted());
  EXPECT_FALSE(state.members(0).camera_on());
  // The same again is acknowledged but changes nothing, so nobody is told.
  ben->clear();
  send(asha, media(true, false, 15));
  EXPECT_EQ(asha->last().re(), 15u);
  EXPECT_TRUE(ben->messages().empty());
}

TEST_F(CallTest, NoMicrophoneMeansMuted) {
  auto asha = member(0, "Asha");
  auto m = join("session-asha-1");
  m.mutable_call()->mutable_join()->set_no_microphone(true);
  send(asha, m);
  auto state = last_state(*asha);
  ASSERT_EQ(state.members_size(), 1);
  EXPECT_TRUE(state.members(0).no_microphone());
  EXPECT_TRUE(state.members(0).muted());
}

TEST_F(CallTest, MediaWhenNotInTheCallIsRefused) {
  auto asha = member(0, "Asha");
  send(asha, media(true, true, 16));
  expect_error(*asha, v1::Error::NOT_ALLOWED, 16);
}

TEST_F(CallTest, DroppedConnectionLeavesTheCall) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  send(asha, join("session-asha-1"));
  send(ben, join("session-ben-1"));
  ben->clear();
  room_->detach(asha);
  journal_.complete_all();
  auto state = last_state(*ben);
  ASSERT_EQ(state.members_size(), 1);
  EXPECT_EQ(state.members(0).member_id(), "m2");
}

TEST_F(CallTest, OtherDeviceGoingKeepsTheMemberInTheCall) {
  auto phone = member(0, "Asha");
  auto laptop = member(0, "");
  send(laptop, join("session-laptop-1"));
  laptop->clear();
  room_->detach(phone);
  EXPECT_TRUE(laptop->of_kind(v1::ServerMessage::kCallState).empty());
  send(laptop, media(true, true));
  EXPECT_EQ(last_state(*laptop).members_size(), 1);
}

TEST_F(CallTest, NothingOfTheCallIsWritten) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  const auto writes = journal_.saved.size();
  send(asha, join("session-asha-1"));
  send(ben, join("session-ben-1"));
  send(asha, offer("m2"));
  send(ben, candidate("m1"));
  send(asha, media(true, false));
  send(asha, leave());
  EXPECT_EQ(journal_.saved.size(), writes);
}

// ---- signals ---------------------------------------------------------------------------

TEST_F(CallTest, SignalReachesOnlyTheNamedMemberWithTheSendersId) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  auto cleo = member(2, "Cleo");
  send(asha, join("session-asha-1"));
  send(ben, join("session-ben-1"));
  send(cleo, join("session-cleo-1"));
  asha->clear();
  ben->clear();
  cleo->clear();
  auto m = offer("m2");
  // Who it is from is the server's to say.
  m.mutable_signal()->set_from("m3");
  m.mutable_signal()->set_session("session-forged");
  send(asha, m);

  auto got = ben->of_kind(v1::ServerMessage::kSignal);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].re(), 0u);
  EXPECT_EQ(got[0].signal().from(), "m1");
  EXPECT_EQ(got[0].signal().session(), "session-asha-1");
  EXPECT_EQ(got[0].signal().description().type(), v1::SessionDescription::OFFER);
  EXPECT_EQ(got[0].signal().description().sdp(), offer_sdp);
  EXPECT_TRUE(cleo->messages().empty());
  EXPECT_TRUE(asha->messages().empty());  // relayed without an answer to the sender
}

TEST_F(CallTest, CandidateIsRelayedWhole) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  send(asha, join("session-asha-1"));
  send(ben, join("session-ben-1"));
  ben->clear();
  send(asha, candidate("m2"));
  auto got = ben->of_kind(v1::ServerMessage::kSignal);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].signal().candidate().candidate(), candidate_line);
  EXPECT_EQ(got[0].signal().candidate().sdp_mid(), "0");
  EXPECT_TRUE(got[0].signal().candidate().has_sdp_m_line_index());
}

TEST_F(CallTest, SignalGoesOnlyToTheTargetsDeviceInTheCall) {
  auto asha = member(0, "Asha");
  auto ben_phone = member(1, "Ben");
  auto ben_laptop = member(1, "");
  send(asha, join("session-asha-1"));
  send(ben_laptop, join("session-ben-1"));
  ben_phone->clear();
  ben_laptop->clear();
  send(asha, offer("m2"));
  EXPECT_TRUE(ben_phone->of_kind(v1::ServerMessage::kSignal).empty());
  EXPECT_EQ(ben_laptop->of_kind(v1::ServerMessage::kSignal).size(), 1u);
}

TEST_F(CallTest, SignalFromAMemberNotInTheCallIsRefused) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  send(ben, join("session-ben-1"));
  ben->clear();
  send(asha, offer("m2", 40));
  expect_error(*asha, v1::Error::NOT_ALLOWED, 40);
  EXPECT_NE(asha->last().error().message().find("not in the call"), std::string::npos);
  EXPECT_TRUE(ben->messages().empty());
}

TEST_F(CallTest, SignalFromTheMembersOtherDeviceIsRefused) {
  auto phone = member(0, "Asha");
  auto laptop = member(0, "");
  auto ben = member(1, "Ben");
  send(laptop, join("session-laptop-1"));
  send(ben, join("session-ben-1"));
  ben->clear();
  send(phone, offer("m2", 41));
  expect_error(*phone, v1::Error::NOT_ALLOWED, 41);
  EXPECT_TRUE(ben->messages().empty());
}

TEST_F(CallTest, SignalToAMemberNotInTheCallIsRefused) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  send(asha, join("session-asha-1"));
  ben->clear();
  send(asha, candidate("m2", 42));
  expect_error(*asha, v1::Error::NOT_ALLOWED, 42);
  EXPECT_NE(asha->last().error().message().find("not in the call"), std::string::npos);
  EXPECT_TRUE(ben->messages().empty());
}

TEST_F(CallTest, SignalToNoOneOrToAnUnknownMemberIsRefused) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  send(asha, join("session-asha-1"));
  send(ben, join("session-ben-1"));
  ben->clear();
  // No one; a seat nobody has taken yet (m3); no such seat; something else entirely.
  std::uint64_t req = 50;
  for (const std::string to : {"", "m3", "m9", "../m2"}) {
    send(asha, offer(to, req));
    expect_error(*asha, v1::Error::NOT_FOUND, req);
    ++req;
  }
  EXPECT_TRUE(ben->messages().empty());
}

TEST_F(CallTest, SignalToYourselfIsRefused) {
  auto asha = member(0, "Asha");
  send(asha, join("session-asha-1"));
  asha->clear();
  send(asha, offer("m1", 43));
  expect_error(*asha, v1::Error::NOT_ALLOWED, 43);
  EXPECT_TRUE(asha->of_kind(v1::ServerMessage::kSignal).empty());
}

TEST_F(CallTest, SignalWithoutPayloadIsRefused) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  send(asha, join("session-asha-1"));
  send(ben, join("session-ben-1"));
  ben->clear();
  v1::ClientMessage empty;
  empty.set_req(44);
  empty.mutable_signal()->set_to("m2");
  send(asha, empty);
  expect_error(*asha, v1::Error::NOT_ALLOWED, 44);
  auto untyped = offer("m2", 45);
  untyped.mutable_signal()->mutable_description()->set_type(
      v1::SessionDescription::TYPE_UNSPECIFIED);
  send(asha, untyped);
  expect_error(*asha, v1::Error::NOT_ALLOWED, 45);
  EXPECT_TRUE(ben->messages().empty());
}

TEST_F(CallTest, OversizeSignalIsRefusedWithoutQuotingIt) {
  limits_.max_signal_bytes = 1'024;
  rebuild(options());
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  send(asha, join("session-asha-1"));
  send(ben, join("session-ben-1"));
  ben->clear();
  auto big = offer("m2", 46);
  const std::string marker = "a=fingerprint-of-a-private-address";
  std::string sdp;
  while (sdp.size() < 1'100)
    sdp += marker + "\r\n";
  big.mutable_signal()->mutable_description()->set_sdp(sdp);
  send(asha, big);
  expect_error(*asha, v1::Error::TOO_LARGE, 46);
  EXPECT_NE(asha->last().error().message().find("1024"), std::string::npos);
  EXPECT_EQ(asha->last().error().message().find(marker), std::string::npos);
  EXPECT_TRUE(ben->messages().empty());
  // One that fits goes through.
  send(asha, offer("m2", 47));
  EXPECT_EQ(ben->of_kind(v1::ServerMessage::kSignal).size(), 1u);
}

TEST_F(CallTest, SignalBeforeHelloIsNotJoined) {
  auto stranger = connect();
  send(stranger, offer("m1", 48));
  expect_error(*stranger, v1::Error::NOT_JOINED, 48);
}

TEST_F(CallTest, SignalAfterTheTargetDroppedIsRefused) {
  auto asha = member(0, "Asha");
  auto ben = member(1, "Ben");
  send(asha, join("session-asha-1"));
  send(ben, join("session-ben-1"));
  room_->detach(ben);
  send(asha, offer("m2", 49));
  expect_error(*asha, v1::Error::NOT_ALLOWED, 49);
}

}  // namespace
}  // namespace colead::room
