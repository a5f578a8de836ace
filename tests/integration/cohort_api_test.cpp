// The cohort API on a real server: POST /api/cohorts makes rooms whose invites work, a
// facilitator link per facilitator and a CSV of every link; it needs the organiser key as
// room creation does; bad input is 400 and stores nothing; a room is in one cohort only
// (409); facilitators are added and their tokens replaced, the old token stopping at once;
// the cohort's learning record holds only what rooms share, for the cohort's facilitators
// only.
#include <algorithm>
#include <set>
#include <sstream>

#include "client/http_request.hpp"
#include "harness/http_helpers.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

class CohortApi : public ServerTest {
 protected:
  void SetUp() override { start_with({"--room-creation", "key"}); }

  // The organiser key the server printed at its first start.
  std::string organiser_key() const {
    const std::string marker = "'Authorization: Bearer <key>'): ";
    auto log = server_->log();
    auto at = log.find(marker);
    if (at == std::string::npos) return {};
    auto start = at + marker.size();
    return log.substr(start, log.find('\n', start) - start);
  }

  client::http_result post(const std::string& path, const std::string& body,
                           client::header_list headers) {
    return client::http_request("POST", server_->url() + path, body, headers, expect_within);
  }

  client::http_result with_key(const std::string& path, const std::string& body = "{}") {
    return post(path, body, bearer(organiser_key()));
  }

  // Creates a cohort; an empty response (and a failure) unless the server answered 201.
  v1::CreateCohortResponse create(const std::string& body) {
    auto result = with_key("/api/cohorts", body);
    EXPECT_TRUE(result.outcome.is_ok()) << result.outcome.message();
    EXPECT_EQ(result.response.status, 201) << result.response.body;
    v1::CreateCohortResponse out;
    std::string why;
    EXPECT_TRUE(protocol::from_json(result.response.body, out, why)) << why;
    return out;
  }

  client::http_result get_export(const std::string& cohort_id, const std::string& token,
                                 const std::string& format = "json") {
    return client::http_request(
        "GET", server_->url() + "/api/cohorts/" + cohort_id + "/export?format=" + format, {},
        token.empty() ? client::header_list{} : bearer(token), expect_within);
  }

  v1::CohortExport export_json(const std::string& cohort_id, const std::string& token) {
    auto result = get_export(cohort_id, token);
    EXPECT_EQ(result.response.status, 200) << result.response.body;
    v1::CohortExport out;
    std::string why;
    EXPECT_TRUE(protocol::from_json(result.response.body, out, why)) << why;
    return out;
  }

  // A room of a cohort, as a CreateRoomResponse the fixture can join.
  static v1::CreateRoomResponse room_of(const v1::CreateCohortResponse& cohort, int n) {
    return cohort.rooms(n);
  }

  // Sends `message` and expects its ack.
  void expect_ack(client::connection& conn, v1::ClientMessage message) {
    auto answer = conn.request(message);
    ASSERT_TRUE(answer) << "no answer";
    ASSERT_TRUE(answer->has_ack()) << answer->DebugString();
  }

  void write_note(client::connection& conn, const std::string& text, bool personal = false) {
    v1::ClientMessage m;
    m.mutable_note()->set_text(text);
    m.mutable_note()->set_category(v1::LearningNote::HOW_WE_WORK);
    m.mutable_note()->set_personal(personal);
    expect_ack(conn, m);
  }

  void share(client::connection& conn, bool on) {
    v1::ClientMessage m;
    m.mutable_room()->mutable_settings()->set_share_with_cohort(on ? v1::RoomCommand::AUTO_ON
                                                                   : v1::RoomCommand::AUTO_OFF);
    expect_ack(conn, m);
  }
};

