// The room's call over real WebSockets: who is in it reaches every member, a signal reaches
// only the member it names with the sender's id, refusals are clear (another room, no one, not
// in the call, before hello, too large, too many), a dropped connection leaves the call, and
// nothing of a signal reaches the database, the export or the server's log.
#include <filesystem>
#include <thread>

#include "harness/http_helpers.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

namespace fs = std::filesystem;

// Marks that the tests look for afterwards: nothing stored or exported may contain them.
constexpr const char* sdp_marker = "Quokka-sdp-7c41e9";
constexpr const char* candidate_marker = "198.51.100.73";

std::string offer_sdp() {
  return std::string("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=") + sdp_marker +
         "\r\nt=0 0\r\na=group:BUNDLE 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
         "c=IN IP4 0.0.0.0\r\na=ice-ufrag:Qx7v\r\na=ice-pwd:yXnX1m4C3mR6gZ0Q2dGfB8sW\r\n"
         "a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB\r\n";
}

std::string candidate_line(int n) {
  return "candidate:842163049 1 udp 1677729535 " + std::string(candidate_marker) + " " +
         std::to_string(40000 + n) + " typ srflx raddr 0.0.0.0 rport 0 generation 0";
}

v1::ClientMessage join_call(const std::string& session, bool camera_on = true) {
  v1::ClientMessage m;
  auto* j = m.mutable_call()->mutable_join();
  j->set_session(session);
  j->set_camera_on(camera_on);
  return m;
}

v1::ClientMessage offer_to(const std::string& to) {
  v1::ClientMessage m;
  auto* s = m.mutable_signal();
  s->set_to(to);
  s->mutable_description()->set_type(v1::SessionDescription::OFFER);
  s->mutable_description()->set_sdp(offer_sdp());
  return m;
}

v1::ClientMessage candidate_to(const std::string& to, int n) {
  v1::ClientMessage m;
  auto* s = m.mutable_signal();
  s->set_to(to);
  s->mutable_candidate()->set_candidate(candidate_line(n));
  s->mutable_candidate()->set_sdp_mid("0");
  s->mutable_candidate()->set_sdp_m_line_index(0);
  return m;
}

// A call_state for which `test` holds.
message_test call_state_where(std::function<bool(const v1::CallState&)> test) {
  return [test = std::move(test)](const v1::ServerMessage& m) {
    return m.has_call_state() && test(m.call_state());
  };
}

message_test call_of_size(int members) {
  return call_state_where(
      [members](const v1::CallState& s) { return s.members_size() == members; });
}

// Sends `message` (a fresh one, so it may be a temporary).
status send_to(client::connection& conn, v1::ClientMessage message) {
  return conn.send(message);
}

// The answer to `message` (sent with a fresh req), or a failure.
std::optional<v1::ServerMessage> ask(client::connection& conn, v1::ClientMessage message) {
  message.set_req(0);
  auto sent = conn.send(message);
  EXPECT_TRUE(sent.is_ok()) << sent.message();
  const auto req = message.req();
  auto answer = conn.receive_matching([req](const v1::ServerMessage& m) { return m.re() == req; },
                                      expect_within);
  EXPECT_TRUE(answer) << "no answer to request " << req << ": " << conn.last_error();
  return answer;
}

// Sends `message` and expects it refused with `code`; returns the error's words.
std::string expect_refused(client::connection& conn, v1::ClientMessage message,
                           v1::Error::Code code) {
  auto answer = ask(conn, std::move(message));
  if (!answer) return {};
  EXPECT_TRUE(answer->has_error()) << answer->ShortDebugString();
  EXPECT_EQ(answer->error().code(), code) << answer->error().message();
  EXPECT_FALSE(answer->error().fatal());
  return answer->error().message();
}

// True when no signal is queued or arrives at `conn` before a ping's pong comes back (the
// server answers in order, so a signal sent earlier would have arrived first).
bool no_signal_waiting(client::connection& conn) {
  if (!ping_pong(conn)) return false;
  return !conn.receive_matching(kind_is(v1::ServerMessage::kSignal), milliseconds(0));
}

