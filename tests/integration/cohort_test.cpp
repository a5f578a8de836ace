// A cohort's live overview against the real server: facilitators on /ws/cohort/<id>, members
// in their rooms, every room created through POST /api/cohorts. A cohort of twelve pairs
// runs a meeting on a clock 60 times faster while its facilitator's overview follows each
// room; a broadcast and a call of time reach all 24 members; an item one room raises gets an
// answer every room sees. And what facilitators may not do: read or edit a room, open another
// cohort, or be a member's token.
#include <chrono>
#include <map>

#include "codec.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

using std::chrono::milliseconds;

// POST /api/cohorts; an empty response (and a failure) unless it answered 201.
v1::CreateCohortResponse create_cohort(const server_process& server, std::string_view title,
                                       int rooms, int seats) {
  v1::CreateCohortRequest request;
  request.set_title(std::string(title));
  request.set_rooms(static_cast<std::uint32_t>(rooms));
  request.set_seats_per_room(static_cast<std::uint32_t>(seats));
  request.add_facilitators("Sam");
  auto result = client::http_request("POST", server.url() + "/api/cohorts",
                                     protocol::to_json(request), {}, expect_within);
  v1::CreateCohortResponse created;
  if (!result.outcome.is_ok() || result.response.status != 201) {
    ADD_FAILURE() << "POST /api/cohorts: " << result.outcome.message() << " "
                  << result.response.status << " " << result.response.body;
    return created;
  }
  std::string why;
  if (!protocol::from_json(result.response.body, created, why)) {
    ADD_FAILURE() << "not a CreateCohortResponse (" << why << "): " << result.response.body;
  }
  return created;
}

// A facilitator's connection to a cohort, binary frames.
class facilitator_client {
 public:
  bool connect(const server_process& server, const std::string& cohort_id) {
    auto status =
        conn_.connect(server.url(), "cohort/" + cohort_id, encoding::binary, expect_within);
    if (!status.is_ok()) ADD_FAILURE() << "cohort socket: " << status.message();
    return status.is_ok();
  }

  bool send(v1::CohortClientMessage m) {
    m.set_req(++req_);
    return conn_.send_raw_binary(m.SerializeAsString()).is_ok();
  }

  std::optional<v1::CohortServerMessage> receive(milliseconds timeout = expect_within) {
    auto frame = conn_.receive_raw(timeout);
    if (!frame) return std::nullopt;
    v1::CohortServerMessage m;
    if (!m.ParseFromString(frame->payload)) {
      ADD_FAILURE() << "a frame that is not a CohortServerMessage";
      return std::nullopt;
    }
    if (m.has_room()) rooms[m.room().room_id()] = m.room();
    if (m.has_welcome()) {
      for (const auto& r : m.welcome().rooms())
        rooms[r.room_id()] = r;
    }
    if (m.has_programme()) programme = m.programme();
    return m;
  }

  // Reads until `done` holds for a message; nothing when `timeout` passes first.
  std::optional<v1::CohortServerMessage> receive_until(
      const std::function<bool(const v1::CohortServerMessage&)>& done,
      milliseconds timeout = expect_within) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const auto left =
          std::chrono::duration_cast<milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      auto m = receive(left);
      if (!m) return std::nullopt;
      if (done(*m)) return m;
    }
  }

  // Reads until every room's latest overview satisfies `test`; false after `timeout`.
  bool rooms_become(const std::function<bool(const v1::RoomOverview&)>& test,
                    milliseconds timeout = milliseconds(15000)) {
    auto all = [&] {
      if (rooms.empty()) return false;
      for (const auto& [id, o] : rooms)
        if (!test(o)) return false;
      return true;
    };
    if (all()) return true;
    return receive_until([&](const v1::CohortServerMessage&) { return all(); }, timeout)
        .has_value();
  }

  std::optional<v1::CohortWelcome> hello(const std::string& token) {
    v1::CohortClientMessage m;
    m.mutable_hello()->set_token(token);
    if (!send(m)) return std::nullopt;
    auto answer = receive_until([](const auto& a) { return a.has_welcome() || a.has_error(); });
    if (!answer || !answer->has_welcome()) return std::nullopt;
    return answer->welcome();
  }

  // Sends `command` and waits for its ack or error.
  std::optional<v1::CohortServerMessage> command(const v1::FacilitatorCommand& command) {
    v1::CohortClientMessage m;
    *m.mutable_command() = command;
    if (!send(m)) return std::nullopt;
    const auto req = req_;
    return receive_until(
        [req](const auto& a) { return a.re() == req && (a.has_ack() || a.has_error()); });
  }

  client::connection& connection() { return conn_; }

  std::map<std::string, v1::RoomOverview> rooms;  // latest overview of each room
  v1::ProgrammeState programme;                   // latest programme

 private:
  client::connection conn_;
  std::uint64_t req_ = 0;
};

