// What a room tells its observer: every message by kind, every error sent exactly once with
// its code, the time an edit waits for its durable ack, and meetings and consults running,
// through to the room being unloaded.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <vector>

#include "room_fixture.hpp"

namespace colead::room {
namespace {

constexpr std::int64_t minute = 60'000;

// An observer that counts what it is told.
class counting_observer final : public room_observer {
 public:
  void message_received(v1::ClientMessage::KindCase kind) override { ++messages[kind]; }
  void message_refused() override { ++refused; }
  void error_sent(v1::Error::Code code) override { ++errors[code]; }
  void edit_acknowledged(double seconds) override { acks.push_back(seconds); }
  void meeting_started() override { ++meetings_running; }
  void meeting_stopped() override { --meetings_running; }
  void consult_started() override { ++consults_running; }
  void consult_stopped() override { --consults_running; }

  int errors_total() const {
    int total = 0;
    for (const auto& [code, n] : errors)
      total += n;
    return total;
  }

  std::map<v1::ClientMessage::KindCase, int> messages;
  int refused = 0;
  std::map<v1::Error::Code, int> errors;
  std::vector<double> acks;
  int meetings_running = 0;
  int consults_running = 0;
};

class RoomObserverTest : public RoomTest {
 protected:
  RoomObserverTest() : RoomTest(3) {
    // The fixture's room has no observer: make one that has.
    auto made = make_room("Observed", 3, clock_);
    tokens_ = made.tokens;
    auto o = options();
    o.observer = observer_;
    room_ = std::make_unique<room>(std::move(made.model), clock_, journal_, o);
    a_ = connect();
    b_ = connect(protocol::encoding::json);
    c_ = connect();
    hello(a_, tokens_[0], "Asha");
    hello(b_, tokens_[1], "Ben");
    hello(c_, tokens_[2], "Chidi");
  }

  static v1::ClientMessage edit(std::uint64_t base_rev, const std::string& text,
                                const std::string& edit_id, const std::string& doc = "purpose") {
    v1::ClientMessage m;
    m.set_req(7);
    auto* e = m.mutable_edit();
    e->set_doc(doc);
    e->set_base_rev(base_rev);
    e->set_edit_id(edit_id);
    e->add_op()->set_retain(static_cast<std::uint32_t>(base_rev));
    e->add_op()->set_insert(text);
    return m;
  }

  static v1::ClientMessage meeting_start(unsigned minutes, bool end_on_time) {
    v1::ClientMessage m;
    m.set_req(10);
    m.mutable_meeting()->mutable_start()->set_planned_minutes(minutes);
    m.mutable_meeting()->mutable_start()->set_end_on_time(end_on_time);
    return m;
  }

  static v1::ClientMessage meeting_end() {
    v1::ClientMessage m;
    m.set_req(11);
    m.mutable_meeting()->mutable_end();
    return m;
  }

  static v1::ClientMessage consult_start() {
    v1::ClientMessage m;
    m.set_req(12);
    m.mutable_consult()->mutable_start()->set_script_id("troika");
    m.mutable_consult()->mutable_start()->set_presenter("m1");
    return m;
  }

  static v1::ClientMessage consult_stop() {
    v1::ClientMessage m;
    m.set_req(13);
    m.mutable_consult()->mutable_stop();
    return m;
  }

  // Errors every participant in `ps` has received.
  static int errors_received(const std::vector<std::shared_ptr<fake_participant>>& ps) {
    int total = 0;
    for (const auto& p : ps)
      total += static_cast<int>(p->of_kind(v1::ServerMessage::kError).size());
    return total;
  }

