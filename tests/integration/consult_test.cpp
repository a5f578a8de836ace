// Consulting to each other against the real server: a full Troika round with three members on
// an accelerated clock, and the scripts a server offers (GET /api/scripts, --scripts-dir).
#include <filesystem>
#include <fstream>

#include "client/http_request.hpp"
#include "harness/http_helpers.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

namespace fs = std::filesystem;

using Consult = ServerTest;

// A consultState that satisfies `test`.
message_test consult_where(std::function<bool(const v1::ConsultState&)> test) {
  return [test = std::move(test)](const v1::ServerMessage& m) {
    return m.has_consult_state() && test(m.consult_state());
  };
}

// The state in round `round` at phase `phase`, running.
message_test at_phase(unsigned round, unsigned phase) {
  return consult_where([=](const v1::ConsultState& s) {
    return s.active() && s.round() == round && s.phase_index() == phase;
  });
}

const v1::RoleAssignment* role_of(const v1::ConsultState& s, const std::string& member) {
  for (const auto& r : s.roles())
    if (r.member_id() == member) return &r;
  return nullptr;
}

TEST_F(Consult, FullTroikaRoundOnAnAcceleratedClock) {
  // 300 times faster: Troika's 2 + 2 + 4 + 2 minutes take two seconds a round.
  server_options options;
  options.extra_args = {"--time-scale", "300"};
  start_server(options);
  auto room = make_room(3, "Trio");
  v1::Welcome wa, wb, wc;
  auto ann = join(room, 0, "Ann", encoding::binary, &wa);
  auto bea = join(room, 1, "Bea", encoding::json, &wb);
  auto cal = join(room, 2, "Cal", encoding::binary, &wc);
  ASSERT_TRUE(ann && bea && cal);
  auto everyone = {ann.get(), bea.get(), cal.get()};
  const auto all_here = presence_where([](const v1::Presence& p) {
    int online = 0;
    for (const auto& m : p.members())
      online += m.online() ? 1 : 0;
    return online == 3;
  });
  for (auto* conn : everyone)
    ASSERT_TRUE(conn->receive_matching(all_here, expect_within)) << conn->last_error();

  // Ann starts the run as the first client; phases move on by time only.
  v1::ClientMessage start;
  auto* s = start.mutable_consult()->mutable_start();
  s->set_script_id("troika");
  s->set_presenter(wa.member_id());
  s->set_advance_when_ready(false);
  ASSERT_TRUE(ann->send(start).is_ok());
  for (auto* conn : everyone) {
    auto first = conn->receive_matching(at_phase(1, 0), expect_within);
    ASSERT_TRUE(first) << conn->last_error();
    const auto& state = first->consult_state();
    EXPECT_EQ(state.script_name(), "Troika Consulting");
    EXPECT_EQ(state.presenter(), wa.member_id());
    EXPECT_EQ(state.round_count(), 3u);
    EXPECT_GT(state.time_scale(), 299.0);
    ASSERT_NE(role_of(state, wa.member_id()), nullptr);
    EXPECT_EQ(role_of(state, wa.member_id())->role_name(), "Person presenting");
    EXPECT_EQ(role_of(state, wb.member_id())->role_name(), "Consultant");
  }

  // Clarifying questions: Bea's question is captured and attributed for everyone.
  ASSERT_TRUE(bea->receive_matching(at_phase(1, 1), expect_within)) << bea->last_error();
  v1::ClientMessage question;
  question.mutable_question()->set_text("What have you tried already?");
  ASSERT_TRUE(bea->send(question).is_ok());
  for (auto* conn : everyone) {
    auto added = conn->receive_matching(kind_is(v1::ServerMessage::kQuestionAdded), expect_within);
    ASSERT_TRUE(added) << conn->last_error();
    EXPECT_EQ(added->question_added().author(), wb.member_id());
    EXPECT_EQ(added->question_added().text(), "What have you tried already?");
    EXPECT_EQ(added->question_added().phase(), "Clarifying questions");
  }

  // The consultants discuss while Ann listens with her back turned: her question is refused
  // with the phase's rule, and nobody hears of it.
  auto discussing = ann->receive_matching(at_phase(1, 2), expect_within);
  ASSERT_TRUE(discussing) << ann->last_error();
  EXPECT_TRUE(discussing->consult_state().presenter_turned_away());
  EXPECT_TRUE(role_of(discussing->consult_state(), wa.member_id())->turned_away());
  v1::ClientMessage interjection;
  interjection.mutable_question()->set_text("Can I just explain that?");
  ASSERT_TRUE(ann->send(interjection).is_ok());
  auto refused = ann->receive_matching(
      [&](const v1::ServerMessage& m) { return m.re() == interjection.req(); }, expect_within);
  ASSERT_TRUE(refused) << ann->last_error();
  ASSERT_TRUE(refused->has_error()) << refused->DebugString();
  EXPECT_EQ(refused->error().code(), v1::Error::NOT_ALLOWED);
  EXPECT_NE(refused->error().message().find("Consultants discuss"), std::string::npos)
      << refused->error().message();
  EXPECT_NE(refused->error().message().find("back turned"), std::string::npos)
      << refused->error().message();

  // Ann turns back, then the time carries the trio through Bea's and Cal's rounds.
  ASSERT_TRUE(ann->receive_matching(at_phase(1, 3), expect_within)) << ann->last_error();
  auto second = cal->receive_matching(at_phase(2, 0), expect_within);
  ASSERT_TRUE(second) << cal->last_error();
  EXPECT_EQ(second->consult_state().presenter(), wb.member_id());
  auto third = cal->receive_matching(at_phase(3, 0), expect_within);
  ASSERT_TRUE(third) << cal->last_error();
  EXPECT_EQ(third->consult_state().presenter(), wc.member_id());
  const auto finished = consult_where(
      [](const v1::ConsultState& st) { return !st.active() && st.status() == "finished"; });
  for (auto* conn : everyone) {
    auto end = conn->receive_matching(finished, std::chrono::seconds(10));
    ASSERT_TRUE(end) << conn->last_error();
    ASSERT_EQ(end->consult_state().questions_size(), 1);
    EXPECT_EQ(end->consult_state().questions(0).author(), wb.member_id());
    EXPECT_GT(end->consult_state().reflection_ms(), 0);
  }

  // A device joining afterwards sees the run as it ended.
  v1::Welcome later;
  auto again = join(room, 1, "Bea", encoding::binary, &later);
  ASSERT_TRUE(again);
  EXPECT_EQ(later.room().consult().status(), "finished");
}