// Reads until a message satisfies `test`.
std::optional<v1::ServerMessage> member_reads(client::connection& conn, const message_test& test,
                                              milliseconds timeout = expect_within) {
  return conn.receive_matching(test, timeout);
}

message_test nudge_is(v1::Nudge::Kind kind) {
  return [kind](const v1::ServerMessage& m) { return m.has_nudge() && m.nudge().kind() == kind; };
}

message_test meeting_mode_is(v1::MeetingState::Mode mode) {
  return [mode](const v1::ServerMessage& m) {
    return m.has_meeting_state() && m.meeting_state().mode() == mode;
  };
}

class Cohort : public ServerTest {
 protected:
  struct pair_room {
    v1::CreateRoomResponse room;
    std::unique_ptr<client::connection> first, second;
  };

  std::vector<pair_room> join_all(const v1::CreateCohortResponse& cohort) {
    std::vector<pair_room> out;
    for (const auto& room : cohort.rooms()) {
      pair_room p;
      p.room = room;
      p.first = join(room, 0, "Ann " + room.id().substr(0, 4));
      p.second = join(room, 1, "Bea " + room.id().substr(0, 4), encoding::json);
      out.push_back(std::move(p));
    }
    return out;
  }
};

TEST_F(Cohort, TwelvePairsRunAMeetingTheOverviewFollowsAndEveryMemberHearsTheFacilitator) {
  start_with({"--time-scale", "60"});
  const auto cohort = create_cohort(*server_, "Spring cohort", 12, 2);
  ASSERT_EQ(cohort.rooms_size(), 12);
  ASSERT_EQ(cohort.facilitators_size(), 1);

  facilitator_client sam;
  ASSERT_TRUE(sam.connect(*server_, cohort.id()));
  auto welcome = sam.hello(cohort.facilitators(0).token());
  ASSERT_TRUE(welcome) << "no welcome";
  EXPECT_EQ(welcome->cohort_id(), cohort.id());
  EXPECT_EQ(welcome->title(), "Spring cohort");
  EXPECT_EQ(welcome->name(), "Sam");
  EXPECT_EQ(welcome->facilitator(), 1u);
  EXPECT_DOUBLE_EQ(welcome->time_scale(), 60);
  ASSERT_EQ(welcome->rooms_size(), 12);
  for (int i = 0; i < 12; ++i) {
    const auto& o = welcome->rooms(i);
    EXPECT_EQ(o.room_id(), cohort.rooms(i).id()) << "rooms in the cohort's order";
    EXPECT_EQ(o.title(), cohort.rooms(i).title());
    EXPECT_EQ(o.seats(), 2u);
    EXPECT_EQ(o.present_size(), 0);
    EXPECT_EQ(o.mode(), v1::MeetingState::MODE_UNSPECIFIED);
  }

  // Step 1: everyone comes in; the overview shows both names in every room.
  auto rooms = join_all(cohort);
  ASSERT_EQ(rooms.size(), 12u);
  for (const auto& p : rooms)
    ASSERT_TRUE(p.first && p.second);
  ASSERT_TRUE(sam.rooms_become([](const auto& o) { return o.present_size() == 2; }));
  for (const auto& p : rooms) {
    const auto& o = sam.rooms[p.room.id()];
    EXPECT_EQ(o.members(), 2u);
    EXPECT_EQ(o.present(0), "Ann " + p.room.id().substr(0, 4));
    EXPECT_EQ(o.present(1), "Bea " + p.room.id().substr(0, 4));
    EXPECT_GT(o.last_activity_ms(), 0);
  }

  // Step 2: one room chooses to share its learning; the overview says so.
  v1::ClientMessage share;
  share.mutable_room()->mutable_settings()->set_share_with_cohort(v1::RoomCommand::AUTO_ON);
  ASSERT_TRUE(rooms[3].second->send(share).is_ok());
  ASSERT_TRUE(sam.rooms_become(
      [&](const auto& o) { return o.shares_learning() == (o.room_id() == rooms[3].room.id()); }));

  // Step 3: every room starts an hour's meeting; the overview matches each room's own state.
  std::map<std::string, v1::MeetingState> started;
  for (auto& p : rooms) {
    v1::ClientMessage start;
    start.mutable_meeting()->mutable_start()->set_planned_minutes(60);
    start.mutable_meeting()->mutable_start()->set_title("Check-in " + p.room.id().substr(0, 4));
    ASSERT_TRUE(p.first->send(start).is_ok());
    auto state = member_reads(*p.first, meeting_mode_is(v1::MeetingState::TASK));
    ASSERT_TRUE(state) << p.first->last_error();
    started[p.room.id()] = state->meeting_state();
  }
  ASSERT_TRUE(sam.rooms_become([](const auto& o) { return o.mode() == v1::MeetingState::TASK; }));
  for (const auto& p : rooms) {
    const auto& o = sam.rooms[p.room.id()];
    const auto& s = started[p.room.id()];
    EXPECT_EQ(o.meeting_title(), s.title());
    EXPECT_EQ(o.planned_ms(), s.planned_ms());
    EXPECT_EQ(o.target_pct(), s.target_pct());
    EXPECT_EQ(o.status(), s.status());
    EXPECT_EQ(o.present_size(), 2);
  }

  // Step 4: a call of time and a message reach all 24 members, as from the facilitator.
  v1::FacilitatorCommand call;
  call.mutable_call_time()->set_minutes_left(5);
  auto called = sam.command(call);
  ASSERT_TRUE(called && called->has_ack()) << (called ? called->DebugString() : "no answer");
  v1::FacilitatorCommand broadcast;
  broadcast.mutable_broadcast()->set_text("Please switch to reflection now");
  auto sent = sam.command(broadcast);
  ASSERT_TRUE(sent && sent->has_ack()) << (sent ? sent->DebugString() : "no answer");
  int reached = 0;
  for (auto& p : rooms) {
    for (auto* member : {p.first.get(), p.second.get()}) {
      auto time_call = member_reads(*member, nudge_is(v1::Nudge::TIME_CALL));
      ASSERT_TRUE(time_call) << member->last_error();
      EXPECT_EQ(time_call->nudge().minutes_left(), 5u);
      EXPECT_EQ(time_call->nudge().from_facilitator(), "Sam");
      auto message = member_reads(*member, nudge_is(v1::Nudge::FACILITATOR_MESSAGE));
      ASSERT_TRUE(message) << member->last_error();
      EXPECT_EQ(message->nudge().message(), "Please switch to reflection now");
      EXPECT_EQ(message->nudge().from_facilitator(), "Sam");
      ++reached;
    }
  }
  EXPECT_EQ(reached, 24);

  // Step 5: the rooms reflect, on their own decision; the overview follows.
  for (auto& p : rooms) {
    v1::ClientMessage reflect;
    reflect.mutable_meeting()->mutable_mode()->set_mode(v1::MeetingState::REFLECTION);
    ASSERT_TRUE(p.second->send(reflect).is_ok());
    ASSERT_TRUE(member_reads(*p.second, meeting_mode_is(v1::MeetingState::REFLECTION)));
  }
  ASSERT_TRUE(
      sam.rooms_become([](const auto& o) { return o.mode() == v1::MeetingState::REFLECTION; }));

  // Step 6: one room leaves early; the others end their meetings. The overview shows who is
  // present and each ended meeting's share for the cohort's chart.
  rooms[11].first->close();
  rooms[11].second->close();
  for (std::size_t i = 0; i < 11; ++i) {
    v1::ClientMessage end;
    end.mutable_meeting()->mutable_end();
    ASSERT_TRUE(rooms[i].first->send(end).is_ok());
    ASSERT_TRUE(member_reads(*rooms[i].first, meeting_mode_is(v1::MeetingState::ENDED)));
  }
  const auto left = rooms[11].room.id();
  ASSERT_TRUE(sam.rooms_become([&](const auto& o) {
    return o.room_id() == left ? o.present_size() == 0
                               : o.mode() == v1::MeetingState::ENDED && o.meetings_size() == 1;
  }));
  for (std::size_t i = 0; i < 11; ++i) {
    const auto& o = sam.rooms[rooms[i].room.id()];
    EXPECT_GT(o.meetings(0).share(), 0.0);
    EXPECT_LE(o.meetings(0).share(), 1.0);
    EXPECT_EQ(o.meetings(0).target_pct(), 40u);
  }
}

