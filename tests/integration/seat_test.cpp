// A seat across devices and over time: the server tells a device opening the invite link
// what it knows of the seat (GET /api/rooms/<id>/seat, the token in a header), a hello
// without a name keeps the seat's name and role, and an organiser can replace a seat's
// invite link (POST /api/rooms/<id>/seats/<n>/invite): the old token stops working at once
// and the devices holding it are closed.
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "harness/http_helpers.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

class Seat : public ServerTest {
 protected:
  // The organiser key the server printed at its first start.
  std::string organiser_key() const {
    auto log = server_->log();
    auto at = log.find("Organiser key");
    if (at == std::string::npos) return {};
    auto colon = log.find("): ", at);
    return log.substr(colon + 3, log.find('\n', colon) - colon - 3);
  }

  client::http_result seat_of(const v1::CreateRoomResponse& room, const std::string& token) {
    return client::http_request("GET", server_->url() + "/api/rooms/" + room.id() + "/seat", {},
                                bearer(token));
  }

  client::http_result reissue(const v1::CreateRoomResponse& room, std::string_view seat,
                              client::header_list headers) {
    return client::http_request(
        "POST",
        server_->url() + "/api/rooms/" + room.id() + "/seats/" + std::string(seat) + "/invite", {},
        headers);
  }

  client::http_result get_export(const v1::CreateRoomResponse& room, const std::string& token) {
    return client::http_request("GET",
                                server_->url() + "/api/rooms/" + room.id() + "/export?format=json",
                                {}, bearer(token));
  }

  // Connects and says hello; the whole answer (welcome or refusal).
  client::join_result hello(const v1::CreateRoomResponse& room, const std::string& token,
                            std::string name, std::string role,
                            std::unique_ptr<client::connection>& conn) {
    conn = std::make_unique<client::connection>();
    auto connected = conn->connect(server_->url(), room.id(), encoding::json, expect_within);
    EXPECT_TRUE(connected.is_ok()) << connected.message();
    return conn->hello({token, std::move(name), std::move(role), ""}, expect_within);
  }
};

TEST_F(Seat, ADeviceLearnsTheSeatsNameAndRoleAndAHelloWithoutThemKeepsThem) {
  auto room = make_room(2);
  const auto& asha_token = room.invites(0).token();

  // Before anyone took the seat the server knows only its number.
  auto before = seat_of(room, asha_token);
  ASSERT_EQ(before.response.status, 200) << before.response.body;
  v1::Member seat;
  std::string why;
  ASSERT_TRUE(protocol::from_json(before.response.body, seat, why)) << why;
  EXPECT_EQ(seat.seat(), 1u);
  EXPECT_EQ(seat.member_id(), "m1");
  EXPECT_TRUE(seat.name().empty());
  EXPECT_TRUE(seat.role().empty());

  // No token, a wrong one, another room's: refused, and the token never goes in the path.
  EXPECT_EQ(client::http_request("GET", server_->url() + "/api/rooms/" + room.id() + "/seat")
                .response.status,
            401);
  EXPECT_EQ(seat_of(room, "not-a-token").response.status, 401);
  auto other = make_room(2);
  EXPECT_EQ(seat_of(other, asha_token).response.status, 401);

  std::unique_ptr<client::connection> laptop;
  ASSERT_TRUE(hello(room, asha_token, "Asha", "carer", laptop).outcome.is_ok());

  // Her phone asks what the room knows of her seat, then says hello without a name or role.
  auto known = seat_of(room, asha_token);
  ASSERT_EQ(known.response.status, 200) << known.response.body;
  ASSERT_TRUE(protocol::from_json(known.response.body, seat, why)) << why;
  EXPECT_EQ(seat.name(), "Asha");
  EXPECT_EQ(seat.role(), "carer");
  std::unique_ptr<client::connection> phone;
  auto joined = hello(room, asha_token, "", "", phone);
  ASSERT_TRUE(joined.outcome.is_ok()) << joined.outcome.message();
  const auto* me = find_member(joined.welcome().room().members(), "m1");
  ASSERT_NE(me, nullptr);
  EXPECT_EQ(me->name(), "Asha");
  EXPECT_EQ(me->role(), "carer");
  EXPECT_EQ(me->devices(), 2u);

  // Changing them from one device is what every device learns next.
  std::unique_ptr<client::connection> tablet;
  ASSERT_TRUE(hello(room, asha_token, "Asha K", "patient partner", tablet).outcome.is_ok());
  auto changed = seat_of(room, asha_token);
  ASSERT_TRUE(protocol::from_json(changed.response.body, seat, why)) << why;
  EXPECT_EQ(seat.name(), "Asha K");
  EXPECT_EQ(seat.role(), "patient partner");
}