// A consult command answered by its ack or its error.
v1::ServerMessage command(client::connection& conn,
                          const std::function<void(v1::ConsultCommand&)>& fill) {
  v1::ClientMessage m;
  fill(*m.mutable_consult());
  auto answer = conn.request(m);
  EXPECT_TRUE(answer) << conn.last_error();
  return answer ? *answer : v1::ServerMessage{};
}

TEST_F(Consult, AnActionLearningSetsFacilitatorSeatKeepsTimeAndNeverPresents) {
  v1::CreateRoomRequest request;
  request.set_title("Discharge planning set");
  request.set_seats(5);
  request.set_facilitator_seat(true);
  std::string error;
  auto created = create_room(*server_, request, error);
  ASSERT_TRUE(created) << error;
  const auto& room = *created;
  ASSERT_EQ(room.invites_size(), 5);
  for (const auto& invite : room.invites())
    EXPECT_EQ(invite.facilitator(), invite.seat() == 5) << invite.seat();

  std::vector<std::unique_ptr<client::connection>> set;
  const char* names[] = {"Ann", "Bea", "Cal", "Dee", "Fay"};
  v1::Welcome welcome;
  for (int i = 0; i < 5; ++i) {
    set.push_back(join(room, i, names[i], encoding::binary, &welcome));
    ASSERT_TRUE(set.back());
  }
  const auto* fay = find_member(welcome.room().members(), welcome.member_id());
  ASSERT_NE(fay, nullptr);
  EXPECT_TRUE(fay->facilitator());
  auto& ann = *set[0];
  auto& bea = *set[1];
  auto& facilitator = *set[4];

  // Ann starts the round without naming anyone: Fay facilitates and keeps time.
  auto started = command(ann, [](v1::ConsultCommand& c) {
    c.mutable_start()->set_script_id("action-learning");
    c.mutable_start()->set_presenter("m1");
    c.mutable_start()->set_advance_when_ready(false);
  });
  ASSERT_TRUE(started.has_ack()) << started.DebugString();
  auto state = bea.receive_matching(at_phase(1, 0), expect_within);
  ASSERT_TRUE(state) << bea.last_error();
  EXPECT_EQ(state->consult_state().facilitator(), welcome.member_id());
  EXPECT_TRUE(state->consult_state().facilitator_keeps_time());
  EXPECT_EQ(role_of(state->consult_state(), welcome.member_id())->role_name(), "Facilitator");
  EXPECT_EQ(state->consult_state().round_count(), 4u);

  // Bea may stop the set but not move it on; Fay resumes and moves it on.
  auto refused = command(bea, [](v1::ConsultCommand& c) { c.mutable_advance(); });
  ASSERT_TRUE(refused.has_error()) << refused.DebugString();
  EXPECT_EQ(refused.error().code(), v1::Error::NOT_ALLOWED);
  EXPECT_NE(refused.error().message().find("keeps time in this set"), std::string::npos);
  EXPECT_TRUE(command(bea, [](v1::ConsultCommand& c) { c.mutable_pause(); }).has_ack());
  EXPECT_TRUE(command(bea, [](v1::ConsultCommand& c) { c.mutable_resume(); }).has_error());
  EXPECT_TRUE(command(facilitator, [](v1::ConsultCommand& c) { c.mutable_resume(); }).has_ack());
  EXPECT_TRUE(command(facilitator, [](v1::ConsultCommand& c) { c.mutable_advance(); }).has_ack());
  ASSERT_TRUE(bea.receive_matching(at_phase(1, 1), expect_within)) << bea.last_error();

  // When Fay's connection ends, the set keeps its own time.
  set[4].reset();
  const auto fay_away = presence_where([&](const v1::Presence& p) {
    const auto* m = find_member(p.members(), welcome.member_id());
    return m != nullptr && !m->online();
  });
  ASSERT_TRUE(bea.receive_matching(fay_away, expect_within)) << bea.last_error();
  EXPECT_TRUE(command(bea, [](v1::ConsultCommand& c) { c.mutable_advance(); }).has_ack());
  ASSERT_TRUE(ann.receive_matching(at_phase(1, 2), expect_within)) << ann.last_error();
}