TEST_F(Cohort, AnswersReachEveryRoomOfTheCohort) {
  const auto cohort = create_cohort(*server_, "Sets", 3, 2);
  ASSERT_EQ(cohort.rooms_size(), 3);
  auto rooms = join_all(cohort);
  facilitator_client sam;
  ASSERT_TRUE(sam.connect(*server_, cohort.id()));
  ASSERT_TRUE(sam.hello(cohort.facilitators(0).token()));

  // One room raises what gets in its way, anonymously.
  v1::ClientMessage raise;
  auto* r = raise.mutable_programme()->mutable_raise();
  r->set_category(v1::LearningNote::LOCAL_SYSTEM);
  r->set_text("Our rotas never leave a free hour together");
  r->set_anonymous(true);
  ASSERT_TRUE(rooms[0].first->send(raise).is_ok());
  auto seen = sam.receive_until(
      [](const auto& m) { return m.has_programme() && m.programme().items_size() == 1; });
  ASSERT_TRUE(seen) << "the facilitator never saw the item";
  const auto item = seen->programme().items(0);
  EXPECT_EQ(item.room_id(), rooms[0].room.id()) << "facilitators see which room raised it";
  EXPECT_EQ(item.text(), "Our rotas never leave a free hour together");

  v1::FacilitatorCommand group;
  group.mutable_group()->add_item_ids(item.id());
  group.mutable_group()->set_group("Time");
  auto grouped = sam.command(group);
  ASSERT_TRUE(grouped && grouped->has_ack());

  v1::FacilitatorCommand answer;
  answer.mutable_answer()->set_text("The trust now keeps Tuesday afternoons free");
  answer.mutable_answer()->add_item_ids(item.id());
  auto answered = sam.command(answer);
  ASSERT_TRUE(answered && answered->has_ack()) << (answered ? answered->DebugString() : "");

  for (std::size_t i = 0; i < rooms.size(); ++i) {
    for (auto* member : {rooms[i].first.get(), rooms[i].second.get()}) {
      auto programme = member_reads(*member, [](const v1::ServerMessage& m) {
        return m.has_programme() && m.programme().answers_size() == 1;
      });
      ASSERT_TRUE(programme) << "room " << i << ": " << member->last_error();
      const auto& p = programme->programme();
      EXPECT_EQ(p.answers(0).text(), "The trust now keeps Tuesday afternoons free");
      EXPECT_EQ(p.answers(0).answered_by(), "Sam");
      ASSERT_EQ(p.items_size(), 1);
      EXPECT_EQ(p.items(0).answer_id(), p.answers(0).id());
      EXPECT_EQ(p.items(0).group(), "Time");
      // Other rooms do not learn which room raised an anonymous item.
      EXPECT_EQ(p.items(0).room_id(), i == 0 ? rooms[0].room.id() : "");
    }
  }
}

