#include "room/programme_items.hpp"

#include <gtest/gtest.h>

namespace colead::room {
namespace {

store::cohort_item_record record(std::string kind, std::string item_id, std::uint64_t version,
                                 std::int64_t at_ms, const google::protobuf::Message& payload) {
  store::cohort_item_record r;
  r.cohort_id = "c1";
  r.kind = std::move(kind);
  r.item_id = std::move(item_id);
  r.version = version;
  r.at_ms = at_ms;
  r.payload = payload.SerializeAsString();
  return r;
}

v1::ProgrammeItem raised(std::string id, std::string room, std::int64_t at, bool anonymous) {
  v1::ProgrammeItem p;
  p.set_id(std::move(id));
  p.set_room_id(room);
  p.set_room_title("Room " + room);
  p.set_text("what gets in our way");
  p.set_category(v1::LearningNote::LOCAL_SYSTEM);
  p.set_anonymous(anonymous);
  p.set_raised_at_ms(at);
  return p;
}

TEST(ProgrammeItems, ProposalItemIdsRoundTrip) {
  const auto id = proposal_item_id("p1", "room-a_b");
  EXPECT_EQ(id, "p1.room-a_b");
  std::string proposal, room;
  ASSERT_TRUE(split_proposal_item_id(id, proposal, room));
  EXPECT_EQ(proposal, "p1");
  EXPECT_EQ(room, "room-a_b");
  EXPECT_FALSE(split_proposal_item_id("nodot", proposal, room));
  EXPECT_FALSE(split_proposal_item_id("a.b.c", proposal, room));
  EXPECT_EQ(proposal_item_id("p1", std::string(65, 'r')), "");
  EXPECT_EQ(proposal_item_id("p1", "../etc"), "");
}

TEST(ProgrammeItems, MergeAppliesGroupsAnswersAndClosingsToTheLatestVersions) {
  std::vector<store::cohort_item_record> items;
  items.push_back(record(cohort_kind::raised, "i2", 1, 20, raised("i2", "r2", 20, false)));
  items.push_back(record(cohort_kind::raised, "i1", 1, 10, raised("i1", "r1", 10, true)));
  v1::ProgrammeItem group;
  group.set_id("i1");
  group.set_group("first");
  items.push_back(record(cohort_kind::group, "i1", 1, 30, group));
  group.set_group("rota");
  items.push_back(record(cohort_kind::group, "i1", 2, 31, group));
  v1::ProgrammeAnswer answer;
  answer.set_id("a1");
  answer.set_text("We moved the meetings");
  answer.add_item_ids("i1");
  answer.add_item_ids("i2");
  answer.set_at_ms(40);
  items.push_back(record(cohort_kind::answer, "a1", 1, 40, answer));
  v1::ProgrammeItem closed;
  closed.set_id("i2");
  closed.set_closed(true);
  closed.set_closed_at_ms(50);
  items.push_back(record(cohort_kind::closed, "i2", 1, 50, closed));

  const auto state = merge_programme("c1", "Cohort", items);
  EXPECT_EQ(state.cohort_id(), "c1");
  EXPECT_EQ(state.cohort_title(), "Cohort");
  ASSERT_EQ(state.items_size(), 2);
  EXPECT_EQ(state.items(0).id(), "i1");
  EXPECT_EQ(state.items(0).group(), "rota");
  EXPECT_EQ(state.items(0).answer_id(), "a1");
  EXPECT_FALSE(state.items(0).closed());
  EXPECT_EQ(state.items(1).id(), "i2");
  EXPECT_TRUE(state.items(1).closed());
  EXPECT_EQ(state.items(1).closed_at_ms(), 50);
  ASSERT_EQ(state.answers_size(), 1);
  EXPECT_EQ(state.answers(0).text(), "We moved the meetings");
}

TEST(ProgrammeItems, ReopeningClearsTheClosingTime) {
  std::vector<store::cohort_item_record> items;
  items.push_back(record(cohort_kind::raised, "i1", 1, 10, raised("i1", "r1", 10, false)));
  v1::ProgrammeItem closed;
  closed.set_id("i1");
  closed.set_closed(true);
  closed.set_closed_at_ms(50);
  items.push_back(record(cohort_kind::closed, "i1", 1, 50, closed));
  closed.set_closed(false);
  items.push_back(record(cohort_kind::closed, "i1", 2, 60, closed));
  const auto state = merge_programme("c1", "Cohort", items);
  ASSERT_EQ(state.items_size(), 1);
  EXPECT_FALSE(state.items(0).closed());
  EXPECT_EQ(state.items(0).closed_at_ms(), 0);
}

TEST(ProgrammeItems, UnreadablePayloadsAreSkipped) {
  std::vector<store::cohort_item_record> items;
  items.push_back(record(cohort_kind::raised, "i1", 1, 10, raised("i1", "r1", 10, false)));
  auto bad = items.back();
  bad.item_id = "i9";
  bad.payload = "\xff\xff\xff";
  items.push_back(bad);
  EXPECT_EQ(merge_programme("c1", "Cohort", items).items_size(), 1);
}

TEST(ProgrammeItems, RoomViewHidesOtherRoomsAnonymousItemsAndKeepsItsOwnProposals) {
  std::vector<store::cohort_item_record> items;
  items.push_back(record(cohort_kind::raised, "i1", 1, 10, raised("i1", "r1", 10, true)));
  items.push_back(record(cohort_kind::raised, "i2", 1, 20, raised("i2", "r2", 20, false)));
  v1::ScriptProposal proposal;
  proposal.set_script_id("troika");
  proposal.set_from_facilitator("Sam");
  items.push_back(record(cohort_kind::proposal, proposal_item_id("p1", "r1"), 1, 30, proposal));
  items.push_back(record(cohort_kind::proposal, proposal_item_id("p1", "r2"), 1, 30, proposal));
  items.push_back(record(cohort_kind::proposal, proposal_item_id("p2", "r2"), 1, 31, proposal));
  items.push_back(
      record(cohort_kind::proposal_answer, proposal_item_id("p2", "r2"), 1, 32, proposal));
  const auto full = merge_programme("c1", "Cohort", items);
  ASSERT_EQ(full.proposals_size(), 2);

  const auto own = view_for_room(full, "r1");
  EXPECT_EQ(own.items(0).room_id(), "r1");
  ASSERT_EQ(own.proposals_size(), 1);
  EXPECT_EQ(own.proposals(0).id(), "p1");

  const auto other = view_for_room(full, "r2");
  EXPECT_EQ(other.items(0).room_id(), "");
  EXPECT_EQ(other.items(0).room_title(), "");
  EXPECT_EQ(other.items(0).text(), "what gets in our way");
  EXPECT_EQ(other.items(1).room_id(), "r2");
  ASSERT_EQ(other.proposals_size(), 1) << "the answered proposal is no longer open";
  EXPECT_EQ(other.proposals(0).id(), "p1");

  const auto facilitators = view_for_facilitators(full);
  EXPECT_EQ(facilitators.items(0).room_id(), "r1");
  EXPECT_EQ(facilitators.proposals_size(), 0);
}

}  // namespace
}  // namespace colead::room