class CallTest : public ServerTest {
 protected:
  // Joins seat `seat` of `room` and the call, and waits until `conn` sees `in_call` members.
  std::unique_ptr<client::connection> in_call(const v1::CreateRoomResponse& room, int seat,
                                              std::string_view name, const std::string& session,
                                              int members_after,
                                              encoding subprotocol = encoding::binary) {
    auto conn = join(room, seat, name, subprotocol);
    if (!conn) return nullptr;
    auto answer = ask(*conn, join_call(session));
    EXPECT_TRUE(answer && answer->has_ack()) << (answer ? answer->ShortDebugString() : "");
    EXPECT_TRUE(conn->receive_matching(call_of_size(members_after), expect_within))
        << name << " never saw " << members_after << " in the call";
    return conn;
  }
};

TEST_F(CallTest, CallStateReachesEveryMemberAndTheWelcome) {
  auto room = make_room(3);
  auto asha = join(room, 0, "Asha");
  auto ben = join(room, 1, "Ben", encoding::json);
  ASSERT_TRUE(asha && ben);
  auto answer = ask(*asha, join_call("asha-session-1", false));
  ASSERT_TRUE(answer && answer->has_ack()) << (answer ? answer->ShortDebugString() : "");
  for (auto* conn : {asha.get(), ben.get()}) {
    auto state = conn->receive_matching(call_of_size(1), expect_within);
    ASSERT_TRUE(state) << conn->last_error();
    const auto& m = state->call_state().members(0);
    EXPECT_EQ(m.member_id(), "m1");
    EXPECT_EQ(m.session(), "asha-session-1");
    EXPECT_FALSE(m.camera_on());
    EXPECT_GT(m.joined_at_ms(), 0);
    EXPECT_EQ(state->call_state().video_limit(), 4u);
  }
  // Someone arriving later sees the call in the welcome.
  v1::Welcome welcome;
  auto cleo = join(room, 2, "Cleo", encoding::binary, &welcome);
  ASSERT_TRUE(cleo);
  ASSERT_EQ(welcome.room().call().members_size(), 1);
  EXPECT_EQ(welcome.room().call().members(0).member_id(), "m1");

  // A change of microphone reaches everyone.
  v1::ClientMessage media;
  media.mutable_call()->mutable_media()->set_muted(true);
  answer = ask(*asha, media);
  ASSERT_TRUE(answer && answer->has_ack());
  for (auto* conn : {ben.get(), cleo.get()}) {
    EXPECT_TRUE(conn->receive_matching(call_state_where([](const auto& s) {
                                         return s.members_size() == 1 && s.members(0).muted();
                                       }),
                                       expect_within));
  }
}

TEST_F(CallTest, VideoLimitIsTheOperators) {
  start_with({"--call-video-limit", "2"});
  auto room = make_room(2);
  v1::Welcome welcome;
  auto asha = join(room, 0, "Asha", encoding::binary, &welcome);
  ASSERT_TRUE(asha);
  EXPECT_EQ(welcome.room().call().video_limit(), 2u);
}

TEST_F(CallTest, SignalReachesOnlyTheNamedMemberWithTheSendersId) {
  auto room = make_room(3);
  auto asha = in_call(room, 0, "Asha", "asha-session-1", 1);
  auto ben = in_call(room, 1, "Ben", "ben-session-1", 2, encoding::json);
  auto cleo = in_call(room, 2, "Cleo", "cleo-session-1", 3);
  ASSERT_TRUE(asha && ben && cleo);
  ASSERT_TRUE(asha->receive_matching(call_of_size(3), expect_within));
  ASSERT_TRUE(ben->receive_matching(call_of_size(3), expect_within));

  auto offer = offer_to("m2");
  // A sender cannot say it is someone else.
  offer.mutable_signal()->set_from("m3");
  offer.mutable_signal()->set_session("cleo-session-1");
  ASSERT_TRUE(asha->send(offer).is_ok());
  auto got = ben->receive_matching(kind_is(v1::ServerMessage::kSignal), expect_within);
  ASSERT_TRUE(got) << ben->last_error();
  EXPECT_EQ(got->signal().from(), "m1");
  EXPECT_EQ(got->signal().session(), "asha-session-1");
  EXPECT_EQ(got->signal().description().type(), v1::SessionDescription::OFFER);
  EXPECT_EQ(got->signal().description().sdp(), offer_sdp());

  // Ben answers with a candidate; it reaches Asha only.
  ASSERT_TRUE(send_to(*ben, candidate_to("m1", 1)).is_ok());
  got = asha->receive_matching(kind_is(v1::ServerMessage::kSignal), expect_within);
  ASSERT_TRUE(got) << asha->last_error();
  EXPECT_EQ(got->signal().from(), "m2");
  EXPECT_EQ(got->signal().session(), "ben-session-1");
  EXPECT_EQ(got->signal().candidate().candidate(), candidate_line(1));

  EXPECT_TRUE(no_signal_waiting(*cleo));
  EXPECT_TRUE(no_signal_waiting(*asha));
  EXPECT_TRUE(no_signal_waiting(*ben));
}