TEST_F(Cohort, ProposalsReachOnlyTheChosenRooms) {
  const auto cohort = create_cohort(*server_, "Sets", 2, 2);
  ASSERT_EQ(cohort.rooms_size(), 2);
  auto rooms = join_all(cohort);
  facilitator_client sam;
  ASSERT_TRUE(sam.connect(*server_, cohort.id()));
  ASSERT_TRUE(sam.hello(cohort.facilitators(0).token()));
  v1::FacilitatorCommand propose;
  propose.mutable_propose_script()->set_script_id("troika");
  propose.mutable_propose_script()->add_room_ids(rooms[1].room.id());
  auto proposed = sam.command(propose);
  ASSERT_TRUE(proposed && proposed->has_ack()) << (proposed ? proposed->DebugString() : "");
  auto got = member_reads(*rooms[1].first, [](const v1::ServerMessage& m) {
    return m.has_programme() && m.programme().proposals_size() == 1;
  });
  ASSERT_TRUE(got) << rooms[1].first->last_error();
  EXPECT_EQ(got->programme().proposals(0).script_id(), "troika");
  EXPECT_EQ(got->programme().proposals(0).from_facilitator(), "Sam");
  auto none = rooms[0].first->receive_matching(
      [](const v1::ServerMessage& m) {
        return m.has_programme() && m.programme().proposals_size() > 0;
      },
      milliseconds(500));
  EXPECT_FALSE(none) << "a room that was not chosen got the proposal";
}

