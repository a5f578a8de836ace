// A database written by an earlier server opens and serves its rooms.
//
// tests/fixtures/upgrade/ holds a database written through the real server by
// `UpgradeFixture.DISABLED_WriteDatabase` below (tests/fixtures/upgrade/make_fixture.sh runs
// it; written-by.txt names the commit whose server wrote it). Beside it: rooms.txt (each
// room's id and its seats' tokens) and, for each seat, the welcome that server gave after a
// restart. `Upgrade.*` copies the database into a fresh data folder, starts today's server on
// it and expects the same welcomes, then a new edit that survives a restart.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include <google/protobuf/util/message_differencer.h>

#include "codec.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

namespace fs = std::filesystem;

const fs::path fixture_dir = fs::path(COLEAD_SOURCE_DIR) / "tests" / "fixtures" / "upgrade";

// One stored room: its id and the token of each seat, in seat order.
struct stored_room {
  std::string id;
  std::vector<std::string> tokens;
};

std::string file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// rooms.txt: one room a line, "ID TOKEN1 TOKEN2 ...".
std::vector<stored_room> read_rooms(const fs::path& path) {
  std::vector<stored_room> rooms;
  std::istringstream lines(file_text(path));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    stored_room room;
    if (!(words >> room.id)) continue;
    for (std::string token; words >> token;)
      room.tokens.push_back(token);
    rooms.push_back(std::move(room));
  }
  return rooms;
}

fs::path welcome_file(const fs::path& dir, std::size_t room, std::size_t seat) {
  return dir / ("welcome-" + std::to_string(room + 1) + "-" + std::to_string(seat + 1) + ".json");
}

// The welcome without what depends on the moment it was sent or on who else is connected.
v1::Welcome timeless(v1::Welcome welcome) {
  welcome.clear_server_time_ms();
  auto* room = welcome.mutable_room();
  for (auto& m : *room->mutable_members()) {
    m.clear_online();
    m.clear_devices();
    m.clear_selection();
  }
  room->mutable_meeting()->clear_server_time_ms();
  if (room->has_consult()) room->mutable_consult()->clear_server_time_ms();
  return welcome;
}

// Sends `message` and expects an ack; the ack (empty, with a failure, otherwise).
v1::Ack acked(client::connection& conn, v1::ClientMessage message) {
  auto answer = conn.request(message);
  if (!answer || !answer->has_ack()) {
    ADD_FAILURE() << "no ack for " << message.ShortDebugString() << ": "
                  << (answer ? answer->ShortDebugString() : conn.last_error());
    return {};
  }
  return answer->ack();
}

// An edit of "purpose": keep `keep` code points, then delete `remove`, then insert `text`,
// then keep `after`.
v1::ClientMessage edit(std::uint64_t base_rev, std::uint32_t keep, std::uint32_t remove,
                       const std::string& text, std::uint32_t after, const std::string& edit_id) {
  v1::ClientMessage m;
  auto* e = m.mutable_edit();
  e->set_doc("purpose");
  e->set_base_rev(base_rev);
  e->set_edit_id(edit_id);
  if (keep > 0) e->add_op()->set_retain(keep);
  if (remove > 0) e->add_op()->set_delete_(remove);
  if (!text.empty()) e->add_op()->set_insert(text);
  if (after > 0) e->add_op()->set_retain(after);
  return m;
}

v1::ClientMessage agree(std::uint64_t rev) {
  v1::ClientMessage m;
  m.mutable_document()->mutable_agree()->set_doc("purpose");
  m.mutable_document()->mutable_agree()->set_rev(rev);
  return m;
}

v1::ClientMessage note(const std::string& text, v1::LearningNote::Category category,
                       bool personal = false) {
  v1::ClientMessage m;
  m.mutable_note()->set_text(text);
  m.mutable_note()->set_category(category);
  m.mutable_note()->set_personal(personal);
  return m;
}

v1::ClientMessage consult_step() {
  v1::ClientMessage m;
  m.mutable_consult()->mutable_advance();
  return m;
}

class Upgrade : public ServerTest {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("colead-upgrade-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
  }

