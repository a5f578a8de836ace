#include "room/cohort.hpp"

#include <gtest/gtest.h>

#include "room/programme_items.hpp"

namespace colead::room {
namespace {

class CohortFixture : public ::testing::Test {
 protected:
  CohortFixture()
      : scripts_(script_catalog::with_built_ins()),
        cohort_("c1", "Spring cohort",
                {{2, hash_token("token-two"), "Kim"}, {1, hash_token("token-one"), "Sam"}},
                {"r1", "r2", "r3"}, {}) {}

  std::function<std::string()> ids() {
    return [this] { return "id" + std::to_string(++next_id_); };
  }

  // Stores what a plan writes, as the cohort host does once it is durable.
  facilitator_plan run(const v1::FacilitatorCommand& command) {
    auto plan = cohort_.plan(*cohort_.facilitator(1), command, 1'000, scripts_, ids());
    EXPECT_TRUE(plan) << plan.error().to_string();
    if (!plan) return {};
    cohort_.add_items(plan->writes);
    return plan.value();
  }

  store::cohort_item_record raised(const std::string& id, const std::string& room) {
    v1::ProgrammeItem p;
    p.set_id(id);
    p.set_room_id(room);
    p.set_text("Rotas clash with our meetings");
    p.set_raised_at_ms(500);
    store::cohort_item_record r;
    r.cohort_id = "c1";
    r.kind = cohort_kind::raised;
    r.item_id = id;
    r.version = 1;
    r.at_ms = 500;
    r.payload = p.SerializeAsString();
    return r;
  }

  script_catalog scripts_;
  cohort cohort_;
  int next_id_ = 0;
};

TEST_F(CohortFixture, FacilitatorsAreKnownByTheirTokensOnly) {
  ASSERT_NE(cohort_.facilitator_for_token("token-one"), nullptr);
  EXPECT_EQ(cohort_.facilitator_for_token("token-one")->name, "Sam");
  EXPECT_EQ(cohort_.facilitator_for_token("token-two")->number, 2u);
  EXPECT_EQ(cohort_.facilitator_for_token("token-three"), nullptr);
  EXPECT_EQ(cohort_.facilitator_for_token(""), nullptr);
}

TEST_F(CohortFixture, WelcomeListsEveryRoomInOrderWithItsLatestOverview) {
  v1::RoomOverview o;
  o.set_room_id("r2");
  o.set_title("Pair two");
  o.add_present("Ann");
  o.set_server_time_ms(10);
  EXPECT_TRUE(cohort_.update_overview(o));
  o.set_server_time_ms(20);
  EXPECT_FALSE(cohort_.update_overview(o)) << "only the time differs";
  o.set_room_id("elsewhere");
  EXPECT_FALSE(cohort_.update_overview(o));

  const auto w = cohort_.welcome(*cohort_.facilitator(2), 99, 60);
  EXPECT_EQ(w.cohort_id(), "c1");
  EXPECT_EQ(w.title(), "Spring cohort");
  EXPECT_EQ(w.facilitator(), 2u);
  EXPECT_EQ(w.name(), "Kim");
  EXPECT_EQ(w.time_scale(), 60);
  ASSERT_EQ(w.rooms_size(), 3);
  EXPECT_EQ(w.rooms(0).room_id(), "r1");
  EXPECT_EQ(w.rooms(1).title(), "Pair two");
  EXPECT_EQ(w.rooms(1).present(0), "Ann");
  EXPECT_EQ(w.programme().cohort_id(), "c1");
}

TEST_F(CohortFixture, BroadcastReachesEveryRoomOrTheChosenOnesAsFromTheFacilitator) {
  v1::FacilitatorCommand c;
  c.mutable_broadcast()->set_text("  Back at ten past  ");
  auto plan = run(c);
  ASSERT_EQ(plan.nudges.size(), 3u);
  EXPECT_EQ(plan.nudges[0].first, "r1");
  EXPECT_EQ(plan.nudges[0].second.kind(), v1::Nudge::FACILITATOR_MESSAGE);
  EXPECT_EQ(plan.nudges[0].second.message(), "Back at ten past");
  EXPECT_EQ(plan.nudges[0].second.from_facilitator(), "Sam");
  ASSERT_EQ(plan.writes.size(), 1u);
  EXPECT_EQ(plan.writes[0].kind, cohort_kind::notice);

  c.mutable_broadcast()->add_room_ids("r3");
  c.mutable_broadcast()->add_room_ids("r3");
  plan = run(c);
  ASSERT_EQ(plan.nudges.size(), 1u);
  EXPECT_EQ(plan.nudges[0].first, "r3");
}

TEST_F(CohortFixture, CallTimeSaysTheMinutesLeft) {
  v1::FacilitatorCommand c;
  c.mutable_call_time()->set_minutes_left(5);
  auto plan = run(c);
  ASSERT_EQ(plan.nudges.size(), 3u);
  EXPECT_EQ(plan.nudges[1].second.kind(), v1::Nudge::TIME_CALL);
  EXPECT_EQ(plan.nudges[1].second.minutes_left(), 5u);
  EXPECT_EQ(plan.nudges[1].second.message(), "5 minutes left");
}

TEST_F(CohortFixture, BadCommandsAreRefusedWithReasons) {
  auto refused = [&](const v1::FacilitatorCommand& c, error_code code) {
    auto plan = cohort_.plan(*cohort_.facilitator(1), c, 1'000, scripts_, ids());
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().code(), code) << plan.error().to_string();
    EXPECT_FALSE(plan.error().message().empty());
  };
  v1::FacilitatorCommand c;
  refused(c, error_code::invalid_argument);
  c.mutable_broadcast()->set_text("   ");
  refused(c, error_code::invalid_argument);
  c.mutable_broadcast()->set_text(std::string(501, 'x'));
  refused(c, error_code::too_large);
  c.mutable_broadcast()->set_text("hi");
  c.mutable_broadcast()->add_room_ids("other-room");
  refused(c, error_code::not_found);
  c.mutable_call_time()->set_minutes_left(0);
  refused(c, error_code::invalid_argument);
  c.mutable_call_time()->set_minutes_left(121);
  refused(c, error_code::invalid_argument);
  c.mutable_propose_script()->set_script_id("no-such-script");
  refused(c, error_code::not_found);
  c.mutable_answer()->set_text("We did");
  refused(c, error_code::invalid_argument);
  c.mutable_answer()->add_item_ids("unknown");
  refused(c, error_code::not_found);
  c.mutable_group()->add_item_ids("unknown");
  refused(c, error_code::not_found);
  EXPECT_EQ(cohort_.programme().items_size(), 0);
  EXPECT_EQ(cohort_.programme().answers_size(), 0);
}

TEST_F(CohortFixture, ProposalsGoToEachChosenRoomOnce) {
  v1::FacilitatorCommand c;
  c.mutable_propose_script()->set_script_id("troika");
  c.mutable_propose_script()->add_room_ids("r1");
  c.mutable_propose_script()->add_room_ids("r3");
  auto plan = run(c);
  ASSERT_EQ(plan.writes.size(), 2u);
  EXPECT_EQ(plan.proposed_to, (std::vector<std::string>{"r1", "r3"}));
  const auto r1 = view_for_room(cohort_.programme(), "r1");
  ASSERT_EQ(r1.proposals_size(), 1);
  EXPECT_EQ(r1.proposals(0).script_id(), "troika");
  EXPECT_FALSE(r1.proposals(0).script_title().empty());
  EXPECT_EQ(r1.proposals(0).from_facilitator(), "Sam");
  EXPECT_EQ(view_for_room(cohort_.programme(), "r2").proposals_size(), 0);
}

TEST_F(CohortFixture, AnswersAndGroupsApplyToRaisedItems) {
  EXPECT_TRUE(cohort_.add_items({raised("i1", "r1"), raised("i2", "r2")}));
  EXPECT_FALSE(cohort_.add_items({raised("i1", "r1")})) << "the same version again";

  v1::FacilitatorCommand g;
  g.mutable_group()->add_item_ids("i1");
  g.mutable_group()->add_item_ids("i2");
  g.mutable_group()->set_group("Rotas");
  run(g);
  g.mutable_group()->set_group("Time");
  auto again = run(g);
  ASSERT_EQ(again.writes.size(), 2u);
  EXPECT_EQ(again.writes[0].version, 2u);

  v1::FacilitatorCommand a;
  a.mutable_answer()->set_text("We asked the rota team to keep Tuesdays free");
  a.mutable_answer()->add_item_ids("i1");
  run(a);
  const auto& p = cohort_.programme();
  ASSERT_EQ(p.items_size(), 2);
  EXPECT_EQ(p.items(0).group(), "Time");
  EXPECT_FALSE(p.items(0).answer_id().empty());
  EXPECT_EQ(p.items(1).answer_id(), "");
  ASSERT_EQ(p.answers_size(), 1);
  EXPECT_EQ(p.answers(0).answered_by(), "Sam");
  EXPECT_EQ(p.answers(0).at_ms(), 1'000);
}

}  // namespace
}  // namespace colead::room