TEST_F(CohortApi, CreatesRoomsWhoseInvitesWorkAndALinkForEachFacilitator) {
  const auto cohort = create(
      R"({"title": "Integrated care leaders", "rooms": 3, "seatsPerRoom": 2,
          "facilitators": ["Morgan", "Priya"]})");
  ASSERT_FALSE(cohort.id().empty());
  EXPECT_EQ(cohort.title(), "Integrated care leaders");
  ASSERT_EQ(cohort.facilitators_size(), 2);
  std::set<std::string> tokens;
  for (int i = 0; i < 2; ++i) {
    const auto& f = cohort.facilitators(i);
    EXPECT_EQ(f.number(), static_cast<unsigned>(i + 1));
    EXPECT_EQ(f.url(), "/c/" + cohort.id() + "#t=" + f.token());
    tokens.insert(f.token());
  }
  EXPECT_EQ(cohort.facilitators(1).name(), "Priya");
  ASSERT_EQ(cohort.rooms_size(), 3);
  for (int r = 0; r < 3; ++r) {
    const auto& room = cohort.rooms(r);
    EXPECT_EQ(room.title(), "Integrated care leaders: room " + std::to_string(r + 1));
    ASSERT_EQ(room.invites_size(), 2);
    for (const auto& invite : room.invites()) {
      EXPECT_EQ(invite.url(), "/r/" + room.id() + "#t=" + invite.token());
      tokens.insert(invite.token());
    }
  }
  EXPECT_EQ(tokens.size(), 8u) << "every token differs";
  EXPECT_EQ(rooms_created(*server_), 3);

  // Every seat's invite opens its room.
  auto asha = join(room_of(cohort, 2), 0, "Asha");
  auto rees = join(room_of(cohort, 2), 1, "Dr Rees");
  ASSERT_TRUE(asha && rees);

  // The CSV: a header, then one line per facilitator and one per seat.
  std::istringstream csv(cohort.csv());
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv, line);)
    lines.push_back(line);
  ASSERT_EQ(lines.size(), 1u + 2u + 6u) << cohort.csv();
  EXPECT_EQ(lines[0], "kind,room,title,seat,name,link\r");
  EXPECT_EQ(lines[1],
            "facilitator,,Integrated care leaders,,Morgan," + cohort.facilitators(0).url() + "\r");
  EXPECT_EQ(lines[8], "member," + cohort.rooms(2).id() + ",Integrated care leaders: room 3,2,," +
                          cohort.rooms(2).invites(1).url() + "\r");

  // The facilitator's link opens the cohort's record; the tokens never reach the log.
  EXPECT_EQ(get_export(cohort.id(), cohort.facilitators(0).token()).response.status, 200);
  const auto log = server_->log();
  for (const auto& token : tokens)
    EXPECT_EQ(log.find(token), std::string::npos) << "a token was logged";
}

TEST_F(CohortApi, ActionLearningSetsKeepTheirLastSeatForTheirFacilitator) {
  const auto cohort = create(R"({"title": "Sets", "rooms": 2, "seatsPerRoom": 5,
                                 "facilitatorSeat": true})");
  ASSERT_EQ(cohort.rooms_size(), 2);
  for (const auto& room : cohort.rooms()) {
    ASSERT_EQ(room.invites_size(), 5);
    for (const auto& invite : room.invites())
      EXPECT_EQ(invite.facilitator(), invite.seat() == 5) << invite.seat();
  }
  // The mail merge says which link is the set's facilitator's.
  const auto& csv = cohort.csv();
  EXPECT_NE(csv.find("\r\nfacilitator-seat," + cohort.rooms(1).id() + ",Sets: room 2,5,," +
                     cohort.rooms(1).invites(4).url() + "\r\n"),
            std::string::npos)
      << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 1 + 10);
  // Its member is marked as the facilitator for everyone in the set.
  v1::Welcome welcome;
  auto fay = join(room_of(cohort, 0), 4, "Fay", encoding::binary, &welcome);
  ASSERT_TRUE(fay);
  const auto* me = find_member(welcome.room().members(), welcome.member_id());
  ASSERT_NE(me, nullptr);
  EXPECT_TRUE(me->facilitator());
}

TEST_F(CohortApi, CreationNeedsTheOrganiserKeyUnlessRoomCreationIsOpen) {
  const std::string body = R"({"title": "Set", "rooms": 2, "seatsPerRoom": 8})";
  for (const client::header_list& headers :
       {client::header_list{}, client::header_list{{"X-Forwarded-For", "127.0.0.1"}},
        bearer("not-the-key")}) {
    auto result = post("/api/cohorts", body, headers);
    ASSERT_TRUE(result.outcome.is_ok()) << result.outcome.message();
    EXPECT_EQ(result.response.status, 401) << result.response.body;
    EXPECT_NE(result.response.body.find("organiser key"), std::string::npos);
  }
  EXPECT_EQ(rooms_created(*server_), 0);

  start_with({"--room-creation", "open"});
  auto open = post("/api/cohorts", body, {});
  EXPECT_EQ(open.response.status, 201) << open.response.body;
  EXPECT_EQ(rooms_created(*server_), 2);
}

