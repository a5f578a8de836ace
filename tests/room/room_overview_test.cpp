// How a room tells its cohort it is doing: what the overview holds, and that an edit changes
// its generation at most once a minute.
#include "room_fixture.hpp"

namespace colead::room {
namespace {

using RoomOverviewTest = RoomTest;

v1::ClientMessage insert(const std::string& text, std::uint64_t base_rev, const std::string& id) {
  v1::ClientMessage m;
  auto* e = m.mutable_edit();
  e->set_doc("purpose");
  e->set_base_rev(base_rev);
  e->set_edit_id(id);
  if (base_rev > 0) e->add_op()->set_retain(static_cast<std::uint32_t>(base_rev));
  e->add_op()->set_insert(text);
  return m;
}

TEST_F(RoomOverviewTest, ShowsWhoIsPresentAndTheMeetingButNoText) {
  auto ann = connect();
  auto bea = connect();
  hello(ann, tokens_[0], "Ann");
  hello(bea, tokens_[1], "Bea");
  send(ann, insert("Our shared purpose", 0, "e1"));
  v1::ClientMessage start;
  start.mutable_meeting()->mutable_start()->set_planned_minutes(60);
  send(ann, start);

  auto o = room_->overview();
  EXPECT_EQ(o.room_id(), room_->model().id);
  EXPECT_EQ(o.title(), "Heart failure pathway");
  EXPECT_EQ(o.seats(), 2u);
  EXPECT_EQ(o.members(), 2u);
  ASSERT_EQ(o.present_size(), 2);
  EXPECT_EQ(o.present(0), "Ann");
  EXPECT_EQ(o.present(1), "Bea");
  EXPECT_EQ(o.mode(), v1::MeetingState::TASK);
  EXPECT_EQ(o.planned_ms(), 60 * 60'000);
  EXPECT_EQ(o.target_pct(), 40u);
  EXPECT_EQ(o.last_activity_ms(), clock_.wall_ms());
  EXPECT_EQ(o.SerializeAsString().find("Our shared purpose"), std::string::npos);

  room_->detach(bea);
  o = room_->overview();
  ASSERT_EQ(o.present_size(), 1);
  EXPECT_EQ(o.present(0), "Ann");
}

TEST_F(RoomOverviewTest, EditsChangeTheGenerationOnlyWhenTheMinuteTurns) {
  auto ann = connect();
  hello(ann, tokens_[0], "Ann");
  send(ann, insert("a", 0, "e1"));
  const auto after_first = room_->overview_generation();
  clock_.advance(1'000);
  send(ann, insert("b", 1, "e2"));
  clock_.advance(1'000);
  send(ann, insert("c", 2, "e3"));
  EXPECT_EQ(room_->overview_generation(), after_first) << "edits within the same minute";
  clock_.advance(60'000);
  send(ann, insert("d", 3, "e4"));
  EXPECT_GT(room_->overview_generation(), after_first) << "the activity's minute turned";

  const auto before = room_->overview_generation();
  v1::ClientMessage start;
  start.mutable_meeting()->mutable_start()->set_planned_minutes(30);
  send(ann, start);
  EXPECT_GT(room_->overview_generation(), before) << "a command may change the overview";
}

}  // namespace
}  // namespace colead::room
