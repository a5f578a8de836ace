// The store through the real server: rooms and their documents survive a restart, a meeting
// running at a restart is kept as ended and a consult as stopped, history is readable, a
// damaged database is refused with a clear message, and an erased room is gone from the
// database file's bytes.
#include <filesystem>
#include <fstream>
#include <random>

#include "harness/http_helpers.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

namespace fs = std::filesystem;

v1::ClientMessage edit_message(const std::string& doc, std::uint64_t base_rev, std::uint32_t retain,
                               const std::string& text, const std::string& edit_id,
                               std::uint64_t req) {
  v1::ClientMessage m;
  m.set_req(req);
  auto* e = m.mutable_edit();
  e->set_doc(doc);
  e->set_base_rev(base_rev);
  e->set_edit_id(edit_id);
  if (retain > 0) e->add_op()->set_retain(retain);
  e->add_op()->set_insert(text);
  return m;
}

class DurabilityTest : public ServerTest {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("colead-durability-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    server_options options;
    options.data_dir = dir_;
    start_server(options);
  }

  void TearDown() override {
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void restart() {
    ASSERT_EQ(server_->terminate().code, 0);
    server_options options;
    options.data_dir = dir_;
    start_server(options);
  }

  // Sends an edit and waits for its ack; the new revision, 0 when none came.
  std::uint64_t edit(client::connection& conn, std::uint64_t base_rev, std::uint32_t retain,
                     const std::string& text, const std::string& edit_id) {
    static std::uint64_t req = 100;
    auto m = edit_message("purpose", base_rev, retain, text, edit_id, ++req);
    EXPECT_TRUE(conn.send(m).is_ok());
    auto ack = conn.receive_matching([&](const v1::ServerMessage& s) { return s.re() == m.req(); },
                                     expect_within);
    if (!ack || !ack->has_ack()) {
      ADD_FAILURE() << "no ack for " << edit_id << ": " << (ack ? ack->DebugString() : "timeout");
      return 0;
    }
    return ack->ack().rev();
  }

  fs::path dir_;
};

TEST_F(DurabilityTest, RoomAndAcknowledgedEditsSurviveARestart) {
  auto room = make_room(2, "Heart failure pathway");
  auto asha = join(room, 0, "Asha");
  ASSERT_NE(asha, nullptr);
  EXPECT_EQ(edit(*asha, 0, 0, "Better care ", "a1"), 1u);
  EXPECT_EQ(edit(*asha, 1, 12, "💙 designed together", "a2"), 2u);
  asha.reset();
  restart();
  v1::Welcome welcome;
  auto again = join(room, 0, "", encoding::json, &welcome);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(welcome.room().title(), "Heart failure pathway");
  ASSERT_GE(welcome.room().docs_size(), 1);
  EXPECT_EQ(welcome.room().docs(0).text(), "Better care 💙 designed together");
  EXPECT_EQ(welcome.room().docs(0).rev(), 2u);
  EXPECT_EQ(find_member(welcome.room().members(), "m1")->name(), "Asha");
}

TEST_F(DurabilityTest, MeetingRunningAtARestartIsKeptAsEndedInTheWelcomeAndTheExport) {
  constexpr const char* restart_reason = "the server restarted during this meeting";
  auto room = make_room(2, "Heart failure pathway");
  auto asha = join(room, 0, "Asha");
  ASSERT_NE(asha, nullptr);
  v1::ClientMessage start;
  start.mutable_meeting()->mutable_start()->set_planned_minutes(60);
  start.mutable_meeting()->mutable_start()->set_title("Monthly check-in");
  ASSERT_TRUE(asha->send(start).is_ok());
  auto ack = asha->receive_matching(
      [req = start.req()](const v1::ServerMessage& m) { return m.re() == req; }, expect_within);
  ASSERT_TRUE(ack && ack->has_ack()) << (ack ? ack->DebugString() : asha->last_error());
  asha.reset();

  // The server is killed mid-meeting and started again on the same data.
  ASSERT_FALSE(server_->kill9().timed_out);
  server_options options;
  options.data_dir = dir_;
  start_server(options);

  // The export loads the room first: it already holds the meeting, ended. (Each start of the
  // server has a port of its own.)
  auto export_url = [&] { return server_->url() + "/api/rooms/" + room.id() + "/export?format="; };
  auto read_record = [&](v1::RoomExport& record) {
    auto json =
        client::http_request("GET", export_url() + "json", {}, bearer(room.invites(1).token()));
    ASSERT_EQ(json.response.status, 200) << json.response.body;
    std::string why;
    ASSERT_TRUE(protocol::from_json(json.response.body, record, why)) << why;
  };
  v1::RoomExport record;
  ASSERT_NO_FATAL_FAILURE(read_record(record));
  ASSERT_EQ(record.meetings_size(), 1);
  EXPECT_EQ(record.meetings(0).title(), "Monthly check-in");
  EXPECT_EQ(record.meetings(0).reason(), restart_reason);
  EXPECT_EQ(record.meetings(0).ended_by(), "colead");

  v1::Welcome welcome;
  auto again = join(room, 0, "Asha", encoding::json, &welcome);
  ASSERT_NE(again, nullptr);
  ASSERT_EQ(welcome.room().past_meetings_size(), 1);
  EXPECT_EQ(welcome.room().past_meetings(0).meeting_id(), record.meetings(0).meeting_id());
  EXPECT_EQ(welcome.room().past_meetings(0).reason(), restart_reason);
  EXPECT_EQ(welcome.room().meeting().mode(), v1::MeetingState::ENDED);
  auto md = client::http_request("GET", export_url() + "md", {}, bearer(room.invites(0).token()));
  ASSERT_EQ(md.response.status, 200) << md.response.body;
  EXPECT_NE(md.response.body.find(restart_reason), std::string::npos) << md.response.body;
  again.reset();

  // Every later start shows the same meeting, ended at the same moment.
  restart();
  v1::RoomExport later;
  ASSERT_NO_FATAL_FAILURE(read_record(later));
  ASSERT_EQ(later.meetings_size(), 1);
  EXPECT_EQ(later.meetings(0).reason(), restart_reason);
  EXPECT_EQ(later.meetings(0).ended_at_ms(), record.meetings(0).ended_at_ms());
  v1::Welcome after;
  ASSERT_NE(join(room, 1, "Ben", encoding::binary, &after), nullptr);
  ASSERT_EQ(after.room().past_meetings_size(), 1);
  EXPECT_EQ(after.room().past_meetings(0).reason(), restart_reason);
}

TEST_F(DurabilityTest, ConsultRunningAtARestartIsKeptAsStoppedWithItsQuestion) {
  constexpr const char* restart_reason = "the server restarted during this consult";
  auto room = make_room(2, "Heart failure pathway");
  auto asha = join(room, 0, "Asha");
  auto ben = join(room, 1, "Ben");
  ASSERT_TRUE(asha && ben);
  // Sends a message and waits for its answer; fails the test unless it is an ack.
  auto acked = [](client::connection& conn, v1::ClientMessage m) {
    ASSERT_TRUE(conn.send(m).is_ok());
    auto answer = conn.receive_matching(
        [req = m.req()](const v1::ServerMessage& s) { return s.re() == req; }, expect_within);
    ASSERT_TRUE(answer && answer->has_ack())
        << (answer ? answer->DebugString() : conn.last_error());
  };
  v1::ClientMessage start;
  start.mutable_consult()->mutable_start()->set_script_id("pair-consult");
  start.mutable_consult()->mutable_start()->set_presenter("m1");
  start.mutable_consult()->mutable_start()->set_advance_when_ready(false);
  ASSERT_NO_FATAL_FAILURE(acked(*asha, start));
  v1::ClientMessage advance;
  advance.mutable_consult()->mutable_advance();
  ASSERT_NO_FATAL_FAILURE(acked(*asha, advance));  // questions only
  v1::ClientMessage question;
  question.mutable_question()->set_text("What would a good week look like for you?");
  ASSERT_NO_FATAL_FAILURE(acked(*ben, question));
  asha.reset();
  ben.reset();

  // The server is killed mid-consult and started again on the same data.
  ASSERT_FALSE(server_->kill9().timed_out);
  server_options options;
  options.data_dir = dir_;
  start_server(options);

  const auto stopped_by_restart = [&](const v1::ConsultState& s) {
    EXPECT_FALSE(s.active());
    EXPECT_EQ(s.status(), "stopped");
    EXPECT_EQ(s.stopped_reason(), restart_reason);
    EXPECT_EQ(s.changed_by(), "colead");
    EXPECT_EQ(s.script_id(), "pair-consult");
    EXPECT_EQ(s.phase_index(), 1u);
    ASSERT_EQ(s.questions_size(), 1);
    EXPECT_EQ(s.questions(0).text(), "What would a good week look like for you?");
    EXPECT_EQ(s.questions(0).author(), "m2");
  };
  v1::Welcome welcome;
  auto again = join(room, 0, "Asha", encoding::json, &welcome);
  ASSERT_NE(again, nullptr);
  ASSERT_TRUE(welcome.room().has_consult());
  stopped_by_restart(welcome.room().consult());

  // The learning record keeps the question.
  auto json = client::http_request(
      "GET", server_->url() + "/api/rooms/" + room.id() + "/export?format=json", {},
      bearer(room.invites(1).token()));
  ASSERT_EQ(json.response.status, 200) << json.response.body;
  v1::RoomExport record;
  std::string why;
  ASSERT_TRUE(protocol::from_json(json.response.body, record, why)) << why;
  ASSERT_EQ(record.questions_size(), 1);
  EXPECT_EQ(record.questions(0).text(), "What would a good week look like for you?");
  again.reset();

  // A later start shows the same run, stopped at the same moment; a new consult can start.
  restart();
  v1::Welcome later;
  auto ben_again = join(room, 1, "Ben", encoding::binary, &later);
  ASSERT_NE(ben_again, nullptr);
  stopped_by_restart(later.room().consult());
  EXPECT_EQ(later.room().consult().server_time_ms(), welcome.room().consult().server_time_ms());
  v1::ClientMessage next = start;
  next.mutable_consult()->mutable_start()->set_presenter("m2");
  ASSERT_NO_FATAL_FAILURE(acked(*ben_again, next));
  auto running = ben_again->receive_matching(
      [](const v1::ServerMessage& m) {
        return m.has_consult_state() && m.consult_state().active();
      },
      expect_within);
  ASSERT_TRUE(running) << ben_again->last_error();
  EXPECT_EQ(running->consult_state().presenter(), "m2");
  EXPECT_TRUE(running->consult_state().stopped_reason().empty());
  EXPECT_EQ(running->consult_state().questions_size(), 0);
}

TEST_F(DurabilityTest, HistoryReadsEveryRevisionWithItsAuthor) {
  auto room = make_room(2);
  auto asha = join(room, 0, "Asha");
  auto ben = join(room, 1, "Ben");
  ASSERT_TRUE(asha && ben);
  EXPECT_EQ(edit(*asha, 0, 0, "one", "e1"), 1u);
  EXPECT_EQ(edit(*ben, 1, 3, " two", "e2"), 2u);
  EXPECT_EQ(edit(*asha, 2, 7, " three", "e3"), 3u);
  auto base = server_->url() + "/api/rooms/" + room.id() + "/docs/purpose/";
  auto token = room.invites(1).token();
  auto list = client::http_request("GET", base + "revisions", {}, bearer(token));
  ASSERT_TRUE(list.outcome.is_ok());
  ASSERT_EQ(list.response.status, 200) << list.response.body;
  v1::RevisionList revisions;
  std::string why;
  ASSERT_TRUE(protocol::from_json(list.response.body, revisions, why)) << why;
  ASSERT_EQ(revisions.revisions_size(), 3);
  EXPECT_EQ(revisions.revisions(1).author(), "m2");
  EXPECT_EQ(revisions.revisions(1).inserted(), 4u);
  auto text = client::http_request("GET", base + "text?rev=2", {}, bearer(token));
  ASSERT_EQ(text.response.status, 200) << text.response.body;
  v1::TextAtRevision at;
  ASSERT_TRUE(protocol::from_json(text.response.body, at, why)) << why;
  EXPECT_EQ(at.text(), "one two");
  auto stranger = client::http_request("GET", base + "revisions", {}, bearer("not-a-token"));
  EXPECT_EQ(stranger.response.status, 401);
  auto anonymous = client::http_request("GET", base + "revisions");
  EXPECT_EQ(anonymous.response.status, 401);
}

TEST_F(DurabilityTest, NoteHistoryKeepsEveryVersionAndPersonalNotesStayTheirAuthors) {
  auto room = make_room(2);
  auto asha = join(room, 0, "Asha");
  auto ben = join(room, 1, "Ben");
  ASSERT_TRUE(asha && ben);
  // Sends a note command and returns the note id from its ack.
  auto note = [&](client::connection& conn, v1::NoteCommand command, std::uint64_t req) {
    v1::ClientMessage m;
    m.set_req(req);
    *m.mutable_note() = std::move(command);
    EXPECT_TRUE(conn.send(m).is_ok());
    auto ack = conn.receive_matching([&](const v1::ServerMessage& s) { return s.re() == req; },
                                     expect_within);
    EXPECT_TRUE(ack && ack->has_ack()) << (ack ? ack->DebugString() : conn.last_error());
    return ack && ack->has_ack() ? ack->ack().id() : std::string();
  };
  v1::NoteCommand add;
  add.set_text("We defer to the clinician");
  add.set_category(v1::LearningNote::RELATIONSHIP);
  const auto id = note(*asha, add, 1);
  ASSERT_FALSE(id.empty());
  v1::NoteCommand edit;
  edit.set_note_id(id);
  edit.set_text("We both defer to the clinician when time is short");
  edit.set_category(v1::LearningNote::RELATIONSHIP);
  note(*asha, edit, 2);
  v1::NoteCommand personal;
  personal.set_text("Ask about the referral letter");
  personal.set_personal(true);
  const auto own = note(*asha, personal, 3);

  auto base = server_->url() + "/api/rooms/" + room.id() + "/notes/";
  auto history =
      client::http_request("GET", base + id + "/history", {}, bearer(room.invites(1).token()));
  ASSERT_TRUE(history.outcome.is_ok());
  ASSERT_EQ(history.response.status, 200) << history.response.body;
  v1::NoteHistory versions;
  std::string why;
  ASSERT_TRUE(protocol::from_json(history.response.body, versions, why)) << why;
  EXPECT_EQ(versions.note_id(), id);
  ASSERT_EQ(versions.versions_size(), 2);
  EXPECT_EQ(versions.versions(0).text(), "We defer to the clinician");
  EXPECT_EQ(versions.versions(1).text(), "We both defer to the clinician when time is short");
  EXPECT_EQ(versions.versions(1).version(), 1u);

  // A personal note is its author's: Ben is told there is no such note; Asha reads it.
  auto hidden =
      client::http_request("GET", base + own + "/history", {}, bearer(room.invites(1).token()));
  EXPECT_EQ(hidden.response.status, 404) << hidden.response.body;
  auto mine =
      client::http_request("GET", base + own + "/history", {}, bearer(room.invites(0).token()));
  EXPECT_EQ(mine.response.status, 200) << mine.response.body;
  auto unknown =
      client::http_request("GET", base + "nosuchnote/history", {}, bearer(room.invites(0).token()));
  EXPECT_EQ(unknown.response.status, 404);
  auto bad_id =
      client::http_request("GET", base + "..%2F../history", {}, bearer(room.invites(0).token()));
  EXPECT_EQ(bad_id.response.status, 404);
  auto anonymous = client::http_request("GET", base + id + "/history");
  EXPECT_EQ(anonymous.response.status, 401);
}

TEST_F(DurabilityTest, DamagedDatabaseIsRefusedWithAClearMessage) {
  auto room = make_room(2);
  auto asha = join(room, 0, "Asha");
  ASSERT_NE(asha, nullptr);
  for (int i = 0; i < 50; ++i) {
    edit(*asha, static_cast<std::uint64_t>(i), static_cast<std::uint32_t>(i * 10), "0123456789",
         std::string("e").append(std::to_string(i)));
  }
  asha.reset();
  ASSERT_EQ(server_->terminate().code, 0);
  // A copy of the data folder whose database has garbage in its middle pages.
  auto damaged = dir_ / "damaged";
  fs::create_directories(damaged);
  fs::copy_file(dir_ / "colead.db", damaged / "colead.db");
  auto size = fs::file_size(damaged / "colead.db");
  ASSERT_GT(size, 8192u);
  {
    std::fstream f(damaged / "colead.db", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    std::string garbage(4096, '\x5a');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  server_options options;
  options.data_dir = damaged;
  std::string error;
  auto refused = server_process::start(options, error);
  EXPECT_EQ(refused, nullptr);
  EXPECT_NE(error.find("damaged"), std::string::npos) << error;
  EXPECT_NE(error.find("backup"), std::string::npos) << error;
  // The original is untouched and still serves.
  options.data_dir = dir_;
  start_server(options);
}

TEST_F(DurabilityTest, ErasedRoomIsGoneFromTheDatabaseBytes) {
  const std::string secret = "Zebra-lighthouse-7731 our shared purpose";
  auto room = make_room(2);
  auto asha = join(room, 0, "Asha");
  auto ben = join(room, 1, "Ben");
  ASSERT_TRUE(asha && ben);
  EXPECT_EQ(edit(*asha, 0, 0, secret, "s1"), 1u);
  auto export_url = server_->url() + "/api/rooms/" + room.id() + "/export?format=";
  auto md = client::http_request("GET", export_url + "md", {}, bearer(room.invites(0).token()));
  ASSERT_EQ(md.response.status, 200) << md.response.body;
  EXPECT_NE(md.response.body.find(secret), std::string::npos);
  EXPECT_NE(md.response.body.find("## Shared purpose"), std::string::npos);
  auto json = client::http_request("GET", export_url + "json", {}, bearer(room.invites(1).token()));
  ASSERT_EQ(json.response.status, 200);
  v1::RoomExport record;
  std::string why;
  ASSERT_TRUE(protocol::from_json(json.response.body, record, why)) << why;
  ASSERT_GE(record.docs_size(), 1);
  EXPECT_EQ(record.docs(0).document().text(), secret);
  EXPECT_EQ(record.docs(0).authors(0).member_id(), "m1");
  EXPECT_EQ(record.docs(0).authors(0).revisions(), 1u);

  // One member asking is not enough: power is shared.
  v1::ClientMessage erase;
  erase.set_req(7);
  erase.mutable_room()->mutable_erase();
  ASSERT_TRUE(asha->send(erase).is_ok());
  ASSERT_TRUE(ben->receive_matching(kind_is(v1::ServerMessage::kRoomChanged), expect_within));
  EXPECT_FALSE(asha->wait_closed(std::chrono::milliseconds(200)));
  ASSERT_TRUE(ben->send(erase).is_ok());
  auto closed = ben->wait_closed(expect_within);
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->code, 1000);

  auto after = client::http_request("GET", export_url + "md", {}, bearer(room.invites(0).token()));
  EXPECT_EQ(after.response.status, 404);
  EXPECT_NE(after.response.body.find("ROOM_NOT_FOUND"), std::string::npos);
  ASSERT_EQ(server_->terminate().code, 0);
  for (const char* name : {"colead.db", "colead.db-wal"}) {
    auto bytes = file_bytes(dir_ / name);
    EXPECT_EQ(bytes.find("Zebra-lighthouse-7731"), std::string::npos) << name;
  }
}

TEST_F(DurabilityTest, OperatorErasesAtOnceWithTheOrganiserKey) {
  auto room = make_room(2);
  auto url = server_->url() + "/api/rooms/" + room.id();
  auto refused = client::http_request("DELETE", url);
  EXPECT_EQ(refused.response.status, 401);
  auto log = server_->log();
  auto at = log.find("Organiser key");
  ASSERT_NE(at, std::string::npos);
  auto colon = log.find("): ", at);
  auto key = log.substr(colon + 3, log.find('\n', colon) - colon - 3);
  auto erased = client::http_request("DELETE", url, {}, bearer(key));
  EXPECT_EQ(erased.response.status, 200) << erased.response.body;
  std::string error;
  EXPECT_EQ(join_room(*server_, room.id(), room.invites(0).token(), "Asha", encoding::json, error),
            nullptr);
  EXPECT_NE(error.find("ROOM_NOT_FOUND"), std::string::npos) << error;
}

TEST(Retention, RoomsIdleLongerThanTheRetentionPeriodAreErased) {
  server_options options;
  // 0.00003 days is about 2.6 seconds.
  options.extra_args = {"--retention-days", "0.00003"};
  std::string error;
  auto server = server_process::start(options, error);
  ASSERT_NE(server, nullptr) << error;
  auto room = create_room(*server, "Short-lived", 2, error);
  ASSERT_TRUE(room) << error;
  ASSERT_TRUE(server->wait_for_log("room " + room->id() + " erased", std::chrono::seconds(20)))
      << server->log();
  EXPECT_EQ(join_room(*server, room->id(), room->invites(0).token(), "Asha", encoding::json, error),
            nullptr);
  EXPECT_NE(error.find("ROOM_NOT_FOUND"), std::string::npos) << error;
}

TEST_F(DurabilityTest, OnlineBackupRestoresEveryRoom) {
  auto room = make_room(2, "Backed up");
  auto asha = join(room, 0, "Asha");
  ASSERT_NE(asha, nullptr);
  EXPECT_EQ(edit(*asha, 0, 0, "kept safe", "b1"), 1u);
  // The server keeps running (and Asha connected) while the backup is taken.
  auto restored = dir_ / "restored";
  fs::create_directories(restored);
  auto command = std::string(default_server_path()) + " backup --data-dir " + dir_.string() +
                 " --out " + (restored / "colead.db").string();
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  server_options options;
  options.data_dir = restored;
  std::string error;
  auto copy = server_process::start(options, error);
  ASSERT_NE(copy, nullptr) << error;
  v1::Welcome welcome;
  auto conn =
      join_room(*copy, room.id(), room.invites(1).token(), "Ben", encoding::json, error, &welcome);
  ASSERT_NE(conn, nullptr) << error;
  EXPECT_EQ(welcome.room().docs(0).text(), "kept safe");
}

}  // namespace
}  // namespace colead::integration