TEST_F(CohortApi, BadInputIsRefusedWith400AndNothingIsStored) {
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"no title", R"({"rooms": 2, "seatsPerRoom": 2})"},
      {"no rooms", R"({"title": "Set"})"},
      {"one seat", R"({"title": "Set", "rooms": 2, "seatsPerRoom": 1})"},
      {"nine seats", R"({"title": "Set", "rooms": 2, "seatsPerRoom": 9})"},
      {"a facilitator seat in a pair",
       R"({"title": "Set", "rooms": 2, "seatsPerRoom": 2, "facilitatorSeat": true})"},
      {"101 rooms", R"({"title": "Set", "rooms": 101, "seatsPerRoom": 2})"},
      {"a bad room id", R"({"title": "Set", "attachRoomIds": ["../etc"]})"},
      {"an unknown room", R"({"title": "Set", "rooms": 2, "seatsPerRoom": 2,
                             "attachRoomIds": ["nosuchroom"]})"},
      {"a nameless facilitator", R"({"title": "Set", "rooms": 1, "seatsPerRoom": 2,
                                    "facilitators": [""]})"},
      {"an unknown field", R"({"title": "Set", "rooms": 1, "seatsPerRoom": 2, "colour": 1})"},
      {"malformed JSON", R"({"title": "Set", "rooms": )"},
  };
  for (const auto& [what, body] : bodies) {
    SCOPED_TRACE(what);
    auto result = with_key("/api/cohorts", body);
    ASSERT_TRUE(result.outcome.is_ok()) << result.outcome.message();
    EXPECT_EQ(result.response.status, 400) << result.response.body;
    v1::HttpError error;
    std::string why;
    ASSERT_TRUE(protocol::from_json(result.response.body, error, why)) << result.response.body;
    EXPECT_FALSE(error.error().message().empty());
  }
  auto form =
      post("/api/cohorts", "title=Set",
           {{"Content-Type", "text/plain"}, {"Authorization", "Bearer " + organiser_key()}});
  EXPECT_EQ(form.response.status, 415) << form.response.body;
  EXPECT_EQ(rooms_created(*server_), 0) << "no room was made for a refused cohort";
}

TEST_F(CohortApi, AttachedRoomsJoinOneCohortOnly) {
  auto made = with_key("/api/rooms", R"({"title": "Our pair", "seats": 2})");
  ASSERT_EQ(made.response.status, 201) << made.response.body;
  v1::CreateRoomResponse room;
  std::string why;
  ASSERT_TRUE(protocol::from_json(made.response.body, room, why)) << why;
  auto member = join(room, 0, "Asha");
  ASSERT_TRUE(member);

  const auto first = create(R"({"title": "North", "rooms": 1, "seatsPerRoom": 2,
                                "attachRoomIds": [")" +
                            room.id() + R"("]})");
  ASSERT_EQ(first.attached_room_ids_size(), 1);
  EXPECT_EQ(first.attached_room_ids(0), room.id());
  EXPECT_EQ(first.rooms_size(), 1) << "attached rooms keep their invites and are listed by id";
  // The CSV holds the new room's seats only.
  EXPECT_EQ(std::count(first.csv().begin(), first.csv().end(), '\n'), 1 + 1 + 2);

  // The room was loaded (Asha is in it): it learns its cohort at once, and can raise an item
  // with the programme without anyone reconnecting.
  auto told = member->receive_matching(
      [&](const v1::ServerMessage& m) {
        return m.has_programme() && m.programme().cohort_id() == first.id();
      },
      expect_within);
  ASSERT_TRUE(told) << member->last_error();
  v1::ClientMessage raise;
  raise.mutable_programme()->mutable_raise()->set_category(v1::LearningNote::LOCAL_SYSTEM);
  raise.mutable_programme()->mutable_raise()->set_text("No room to meet on the ward");
  expect_ack(*member, raise);

  auto refused = with_key("/api/cohorts", R"({"title": "South", "rooms": 1, "seatsPerRoom": 2,
                                              "attachRoomIds": [")" +
                                              room.id() + R"("]})");
  EXPECT_EQ(refused.response.status, 409) << refused.response.body;
  EXPECT_NE(refused.response.body.find("already in another cohort"), std::string::npos);
  EXPECT_EQ(rooms_created(*server_), 2) << "the refused cohort's new room was not made";

  const auto record = export_json(first.id(), first.facilitators(0).token());
  ASSERT_EQ(record.rooms_size(), 2);
  EXPECT_EQ(record.rooms(0).room_id(), first.rooms(0).id());
  EXPECT_EQ(record.rooms(1).room_id(), room.id());
  EXPECT_EQ(record.rooms(1).title(), "Our pair");
}