  void TearDown() override {
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void start_on_dir() {
    server_options options;
    options.data_dir = dir_;
    start_server(options);
  }

  fs::path dir_;
};

// Writes tests/fixtures/upgrade/ (or $COLEAD_FIXTURE_OUT) through the real server: run by
// make_fixture.sh only, never by the suite.
TEST_F(Upgrade, DISABLED_WriteDatabase) {
  const char* out_env = std::getenv("COLEAD_FIXTURE_OUT");
  const fs::path out = out_env ? fs::path(out_env) : fixture_dir;
  fs::create_directories(out);
  start_on_dir();

  auto pair = make_room(2, "Heart failure pathway");
  auto trio = make_room(3, "Discharge planning trio");
  v1::Welcome wa, wb;
  auto asha = join(pair, 0, "Asha", encoding::binary, &wa);
  auto ben = join(pair, 1, "Ben", encoding::json, &wb);
  ASSERT_TRUE(asha && ben);

  // The shared purpose: enough edits, by both, for a stored snapshot and ops after it; one
  // edit deletes, one writes outside the basic plane.
  std::uint64_t rev = 0;
  std::uint32_t length = 0;
  for (int i = 1; i <= 104; ++i) {
    auto* conn = i % 2 == 1 ? asha.get() : ben.get();
    v1::ClientMessage m;
    if (i == 60) {
      m = edit(rev, 0, 3, "", length - 3, "e" + std::to_string(i));
      length -= 3;
    } else {
      const std::string word = i == 30 ? "💙 " : "w" + std::to_string(i % 10) + " ";
      m = edit(rev, length, 0, word, 0, "e" + std::to_string(i));
      length += i == 30 ? 2 : 3;
    }
    rev = acked(*conn, m).rev();
    ASSERT_EQ(rev, static_cast<std::uint64_t>(i));
    // Two agreed versions on the way, and a proposal in progress at the end.
    if (i == 50 || i == 100) {
      acked(*asha, agree(rev));
      acked(*ben, agree(rev));
    }
  }
  acked(*ben, agree(rev));

  v1::ClientMessage settings;
  auto* s = settings.mutable_room()->mutable_settings();
  s->set_reflection_target_pct(50);
  s->set_nudge_lead_minutes(10);
  s->set_auto_reflect(v1::RoomCommand::AUTO_ON);
  s->set_advance_when_ready(v1::RoomCommand::AUTO_OFF);
  acked(*asha, settings);

  // A meeting with task and reflection, a note written in it, ended below its target.
  v1::ClientMessage start;
  start.mutable_meeting()->mutable_start()->set_planned_minutes(30);
  start.mutable_meeting()->mutable_start()->set_title("Monthly check-in");
  acked(*asha, start);
  acked(*ben, note("We listen better when we start with the patient's story.",
                   v1::LearningNote::RELATIONSHIP));
  v1::ClientMessage reflect;
  reflect.mutable_meeting()->mutable_mode()->set_mode(v1::MeetingState::REFLECTION);
  acked(*ben, reflect);
  v1::ClientMessage end;
  end.mutable_meeting()->mutable_end()->set_reason("The ward round ran over.");
  acked(*asha, end);

  // Notes outside a meeting: shared, personal, edited, removed.
  acked(*asha, note("Our local system has two discharge teams.", v1::LearningNote::LOCAL_SYSTEM));
  acked(*asha, note("Ask Ben about the carers' forum.", v1::LearningNote::OTHER, true));
  auto edited_id = acked(*ben, note("First draft", v1::LearningNote::HOW_WE_WORK)).id();
  auto edited = note("We agree the agenda the day before.", v1::LearningNote::HOW_WE_WORK);
  edited.mutable_note()->set_note_id(edited_id);
  acked(*ben, edited);
  auto removed_id = acked(*ben, note("Typo", v1::LearningNote::OTHER)).id();
  v1::ClientMessage removal;
  removal.mutable_note()->set_note_id(removed_id);
  removal.mutable_note()->set_remove(true);
  acked(*ben, removal);

  // A pair consult: Ben asks a question, Asha records a takeaway, Ben stops the run.
  v1::ClientMessage consult;
  consult.mutable_consult()->mutable_start()->set_script_id("pair-consult");
  consult.mutable_consult()->mutable_start()->set_presenter(wa.member_id());
  acked(*asha, consult);
  acked(*asha, consult_step());
  v1::ClientMessage question;
  question.mutable_question()->set_text("What would good look like for you?");
  acked(*ben, question);
  acked(*asha, consult_step());
  acked(*asha, consult_step());
  v1::ClientMessage takeaway;
  takeaway.mutable_note()->set_text("I need to ask for help earlier.");
  takeaway.mutable_note()->set_takeaway(true);
  acked(*asha, takeaway);
  v1::ClientMessage stop;
  stop.mutable_consult()->mutable_stop();
  acked(*ben, stop);

  // Ben asks for the room's erasure; Asha has not confirmed.
  v1::ClientMessage erase;
  erase.mutable_room()->mutable_erase();
  acked(*ben, erase);

  // The trio: one member in, one edit.
  auto cal = join(trio, 0, "Cal");
  ASSERT_TRUE(cal);
  acked(*cal, edit(0, 0, 0, "Home by lunchtime", 0, "c1"));
  asha.reset();
  ben.reset();
  cal.reset();

  // What the server shows each seat after a restart is what a later server must show.
  ASSERT_EQ(server_->terminate().code, 0);
  start_on_dir();
  std::string rooms;
  const std::vector<v1::CreateRoomResponse> created = {pair, trio};
  const std::vector<int> taken = {2, 1};  // seats joined, in each room
  for (std::size_t r = 0; r < created.size(); ++r) {
    rooms += created[r].id();
    for (int seat = 0; seat < created[r].invites_size(); ++seat) {
      rooms += " " + created[r].invites(seat).token();
      v1::Welcome welcome;
      if (seat < taken[r] && join(created[r], seat, "", encoding::binary, &welcome)) {
        write_file(welcome_file(out, r, static_cast<std::size_t>(seat)),
                   protocol::to_json(timeless(welcome)) + "\n");
      }
    }
    rooms += "\n";
  }
  ASSERT_EQ(server_->terminate().code, 0);
  write_file(out / "rooms.txt", rooms);
  ASSERT_FALSE(fs::exists(dir_ / "colead.db-wal") && fs::file_size(dir_ / "colead.db-wal") > 0)
      << "the database was not checkpointed at the stop";
  fs::copy_file(dir_ / "colead.db", out / "colead.db", fs::copy_options::overwrite_existing);
}

TEST_F(Upgrade, DatabaseWrittenBeforeStorageRecordsServesItsRooms) {
  fs::copy_file(fixture_dir / "colead.db", dir_ / "colead.db");
  start_on_dir();
  const auto rooms = read_rooms(fixture_dir / "rooms.txt");
  ASSERT_EQ(rooms.size(), 2u);
  std::size_t compared = 0;
  for (std::size_t r = 0; r < rooms.size(); ++r) {
    for (std::size_t seat = 0; seat < rooms[r].tokens.size(); ++seat) {
      const auto expected_file = welcome_file(fixture_dir, r, seat);
      std::string error;
      if (!fs::exists(expected_file)) continue;  // a seat nobody took
      v1::Welcome welcome;
      auto conn = join_room(*server_, rooms[r].id, rooms[r].tokens[seat], "", encoding::binary,
                            error, &welcome);
      ASSERT_NE(conn, nullptr) << error;
      v1::Welcome expected;
      ASSERT_TRUE(protocol::from_json(file_text(expected_file), expected, error)) << error;
      // Compared as messages: a map's order in JSON is not fixed.
      std::string differences;
      google::protobuf::util::MessageDifferencer differ;
      differ.ReportDifferencesToString(&differences);
      EXPECT_TRUE(differ.Compare(expected, timeless(welcome)))
          << "room " << r + 1 << " seat " << seat + 1 << ":\n"
          << differences;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 3u);

  // What the pair's welcome holds, said in words (the comparison above is the whole of it).
  v1::Welcome asha_welcome;
  std::string error;
  auto asha = join_room(*server_, rooms[0].id, rooms[0].tokens[0], "", encoding::json, error,
                        &asha_welcome);
  ASSERT_NE(asha, nullptr) << error;
  const auto& room = asha_welcome.room();
  ASSERT_GE(room.docs_size(), 1);
  const auto& purpose = room.docs(0);
  EXPECT_EQ(purpose.rev(), 104u);
  EXPECT_EQ(purpose.agreed().rev(), 100u);
  EXPECT_EQ(purpose.agreed_history_size(), 2);  // the latest included
  EXPECT_EQ(purpose.proposal().rev(), 104u);
  EXPECT_NE(purpose.text().find("💙"), std::string::npos);
  EXPECT_EQ(room.settings().reflection_target_pct(), 50u);
  EXPECT_EQ(room.settings().nudge_lead_minutes(), 10u);
  EXPECT_TRUE(room.settings().auto_reflect());
  EXPECT_FALSE(room.settings().advance_when_ready());
  ASSERT_EQ(room.past_meetings_size(), 1);
  EXPECT_EQ(room.past_meetings(0).title(), "Monthly check-in");
  EXPECT_EQ(room.past_meetings(0).reason(), "The ward round ran over.");
  EXPECT_EQ(room.past_meetings(0).notes_size(), 1);
  EXPECT_EQ(room.notes_size(), 4);  // three shared, one personal (takeaways are the consult's)
  EXPECT_EQ(room.consult().status(), "stopped");
  ASSERT_EQ(room.consult().questions_size(), 1);
  EXPECT_EQ(room.consult().takeaways_size(), 1);
  ASSERT_EQ(room.erase_confirmed_by_size(), 1);

  // A new edit is accepted and survives a restart.
  // In code points: the text is ASCII but for one 💙 (four bytes).
  const auto length = static_cast<std::uint32_t>(purpose.text().size() - 3);
  const auto ack = acked(*asha, edit(purpose.rev(), length, 0, "for everyone", 0, "after-upgrade"));
  EXPECT_EQ(ack.rev(), 105u);
  asha.reset();
  ASSERT_EQ(server_->terminate().code, 0);
  start_on_dir();
  v1::Welcome again;
  asha = join_room(*server_, rooms[0].id, rooms[0].tokens[0], "", encoding::binary, error, &again);
  ASSERT_NE(asha, nullptr) << error;
  ASSERT_GE(again.room().docs_size(), 1);
  EXPECT_EQ(again.room().docs(0).rev(), 105u);
  EXPECT_EQ(again.room().docs(0).text(), purpose.text() + "for everyone");
}

}  // namespace
}  // namespace colead::integration
