// The learning record (GET /api/rooms/<id>/export): every meeting named as the room's pages
// name it, the reflection share as the pages show it (one rounding rule), and the takeaways
// of consults, in both formats.
#include <ctime>
#include <thread>

#include "harness/http_helpers.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

// A meeting without a title is "Meeting <n>, <day> <month>" (server/room/meeting_name.hpp),
// the day in local time; the test and the server share the time zone.
std::string generated_name(int number, std::int64_t started_at_ms) {
  static const char* months[] = {"January",   "February", "March",    "April",
                                 "May",       "June",     "July",     "August",
                                 "September", "October",  "November", "December"};
  const std::time_t secs = static_cast<std::time_t>(started_at_ms / 1000);
  std::tm local{};
  localtime_r(&secs, &local);
  return "Meeting " + std::to_string(number) + ", " + std::to_string(local.tm_mday) + " " +
         months[local.tm_mon];
}

class LearningRecord : public ServerTest {
 protected:
  // Meeting clocks run 600 times faster: 100 ms of real time is a minute of meeting.
  void SetUp() override { start_with({"--time-scale", "600"}); }

  // Sends `m` and fails the test unless it is acknowledged.
  void acked(client::connection& conn, v1::ClientMessage m) {
    auto answer = conn.request(m);
    ASSERT_TRUE(answer && answer->has_ack())
        << (answer ? answer->DebugString() : conn.last_error());
  }

  // A meeting of `task` then `reflection` real time, ended by `conn`.
  void meeting(client::connection& conn, std::string title, milliseconds task,
               milliseconds reflection) {
    v1::ClientMessage start;
    start.mutable_meeting()->mutable_start()->set_planned_minutes(60);
    start.mutable_meeting()->mutable_start()->set_title(std::move(title));
    ASSERT_NO_FATAL_FAILURE(acked(conn, start));
    std::this_thread::sleep_for(task);
    v1::ClientMessage reflect;
    reflect.mutable_meeting()->mutable_mode()->set_mode(v1::MeetingState::REFLECTION);
    ASSERT_NO_FATAL_FAILURE(acked(conn, reflect));
    std::this_thread::sleep_for(reflection);
    v1::ClientMessage end;
    end.mutable_meeting()->mutable_end();
    ASSERT_NO_FATAL_FAILURE(acked(conn, end));
  }

  client::http_result get_export(const v1::CreateRoomResponse& room, std::string_view format,
                                 const std::string& token) {
    return client::http_request(
        "GET", server_->url() + "/api/rooms/" + room.id() + "/export?format=" + std::string(format),
        {}, bearer(token));
  }
};

TEST_F(LearningRecord, NamesMeetingsKeepsTheSharesShownAndTheConsultTakeaways) {
  auto room = make_room(2, "Heart failure pathway");
  auto asha = join(room, 0, "Asha");
  auto ben = join(room, 1, "Ben");
  ASSERT_TRUE(asha && ben);

  ASSERT_NO_FATAL_FAILURE(meeting(*asha, "", milliseconds(300), milliseconds(200)));
  ASSERT_NO_FATAL_FAILURE(meeting(*ben, "Monthly check-in", milliseconds(200), milliseconds(300)));

  // A pair consult with Asha presenting; she records a takeaway at the end of her round.
  v1::ClientMessage consult;
  consult.mutable_consult()->mutable_start()->set_script_id("pair-consult");
  consult.mutable_consult()->mutable_start()->set_presenter(asha->member_id());
  ASSERT_NO_FATAL_FAILURE(acked(*asha, consult));
  v1::ClientMessage advance;
  advance.mutable_consult()->mutable_advance();
  for (int i = 0; i < 3; ++i)
    ASSERT_NO_FATAL_FAILURE(acked(*asha, advance));
  v1::ClientMessage takeaway;
  takeaway.mutable_note()->set_text("I need to ask for help earlier.");
  takeaway.mutable_note()->set_takeaway(true);
  ASSERT_NO_FATAL_FAILURE(acked(*asha, takeaway));

  // What a page shows: the past meetings of a welcome.
  v1::Welcome welcome;
  auto again = join(room, 1, "", encoding::json, &welcome);
  ASSERT_NE(again, nullptr);
  const auto& past = welcome.room().past_meetings();
  ASSERT_EQ(past.size(), 2);

  auto json = get_export(room, "json", room.invites(0).token());
  ASSERT_EQ(json.response.status, 200) << json.response.body;
  v1::RoomExport record;
  std::string why;
  ASSERT_TRUE(protocol::from_json(json.response.body, record, why)) << why;
  ASSERT_EQ(record.meetings_size(), 2);
  EXPECT_EQ(record.meetings(0).title(), generated_name(1, record.meetings(0).started_at_ms()));
  EXPECT_EQ(record.meetings(1).title(), "Monthly check-in");
  for (int i = 0; i < 2; ++i) {
    const auto& m = record.meetings(i);
    SCOPED_TRACE(m.title());
    EXPECT_EQ(m.title(), past[i].title());
    EXPECT_EQ(m.meeting_id(), past[i].meeting_id());
    ASSERT_GT(m.task_ms() + m.reflection_ms(), 0);
    // One rounding rule: the whole per cent, rounded down.
    const auto shown = m.reflection_ms() * 100 / (m.task_ms() + m.reflection_ms());
    EXPECT_EQ(m.share_pct(), shown);
    EXPECT_EQ(past[i].share_pct(), m.share_pct());
    EXPECT_GT(m.share_pct(), 0u);
  }

  ASSERT_EQ(record.consults_size(), 1);
  const auto& c = record.consults(0);
  EXPECT_EQ(c.script_name(), "Pair consult");
  ASSERT_EQ(c.takeaways_size(), 1);
  EXPECT_EQ(c.takeaways(0).text(), "I need to ask for help earlier.");
  EXPECT_EQ(c.takeaways(0).member_id(), asha->member_id());

  auto md = get_export(room, "md", room.invites(1).token());
  ASSERT_EQ(md.response.status, 200) << md.response.body;
  const auto& body = md.response.body;
  for (int i = 0; i < 2; ++i) {
    const auto& m = record.meetings(i);
    const auto row = "| " + m.title() + " | ";
    const auto at = body.find(row);
    ASSERT_NE(at, std::string::npos) << body;
    const auto line = body.substr(at, body.find('\n', at) - at);
    EXPECT_NE(line.find(" " + std::to_string(m.share_pct()) + "% |"), std::string::npos) << line;
  }
  EXPECT_NE(body.find("## What we took from consulting to each other"), std::string::npos) << body;
  EXPECT_NE(body.find("- I need to ask for help earlier. — Asha"), std::string::npos) << body;
}

TEST_F(LearningRecord, ARoomWithoutConsultsSaysSo) {
  auto room = make_room(2);
  auto md = get_export(room, "md", room.invites(0).token());
  ASSERT_EQ(md.response.status, 200) << md.response.body;
  EXPECT_NE(md.response.body.find("_No consults yet._"), std::string::npos) << md.response.body;
  auto bad = get_export(room, "pdf", room.invites(0).token());
  EXPECT_EQ(bad.response.status, 400) << bad.response.body;
}

}  // namespace
}  // namespace colead::integration