TEST_F(CohortApi, FacilitatorsAreAddedAndTheirTokensReplaced) {
  const auto cohort = create(R"({"title": "Set", "rooms": 1, "seatsPerRoom": 2})");
  ASSERT_EQ(cohort.facilitators_size(), 1);
  EXPECT_EQ(cohort.facilitators(0).name(), "Facilitator");
  const std::string base = "/api/cohorts/" + cohort.id() + "/facilitators";

  // Adding one: the organiser key, a name.
  EXPECT_EQ(post(base, R"({"name": "Sam"})", {}).response.status, 401);
  EXPECT_EQ(with_key(base, R"({"name": " "})").response.status, 400);
  EXPECT_EQ(with_key(base, R"({"name": "Sam", "token": "mine"})").response.status, 400);
  EXPECT_EQ(
      with_key("/api/cohorts/nosuchcohort/facilitators", R"({"name": "Sam"})").response.status,
      404);
  auto added = with_key(base, R"({"name": "Sam"})");
  ASSERT_EQ(added.response.status, 201) << added.response.body;
  v1::FacilitatorInvite sam;
  std::string why;
  ASSERT_TRUE(protocol::from_json(added.response.body, sam, why)) << why;
  EXPECT_EQ(sam.number(), 2u);
  EXPECT_EQ(sam.name(), "Sam");
  EXPECT_EQ(sam.url(), "/c/" + cohort.id() + "#t=" + sam.token());
  EXPECT_EQ(get_export(cohort.id(), sam.token()).response.status, 200);

  // Replacing facilitator 1's token: the old one stops at once, the new one works.
  const auto old_token = cohort.facilitators(0).token();
  EXPECT_EQ(get_export(cohort.id(), old_token).response.status, 200);
  EXPECT_EQ(post(base + "/1/token", "", {}).response.status, 401);
  EXPECT_EQ(with_key(base + "/0/token", "").response.status, 400);
  EXPECT_EQ(with_key(base + "/x/token", "").response.status, 400);
  EXPECT_EQ(with_key(base + "/9/token", "").response.status, 404);
  auto replaced = with_key(base + "/1/token", "");
  ASSERT_EQ(replaced.response.status, 200) << replaced.response.body;
  v1::FacilitatorInvite renewed;
  ASSERT_TRUE(protocol::from_json(replaced.response.body, renewed, why)) << why;
  EXPECT_EQ(renewed.number(), 1u);
  EXPECT_EQ(renewed.name(), "Facilitator");
  EXPECT_NE(renewed.token(), old_token);
  EXPECT_EQ(get_export(cohort.id(), old_token).response.status, 401);
  EXPECT_EQ(get_export(cohort.id(), renewed.token()).response.status, 200);
  EXPECT_EQ(get_export(cohort.id(), sam.token()).response.status, 200) << "Sam's is untouched";

  // A cohort has at most ten facilitators.
  for (int i = 3; i <= 10; ++i)
    ASSERT_EQ(with_key(base, R"({"name": "F"})").response.status, 201) << i;
  EXPECT_EQ(with_key(base, R"({"name": "Eleven"})").response.status, 409);
}

// A facilitator on the cohort socket, binary frames: hello, then the first answer.
struct overview {
  client::connection conn;

  std::optional<v1::CohortServerMessage> open(const server_process& server,
                                              const std::string& cohort_id,
                                              const std::string& token) {
    if (!conn.connect(server.url(), "cohort/" + cohort_id, encoding::binary, expect_within)
             .is_ok()) {
      return std::nullopt;
    }
    v1::CohortClientMessage hello;
    hello.set_req(1);
    hello.mutable_hello()->set_token(token);
    if (!conn.send_raw_binary(hello.SerializeAsString()).is_ok()) return std::nullopt;
    auto frame = conn.receive_raw(expect_within);
    v1::CohortServerMessage answer;
    if (!frame || !answer.ParseFromString(frame->payload)) return std::nullopt;
    return answer;
  }
};