// ---- authorisation ----------------------------------------------------------------------

class CohortAccess : public Cohort {
 protected:
  void SetUp() override {
    Cohort::SetUp();
    cohort_ = create_cohort(*server_, "Pairs", 1, 2);
    other_ = create_cohort(*server_, "Other pairs", 1, 2);
    ASSERT_EQ(cohort_.rooms_size(), 1);
    ASSERT_EQ(other_.rooms_size(), 1);
  }

  // Opens the cohort socket, says hello with `token`, and returns the answer.
  v1::CohortServerMessage hello_with(const std::string& cohort_id, const std::string& token,
                                     std::optional<client::close_info>* closed = nullptr) {
    facilitator_client f;
    if (!f.connect(*server_, cohort_id)) return {};
    v1::CohortClientMessage m;
    m.mutable_hello()->set_token(token);
    f.send(m);
    auto answer = f.receive();
    if (closed) *closed = f.connection().wait_closed(expect_within);
    return answer ? *answer : v1::CohortServerMessage{};
  }

  v1::CreateCohortResponse cohort_, other_;
};

TEST_F(CohortAccess, AMemberTokenCannotOpenTheOverview) {
  std::optional<client::close_info> closed;
  auto answer = hello_with(cohort_.id(), cohort_.rooms(0).invites(0).token(), &closed);
  ASSERT_TRUE(answer.has_error()) << answer.DebugString();
  EXPECT_EQ(answer.error().code(), v1::Error::UNAUTHORIZED);
  EXPECT_TRUE(answer.error().fatal());
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->code, 1008);
}

TEST_F(CohortAccess, AnotherCohortsFacilitatorSeesNothing) {
  auto answer = hello_with(cohort_.id(), other_.facilitators(0).token());
  ASSERT_TRUE(answer.has_error()) << answer.DebugString();
  EXPECT_EQ(answer.error().code(), v1::Error::UNAUTHORIZED);
  EXPECT_FALSE(answer.has_welcome());
}

