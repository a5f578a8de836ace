// Every answer matchable: each error a client message can cause carries the message's req,
// in both subprotocols, whether the room refused it or the connection did before decoding
// (rate, size, a frame that does not decode); an oversize message beyond the hard cap is
// answered and then closed with 1009, never dropped silently.
#include <set>

#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

class Answers : public ServerTest, public ::testing::WithParamInterface<encoding> {
 protected:
  static constexpr std::size_t max_frame_bytes = 4096;
  void SetUp() override { start_with({"--max-frame-bytes", std::to_string(max_frame_bytes)}); }
};

// The error answering `req`, waiting a bounded time.
std::optional<v1::ServerMessage> error_answering(client::connection& conn, std::uint64_t req) {
  return conn.receive_matching(
      [req](const v1::ServerMessage& m) { return m.has_error() && m.re() == req; }, expect_within);
}

// Sends `message` with request number `req` and returns the error answering it.
std::optional<v1::ServerMessage> refused(client::connection& conn, v1::ClientMessage message,
                                         std::uint64_t req) {
  message.set_req(req);
  auto sent = conn.send(message);
  EXPECT_TRUE(sent.is_ok()) << sent.message();
  return error_answering(conn, req);
}

// Sends a raw frame (text for JSON, binary otherwise) and returns the error answering `req`.
std::optional<v1::ServerMessage> refused_raw(client::connection& conn, std::string_view payload,
                                             std::uint64_t req) {
  auto sent = conn.subprotocol() == encoding::binary ? conn.send_raw_binary(payload)
                                                     : conn.send_raw_text(payload);
  EXPECT_TRUE(sent.is_ok()) << sent.message();
  return error_answering(conn, req);
}

v1::ClientMessage edit_message(const std::string& doc, std::uint64_t base_rev,
                               std::uint32_t retain) {
  v1::ClientMessage m;
  auto* e = m.mutable_edit();
  e->set_doc(doc);
  e->set_base_rev(base_rev);
  e->set_edit_id("answers-" + std::to_string(base_rev) + "-" + std::to_string(retain));
  e->add_op()->set_retain(retain);
  e->add_op()->set_insert("x");
  return m;
}

TEST_P(Answers, EveryErrorAboutAMessageCarriesItsReq) {
  auto room = make_room(2);
  struct row {
    std::string what;
    v1::Error::Code code;
    std::optional<v1::ServerMessage> answer;
  };
  std::vector<row> rows;
  std::uint64_t next_req = 1000;
  auto check = [&](std::string what, v1::Error::Code code, std::uint64_t req,
                   std::optional<v1::ServerMessage> answer) {
    SCOPED_TRACE(what);
    ASSERT_TRUE(answer) << "no error answering req " << req;
    EXPECT_EQ(answer->re(), req);
    EXPECT_EQ(answer->error().code(), code) << answer->DebugString();
    EXPECT_FALSE(answer->error().message().empty());
    rows.push_back({std::move(what), code, std::move(answer)});
  };

  // Before hello.
  {
    client::connection fresh;
    ASSERT_TRUE(fresh.connect(server_->url(), room.id(), GetParam(), expect_within).is_ok());
    auto req = ++next_req;
    check("ping before hello", v1::Error::NOT_JOINED, req, refused(fresh, ping_message(), req));
    v1::ClientMessage hello;
    hello.mutable_hello()->set_token("not-a-token-of-this-room");
    hello.mutable_hello()->set_name("Mallory");
    req = ++next_req;
    check("hello with a wrong token", v1::Error::UNAUTHORIZED, req, refused(fresh, hello, req));
  }

  v1::Welcome welcome;
  auto conn = join(room, 0, "Ann", GetParam(), &welcome);
  ASSERT_NE(conn, nullptr);
  ASSERT_GT(welcome.room().docs_size(), 0);
  const auto& doc = welcome.room().docs(0);

  auto req = ++next_req;
  v1::ClientMessage again;
  again.mutable_hello()->set_token(room.invites(0).token());
  again.mutable_hello()->set_name("Ann");
  check("second hello", v1::Error::NOT_ALLOWED, req, refused(*conn, again, req));

  req = ++next_req;
  check("edit at a future revision", v1::Error::BAD_REVISION, req,
        refused(*conn, edit_message(doc.id(), doc.rev() + 1000, 0), req));

  req = ++next_req;
  check(
      "edit longer than the document", v1::Error::INVALID_OP, req,
      refused(*conn,
              edit_message(doc.id(), doc.rev(), static_cast<std::uint32_t>(doc.text().size()) + 50),
              req));

  req = ++next_req;
  v1::ClientMessage big;
  big.mutable_note()->set_text(std::string(2 * max_frame_bytes, 'x'));
  big.mutable_note()->set_category(v1::LearningNote::OTHER);
  check("message over --max-frame-bytes", v1::Error::TOO_LARGE, req, refused(*conn, big, req));

  const auto r = [](std::uint64_t n) { return std::to_string(n); };
  if (GetParam() == encoding::json) {
    req = ++next_req;
    check("unknown kind", v1::Error::UNKNOWN_KIND, req,
          refused_raw(*conn, R"({"req": )" + r(req) + R"(, "teleport": {"to": "mars"}})", req));
    req = ++next_req;
    check("number out of range", v1::Error::BAD_FRAME, req,
          refused_raw(*conn,
                      R"({"req": ")" + r(req) +
                          R"(", "meeting": {"start": {"plannedMinutes": 99999999999999}}})",
                      req));
    req = ++next_req;
    check(
        "lone surrogate", v1::Error::BAD_FRAME, req,
        refused_raw(
            *conn, R"({"req": )" + r(req) + R"(, "note": {"text": "\ud800", "category": "OTHER"}})",
            req));
    req = ++next_req;
    check("two kinds in one message", v1::Error::BAD_FRAME, req,
          refused_raw(*conn, R"({"req": )" + r(req) + R"(, "ping": {}, "note": {"text": "a"}})",
                      req));
    req = ++next_req;
    check("not valid JSON after the req", v1::Error::BAD_FRAME, req,
          refused_raw(*conn, R"({"req": )" + r(req) + R"(, "ping": {)", req));
  } else {
    req = ++next_req;
    v1::ClientMessage no_kind;
    no_kind.set_req(req);
    check("no kind", v1::Error::UNKNOWN_KIND, req,
          refused_raw(*conn, no_kind.SerializeAsString(), req));
    req = ++next_req;
    v1::ClientMessage note;
    note.set_req(req);
    note.mutable_note()->set_text("ok");
    std::string bytes = note.SerializeAsString();
    bytes.back() = '\xff';  // invalid UTF-8 in a string field
    check("invalid UTF-8", v1::Error::BAD_FRAME, req, refused_raw(*conn, bytes, req));
  }
  EXPECT_TRUE(ping_pong(*conn));
  EXPECT_TRUE(conn->is_open());
}