TEST_F(CohortApi, AReplacedTokenClosesTheOverviewsThatHoldItAndOnlyThose) {
  const auto cohort = create(R"({"title": "Set", "rooms": 1, "seatsPerRoom": 2,
                                 "facilitators": ["Morgan", "Priya"]})");
  ASSERT_EQ(cohort.facilitators_size(), 2);
  overview morgan, priya;
  auto welcome = morgan.open(*server_, cohort.id(), cohort.facilitators(0).token());
  ASSERT_TRUE(welcome && welcome->has_welcome()) << (welcome ? welcome->DebugString() : "");
  welcome = priya.open(*server_, cohort.id(), cohort.facilitators(1).token());
  ASSERT_TRUE(welcome && welcome->has_welcome());

  auto replaced = with_key("/api/cohorts/" + cohort.id() + "/facilitators/1/token", "");
  ASSERT_EQ(replaced.response.status, 200) << replaced.response.body;
  v1::FacilitatorInvite renewed;
  std::string why;
  ASSERT_TRUE(protocol::from_json(replaced.response.body, renewed, why)) << why;

  auto closed = morgan.conn.wait_closed(expect_within);
  ASSERT_TRUE(closed) << "the overview of the replaced token stays open";
  EXPECT_EQ(closed->code, 1008);
  EXPECT_FALSE(priya.conn.close_reason()) << "another facilitator's overview stays open";

  overview again, renewed_overview;
  auto refused = again.open(*server_, cohort.id(), cohort.facilitators(0).token());
  ASSERT_TRUE(refused && refused->has_error());
  EXPECT_EQ(refused->error().code(), v1::Error::UNAUTHORIZED);
  auto opened = renewed_overview.open(*server_, cohort.id(), renewed.token());
  ASSERT_TRUE(opened && opened->has_welcome());
  EXPECT_EQ(opened->welcome().facilitator(), 1u);
}

TEST_F(CohortApi, TheRecordHoldsOnlyWhatRoomsShareAndOnlyForTheCohortsFacilitators) {
  const auto cohort = create(R"({"title": "Leaders", "rooms": 2, "seatsPerRoom": 2})");
  ASSERT_EQ(cohort.rooms_size(), 2);
  auto a1 = join(room_of(cohort, 0), 0, "Asha");
  auto a2 = join(room_of(cohort, 0), 1, "Dr Rees");
  auto b1 = join(room_of(cohort, 1), 0, "Bea");
  ASSERT_TRUE(a1 && a2 && b1);
  share(*a2, true);
  write_note(*a1, "Shared: we listen before we plan");
  write_note(*a1, "Personal: I was tired today", true);
  write_note(*b1, "Unshared: our board wants numbers");

  const auto token = cohort.facilitators(0).token();
  const auto record = export_json(cohort.id(), token);
  EXPECT_EQ(record.id(), cohort.id());
  EXPECT_EQ(record.title(), "Leaders");
  ASSERT_EQ(record.rooms_size(), 2);
  EXPECT_TRUE(record.rooms(0).shares_learning());
  ASSERT_EQ(record.rooms(0).learning_size(), 1);
  EXPECT_EQ(record.rooms(0).learning(0).text(), "Shared: we listen before we plan");
  EXPECT_FALSE(record.rooms(1).shares_learning());
  EXPECT_EQ(record.rooms(1).learning_size(), 0);

  auto md = get_export(cohort.id(), token, "md");
  ASSERT_EQ(md.response.status, 200);
  EXPECT_EQ(md.response.header("Content-Type").rfind("text/markdown", 0), 0u);
  EXPECT_NE(md.response.header("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_NE(md.response.body.find("Shared: we listen before we plan"), std::string::npos)
      << md.response.body;
  for (const auto& body : {md.response.body, get_export(cohort.id(), token).response.body}) {
    EXPECT_EQ(body.find("Unshared"), std::string::npos);
    EXPECT_EQ(body.find("Personal"), std::string::npos);
  }

  // The room stops sharing: its learning leaves the record.
  share(*a1, false);
  EXPECT_EQ(export_json(cohort.id(), token).rooms(0).learning_size(), 0);

  // Nobody but the cohort's facilitators reads it.
  const auto other = create(R"({"title": "Other", "rooms": 1, "seatsPerRoom": 2})");
  for (const auto& [who, t] : std::vector<std::pair<std::string, std::string>>{
           {"no token", ""},
           {"a member of a room of the cohort", cohort.rooms(0).invites(0).token()},
           {"the organiser key", organiser_key()},
           {"another cohort's facilitator", other.facilitators(0).token()}}) {
    SCOPED_TRACE(who);
    auto refused = get_export(cohort.id(), t);
    EXPECT_EQ(refused.response.status, 401) << refused.response.body;
    EXPECT_EQ(refused.response.body.find("Leaders"), std::string::npos);
  }
  EXPECT_EQ(get_export("nosuchcohort", token).response.status, 404);
  EXPECT_EQ(get_export(cohort.id(), token, "xml").response.status, 400);
}

}  // namespace
}  // namespace colead::integration