TEST_F(Consult, AFacilitatorSeatNeedsThreeSeats) {
  auto result = client::http_request("POST", server_->url() + "/api/rooms",
                                     R"({"title": "Pair", "seats": 2, "facilitatorSeat": true})",
                                     {{"Content-Type", "application/json"}}, expect_within);
  ASSERT_TRUE(result.outcome.is_ok()) << result.outcome.message();
  EXPECT_EQ(result.response.status, 400) << result.response.body;
  EXPECT_NE(result.response.body.find("at least 3 seats"), std::string::npos);
  EXPECT_EQ(rooms_created(*server_), 0);
}

TEST_F(Consult, ScriptsListTheBuiltInsAndTheFolderAndSkipMalformedFiles) {
  auto dir = fs::temp_directory_path() / ("colead-scripts-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream good(dir / "quick-pair.json");
    good << R"({
  "id": "quick-pair", "name": "Quick pair", "minMembers": 2, "maxMembers": 2,
  "roles": [
    {"id": "teller", "name": "Teller", "kind": "PRESENTER"},
    {"id": "asker", "name": "Asker", "kind": "CONSULTANT"}],
  "phases": [
    {"title": "Tell", "minutes": 3, "speakers": ["teller"], "countsAsReflection": true}]
})";
    std::ofstream bad(dir / "broken.json");
    bad << R"({
  "id": "broken", "name": "Broken", "minMembers": 2, "maxMembers": 2,
  "roles": [
    {"id": "teller", "name": "Teller", "kind": "PRESENTER"},
    {"id": "asker", "name": "Asker", "kind": "CONSULTANT"}],
  "phases": [
    {"title": "Tell", "minutes": 0, "speakers": ["teller"], "countsAsReflection": true}]
})";
  }
  server_options options;
  options.extra_args = {"--scripts-dir", dir.string()};
  start_server(options);
  EXPECT_TRUE(server_->wait_for_log("broken.json", expect_within)) << server_->log();
  EXPECT_NE(server_->log().find("minutes"), std::string::npos) << server_->log();

  auto result = client::http_request("GET", server_->url() + "/api/scripts", {}, {}, expect_within);
  ASSERT_TRUE(result.outcome.is_ok()) << result.outcome.message();
  EXPECT_EQ(result.response.status, 200);
  const auto& body = result.response.body;
  for (const char* id : {"\"pair-consult\"", "\"troika\"", "\"action-learning\"", "\"wise-crowds\"",
                         "\"quick-pair\""}) {
    EXPECT_NE(body.find(id), std::string::npos) << id << " missing from " << body;
  }
  EXPECT_EQ(body.find("\"broken\""), std::string::npos) << body;

  auto wrong =
      client::http_request("POST", server_->url() + "/api/scripts", "{}", {}, expect_within);
  ASSERT_TRUE(wrong.outcome.is_ok());
  EXPECT_EQ(wrong.response.status, 405);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace colead::integration