TEST_F(Seat, AnOrganiserReplacesAnInviteLinkAndTheOldOneStopsWorkingAtOnce) {
  auto room = make_room(2);
  const auto old_token = room.invites(0).token();
  const auto key = organiser_key();
  ASSERT_FALSE(key.empty()) << server_->log();

  auto asha = join(room, 0, "Asha");
  auto ben = join(room, 1, "Ben");
  ASSERT_TRUE(asha && ben);
  v1::ClientMessage note;
  note.mutable_note()->set_text("We start with the patient's story.");
  note.mutable_note()->set_category(v1::LearningNote::RELATIONSHIP);
  auto noted = asha->request(note);
  ASSERT_TRUE(noted && noted->has_ack());

  auto answer = reissue(room, "1", bearer(key));
  ASSERT_EQ(answer.response.status, 200) << answer.response.body;
  v1::Invite invite;
  std::string why;
  ASSERT_TRUE(protocol::from_json(answer.response.body, invite, why)) << why;
  EXPECT_EQ(invite.seat(), 1u);
  EXPECT_GE(invite.token().size(), 22u);  // 128 random bits, URL-safe base64
  EXPECT_NE(invite.token(), old_token);
  EXPECT_EQ(invite.url(), "/r/" + room.id() + "#t=" + invite.token());

  // Asha's device, joined with the old token, is told and closed.
  auto told = asha->receive_matching(error_is(v1::Error::UNAUTHORIZED), expect_within);
  ASSERT_TRUE(told) << asha->last_error();
  EXPECT_TRUE(told->error().fatal());
  EXPECT_NE(told->error().message().find("replaced"), std::string::npos);
  auto closed = asha->wait_closed(expect_within);
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->code, 1008);
  // Ben stays, and sees her leave.
  auto offline = ben->receive_matching(presence_where([](const v1::Presence& p) {
                                         const auto* m = find_member(p.members(), "m1");
                                         return m != nullptr && !m->online();
                                       }),
                                       expect_within);
  ASSERT_TRUE(offline) << ben->last_error();
  EXPECT_TRUE(ping_pong(*ben));

  // The old token: refused by hello, the export and the seat API.
  std::unique_ptr<client::connection> stale;
  auto refused = hello(room, old_token, "Asha", "carer", stale);
  ASSERT_FALSE(refused.outcome.is_ok());
  ASSERT_TRUE(refused.answer && refused.answer->has_error());
  EXPECT_EQ(refused.answer->error().code(), v1::Error::UNAUTHORIZED);
  EXPECT_EQ(get_export(room, old_token).response.status, 401);
  EXPECT_EQ(seat_of(room, old_token).response.status, 401);

  // The new token: the same member, name and notes.
  std::unique_ptr<client::connection> again;
  auto joined = hello(room, invite.token(), "", "", again);
  ASSERT_TRUE(joined.outcome.is_ok()) << joined.outcome.message();
  EXPECT_EQ(joined.welcome().member_id(), "m1");
  const auto* me = find_member(joined.welcome().room().members(), "m1");
  ASSERT_NE(me, nullptr);
  EXPECT_EQ(me->name(), "Asha");
  EXPECT_EQ(joined.welcome().room().notes_size(), 1);
  EXPECT_EQ(get_export(room, invite.token()).response.status, 200);
  // Ben's link is untouched.
  EXPECT_EQ(get_export(room, room.invites(1).token()).response.status, 200);
  // The new token reaches no log line.
  EXPECT_EQ(server_->log().find(invite.token()), std::string::npos);
}

TEST_F(Seat, AReissueThatIsNotAllowedOrNamesNoSeatChangesNothing) {
  auto room = make_room(2);
  const auto key = organiser_key();
  ASSERT_FALSE(key.empty());
  auto asha = join(room, 0, "Asha");
  ASSERT_TRUE(asha);

  // No key, a wrong key, a member's token: 401.
  for (const client::header_list& headers :
       {client::header_list{}, bearer("not-the-key"), bearer(room.invites(0).token())}) {
    auto refused = reissue(room, "1", headers);
    EXPECT_EQ(refused.response.status, 401) << refused.response.body;
    EXPECT_NE(refused.response.body.find("organiser key"), std::string::npos);
  }
  // Another site's page: 403, whatever it carries.
  auto foreign =
      reissue(room, "1", {{"Authorization", "Bearer " + key}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(foreign.response.status, 403) << foreign.response.body;
  // No such seat, not a number, no such room, the wrong method.
  EXPECT_EQ(reissue(room, "3", bearer(key)).response.status, 404);
  EXPECT_EQ(reissue(room, "0", bearer(key)).response.status, 400);
  EXPECT_EQ(reissue(room, "one", bearer(key)).response.status, 400);
  EXPECT_EQ(client::http_request("POST", server_->url() + "/api/rooms/nosuchroom/seats/1/invite",
                                 {}, bearer(key))
                .response.status,
            404);
  EXPECT_EQ(
      client::http_request("GET", server_->url() + "/api/rooms/" + room.id() + "/seats/1/invite",
                           {}, bearer(key))
          .response.status,
      405);

  // Nothing changed: the device stays, and the tokens still work.
  EXPECT_TRUE(ping_pong(*asha));
  EXPECT_TRUE(asha->is_open());
  EXPECT_EQ(get_export(room, room.invites(0).token()).response.status, 200);
  std::unique_ptr<client::connection> phone;
  EXPECT_TRUE(hello(room, room.invites(0).token(), "", "", phone).outcome.is_ok());
}

TEST_F(Seat, AReplacedLinkStaysReplacedAfterARestart) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("colead-seat-" + std::to_string(::getpid()) + "-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::filesystem::create_directories(dir);
  server_options options;
  options.data_dir = dir;
  start_server(options);
  auto room = make_room(2);
  const auto key = organiser_key();
  auto answer = reissue(room, "2", bearer(key));
  ASSERT_EQ(answer.response.status, 200) << answer.response.body;
  v1::Invite invite;
  std::string why;
  ASSERT_TRUE(protocol::from_json(answer.response.body, invite, why)) << why;

  ASSERT_EQ(server_->terminate().code, 0);
  start_server(options);
  EXPECT_EQ(get_export(room, room.invites(1).token()).response.status, 401);
  EXPECT_EQ(get_export(room, invite.token()).response.status, 200);
  server_.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace colead::integration