TEST_F(CohortAccess, AnUnknownCohortIsNotFound) {
  facilitator_client f;
  ASSERT_TRUE(f.connect(*server_, "nosuchcohort"));
  auto answer = f.receive();
  ASSERT_TRUE(answer && answer->has_error());
  EXPECT_EQ(answer->error().code(), v1::Error::ROOM_NOT_FOUND);
}

TEST_F(CohortAccess, NothingButHelloBeforeHello) {
  facilitator_client f;
  ASSERT_TRUE(f.connect(*server_, cohort_.id()));
  v1::FacilitatorCommand c;
  c.mutable_broadcast()->set_text("hello rooms");
  auto answer = f.command(c);
  ASSERT_TRUE(answer && answer->has_error());
  EXPECT_EQ(answer->error().code(), v1::Error::NOT_JOINED);
}

TEST_F(CohortAccess, AFacilitatorTokenCannotReadARoom) {
  const auto& room = cohort_.rooms(0);
  const auto token = cohort_.facilitators(0).token();
  for (const std::string path : {"/export?format=json", "/export?format=md", "/docs/purpose/text",
                                 "/docs/purpose/revisions", "/seat"}) {
    auto result = client::http_request("GET", server_->url() + "/api/rooms/" + room.id() + path, {},
                                       {{"Authorization", "Bearer " + token}}, expect_within);
    ASSERT_TRUE(result.outcome.is_ok()) << result.outcome.message();
    EXPECT_EQ(result.response.status, 401) << path << ": " << result.response.body;
  }
  // Nor join it: the room socket refuses the token as it refuses any that is not a seat's.
  client::connection conn;
  ASSERT_TRUE(conn.connect(server_->url(), room.id(), encoding::binary, expect_within).is_ok());
  auto joined = conn.hello({token, "Sam", "", ""}, expect_within);
  EXPECT_FALSE(joined.outcome.is_ok());
  ASSERT_NE(joined.error(), nullptr);
  EXPECT_EQ(joined.error()->code(), v1::Error::UNAUTHORIZED);
}

TEST_F(CohortAccess, AFacilitatorCannotEditAnythingOfARoom) {
  auto ann = join(cohort_.rooms(0), 0, "Ann");
  ASSERT_TRUE(ann);
  facilitator_client f;
  ASSERT_TRUE(f.connect(*server_, cohort_.id()));
  ASSERT_TRUE(f.hello(cohort_.facilitators(0).token()));
  // A room's message kinds mean nothing on the cohort socket.
  ASSERT_TRUE(f.connection()
                  .send_raw_text(R"({"req":"7","edit":{"doc":"purpose","baseRev":"0",)"
                                 R"("op":[{"insert":"ours now"}],"editId":"x1"}})")
                  .is_ok());
  auto refused = f.receive_until([](const auto& m) { return m.has_error(); });
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->error().fatal());
  // A bad command changes nothing and tells why.
  v1::FacilitatorCommand empty;
  empty.mutable_broadcast()->set_text(" ");
  auto bad = f.command(empty);
  ASSERT_TRUE(bad && bad->has_error());
  EXPECT_EQ(bad->error().code(), v1::Error::NOT_ALLOWED);
  EXPECT_FALSE(bad->error().message().empty());
  EXPECT_FALSE(
      ann->receive_matching([](const auto& m) { return m.has_nudge(); }, milliseconds(300)))
      << "a refused broadcast reached the room";
  // The document is as it was.
  auto text = client::http_request(
      "GET", server_->url() + "/api/rooms/" + cohort_.rooms(0).id() + "/docs/purpose/text", {},
      {{"Authorization", "Bearer " + cohort_.rooms(0).invites(0).token()}}, expect_within);
  ASSERT_TRUE(text.outcome.is_ok());
  EXPECT_EQ(text.response.status, 200);
  EXPECT_EQ(text.response.body.find("ours now"), std::string::npos);
}

}  // namespace
}  // namespace colead::integration
