// A cohort as POST /api/cohorts makes it (checks, rooms, facilitators, one batch, the CSV),
// and the cohort's learning record: reflection figures of every room, learning only of the
// rooms that share it, "you said, we did" with dates.
#include <gtest/gtest.h>

#include <future>
#include <set>
#include <sstream>

#include "room/cohort_creation.hpp"
#include "room/cohort_record.hpp"
#include "room/programme_items.hpp"
#include "room/room_records.hpp"
#include "room/tokens.hpp"
#include "store/memory_store.hpp"

namespace colead::room {
namespace {

constexpr std::int64_t now = 1'780'000'000'000;  // 2026-05-28 20:26 UTC

store::status save(store::store& s, store::write_batch batch) {
  std::promise<store::status> done;
  auto future = done.get_future();
  auto queued = s.submit(std::move(batch), [&](store::status st) { done.set_value(st); });
  if (!queued) return queued;
  return future.get();
}

v1::CreateCohortRequest request(std::uint32_t rooms, std::uint32_t seats,
                                std::vector<std::string> facilitators = {}) {
  v1::CreateCohortRequest r;
  r.set_title("Integrated care leaders");
  r.set_rooms(rooms);
  r.set_seats_per_room(seats);
  for (auto& f : facilitators)
    r.add_facilitators(f);
  return r;
}

TEST(CohortCreation, MakesRoomsAndFacilitatorsSavedInOneBatch) {
  auto made = make_cohort(request(3, 2, {"Morgan", "  Priya "}), now);
  ASSERT_TRUE(made) << made.error().message();
  const new_cohort& c = made.value();
  EXPECT_TRUE(is_valid_id(c.cohort.id));
  EXPECT_EQ(c.cohort.title, "Integrated care leaders");
  EXPECT_EQ(c.cohort.created_at_ms, now);
  ASSERT_EQ(c.rooms.size(), 3u);
  EXPECT_EQ(c.rooms[0].model.title, "Integrated care leaders: room 1");
  EXPECT_EQ(c.rooms[2].model.title, "Integrated care leaders: room 3");
  for (const auto& room : c.rooms)
    EXPECT_EQ(room.tokens.size(), 2u);
  ASSERT_EQ(c.facilitators.size(), 2u);
  EXPECT_EQ(c.facilitators[0].record.number, 1u);
  EXPECT_EQ(c.facilitators[1].record.name, "Priya");
  EXPECT_NE(c.facilitators[0].token, c.facilitators[1].token);
  EXPECT_EQ(c.facilitators[0].token.size(), 22u) << "128 random bits";
  EXPECT_TRUE(same_hash(c.facilitators[1].record.token_hash, hash_token(c.facilitators[1].token)));

  store::memory_store store;
  store::write_batch batch = c.batch;
  ASSERT_TRUE(save(store, std::move(batch)));
  auto image = store.load_cohort(c.cohort.id);
  ASSERT_TRUE(image) << image.error().message();
  ASSERT_EQ(image->rooms.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(image->rooms[i].room_id, c.rooms[i].model.id);
    EXPECT_EQ(*store.cohort_of_room(c.rooms[i].model.id), c.cohort.id);
    auto room = store.load_room(c.rooms[i].model.id);
    ASSERT_TRUE(room);
    EXPECT_EQ(room->seats.size(), 2u);
    EXPECT_EQ(room->documents.size(), 2u);
  }
  ASSERT_EQ(image->facilitators.size(), 2u);
  EXPECT_TRUE(is_facilitator(*image, c.facilitators[0].token));
  EXPECT_TRUE(is_facilitator(*image, c.facilitators[1].token));
  EXPECT_FALSE(is_facilitator(*image, c.rooms[0].tokens[0]));
  EXPECT_FALSE(is_facilitator(*image, ""));
}

TEST(CohortCreation, WithoutNamesOneFacilitatorCalledFacilitator) {
  auto made = make_cohort(request(1, 8), now);
  ASSERT_TRUE(made);
  ASSERT_EQ(made->facilitators.size(), 1u);
  EXPECT_EQ(made->facilitators[0].record.name, "Facilitator");
  EXPECT_EQ(made->rooms[0].tokens.size(), 8u) << "an action-learning set of eight";
}

TEST(CohortCreation, AttachedRoomsFollowTheNewOnes) {
  auto r = request(1, 2);
  r.add_attach_room_ids("existing-a");
  r.add_attach_room_ids("existing-b");
  auto made = make_cohort(r, now);
  ASSERT_TRUE(made);
  EXPECT_EQ(made->attached_room_ids, (std::vector<std::string>{"existing-a", "existing-b"}));
  std::vector<std::pair<std::string, std::int64_t>> places;
  for (const auto& m : made->batch.mutations()) {
    if (auto* place = std::get_if<store::cohort_room_record>(&m))
      places.emplace_back(place->room_id, place->position);
  }
  ASSERT_EQ(places.size(), 3u);
  EXPECT_EQ(places[0], std::pair(made->rooms[0].model.id, std::int64_t{0}));
  EXPECT_EQ(places[1], std::pair(std::string("existing-a"), std::int64_t{1}));
  EXPECT_EQ(places[2], std::pair(std::string("existing-b"), std::int64_t{2}));

  // Attached only: no seats needed.
  v1::CreateCohortRequest only;
  only.set_title("Set");
  only.add_attach_room_ids("existing-a");
  EXPECT_TRUE(make_cohort(only, now));
}

TEST(CohortCreation, RefusesBadRequestsSayingWhy) {
  struct refusal {
    const char* what;
    v1::CreateCohortRequest request;
    const char* message;
  };
  std::vector<refusal> cases;
  auto add = [&](const char* what, auto change, const char* message) {
    auto r = request(2, 2);
    change(r);
    cases.push_back({what, r, message});
  };
  add(
      "no title", [](auto& r) { r.clear_title(); }, "give the cohort a title");
  add(
      "blank title", [](auto& r) { r.set_title(" \t "); }, "give the cohort a title");
  add(
      "long title", [](auto& r) { r.set_title(std::string(121, 'x')); }, "longer than 120");
  add(
      "no rooms", [](auto& r) { r.set_rooms(0); }, "a cohort needs rooms");
  add(
      "too many rooms", [](auto& r) { r.set_rooms(101); }, "at most 100 rooms");
  add(
      "too many with attached",
      [](auto& r) {
        r.set_rooms(100);
        r.add_attach_room_ids("x");
      },
      "at most 100 rooms");
  add(
      "one seat", [](auto& r) { r.set_seats_per_room(1); }, "2 to 8 seats");
  add(
      "nine seats", [](auto& r) { r.set_seats_per_room(9); }, "2 to 8 seats");
  add(
      "bad attached id", [](auto& r) { r.add_attach_room_ids("../etc"); }, "not a room id");
  add(
      "attached twice",
      [](auto& r) {
        r.add_attach_room_ids("a1");
        r.add_attach_room_ids("a1");
      },
      "listed twice");
  add(
      "eleven facilitators",
      [](auto& r) {
        for (int i = 0; i < 11; ++i)
          r.add_facilitators("F" + std::to_string(i));
      },
      "1 to 10 facilitators");
  add(
      "nameless facilitator", [](auto& r) { r.add_facilitators(" "); }, "give each facilitator");
  add(
      "long name", [](auto& r) { r.add_facilitators(std::string(61, 'n')); },
      "at most 60 characters");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto made = make_cohort(c.request, now);
    ASSERT_FALSE(made);
    EXPECT_EQ(made.error().code(), error_code::invalid_argument);
    EXPECT_NE(made.error().message().find(c.message), std::string::npos) << made.error().message();
  }
}

TEST(CohortCreation, LongTitlesShortenSoEveryRoomTitleFits) {
  auto r = request(12, 2);
  r.set_title(std::string(110, 'a') + " \xC3\xA9t\xC3\xA9");  // 114 code points
  auto made = make_cohort(r, now);
  ASSERT_TRUE(made) << made.error().message();
  const auto& title = made->rooms[11].model.title;
  EXPECT_EQ(title.substr(title.size() - 9), ": room 12");
  EXPECT_LE(title.size(), 120u);
  EXPECT_EQ(title.substr(0, 110), std::string(110, 'a'));
}

TEST(CohortCreation, TheCsvHasEveryLinkOnceAndNoFormulas) {
  auto r = request(2, 3, {"Morgan", "=HYPERLINK(\"x\")"});
  r.set_title("Leaders, \"north\"");
  auto made = make_cohort(r, now);
  ASSERT_TRUE(made);
  const auto response = creation_response(*made, "https://colead.example.org");
  ASSERT_EQ(response.facilitators_size(), 2);
  EXPECT_EQ(response.facilitators(0).url(), "https://colead.example.org/c/" + response.id() +
                                                "#t=" + response.facilitators(0).token());
  ASSERT_EQ(response.rooms_size(), 2);
  EXPECT_EQ(response.rooms(1).invites(2).url(), "https://colead.example.org/r/" +
                                                    response.rooms(1).id() +
                                                    "#t=" + response.rooms(1).invites(2).token());
  std::vector<std::string> lines;
  std::istringstream in(response.csv());
  for (std::string line; std::getline(in, line);) {
    ASSERT_FALSE(line.empty());
    ASSERT_EQ(line.back(), '\r') << "CRLF line ends";
    line.pop_back();
    lines.push_back(line);
  }
  ASSERT_EQ(lines.size(), 1u + 2u + 6u);
  EXPECT_EQ(lines[0], "kind,room,title,seat,name,link");
  EXPECT_EQ(lines[1],
            "facilitator,,\"Leaders, \"\"north\"\"\",,Morgan," + response.facilitators(0).url());
  EXPECT_EQ(lines[2], "facilitator,,\"Leaders, \"\"north\"\"\",,\"'=HYPERLINK(\"\"x\"\")\"," +
                          response.facilitators(1).url());
  EXPECT_EQ(lines[3], "member," + response.rooms(0).id() +
                          ",\"Leaders, \"\"north\"\": room 1\",1,," +
                          response.rooms(0).invites(0).url());
  EXPECT_EQ(lines[8], "member," + response.rooms(1).id() +
                          ",\"Leaders, \"\"north\"\": room 2\",3,," +
                          response.rooms(1).invites(2).url());
  std::set<std::string> links;
  for (std::size_t i = 1; i < lines.size(); ++i)
    links.insert(lines[i].substr(lines[i].rfind(',') + 1));
  EXPECT_EQ(links.size(), 8u);
}

// A cohort of two rooms in a memory store: room A shares its learning, room B does not. Both
// held a meeting, wrote notes (one personal) and ran a consult with a takeaway.
class CohortRecord : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = request(2, 2);
    auto made = make_cohort(r, now);
    ASSERT_TRUE(made);
    cohort_ = std::move(made.value());
    store::write_batch batch = cohort_.batch;
    ASSERT_TRUE(save(store_, std::move(batch)));
    a_ = cohort_.rooms[0].model.id;
    b_ = cohort_.rooms[1].model.id;
    fill(cohort_.rooms[0].model, true, "A");
    fill(cohort_.rooms[1].model, false, "B");
  }

  void fill(room_model& model, bool share, const std::string& tag) {
    model.settings.share_with_cohort = share;
    model.settings.share_changed_by = "m1";
    store::write_batch b;
    b.put_room(room_record_of(model, now));
    v1::MeetingState meeting;
    auto* s = meeting.mutable_summary();
    s->set_meeting_id("mt1");
    s->set_title("First meeting");
    s->set_started_at_ms(now - 3'600'000);
    s->set_task_ms(30 * 60'000);
    s->set_reflection_ms(20 * 60'000);
    s->set_target_pct(40);
    b.put_item({model.id, "meeting", "mt1", 1, now, stored_meeting(meeting)});
    v1::LearningNote note;
    note.set_id("n1");
    note.set_text(tag + " learned that listening first works");
    note.set_author("m1");
    note.set_at_ms(now - 1000);
    note.set_category(v1::LearningNote::RELATIONSHIP);
    b.put_item({model.id, "note", "n1", 1, now, stored_note(note)});
    note.set_id("n2");
    note.set_text(tag + " private worry");
    note.set_personal(true);
    b.put_item({model.id, "note", "n2", 1, now, stored_note(note)});
    v1::ConsultState consult;
    consult.set_consult_id("c1");
    consult.set_script_name("Troika");
    auto* t = consult.add_takeaways();
    t->set_member_id("m2");
    t->set_text(tag + " will ask the ward manager");
    b.put_item({model.id, "consult", "c1", 1, now - 500, stored_consult(consult)});
    v1::QuestionAdded question;
    question.set_text(tag + " question nobody outside sees");
    b.put_item({model.id, "question", "q1", 1, now, stored_question(question)});
    ASSERT_TRUE(save(store_, std::move(b)));
  }

  void raise(const std::string& id, const std::string& room, bool anonymous, std::int64_t at) {
    v1::ProgrammeItem item;
    item.set_id(id);
    item.set_room_id(room);
    item.set_room_title(room == a_ ? "Room A" : "Room B");
    item.set_category(v1::LearningNote::LOCAL_SYSTEM);
    item.set_text("No rooms to meet in at " + id);
    item.set_anonymous(anonymous);
    item.set_raised_at_ms(at);
    store::write_batch b;
    b.put_cohort_item(
        {cohort_.cohort.id, cohort_kind::raised, id, 1, at, item.SerializeAsString()});
    ASSERT_TRUE(save(store_, std::move(b)));
  }

  v1::CohortExport record() {
    auto cohort = store_.load_cohort(cohort_.cohort.id);
    EXPECT_TRUE(cohort);
    std::vector<store::room_image> rooms;
    for (const auto& r : cohort->rooms)
      rooms.push_back(*store_.load_room(r.room_id));
    v1::CohortExport out;
    std::string error;
    EXPECT_TRUE(build_cohort_record(*cohort, rooms, now, out, error)) << error;
    return out;
  }

  store::memory_store store_;
  new_cohort cohort_;
  std::string a_, b_;
};

TEST_F(CohortRecord, EveryRoomGivesItsSharesAndOnlySharingRoomsTheirLearning) {
  const auto out = record();
  EXPECT_EQ(out.id(), cohort_.cohort.id);
  EXPECT_EQ(out.exported_at_ms(), now);
  ASSERT_EQ(out.rooms_size(), 2);
  const auto& a = out.rooms(0);
  const auto& b = out.rooms(1);
  EXPECT_EQ(a.room_id(), a_);
  EXPECT_TRUE(a.shares_learning());
  EXPECT_FALSE(b.shares_learning());
  for (const auto& room : {a, b}) {
    ASSERT_EQ(room.meetings_size(), 1);
    EXPECT_EQ(room.meetings(0).title(), "First meeting");
    EXPECT_DOUBLE_EQ(room.meetings(0).share(), 0.4);
    EXPECT_EQ(room.meetings(0).target_pct(), 40u);
  }
  ASSERT_EQ(a.learning_size(), 2) << "the shared note and the takeaway, not the personal note";
  // Oldest first: the note, then the consult's takeaway.
  EXPECT_EQ(a.learning(0).text(), "A learned that listening first works");
  EXPECT_FALSE(a.learning(0).takeaway());
  EXPECT_EQ(a.learning(1).text(), "A will ask the ward manager");
  EXPECT_TRUE(a.learning(1).takeaway());
  EXPECT_EQ(a.learning(1).at_ms(), now - 500);
  EXPECT_EQ(b.learning_size(), 0);

  const auto md = render_cohort_markdown(out);
  EXPECT_NE(md.find("# Integrated care leaders"), std::string::npos) << md;
  EXPECT_NE(md.find("A learned that listening first works"), std::string::npos) << md;
  EXPECT_NE(md.find("A will ask the ward manager — takeaway"), std::string::npos) << md;
  EXPECT_NE(md.find("| 40% | 40% |"), std::string::npos) << md;
  EXPECT_NE(md.find("1 room keeps its learning to itself."), std::string::npos) << md;
  for (const char* hidden : {"B learned", "B will ask", "private worry", "question nobody"}) {
    EXPECT_EQ(md.find(hidden), std::string::npos) << hidden;
    EXPECT_EQ(out.DebugString().find(hidden), std::string::npos) << hidden;
  }
}

TEST_F(CohortRecord, YouSaidWeDidWithDatesAndAnonymousItemsNamingNoRoom) {
  raise("i1", a_, false, now - 86'400'000);
  raise("i2", b_, true, now - 3'600'000);
  v1::ProgrammeAnswer answer;
  answer.set_id("a1");
  answer.set_text("We booked the library every Tuesday");
  answer.add_item_ids("i1");
  answer.add_item_ids("i2");
  answer.set_answered_by("Morgan");
  answer.set_at_ms(now - 60'000);
  store::write_batch b;
  b.put_cohort_item(
      {cohort_.cohort.id, cohort_kind::answer, "a1", 1, now - 60'000, answer.SerializeAsString()});
  v1::ProgrammeItem closed;
  closed.set_id("i1");
  closed.set_closed(true);
  closed.set_closed_at_ms(now - 1000);
  b.put_cohort_item(
      {cohort_.cohort.id, cohort_kind::closed, "i1", 1, now - 1000, closed.SerializeAsString()});
  ASSERT_TRUE(save(store_, std::move(b)));

  const auto out = record();
  ASSERT_EQ(out.items_size(), 2);
  EXPECT_EQ(out.items(0).room_id(), a_);
  EXPECT_EQ(out.items(0).raised_at_ms(), now - 86'400'000);
  EXPECT_TRUE(out.items(0).closed());
  EXPECT_EQ(out.items(0).answer_id(), "a1");
  EXPECT_EQ(out.items(1).room_id(), "") << "anonymous";
  EXPECT_EQ(out.items(1).room_title(), "");
  ASSERT_EQ(out.answers_size(), 1);
  EXPECT_EQ(out.answers(0).at_ms(), now - 60'000);

  const auto md = render_cohort_markdown(out);
  EXPECT_NE(md.find("**You said** (Room A, 2026-05-27 20:26 UTC, Our local system): No rooms to "
                    "meet in at i1"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("**You said** (a room (anonymous), 2026-05-28 19:26 UTC"), std::string::npos)
      << md;
  EXPECT_NE(md.find("**We did** (Morgan, 2026-05-28 20:25 UTC): We booked the library every "
                    "Tuesday"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Closed by the room on 2026-05-28 20:26 UTC."), std::string::npos) << md;
  EXPECT_EQ(md.find("Room B"), std::string::npos) << "the anonymous item names no room";
}

TEST_F(CohortRecord, WhatPeopleWroteCannotBecomeMarkdown) {
  v1::CohortExport out = record();
  out.set_title("# <script>alert(1)</script>");
  auto* item = out.add_items();
  item->set_id("i9");
  item->set_text("[click](https://evil.example) **bold**");
  const auto md = render_cohort_markdown(out);
  EXPECT_EQ(md.find("<script>"), std::string::npos) << md;
  // Set as code, which no renderer turns into a link.
  EXPECT_NE(md.find("`[click](https://evil.example)` \\*\\*bold\\*\\*"), std::string::npos) << md;
}

}  // namespace
}  // namespace colead::room