TEST_F(CallTest, SignalToAnotherRoomOrNoOneOrOutsideTheCallIsRefused) {
  auto here = make_room(2);
  auto there = make_room(3);
  auto asha = in_call(here, 0, "Asha", "asha-session-1", 1);
  auto ben = join(here, 1, "Ben");
  auto other_b = in_call(there, 1, "Olu", "olu-session-1", 1);
  auto other_c = in_call(there, 2, "Pia", "pia-session-1", 2);
  ASSERT_TRUE(asha && ben && other_b && other_c);

  // m3 is a member of the other room only.
  auto why = expect_refused(*asha, offer_to("m3"), v1::Error::NOT_FOUND);
  EXPECT_NE(why.find("not a member of this room"), std::string::npos) << why;
  why = expect_refused(*asha, offer_to(""), v1::Error::NOT_FOUND);
  EXPECT_NE(why.find("names no one"), std::string::npos) << why;
  // m2 is a member here (Ben) but not in the call; the other room's m2 is, and is not told.
  why = expect_refused(*asha, candidate_to("m2", 1), v1::Error::NOT_ALLOWED);
  EXPECT_NE(why.find("not in the call"), std::string::npos) << why;
  // Ben is not in the call, so he cannot signal Asha.
  why = expect_refused(*ben, offer_to("m1"), v1::Error::NOT_ALLOWED);
  EXPECT_NE(why.find("join the call"), std::string::npos) << why;

  EXPECT_TRUE(no_signal_waiting(*other_b));
  EXPECT_TRUE(no_signal_waiting(*other_c));
  EXPECT_TRUE(no_signal_waiting(*asha));
  EXPECT_TRUE(no_signal_waiting(*ben));
}

TEST_F(CallTest, SignalBeforeHelloIsRefused) {
  auto room = make_room(2);
  auto asha = in_call(room, 0, "Asha", "asha-session-1", 1);
  ASSERT_TRUE(asha);
  client::connection stranger;
  ASSERT_TRUE(stranger.connect(server_->url(), room.id(), encoding::json).is_ok());
  auto why = expect_refused(stranger, offer_to("m1"), v1::Error::NOT_JOINED);
  EXPECT_NE(why.find("hello"), std::string::npos) << why;
  why = expect_refused(stranger, join_call("stranger-session"), v1::Error::NOT_JOINED);
  EXPECT_TRUE(no_signal_waiting(*asha));
}