  std::shared_ptr<counting_observer> observer_ = std::make_shared<counting_observer>();
  std::shared_ptr<fake_participant> a_, b_, c_;
};

TEST_F(RoomObserverTest, MessagesAreCountedByKind) {
  EXPECT_EQ(observer_->messages[v1::ClientMessage::kHello], 3);
  send(a_, ping(2));
  send(a_, ping(3));
  send(b_, edit(0, "Care", "e1"));
  v1::ClientMessage none;
  send(c_, none);
  EXPECT_EQ(observer_->messages[v1::ClientMessage::kPing], 2);
  EXPECT_EQ(observer_->messages[v1::ClientMessage::kEdit], 1);
  EXPECT_EQ(observer_->messages[v1::ClientMessage::KIND_NOT_SET], 1);
  EXPECT_EQ(observer_->errors[v1::Error::UNKNOWN_KIND], 1);
  EXPECT_EQ(observer_->refused, 0);
}

TEST_F(RoomObserverTest, ARefusalFromTheSessionIsCountedAsRefusedWithItsError) {
  room_->reject(a_, 4, v1::Error::RATE_LIMITED, "too many");
  room_->reject(b_, 0, v1::Error::BAD_FRAME, "not a message");
  EXPECT_EQ(observer_->refused, 2);
  EXPECT_EQ(observer_->errors[v1::Error::RATE_LIMITED], 1);
  EXPECT_EQ(observer_->errors[v1::Error::BAD_FRAME], 1);
  EXPECT_EQ(observer_->messages.count(v1::ClientMessage::KIND_NOT_SET), 0u);
}

TEST_F(RoomObserverTest, EveryErrorSentIsCountedOnceWithItsCode) {
  a_->clear();
  b_->clear();
  c_->clear();
  auto late = connect();
  send(late, ping(1));                          // NOT_JOINED
  send(a_, edit(0, "x", "e1", "no-such-doc"));  // INVALID_OP
  send(b_, edit(5, "x", "e2"));                 // BAD_REVISION
  v1::ClientMessage again;                      // NOT_ALLOWED: hello twice
  again.mutable_hello()->set_token(tokens_[2]);
  send(c_, again);
  room_->reject(a_, 0, v1::Error::TOO_LARGE, "big");  // TOO_LARGE
  v1::ClientMessage stranger;                         // UNAUTHORIZED: a wrong token
  stranger.mutable_hello()->set_token("not-a-token");
  auto outsider = connect();
  send(outsider, stranger);
  EXPECT_EQ(observer_->errors[v1::Error::NOT_JOINED], 1);
  EXPECT_EQ(observer_->errors[v1::Error::INVALID_OP], 1);
  EXPECT_EQ(observer_->errors[v1::Error::BAD_REVISION], 1);
  EXPECT_EQ(observer_->errors[v1::Error::NOT_ALLOWED], 1);
  EXPECT_EQ(observer_->errors[v1::Error::TOO_LARGE], 1);
  EXPECT_EQ(observer_->errors[v1::Error::UNAUTHORIZED], 1);
  EXPECT_EQ(observer_->errors_total(), errors_received({a_, b_, c_, late, outsider}));
}

TEST_F(RoomObserverTest, ErrorsSentOutsideTheOutboxAreCountedToo) {
  // A room at its connection limit answers ROOM_FULL to the next hello.
  std::vector<std::shared_ptr<fake_participant>> extra;
  while (room_->connection_count(true) < limits_.max_connections) {
    extra.push_back(connect());
    hello(extra.back(), tokens_[0], "Asha");
  }
  EXPECT_EQ(observer_->errors[v1::Error::ROOM_FULL], 0);
  extra.push_back(connect());
  hello(extra.back(), tokens_[0], "Asha");
  EXPECT_EQ(observer_->errors[v1::Error::ROOM_FULL], 1);

  // A failed write answers the author INTERNAL and closes every connection.
  room_->handle(a_, edit(0, "Care", "e1"));
  journal_.complete_all(store::status::io_error("disk full"));
  EXPECT_EQ(observer_->errors[v1::Error::INTERNAL], 1);
  EXPECT_TRUE(observer_->acks.empty());
  extra.push_back(a_);
  extra.push_back(b_);
  extra.push_back(c_);
  EXPECT_EQ(observer_->errors_total(), errors_received(extra));
}

TEST_F(RoomObserverTest, AnEditAckIsTimedFromReceiptToItsDurableAck) {
  room_->handle(a_, edit(0, "Care", "e1"));
  clock_.advance(40);  // the write takes 40 ms
  EXPECT_TRUE(observer_->acks.empty()) << "no ack before the write is durable";
  journal_.complete_all();
  ASSERT_EQ(observer_->acks.size(), 1u);
  EXPECT_DOUBLE_EQ(observer_->acks[0], 0.040);

  // A resend of the same edit is acknowledged again, at once, without a write.
  send(a_, edit(0, "Care", "e1"));
  ASSERT_EQ(observer_->acks.size(), 2u);
  EXPECT_DOUBLE_EQ(observer_->acks[1], 0.0);

  // Other acks (a document added) are not edits.
  v1::ClientMessage add;
  add.mutable_document()->mutable_add()->set_title("Plan");
  send(a_, add);
  EXPECT_EQ(observer_->acks.size(), 2u);
}

TEST_F(RoomObserverTest, AMeetingRunsFromItsStartToItsEnd) {
  send(a_, meeting_start(60, false));
  EXPECT_EQ(observer_->meetings_running, 1);
  send(b_, meeting_start(60, false));  // refused: one is running
  EXPECT_EQ(observer_->meetings_running, 1);
  send(b_, meeting_end());
  EXPECT_EQ(observer_->meetings_running, 0);
  send(a_, meeting_end());  // refused: none is running
  EXPECT_EQ(observer_->meetings_running, 0);
}

TEST_F(RoomObserverTest, AMeetingThatEndsByItselfStopsRunning) {
  send(a_, meeting_start(30, true));
  EXPECT_EQ(observer_->meetings_running, 1);
  for (int i = 0; i < 1000 && room_->next_deadline(); ++i) {
    clock_.advance(std::max<std::int64_t>(0, *room_->next_deadline() - clock_.now_ms()));
    room_->on_timer();
    journal_.complete_all();
  }
  EXPECT_GE(clock_.now_ms(), 30 * minute);
  EXPECT_EQ(observer_->meetings_running, 0);
}

TEST_F(RoomObserverTest, AConsultRunsFromItsStartToItsStop) {
  send(a_, consult_start());
  EXPECT_EQ(observer_->consults_running, 1);
  send(b_, consult_stop());
  EXPECT_EQ(observer_->consults_running, 0);
}

TEST_F(RoomObserverTest, UnloadingARoomStopsWhatRunsInIt) {
  send(a_, meeting_start(60, false));
  send(a_, consult_start());
  EXPECT_EQ(observer_->meetings_running, 1);
  EXPECT_EQ(observer_->consults_running, 1);
  room_->close_all({1001, "going away"});
  room_.reset();
  EXPECT_EQ(observer_->meetings_running, 0);
  EXPECT_EQ(observer_->consults_running, 0);
}

TEST_F(RoomObserverTest, ARoomWithoutAnObserverRunsTheSame) {
  auto made = make_room("Unobserved", 2, clock_);
  room plain(std::move(made.model), clock_, journal_, options());
  auto p = std::make_shared<fake_participant>();
  plain.attach(p);
  v1::ClientMessage hello;
  hello.mutable_hello()->set_token(made.tokens[0]);
  plain.handle(p, hello);
  plain.handle(p, meeting_start(60, false));
  plain.reject(p, 0, v1::Error::RATE_LIMITED, "too many");
  journal_.complete_all();
  EXPECT_EQ(p->of_kind(v1::ServerMessage::kError).size(), 1u);
  EXPECT_EQ(observer_->meetings_running, 0);
}

}  // namespace
}  // namespace colead::room