TEST_P(Answers, MessageBeyondTheHardCapIsAnsweredThenClosedWith1009) {
  auto room = make_room(2);
  auto conn = join(room, 0, "Ann", GetParam());
  ASSERT_NE(conn, nullptr);
  v1::ClientMessage huge;
  huge.set_req(31337);
  huge.mutable_note()->set_text(std::string(16 * max_frame_bytes, 'x'));
  huge.mutable_note()->set_category(v1::LearningNote::OTHER);
  (void)conn->send(huge);  // the server may close before the whole message is written
  auto answer = error_answering(*conn, 31337);
  ASSERT_TRUE(answer) << conn->last_error();
  EXPECT_EQ(answer->error().code(), v1::Error::TOO_LARGE) << answer->DebugString();
  EXPECT_TRUE(answer->error().fatal());
  auto closed = conn->wait_closed(expect_within);
  ASSERT_TRUE(closed) << "no close frame: " << conn->last_error();
  EXPECT_EQ(closed->code, 1009) << closed->reason;
  EXPECT_NE(closed->reason.find("too big"), std::string::npos) << closed->reason;
}

// RATE_LIMITED, answered by the connection before the message is decoded, names the
// request it dropped.
class RateLimitedAnswers : public ServerTest, public ::testing::WithParamInterface<encoding> {
 protected:
  void SetUp() override {
    start_with({"--rate", "1", "--rate-burst", "3", "--abuse-close-after", "1000"});
  }
};

TEST_P(RateLimitedAnswers, RateLimitedCarriesTheReqOfTheDroppedMessage) {
  auto room = make_room(2);
  auto conn = join(room, 0, "Ann", GetParam());  // the hello takes one token
  ASSERT_NE(conn, nullptr);
  std::set<std::uint64_t> sent;
  for (std::uint64_t req = 500; req < 510; ++req) {
    auto ping = ping_message();
    ping.set_req(req);
    ASSERT_TRUE(conn->send(ping).is_ok()) << conn->last_error();
    sent.insert(req);
  }
  std::set<std::uint64_t> answered;
  int limited = 0;
  while (answered.size() < sent.size()) {
    auto m = conn->receive_matching(
        [](const v1::ServerMessage& m) { return m.has_pong() || m.has_error(); }, expect_within);
    ASSERT_TRUE(m) << "only " << answered.size() << " of 10 answered: " << conn->last_error();
    EXPECT_TRUE(sent.count(m->re())) << m->DebugString();
    answered.insert(m->re());
    if (m->has_error()) {
      EXPECT_EQ(m->error().code(), v1::Error::RATE_LIMITED) << m->DebugString();
      ++limited;
    }
  }
  EXPECT_GE(limited, 5);
}

TEST_P(RateLimitedAnswers, ClientLibraryResendsAnEditRefusedForRateAfterWaiting) {
  auto room = make_room(2);
  v1::Welcome welcome;
  auto conn = join(room, 0, "Ann", GetParam(), &welcome);
  ASSERT_NE(conn, nullptr);
  ASSERT_GT(welcome.room().docs_size(), 0);
  const auto& doc = welcome.room().docs(0);
  auto rev = doc.rev();
  // Six edits back to back at one message a second after a burst of three: some are
  // refused at first, and every one is acknowledged in the end, in order.
  for (int i = 0; i < 6; ++i) {
    v1::ClientMessage edit;
    auto* e = edit.mutable_edit();
    e->set_doc(doc.id());
    e->set_base_rev(rev);
    e->set_edit_id("resend-" + std::to_string(i));
    e->add_op()->set_insert("x");
    const auto length = doc.text().size() + static_cast<std::size_t>(i);  // ASCII text
    if (length > 0) e->add_op()->set_retain(static_cast<std::uint32_t>(length));
    auto answer = conn->request(edit);
    ASSERT_TRUE(answer) << "edit " << i << ": " << conn->last_error();
    ASSERT_TRUE(answer->has_ack()) << "edit " << i << ": " << answer->DebugString();
    EXPECT_EQ(answer->ack().rev(), rev + 1);
    rev = answer->ack().rev();
  }
}

INSTANTIATE_TEST_SUITE_P(Subprotocols, Answers, ::testing::Values(encoding::binary, encoding::json),
                         subprotocol_test_name);
INSTANTIATE_TEST_SUITE_P(Subprotocols, RateLimitedAnswers,
                         ::testing::Values(encoding::binary, encoding::json),
                         subprotocol_test_name);

}  // namespace
}  // namespace colead::integration