TEST_F(CallTest, OversizeSignalIsRefused) {
  start_with({"--max-signal-bytes", "4096"});
  auto room = make_room(2);
  auto asha = in_call(room, 0, "Asha", "asha-session-1", 1);
  auto ben = in_call(room, 1, "Ben", "ben-session-1", 2);
  ASSERT_TRUE(asha && ben);
  auto big = offer_to("m2");
  std::string sdp;
  while (sdp.size() < 5'000)
    sdp += offer_sdp();
  big.mutable_signal()->mutable_description()->set_sdp(sdp);
  auto why = expect_refused(*asha, big, v1::Error::TOO_LARGE);
  EXPECT_NE(why.find("at most 4096 bytes"), std::string::npos) << why;
  EXPECT_EQ(why.find(sdp_marker), std::string::npos) << why;
  EXPECT_TRUE(no_signal_waiting(*ben));
  // One within the limit still goes.
  ASSERT_TRUE(send_to(*asha, offer_to("m2")).is_ok());
  EXPECT_TRUE(ben->receive_matching(kind_is(v1::ServerMessage::kSignal), expect_within));
}

TEST_F(CallTest, DefaultSignalLimitTakesALargeOffer) {
  // Chromium's audio and video offer is about 5.4 KB (docs/protocol.md, "signal"); the default
  // takes an offer of 30,000 bytes, and refuses what is over 32 KiB.
  auto room = make_room(2);
  auto asha = in_call(room, 0, "Asha", "asha-session-1", 1);
  auto ben = in_call(room, 1, "Ben", "ben-session-1", 2);
  ASSERT_TRUE(asha && ben);
  auto large = offer_to("m2");
  std::string sdp;
  while (sdp.size() < 30'000)
    sdp += offer_sdp();
  large.mutable_signal()->mutable_description()->set_sdp(sdp);
  ASSERT_TRUE(asha->send(large).is_ok());
  auto got = ben->receive_matching(kind_is(v1::ServerMessage::kSignal), expect_within);
  ASSERT_TRUE(got) << ben->last_error();
  EXPECT_EQ(got->signal().description().sdp().size(), sdp.size());
  while (sdp.size() < 33'000)
    sdp += offer_sdp();
  large.mutable_signal()->mutable_description()->set_sdp(sdp);
  expect_refused(*asha, large, v1::Error::TOO_LARGE);
}

TEST_F(CallTest, TriosCallSetupStaysWithinTheDefaultRateLimits) {
  // Each member sends the other two an offer or answer and thirty candidates at once, as a
  // browser does when a call starts: none of it is refused.
  auto room = make_room(3);
  auto asha = in_call(room, 0, "Asha", "asha-session-1", 1);
  auto ben = in_call(room, 1, "Ben", "ben-session-1", 2);
  auto cleo = in_call(room, 2, "Cleo", "cleo-session-1", 3);
  ASSERT_TRUE(asha && ben && cleo);
  const std::vector<std::pair<client::connection*, std::string>> trio = {
      {asha.get(), "m1"}, {ben.get(), "m2"}, {cleo.get(), "m3"}};
  constexpr int candidates = 30;
  for (const auto& [conn, me] : trio) {
    for (const auto& [other, them] : trio) {
      if (them == me) continue;
      auto offer = offer_to(them);
      ASSERT_TRUE(conn->send(offer).is_ok());
      for (int n = 0; n < candidates; ++n) {
        auto c = candidate_to(them, n);
        ASSERT_TRUE(conn->send(c).is_ok());
      }
    }
  }
  for (const auto& [conn, me] : trio) {
    int received = 0;
    while (received < 2 * (candidates + 1)) {
      auto m = conn->receive_matching(
          [](const v1::ServerMessage& s) { return s.has_signal() || s.has_error(); },
          expect_within);
      ASSERT_TRUE(m) << me << " received " << received << ": " << conn->last_error();
      ASSERT_TRUE(m->has_signal()) << me << ": " << m->ShortDebugString();
      ++received;
    }
    EXPECT_TRUE(no_signal_waiting(*conn));
  }
}

TEST_F(CallTest, FloodingSignallerIsLimited) {
  auto room = make_room(2);
  auto asha = in_call(room, 0, "Asha", "asha-session-1", 1);
  auto ben = in_call(room, 1, "Ben", "ben-session-1", 2);
  ASSERT_TRUE(asha && ben);
  // Well over the per-connection burst (200) at once, yet under the refusals that close a
  // connection (200 in ten seconds), so every message is either relayed or refused.
  constexpr int sent = 320;
  for (int n = 0; n < sent; ++n) {
    auto c = candidate_to("m2", n);
    ASSERT_TRUE(asha->send(c).is_ok());
  }
  // Once the bucket has a few tokens again, a ping's pong comes after every answer to the
  // flood, and once Ben's pong is back every relayed signal has reached him.
  std::this_thread::sleep_for(milliseconds(300));
  ASSERT_TRUE(ping_pong(*asha));
  ASSERT_TRUE(ping_pong(*ben));
  int limited = 0;
  while (asha->receive_matching(error_is(v1::Error::RATE_LIMITED), milliseconds(0)))
    ++limited;
  int relayed = 0;
  while (ben->receive_matching(kind_is(v1::ServerMessage::kSignal), milliseconds(0)))
    ++relayed;
  EXPECT_GT(limited, 0);
  EXPECT_GT(relayed, 0);
  EXPECT_LT(relayed, sent);
  EXPECT_EQ(relayed + limited, sent);
}

TEST_F(CallTest, DroppedConnectionLeavesTheCall) {
  auto room = make_room(2);
  auto asha = in_call(room, 0, "Asha", "asha-session-1", 1);
  auto ben = in_call(room, 1, "Ben", "ben-session-1", 2);
  ASSERT_TRUE(asha && ben);
  ASSERT_TRUE(asha->receive_matching(call_of_size(2), expect_within));
  ben->drop();
  auto state = asha->receive_matching(call_of_size(1), expect_within);
  ASSERT_TRUE(state) << asha->last_error();
  EXPECT_EQ(state->call_state().members(0).member_id(), "m1");
  // Ben's device is gone from the call: a signal for him is refused.
  expect_refused(*asha, offer_to("m2"), v1::Error::NOT_ALLOWED);

  // Back on a new connection he joins again with a new session.
  auto back = in_call(room, 1, "Ben", "ben-session-2", 2);
  ASSERT_TRUE(back);
  ASSERT_TRUE(send_to(*asha, offer_to("m2")).is_ok());
  auto got = back->receive_matching(kind_is(v1::ServerMessage::kSignal), expect_within);
  ASSERT_TRUE(got) << back->last_error();
  EXPECT_EQ(got->signal().from(), "m1");
}

TEST_F(CallTest, NothingOfASignalIsStoredExportedOrLogged) {
  // At the most talkative log level, so nothing is logged even where operators look closest.
  start_with({"--log-level", "trace"});
  auto room = make_room(2);
  auto asha = in_call(room, 0, "Asha", "asha-session-1", 1);
  auto ben = in_call(room, 1, "Ben", "ben-session-1", 2, encoding::json);
  ASSERT_TRUE(asha && ben);
  // Something the room does keep, so the export and the database have content.
  v1::ClientMessage note;
  note.mutable_note()->set_text("We agreed to meet weekly");
  auto answer = ask(*asha, note);
  ASSERT_TRUE(answer && answer->has_ack()) << (answer ? answer->ShortDebugString() : "");
  ASSERT_TRUE(send_to(*asha, offer_to("m2")).is_ok());
  ASSERT_TRUE(ben->receive_matching(kind_is(v1::ServerMessage::kSignal), expect_within));
  for (int n = 0; n < 5; ++n) {
    ASSERT_TRUE(send_to(*ben, candidate_to("m1", n)).is_ok());
    ASSERT_TRUE(asha->receive_matching(kind_is(v1::ServerMessage::kSignal), expect_within));
  }
  // Refused signals must not leave a trace either.
  expect_refused(*asha, offer_to("m9"), v1::Error::NOT_FOUND);

  for (const char* format : {"md", "json"}) {
    auto exported = client::http_request(
        "GET", server_->url() + "/api/rooms/" + room.id() + "/export?format=" + format, {},
        bearer(room.invites(0).token()));
    ASSERT_EQ(exported.response.status, 200) << exported.response.body;
    const auto& body = exported.response.body;
    EXPECT_NE(body.find("We agreed to meet weekly"), std::string::npos) << format;
    EXPECT_EQ(body.find(sdp_marker), std::string::npos) << format;
    EXPECT_EQ(body.find(candidate_marker), std::string::npos) << format;
    EXPECT_EQ(body.find("ice-pwd"), std::string::npos) << format;
    EXPECT_EQ(body.find("asha-session-1"), std::string::npos) << format;
  }
  asha->close();
  ben->close();
  const auto dir = server_->data_dir();
  ASSERT_EQ(server_->terminate().code, 0);
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const auto bytes = file_bytes(entry.path());
    EXPECT_EQ(bytes.find(sdp_marker), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.find(candidate_marker), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.find("ice-pwd"), std::string::npos) << entry.path();
  }
  // The note is in the database, so the search above looked at the right bytes.
  const auto stored = file_bytes(dir / "colead.db") + file_bytes(dir / "colead.db-wal");
  EXPECT_NE(stored.find("We agreed to meet weekly"), std::string::npos);
  const auto log = server_->log();
  EXPECT_EQ(log.find(sdp_marker), std::string::npos);
  EXPECT_EQ(log.find(candidate_marker), std::string::npos);
}

}  // namespace
}  // namespace colead::integration
