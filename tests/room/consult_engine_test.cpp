// The consult engine, driven with injected times through every built-in script.
#include "room/consult_engine.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace colead::room {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::int64_t minute = 60'000;
constexpr std::int64_t t0 = 1'000'000;  // room time at which each run starts

const consult_script& script(std::string_view id) {
  const auto* found = [&]() -> const consult_script* {
    for (const auto& s : built_in_scripts()) {
      if (s.id == id) return &s;
    }
    return nullptr;
  }();
  EXPECT_NE(found, nullptr) << id;
  return *found;
}

consult_start_options presenting(std::string presenter, bool advance_when_ready = false,
                                 std::string facilitator = {}) {
  consult_start_options options;
  options.presenter = std::move(presenter);
  options.advance_when_ready = advance_when_ready;
  options.facilitator = std::move(facilitator);
  return options;
}

// One phase as the state shows it: round, phase index, title, start time.
struct phase_seen {
  int round;
  int phase_index;
  std::string title;
  std::int64_t started_at_ms;
  std::string presenter;
  friend bool operator==(const phase_seen&, const phase_seen&) = default;
};

std::ostream& operator<<(std::ostream& os, const phase_seen& p) {
  return os << "{round " << p.round << ", phase " << p.phase_index << " '" << p.title << "' at "
            << p.started_at_ms << ", presenter " << p.presenter << "}";
}

// Lets time run, one phase end at a time, and records every phase the run went through.
std::vector<phase_seen> run_on_time(consult_engine& engine, std::int64_t now) {
  std::vector<phase_seen> seen;
  for (;;) {
    const auto st = engine.state(now);
    seen.push_back(
        {st.round, st.phase_index, st.phase_title, st.phase_started_at_ms, st.presenter});
    const auto deadline = engine.next_deadline_ms();
    if (!deadline) break;
    now = *deadline;
    engine.tick(now);
    if (!engine.is_active()) break;
  }
  return seen;
}

const consult_member_state& member_state(const consult_state& st, std::string_view member) {
  const auto it = std::find_if(st.members.begin(), st.members.end(),
                               [&](const auto& m) { return m.member == member; });
  EXPECT_NE(it, st.members.end()) << member;
  return *it;
}

std::vector<consult_event_kind> event_kinds(const consult_engine& engine) {
  std::vector<consult_event_kind> kinds;
  for (const auto& e : engine.events())
    kinds.push_back(e.kind);
  return kinds;
}

// ---------------------------------------------------------------------------------------
// Pair consult

TEST(PairConsult, RunsFourPhasesThenSwapsAndEndsWhenBothPresented) {
  consult_engine engine;
  ASSERT_TRUE(engine.start(script("pair-consult"), {"ana", "ben"}, {"ana", "ben"},
                           presenting("ana"), "ben", t0));
  const auto seen = run_on_time(engine, t0);
  EXPECT_THAT(seen, ElementsAre(phase_seen{1, 0, "Present the dilemma", t0, "ana"},
                                phase_seen{1, 1, "Questions only", t0 + 5 * minute, "ana"},
                                phase_seen{1, 2, "Offer reflections", t0 + 13 * minute, "ana"},
                                phase_seen{1, 3, "What I take away", t0 + 18 * minute, "ana"},
                                phase_seen{2, 0, "Present the dilemma", t0 + 20 * minute, "ben"},
                                phase_seen{2, 1, "Questions only", t0 + 25 * minute, "ben"},
                                phase_seen{2, 2, "Offer reflections", t0 + 33 * minute, "ben"},
                                phase_seen{2, 3, "What I take away", t0 + 38 * minute, "ben"}));
  EXPECT_EQ(engine.status(), consult_run_status::finished);
  EXPECT_EQ(engine.events().back().kind, consult_event_kind::finished);
  EXPECT_EQ(engine.events().back().at_ms, t0 + 40 * minute);
  const auto st = engine.state(t0 + 40 * minute);
  EXPECT_EQ(st.round_count, 2);
  EXPECT_EQ(st.started_by, "ben");
  EXPECT_EQ(st.remaining_ms, 0);
  EXPECT_FALSE(engine.next_deadline_ms());
}

TEST(PairConsult, RolesSwapEachRound) {
  consult_engine engine;
  ASSERT_TRUE(engine.start(script("pair-consult"), {"ana", "ben"}, {"ana", "ben"},
                           presenting("ana"), "ana", t0));
  auto st = engine.state(t0);
  EXPECT_EQ(member_state(st, "ana").role_id, "presenter");
  EXPECT_EQ(member_state(st, "ben").role_id, "consultant");
  EXPECT_EQ(member_state(st, "ben").role_name, "Consultant");
  engine.tick(t0 + 20 * minute);
  st = engine.state(t0 + 20 * minute);
  EXPECT_EQ(st.round, 2);
  EXPECT_EQ(member_state(st, "ana").role_id, "consultant");
  EXPECT_EQ(member_state(st, "ben").role_id, "presenter");
  EXPECT_EQ(member_state(st, "ben").role_kind, consult_role_kind::presenter);
}

TEST(PairConsult, ConsultantAsksQuestionsOnlyInQuestionsOnly) {
  consult_engine engine;
  ASSERT_TRUE(engine.start(script("pair-consult"), {"ana", "ben"}, {"ana", "ben"},
                           presenting("ana"), "ana", t0));
  auto refused = engine.may_write("ben", consult_write::question);
  EXPECT_EQ(refused.code(), error_code::not_allowed);
  EXPECT_EQ(refused.message(),
            "During 'Present the dilemma' no one may ask questions (the presenter speaks; the "
            "consultant listens without interrupting).");
  EXPECT_TRUE(engine.may_write("ben", consult_write::note));

  engine.tick(t0 + 5 * minute);
  EXPECT_TRUE(engine.may_write("ben", consult_write::question));
  refused = engine.may_write("ana", consult_write::question);
  EXPECT_EQ(refused.message(),
            "During 'Questions only' only a consultant may ask questions (questions only, no "
            "advice or suggestions yet).");
  EXPECT_EQ(engine.may_write("ana", consult_write::document_edit).message(),
            "During 'Questions only' no one may edit the shared documents (questions only, no "
            "advice or suggestions yet).");
}

TEST(PairConsult, AllOfItCountsAsReflection) {
  consult_engine engine;
  ASSERT_TRUE(engine.start(script("pair-consult"), {"ana", "ben"}, {"ana", "ben"},
                           presenting("ben"), "ana", t0));
  engine.tick(t0 + 60 * minute);
  const auto split = engine.time_split(t0 + 60 * minute);
  EXPECT_EQ(split.reflection_ms, 40 * minute);
  EXPECT_EQ(split.task_ms, 0);
  EXPECT_EQ(split.paused_ms, 0);
}

// ---------------------------------------------------------------------------------------
// Troika Consulting

TEST(Troika, EachMemberIsTheClientOnceInSeatOrderFromTheFirst) {
  consult_engine engine;
  ASSERT_TRUE(engine.start(script("troika"), {"ana", "ben", "cat"}, {"ana", "ben", "cat"},
                           presenting("ben"), "cat", t0));
  const auto seen = run_on_time(engine, t0);
  ASSERT_EQ(seen.size(), 12u);
  const std::vector<std::string> titles = {"The person presenting shares the challenge",
                                           "Clarifying questions", "Consultants discuss",
                                           "The person presenting says what was useful"};
  const std::vector<std::int64_t> offsets = {0, 2, 4, 8};
  const std::vector<std::string> clients = {"ben", "cat", "ana"};
  for (int round = 0; round < 3; ++round) {
    for (int phase = 0; phase < 4; ++phase) {
      const auto& p = seen[static_cast<std::size_t>(round * 4 + phase)];
      EXPECT_EQ(p,
                (phase_seen{round + 1, phase, titles[static_cast<std::size_t>(phase)],
                            t0 + (round * 10 + offsets[static_cast<std::size_t>(phase)]) * minute,
                            clients[static_cast<std::size_t>(round)]}));
    }
  }
  EXPECT_EQ(engine.status(), consult_run_status::finished);
  EXPECT_EQ(engine.events().back().at_ms, t0 + 30 * minute);
  std::vector<std::string> round_presenters;
  for (const auto& e : engine.events()) {
    if (e.kind == consult_event_kind::round_started) round_presenters.push_back(e.member);
  }
  EXPECT_EQ(round_presenters, clients);
}

TEST(Troika, ClientIsRefusedWhileTurnedAwayAndTheStateSaysSo) {
  consult_engine engine;
  ASSERT_TRUE(engine.start(script("troika"), {"ana", "ben", "cat"}, {"ana", "ben", "cat"},
                           presenting("ana"), "ana", t0));
  engine.tick(t0 + 4 * minute);
  auto st = engine.state(t0 + 4 * minute);
  ASSERT_EQ(st.phase_title, "Consultants discuss");
  EXPECT_TRUE(st.presenter_turned_away);
  EXPECT_TRUE(member_state(st, "ana").turned_away);
  EXPECT_FALSE(member_state(st, "ben").turned_away);
  EXPECT_FALSE(member_state(st, "ana").speaks);
  EXPECT_TRUE(member_state(st, "ben").speaks);
  EXPECT_FALSE(member_state(st, "ana").may_write_notes);
  EXPECT_TRUE(member_state(st, "ben").may_write_notes);

  const std::string rule =
      "During 'Consultants discuss' the person presenting listens with their back turned: your "
      "notes are private until the person presenting turns back.";
  for (const auto what :
       {consult_write::note, consult_write::question, consult_write::document_edit}) {
    const auto refused = engine.may_write("ana", what);
    EXPECT_EQ(refused.code(), error_code::not_allowed);
    EXPECT_EQ(wire_name(refused.code()), "NOT_ALLOWED");
    EXPECT_EQ(refused.message(), rule);
  }
  EXPECT_TRUE(engine.may_write("cat", consult_write::note));
  EXPECT_EQ(
      engine.may_write("cat", consult_write::question).message(),
      "During 'Consultants discuss' no one may ask questions (the person presenting listens with "
      "their back turned).");
  EXPECT_EQ(engine.ask_question("ana", "Can I add something?", t0 + 5 * minute).message(), rule);

  engine.tick(t0 + 8 * minute);
  st = engine.state(t0 + 8 * minute);
  EXPECT_EQ(st.phase_title, "The person presenting says what was useful");
  EXPECT_FALSE(st.presenter_turned_away);
  EXPECT_TRUE(engine.may_write("ana", consult_write::note));
}

TEST(Troika, OnlyConsultantsAskClarifyingQuestions) {
  consult_engine engine;
  ASSERT_TRUE(engine.start(script("troika"), {"ana", "ben", "cat"}, {"ana", "ben", "cat"},
                           presenting("ana"), "ana", t0));
  EXPECT_FALSE(engine.may_write("ben", consult_write::question));
  engine.tick(t0 + 2 * minute);
  EXPECT_TRUE(engine.may_write("ben", consult_write::question));
  EXPECT_TRUE(engine.may_write("cat", consult_write::question));
  EXPECT_EQ(engine.may_write("ana", consult_write::question).message(),
            "During 'Clarifying questions' only a consultant may ask questions (clarifying "
            "questions only, no advice yet).");
  const auto st = engine.state(t0 + 2 * minute);
  EXPECT_TRUE(member_state(st, "ben").may_ask_questions);
  EXPECT_FALSE(member_state(st, "ana").may_ask_questions);
  EXPECT_EQ(member_state(st, "ben").prompt,
            "Ask clarifying questions to understand the challenge. No advice yet.");
}

TEST(Troika, NeedsExactlyThreeAndHasNoFacilitator) {
  consult_engine engine;
  auto refused = engine.start(script("troika"), {"ana", "ben"}, {}, presenting("ana"), "ana", t0);
  EXPECT_EQ(refused.message(), "Troika Consulting is for 3 members; 2 are taking part.");
  refused = engine.start(script("troika"), {"ana", "ben", "cat", "dev"}, {},
                         presenting("ana", false, "dev"), "ana", t0);
  EXPECT_THAT(refused.message(), HasSubstr("is for 3 members; 4 are taking part"));
  refused = engine.start(script("troika"), {"ana", "ben", "cat"}, {},
                         presenting("ana", false, "cat"), "ana", t0);
  EXPECT_EQ(refused.message(), "Troika Consulting has no facilitator role: start it without one.");
  EXPECT_EQ(engine.status(), consult_run_status::idle);
}

// ---------------------------------------------------------------------------------------
// Action learning round

TEST(ActionLearning, FacilitatorNeverPresentsAndHoldsTheRoleEveryRound) {
  consult_engine engine;
  const std::vector<std::string> set = {"ana", "ben", "cat", "dev", "eve"};
  ASSERT_TRUE(engine.start(script("action-learning"), set, set, presenting("dev", false, "ben"),
                           "ben", t0));
  auto st = engine.state(t0);
  EXPECT_EQ(st.round_count, 4);
  EXPECT_EQ(st.facilitator, "ben");
  std::vector<std::string> presenters;
  for (int round = 0; round < 4; ++round) {
    const std::int64_t at = t0 + round * 50 * minute;
    engine.tick(at);
    st = engine.state(at);
    EXPECT_EQ(st.round, round + 1);
    EXPECT_EQ(st.phase_title, "Presentation");
    presenters.push_back(st.presenter);
    EXPECT_EQ(member_state(st, "ben").role_id, "facilitator");
    EXPECT_EQ(member_state(st, st.presenter).role_id, "issue-holder");
    EXPECT_EQ(member_state(st, st.presenter).role_name, "Issue holder");
  }
  EXPECT_EQ(presenters, (std::vector<std::string>{"dev", "eve", "ana", "cat"}));
  engine.tick(t0 + 200 * minute);
  EXPECT_EQ(engine.status(), consult_run_status::finished);
}

TEST(ActionLearning, WithoutAFacilitatorEveryMemberPresents) {
  consult_engine engine;
  const std::vector<std::string> set = {"ana", "ben", "cat", "dev"};
  ASSERT_TRUE(engine.start(script("action-learning"), set, set, presenting("ana"), "ana", t0));
  EXPECT_EQ(engine.state(t0).round_count, 4);
  const auto seen = run_on_time(engine, t0);
  EXPECT_EQ(seen.size(), 4u * 6u);
  EXPECT_EQ(seen[6].started_at_ms, t0 + 50 * minute);
  EXPECT_EQ(seen[23].title, "Learning about the process");
  EXPECT_EQ(seen[23].presenter, "dev");
  EXPECT_EQ(engine.events().back().at_ms, t0 + 200 * minute);
}

TEST(ActionLearning, SeatsAndFacilitatorChoicesAreChecked) {
  consult_engine engine;
  const auto& al = script("action-learning");
  EXPECT_EQ(engine.start(al, {"a", "b", "c"}, {}, presenting("a"), "a", t0).message(),
            "Action learning round is for 4 to 8 members; 3 are taking part.");
  EXPECT_FALSE(engine.start(al, {"a", "b", "c", "d", "e", "f", "g", "h", "i"}, {}, presenting("a"),
                            "a", t0));
  EXPECT_EQ(
      engine.start(al, {"a", "b", "c", "d"}, {}, presenting("a", false, "a"), "a", t0).message(),
      "The facilitator never presents: choose another member to present first.");
  EXPECT_EQ(
      engine.start(al, {"a", "b", "c", "d"}, {}, presenting("a", false, "z"), "a", t0).message(),
      "The facilitator 'z' is not one of the members taking part.");
  EXPECT_EQ(engine.status(), consult_run_status::idle);
}

consult_start_options kept_by(std::string facilitator, std::string presenter) {
  auto options = presenting(std::move(presenter), false, std::move(facilitator));
  options.facilitator_keeps_time = true;
  return options;
}

TEST(ActionLearning, AFacilitatorWhoKeepsTimeAloneMovesExtendsResumesAndStops) {
  consult_engine engine;
  const std::vector<std::string> set = {"ana", "ben", "cat", "dev", "eve"};
  ASSERT_TRUE(engine.start(script("action-learning"), set, set, kept_by("eve", "ana"), "ana", t0));
  EXPECT_TRUE(engine.state(t0).facilitator_keeps_time);

  const auto refused = engine.advance("ben", t0 + minute);
  EXPECT_EQ(refused.message(), "'eve' keeps time in this set: ask them to move on.");
  EXPECT_EQ(engine.extend("cat", 5, t0 + minute).message(),
            "'eve' keeps time in this set: ask them to give the phase more time.");
  EXPECT_EQ(engine.stop("ana", t0 + minute).message(),
            "'eve' keeps time in this set: ask them to stop the consult.");
  EXPECT_EQ(engine.state(t0 + minute).phase_index, 0);
  EXPECT_EQ(engine.state(t0 + minute).phase_minutes, 10);

  // Any member may stop the set to look at the process; only the facilitator resumes.
  ASSERT_TRUE(engine.pause("ben", "we are giving advice", t0 + 2 * minute));
  EXPECT_EQ(engine.resume("ben", t0 + 3 * minute).message(),
            "'eve' keeps time in this set: ask them to resume the round.");
  EXPECT_EQ(engine.status(), consult_run_status::paused);
  ASSERT_TRUE(engine.resume("eve", t0 + 3 * minute));
  ASSERT_TRUE(engine.extend("eve", 5, t0 + 3 * minute));
  ASSERT_TRUE(engine.advance("eve", t0 + 4 * minute));
  EXPECT_EQ(engine.state(t0 + 4 * minute).phase_title, "Clarifying questions");
  EXPECT_EQ(engine.events().back().member, "eve");
  ASSERT_TRUE(engine.stop("eve", t0 + 5 * minute));
  EXPECT_EQ(engine.status(), consult_run_status::stopped);
}

TEST(ActionLearning, MembersKeepTimeWhileTheFacilitatorIsAway) {
  consult_engine engine;
  const std::vector<std::string> set = {"ana", "ben", "cat", "dev", "eve"};
  ASSERT_TRUE(engine.start(script("action-learning"), set, set, kept_by("eve", "ana"), "ana", t0));
  ASSERT_TRUE(engine.set_present("eve", false, t0 + minute));
  ASSERT_TRUE(engine.advance("ben", t0 + minute));
  EXPECT_EQ(engine.state(t0 + minute).phase_title, "Clarifying questions");
  ASSERT_TRUE(engine.set_present("eve", true, t0 + 2 * minute));
  EXPECT_FALSE(engine.advance("ben", t0 + 2 * minute));
  // Readiness still moves a phase on when everyone present is ready, the facilitator too.
  EXPECT_EQ(engine.state(t0 + 2 * minute).phase_title, "Clarifying questions");
}

TEST(ActionLearning, WithoutAFacilitatorKeepingTimeIsNobodys) {
  consult_engine engine;
  const std::vector<std::string> set = {"ana", "ben", "cat", "dev"};
  auto options = presenting("ana");
  options.facilitator_keeps_time = true;  // ignored: no facilitator
  ASSERT_TRUE(engine.start(script("action-learning"), set, set, options, "ana", t0));
  EXPECT_FALSE(engine.state(t0).facilitator_keeps_time);
  EXPECT_TRUE(engine.advance("ben", t0 + minute));
}

TEST(ActionLearning, ActionsPhaseCountsAsTaskAndTellsTheMeetingClock) {
  consult_engine engine;
  const std::vector<std::string> set = {"ana", "ben", "cat", "dev"};
  ASSERT_TRUE(engine.start(script("action-learning"), set, set, presenting("ana"), "ana", t0));
  EXPECT_EQ(engine.implied_meeting_mode(), consult_time_kind::reflection);
  EXPECT_TRUE(engine.current_phase_counts_as_reflection());

  engine.tick(t0 + 40 * minute);  // Actions: 40 to 45 minutes into the round
  ASSERT_EQ(engine.state(t0 + 40 * minute).phase_title, "Actions");
  EXPECT_FALSE(engine.current_phase_counts_as_reflection());
  EXPECT_EQ(engine.implied_meeting_mode(), consult_time_kind::task);
  EXPECT_FALSE(engine.state(t0 + 40 * minute).counts_as_reflection);

  engine.tick(t0 + 45 * minute);
  EXPECT_EQ(engine.implied_meeting_mode(), consult_time_kind::reflection);

  engine.tick(t0 + 50 * minute);
  const auto split = engine.time_split(t0 + 50 * minute);
  EXPECT_EQ(split.reflection_ms, 45 * minute);
  EXPECT_EQ(split.task_ms, 5 * minute);

  const auto records = engine.phase_records(t0 + 52 * minute);
  ASSERT_EQ(records.size(), 7u);
  EXPECT_EQ(records[4].title, "Actions");
  EXPECT_FALSE(records[4].counts_as_reflection);
  EXPECT_EQ(records[4].active_ms, 5 * minute);
  EXPECT_EQ(records[4].ended, consult_phase_end::time_ended);
  EXPECT_EQ(records[6].round, 2);
  EXPECT_EQ(records[6].presenter, "ben");
  EXPECT_EQ(records[6].ended_at_ms, 0);
  EXPECT_EQ(records[6].active_ms, 2 * minute);
  EXPECT_EQ(engine.time_split(t0 + 52 * minute).reflection_ms, 47 * minute);
}

TEST(ActionLearning, OnlyTheIssueHolderEditsDocumentsAndOnlyInActions) {
  consult_engine engine;
  const std::vector<std::string> set = {"ana", "ben", "cat", "dev"};
  ASSERT_TRUE(engine.start(script("action-learning"), set, set, presenting("ana", false, "dev"),
                           "ana", t0));
  EXPECT_FALSE(engine.may_write("ana", consult_write::document_edit));
  engine.tick(t0 + 40 * minute);
  EXPECT_TRUE(engine.may_write("ana", consult_write::document_edit));
  EXPECT_EQ(engine.may_write("ben", consult_write::document_edit).message(),
            "During 'Actions' only an issue holder may edit the shared documents (the issue "
            "holder says what they will do before the set meets again).");
}

TEST(ActionLearning, FacilitatorAndSetMembersAskQuestionsThatHelp) {
  consult_engine engine;
  const std::vector<std::string> set = {"ana", "ben", "cat", "dev"};
  ASSERT_TRUE(engine.start(script("action-learning"), set, set, presenting("ana", false, "dev"),
                           "ana", t0));
  engine.tick(t0 + 15 * minute);
  ASSERT_EQ(engine.state(t0 + 15 * minute).phase_title, "Questions that help");
  EXPECT_TRUE(engine.may_write("dev", consult_write::question));
  EXPECT_TRUE(engine.may_write("ben", consult_write::question));
  EXPECT_EQ(engine.may_write("ana", consult_write::question).message(),
            "During 'Questions that help' only a set member or a facilitator may ask questions "
            "(open questions that help the issue holder think; no advice, no stories of your "
            "own).");
}

// ---------------------------------------------------------------------------------------
// Wise Crowds

TEST(WiseCrowds, EachOfFiveMembersGetsFifteenMinutes) {
  consult_engine engine;
  const std::vector<std::string> crowd = {"ana", "ben", "cat", "dev", "eve"};
  ASSERT_TRUE(engine.start(script("wise-crowds"), crowd, crowd, presenting("cat"), "eve", t0));
  const auto seen = run_on_time(engine, t0);
  ASSERT_EQ(seen.size(), 20u);
  const std::vector<std::int64_t> offsets = {0, 2, 5, 13};
  const std::vector<std::string> clients = {"cat", "dev", "eve", "ana", "ben"};
  for (std::size_t round = 0; round < 5; ++round) {
    for (std::size_t phase = 0; phase < 4; ++phase) {
      const auto& p = seen[round * 4 + phase];
      EXPECT_EQ(p.started_at_ms,
                t0 + (static_cast<std::int64_t>(round) * 15 + offsets[phase]) * minute);
      EXPECT_EQ(p.presenter, clients[round]);
    }
  }
  EXPECT_EQ(seen[2].title, "Consultants consult");
  EXPECT_EQ(engine.events().back().at_ms, t0 + 75 * minute);
  EXPECT_EQ(engine.time_split(t0 + 80 * minute).reflection_ms, 75 * minute);
}

TEST(WiseCrowds, ClientTurnsAwayWhileTheOthersConsult) {
  consult_engine engine;
  const std::vector<std::string> crowd = {"ana", "ben", "cat", "dev"};
  ASSERT_TRUE(engine.start(script("wise-crowds"), crowd, crowd, presenting("ana"), "ana", t0));
  engine.tick(t0 + 5 * minute);
  EXPECT_TRUE(engine.state(t0 + 5 * minute).presenter_turned_away);
  EXPECT_EQ(engine.may_write("ana", consult_write::note).message(),
            "During 'Consultants consult' the person presenting listens with their back turned: "
            "your notes are private until the person presenting turns back.");
  EXPECT_TRUE(engine.may_write("dev", consult_write::note));
  consult_engine other;
  EXPECT_EQ(
      other.start(script("wise-crowds"), {"a", "b", "c"}, {}, presenting("a"), "a", t0).message(),
      "Wise Crowds is for 4 to 7 members; 3 are taking part.");
}

// ---------------------------------------------------------------------------------------
// Moving on: ready, time, advance, extend

class TroikaRun : public ::testing::Test {
 protected:
  void start(bool advance_when_ready, std::vector<std::string> present = {"ana", "ben", "cat"}) {
    ASSERT_TRUE(engine_.start(script("troika"), {"ana", "ben", "cat"}, present,
                              presenting("ana", advance_when_ready), "ana", t0));
  }
  std::string phase_at(std::int64_t now) { return engine_.state(now).phase_title; }

  consult_engine engine_;
};

TEST_F(TroikaRun, MovesOnWhenEveryPresentMemberIsReady) {
  start(true, {"ana", "ben"});  // cat is not connected
  ASSERT_TRUE(engine_.ready("ana", t0 + 10'000));
  EXPECT_EQ(phase_at(t0 + 10'000), "The person presenting shares the challenge");
  auto st = engine_.state(t0 + 10'000);
  EXPECT_EQ(st.ready, std::vector<std::string>{"ana"});
  EXPECT_EQ(st.waiting_for, std::vector<std::string>{"ben"});
  EXPECT_TRUE(member_state(st, "ana").ready);
  EXPECT_FALSE(member_state(st, "cat").present);

  ASSERT_TRUE(engine_.ready("ben", t0 + 20'000));
  st = engine_.state(t0 + 20'000);
  EXPECT_EQ(st.phase_title, "Clarifying questions");
  EXPECT_EQ(st.phase_started_at_ms, t0 + 20'000);
  EXPECT_EQ(st.phase_ends_at_ms, t0 + 20'000 + 2 * minute);
  EXPECT_TRUE(st.ready.empty());
  EXPECT_EQ(st.waiting_for, (std::vector<std::string>{"ana", "ben"}));
  const auto records = engine_.phase_records(t0 + 20'000);
  EXPECT_EQ(records[0].ended, consult_phase_end::all_ready);
  EXPECT_EQ(records[0].active_ms, 20'000);
  EXPECT_THAT(event_kinds(engine_),
              ElementsAre(consult_event_kind::started, consult_event_kind::round_started,
                          consult_event_kind::ready, consult_event_kind::ready,
                          consult_event_kind::all_ready));
}

TEST_F(TroikaRun, AMemberLeavingCanCompleteReadiness) {
  start(true);
  ASSERT_TRUE(engine_.ready("ana", t0 + 1'000));
  ASSERT_TRUE(engine_.ready("ben", t0 + 2'000));
  EXPECT_EQ(phase_at(t0 + 2'000), "The person presenting shares the challenge");
  ASSERT_TRUE(engine_.set_present("cat", false, t0 + 3'000));
  EXPECT_EQ(phase_at(t0 + 3'000), "Clarifying questions");
  EXPECT_EQ(engine_.state(t0 + 3'000).phase_started_at_ms, t0 + 3'000);
}

TEST_F(TroikaRun, ReadinessOfAnAbsentMemberDoesNotCount) {
  start(true, {"ana"});
  ASSERT_TRUE(engine_.ready("cat", t0 + 1'000));  // marked ready, but not connected
  EXPECT_EQ(phase_at(t0 + 1'000), "The person presenting shares the challenge");
  ASSERT_TRUE(engine_.ready("ana", t0 + 2'000));
  EXPECT_EQ(phase_at(t0 + 2'000), "Clarifying questions");
}

TEST_F(TroikaRun, NobodyPresentMeansOnlyTimeMovesOn) {
  start(true, {});
  ASSERT_TRUE(engine_.set_present("ana", false, t0 + 1'000));
  EXPECT_EQ(phase_at(t0 + 1'000), "The person presenting shares the challenge");
  engine_.tick(t0 + 2 * minute);
  EXPECT_EQ(phase_at(t0 + 2 * minute), "Clarifying questions");
}

TEST_F(TroikaRun, WhenTheRoomChoseTimeReadinessIsShownButDoesNotMoveOn) {
  start(false);
  for (const auto* m : {"ana", "ben", "cat"})
    ASSERT_TRUE(engine_.ready(m, t0 + 1'000));
  const auto st = engine_.state(t0 + 1'000);
  EXPECT_EQ(st.phase_title, "The person presenting shares the challenge");
  EXPECT_FALSE(st.advance_when_ready);
  EXPECT_EQ(st.ready, (std::vector<std::string>{"ana", "ben", "cat"}));
  EXPECT_TRUE(st.waiting_for.empty());
  engine_.tick(t0 + 2 * minute);
  EXPECT_EQ(phase_at(t0 + 2 * minute), "Clarifying questions");
  EXPECT_TRUE(engine_.state(t0 + 2 * minute).ready.empty());
}

TEST_F(TroikaRun, ReadyCanBeWithdrawnAndRepeatingItChangesNothing) {
  start(true);
  ASSERT_TRUE(engine_.ready("ana", t0 + 1'000));
  ASSERT_TRUE(engine_.ready("ana", t0 + 1'500));
  ASSERT_TRUE(engine_.not_ready("ana", t0 + 2'000));
  ASSERT_TRUE(engine_.not_ready("ana", t0 + 2'500));
  ASSERT_TRUE(engine_.ready("ben", t0 + 3'000));
  ASSERT_TRUE(engine_.ready("cat", t0 + 4'000));
  EXPECT_EQ(phase_at(t0 + 4'000), "The person presenting shares the challenge");
  EXPECT_EQ(engine_.state(t0 + 4'000).waiting_for, std::vector<std::string>{"ana"});
  EXPECT_THAT(event_kinds(engine_),
              ElementsAre(consult_event_kind::started, consult_event_kind::round_started,
                          consult_event_kind::ready, consult_event_kind::not_ready,
                          consult_event_kind::ready, consult_event_kind::ready));
}

TEST_F(TroikaRun, ALateTickEndsEachPhaseAtItsOwnEndTime) {
  start(false);
  engine_.tick(t0 + 7 * minute);
  const auto st = engine_.state(t0 + 7 * minute);
  EXPECT_EQ(st.phase_title, "Consultants discuss");
  EXPECT_EQ(st.phase_started_at_ms, t0 + 4 * minute);
  EXPECT_EQ(st.remaining_ms, 1 * minute);
  const auto records = engine_.phase_records(t0 + 7 * minute);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].ended_at_ms, t0 + 2 * minute);
  EXPECT_EQ(records[1].ended_at_ms, t0 + 4 * minute);
  EXPECT_EQ(records[1].active_ms, 2 * minute);
  EXPECT_EQ(records[2].active_ms, 3 * minute);
  EXPECT_EQ(engine_.events()[2].kind, consult_event_kind::time_ended);
  EXPECT_EQ(engine_.events()[2].at_ms, t0 + 2 * minute);
  EXPECT_EQ(engine_.events()[2].phase_index, 0);
  EXPECT_EQ(engine_.events()[3].at_ms, t0 + 4 * minute);
  EXPECT_EQ(engine_.events()[3].phase_index, 1);
}

TEST_F(TroikaRun, TimeThatGoesBackwardsIsTreatedAsTheLatestSeen) {
  start(false);
  engine_.tick(t0 + 3 * minute);
  ASSERT_TRUE(engine_.advance("ben", t0 + 1 * minute));
  const auto records = engine_.phase_records(t0 + 3 * minute);
  EXPECT_EQ(records[1].ended_at_ms, t0 + 3 * minute);
  EXPECT_EQ(records[1].active_ms, 1 * minute);
}

TEST_F(TroikaRun, AnyMemberCanAdvanceAndIsNamed) {
  start(false);
  ASSERT_TRUE(engine_.advance("cat", t0 + 30'000));
  const auto st = engine_.state(t0 + 30'000);
  EXPECT_EQ(st.phase_title, "Clarifying questions");
  EXPECT_EQ(st.changed_by, "cat");
  const auto& e = engine_.events().back();
  EXPECT_EQ(e.kind, consult_event_kind::advanced);
  EXPECT_EQ(e.member, "cat");
  EXPECT_EQ(e.at_ms, t0 + 30'000);
  EXPECT_EQ(e.phase_index, 0);
  const auto records = engine_.phase_records(t0 + 30'000);
  EXPECT_EQ(records[0].ended, consult_phase_end::advanced);
  EXPECT_EQ(records[0].ended_by, "cat");
  EXPECT_EQ(records[0].active_ms, 30'000);
  EXPECT_EQ(engine_.advance("zed", t0 + 31'000).message(),
            "'zed' is not taking part in this consult.");
}

TEST_F(TroikaRun, AdvancingTheLastPhaseStartsTheNextRound) {
  start(false);
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(engine_.advance("ben", t0 + (i + 1) * 1'000));
  const auto st = engine_.state(t0 + 4'000);
  EXPECT_EQ(st.round, 2);
  EXPECT_EQ(st.presenter, "ben");
  EXPECT_EQ(st.phase_index, 0);
  EXPECT_EQ(st.phase_started_at_ms, t0 + 4'000);
}

TEST_F(TroikaRun, ExtendGivesThePhaseMoreTimeAndNamesWhoAsked) {
  start(false);
  ASSERT_TRUE(engine_.extend("ben", 3, t0 + 1 * minute));
  auto st = engine_.state(t0 + 1 * minute);
  EXPECT_EQ(st.phase_minutes, 5);
  EXPECT_EQ(st.phase_ends_at_ms, t0 + 5 * minute);
  EXPECT_EQ(st.remaining_ms, 4 * minute);
  EXPECT_EQ(st.changed_by, "ben");
  const auto& e = engine_.events().back();
  EXPECT_EQ(e.kind, consult_event_kind::extended);
  EXPECT_EQ(e.member, "ben");
  EXPECT_EQ(e.minutes, 3);
  engine_.tick(t0 + 4 * minute);
  EXPECT_EQ(phase_at(t0 + 4 * minute), "The person presenting shares the challenge");
  engine_.tick(t0 + 5 * minute);
  EXPECT_EQ(phase_at(t0 + 5 * minute), "Clarifying questions");
  EXPECT_EQ(engine_.phase_records(t0 + 5 * minute)[0].extended_minutes, 3);
  EXPECT_EQ(engine_.phase_records(t0 + 5 * minute)[0].active_ms, 5 * minute);
}

TEST_F(TroikaRun, ExtendKeepsItsLimits) {
  start(false);
  EXPECT_EQ(engine_.extend("ben", 0, t0).message(), "Extend a phase by 1 to 30 minutes (not 0).");
  EXPECT_FALSE(engine_.extend("ben", 31, t0));
  for (int i = 0; i < 7; ++i)
    ASSERT_TRUE(engine_.extend("ben", 30, t0));
  ASSERT_TRUE(engine_.extend("ben", 28, t0));  // 2 + 7 * 30 + 28 = 240
  EXPECT_EQ(engine_.extend("ben", 1, t0).message(),
            "'The person presenting shares the challenge' is already planned for 240 minutes; a "
            "phase can run "
            "for at most 240.");
  EXPECT_EQ(engine_.state(t0).phase_ends_at_ms, t0 + 240 * minute);
}

// ---------------------------------------------------------------------------------------
// Pause ("stop the set"), resume and stop

TEST_F(TroikaRun, PausingStopsTheClockAndLogsAProcessNote) {
  start(true);
  ASSERT_TRUE(engine_.pause("cat", "  We keep giving advice too early.  ", t0 + 1 * minute));
  auto st = engine_.state(t0 + 1 * minute);
  EXPECT_EQ(st.status, consult_run_status::paused);
  EXPECT_TRUE(st.paused);
  EXPECT_EQ(st.paused_by, "cat");
  EXPECT_EQ(st.paused_at_ms, t0 + 1 * minute);
  EXPECT_EQ(st.phase_ends_at_ms, 0);
  ASSERT_EQ(engine_.process_notes().size(), 1u);
  EXPECT_EQ(engine_.process_notes()[0].author, "cat");
  EXPECT_EQ(engine_.process_notes()[0].text, "We keep giving advice too early.");
  EXPECT_EQ(engine_.process_notes()[0].at_ms, t0 + 1 * minute);
  EXPECT_EQ(engine_.events().back().kind, consult_event_kind::paused);
  EXPECT_EQ(engine_.events().back().text, "We keep giving advice too early.");
  EXPECT_FALSE(engine_.next_deadline_ms());

  // Time passes, but the phase does not end and its time does not count.
  engine_.tick(t0 + 11 * minute);
  st = engine_.state(t0 + 11 * minute);
  EXPECT_EQ(st.phase_title, "The person presenting shares the challenge");
  EXPECT_EQ(st.remaining_ms, 1 * minute);
  EXPECT_EQ(engine_.time_split(t0 + 11 * minute).reflection_ms, 1 * minute);
  EXPECT_EQ(engine_.time_split(t0 + 11 * minute).paused_ms, 10 * minute);
  EXPECT_EQ(engine_.implied_meeting_mode(), consult_time_kind::reflection);

  // While paused: no moving on and no questions; notes are for the process.
  EXPECT_EQ(engine_.ready("ana", t0 + 11 * minute).message(),
            "The round is paused: resume it before moving on.");
  EXPECT_FALSE(engine_.advance("ana", t0 + 11 * minute));
  EXPECT_THAT(engine_.may_write("ben", consult_write::question).message(),
              HasSubstr("The round is paused"));
  EXPECT_TRUE(engine_.may_write("ana", consult_write::note));
  EXPECT_THAT(engine_.pause("ben", "", t0 + 11 * minute).message(),
              HasSubstr("already paused (by cat)"));

  ASSERT_TRUE(engine_.resume("ana", t0 + 11 * minute));
  st = engine_.state(t0 + 11 * minute);
  EXPECT_EQ(st.status, consult_run_status::running);
  EXPECT_EQ(st.phase_ends_at_ms, t0 + 12 * minute);
  EXPECT_EQ(st.changed_by, "ana");
  EXPECT_EQ(engine_.events().back().kind, consult_event_kind::resumed);
  EXPECT_EQ(engine_.events().back().member, "ana");
  EXPECT_EQ(engine_.resume("ana", t0 + 11 * minute).message(), "The round is not paused.");

  engine_.tick(t0 + 12 * minute);
  EXPECT_EQ(phase_at(t0 + 12 * minute), "Clarifying questions");
  const auto records = engine_.phase_records(t0 + 12 * minute);
  EXPECT_EQ(records[0].active_ms, 2 * minute);
  EXPECT_EQ(records[0].paused_ms, 10 * minute);
}

TEST_F(TroikaRun, PauseWithoutANoteLogsADefaultOne) {
  start(false);
  ASSERT_TRUE(engine_.pause("ben", "   ", t0));
  EXPECT_EQ(engine_.process_notes()[0].text, "The set stopped to look at how the round is going.");
}

TEST_F(TroikaRun, PauseLiftsTheTurnedAwayRuleUntilResumed) {
  start(false);
  engine_.tick(t0 + 4 * minute);
  ASSERT_TRUE(engine_.pause("ana", "Can I say something about the process?", t0 + 5 * minute));
  EXPECT_FALSE(engine_.state(t0 + 5 * minute).presenter_turned_away);
  EXPECT_TRUE(engine_.may_write("ana", consult_write::note));
  ASSERT_TRUE(engine_.resume("ben", t0 + 6 * minute));
  EXPECT_TRUE(engine_.state(t0 + 6 * minute).presenter_turned_away);
  EXPECT_FALSE(engine_.may_write("ana", consult_write::note));
}

TEST_F(TroikaRun, ExtendWhilePausedAddsToTheTimeLeft) {
  start(false);
  ASSERT_TRUE(engine_.pause("ben", "", t0 + 1 * minute));
  ASSERT_TRUE(engine_.extend("cat", 2, t0 + 2 * minute));
  EXPECT_EQ(engine_.state(t0 + 2 * minute).remaining_ms, 3 * minute);
  ASSERT_TRUE(engine_.resume("ben", t0 + 5 * minute));
  EXPECT_EQ(engine_.state(t0 + 5 * minute).phase_ends_at_ms, t0 + 8 * minute);
}

TEST_F(TroikaRun, ResumeMovesOnIfEveryoneLeftPresentIsReady) {
  start(true);
  ASSERT_TRUE(engine_.ready("ana", t0 + 1'000));
  ASSERT_TRUE(engine_.ready("ben", t0 + 2'000));
  ASSERT_TRUE(engine_.pause("ben", "", t0 + 3'000));
  ASSERT_TRUE(engine_.set_present("cat", false, t0 + 4'000));
  EXPECT_EQ(phase_at(t0 + 4'000), "The person presenting shares the challenge");
  ASSERT_TRUE(engine_.resume("ana", t0 + 5'000));
  EXPECT_EQ(phase_at(t0 + 5'000), "Clarifying questions");
}

TEST_F(TroikaRun, StopEndsTheRunAndNamesWhoStoppedIt) {
  start(false);
  engine_.tick(t0 + 3 * minute);
  ASSERT_TRUE(engine_.stop("ben", t0 + 3 * minute));
  EXPECT_EQ(engine_.status(), consult_run_status::stopped);
  EXPECT_FALSE(engine_.is_active());
  EXPECT_FALSE(engine_.next_deadline_ms());
  EXPECT_FALSE(engine_.implied_meeting_mode());
  EXPECT_FALSE(engine_.current_phase_counts_as_reflection());
  const auto& e = engine_.events().back();
  EXPECT_EQ(e.kind, consult_event_kind::stopped);
  EXPECT_EQ(e.member, "ben");
  const auto records = engine_.phase_records(t0 + 9 * minute);
  EXPECT_EQ(records.back().ended, consult_phase_end::stopped);
  EXPECT_EQ(records.back().ended_by, "ben");
  EXPECT_EQ(records.back().active_ms, 1 * minute);
  EXPECT_EQ(engine_.time_split(t0 + 9 * minute).reflection_ms, 3 * minute);
  const auto st = engine_.state(t0 + 9 * minute);
  EXPECT_EQ(st.status, consult_run_status::stopped);
  EXPECT_EQ(st.changed_by, "ben");
  EXPECT_EQ(st.remaining_ms, 0);
  EXPECT_TRUE(st.waiting_for.empty());

  EXPECT_EQ(engine_.ready("ana", t0 + 9 * minute).message(), "The consult was stopped.");
  EXPECT_EQ(engine_.stop("ana", t0 + 9 * minute).message(), "The consult was stopped.");
  EXPECT_TRUE(engine_.may_write("ana", consult_write::note));
  EXPECT_THAT(engine_.may_write("ana", consult_write::question).message(),
              HasSubstr("No consult is running"));
  // A new run can start and forgets the old one.
  ASSERT_TRUE(engine_.start(script("troika"), {"ana", "ben", "cat"}, {}, presenting("cat"), "cat",
                            t0 + 10 * minute));
  EXPECT_EQ(engine_.phase_records(t0 + 10 * minute).size(), 1u);
  EXPECT_EQ(engine_.events().size(), 2u);
}

TEST_F(TroikaRun, StopWhilePausedLeavesThePauseOutOfTheTime) {
  start(false);
  ASSERT_TRUE(engine_.pause("ben", "", t0 + 1 * minute));
  ASSERT_TRUE(engine_.stop("ana", t0 + 6 * minute));
  const auto split = engine_.time_split(t0 + 6 * minute);
  EXPECT_EQ(split.reflection_ms, 1 * minute);
  EXPECT_EQ(split.paused_ms, 5 * minute);
}

TEST_F(TroikaRun, AStartWhileRunningIsRefused) {
  start(false);
  EXPECT_EQ(
      engine_
          .start(script("pair-consult"), {"ana", "ben"}, {}, presenting("ana"), "ana", t0 + 1'000)
          .message(),
      "A consult is already running (Troika Consulting, round 1 of 3): stop it before "
      "starting another.");
  EXPECT_EQ(engine_.state(t0 + 1'000).script_id, "troika");
}

TEST(ConsultStart, RefusesMembersAndPresentersThatDoNotFit) {
  consult_engine engine;
  const auto& troika = script("troika");
  EXPECT_EQ(engine.start(troika, {"a", "b", "b"}, {}, presenting("a"), "a", t0).message(),
            "Member 'b' is listed twice.");
  EXPECT_EQ(engine.start(troika, {"a", "b", ""}, {}, presenting("a"), "a", t0).message(),
            "A member id is empty.");
  EXPECT_EQ(engine.start(troika, {"a", "b", "c"}, {}, presenting(""), "a", t0).message(),
            "Choose who presents first.");
  EXPECT_EQ(engine.start(troika, {"a", "b", "c"}, {}, presenting("z"), "a", t0).message(),
            "The presenter 'z' is not one of the members taking part.");
  EXPECT_EQ(engine.start(troika, {"a", "b", "c"}, {}, presenting("a"), "z", t0).message(),
            "'z' is not taking part, so cannot start the consult.");
  EXPECT_EQ(engine.start(troika, {"a", "b", "c"}, {"q"}, presenting("a"), "a", t0).message(),
            "'q' is marked present but is not taking part.");
  auto broken = troika;
  broken.phases[0].minutes = 0;
  EXPECT_THAT(engine.start(broken, {"a", "b", "c"}, {}, presenting("a"), "a", t0).message(),
              HasSubstr("This script cannot run: script 'troika': phases[0].minutes"));
  EXPECT_EQ(engine.status(), consult_run_status::idle);
  EXPECT_EQ(engine.script(), nullptr);
  EXPECT_EQ(engine.state(t0).status, consult_run_status::idle);
  EXPECT_EQ(engine.state(t0).round, 0);
}

TEST(ConsultStart, ANonRotatingScriptRunsOneRound) {
  auto once = script("troika");
  once.id = "troika-once";
  once.rotate_presenter = false;
  consult_engine engine;
  ASSERT_TRUE(engine.start(once, {"a", "b", "c"}, {}, presenting("b"), "a", t0));
  EXPECT_EQ(engine.state(t0).round_count, 1);
  engine.tick(t0 + 10 * minute);
  EXPECT_EQ(engine.status(), consult_run_status::finished);
  EXPECT_EQ(engine.state(t0 + 10 * minute).presenter, "b");
}

TEST(ConsultStart, TheEngineCanRestartWithItsOwnScript) {
  consult_engine engine;
  ASSERT_TRUE(engine.start(script("troika"), {"a", "b", "c"}, {}, presenting("a"), "a", t0));
  ASSERT_TRUE(engine.stop("a", t0 + 1'000));
  ASSERT_TRUE(
      engine.start(*engine.script(), {"a", "b", "c"}, {}, presenting("b"), "b", t0 + 2'000));
  EXPECT_EQ(engine.state(t0 + 2'000).script_name, "Troika Consulting");
}

// ---------------------------------------------------------------------------------------
// Questions and takeaways

TEST_F(TroikaRun, QuestionsAreCapturedWithAuthorPhaseAndTime) {
  start(false);
  engine_.tick(t0 + 2 * minute);
  ASSERT_TRUE(engine_.ask_question("ben", "  What have you tried so far?\n", t0 + 150'000));
  ASSERT_TRUE(engine_.ask_question("cat", "Who else cares about this?", t0 + 170'000));
  ASSERT_EQ(engine_.questions().size(), 2u);
  const auto& q = engine_.questions()[0];
  EXPECT_EQ(q.id, 1);
  EXPECT_EQ(q.text, "What have you tried so far?");
  EXPECT_EQ(q.author, "ben");
  EXPECT_EQ(q.round, 1);
  EXPECT_EQ(q.phase_index, 1);
  EXPECT_EQ(q.phase_title, "Clarifying questions");
  EXPECT_EQ(q.at_ms, t0 + 150'000);
  EXPECT_EQ(engine_.questions()[1].id, 2);
  EXPECT_EQ(engine_.questions()[1].author, "cat");
  EXPECT_EQ(engine_.events().back().kind, consult_event_kind::question);
  EXPECT_EQ(engine_.events().back().member, "cat");
  EXPECT_EQ(engine_.state(t0 + 170'000).question_count, 2);
}

TEST_F(TroikaRun, QuestionsKeepTheirRulesAndLimits) {
  start(false);
  EXPECT_THAT(
      engine_.ask_question("ben", "Why?", t0).message(),
      HasSubstr("During 'The person presenting shares the challenge' no one may ask questions"));
  engine_.tick(t0 + 2 * minute);
  EXPECT_EQ(engine_.ask_question("ben", " \n ", t0 + 2 * minute).message(),
            "A question needs some text.");
  std::string longest;
  for (int i = 0; i < 1000; ++i)
    longest += "\xE2\x80\x94";  // an em dash: 3 bytes, 1 character
  EXPECT_TRUE(engine_.ask_question("ben", longest, t0 + 2 * minute));
  const auto too_long = engine_.ask_question("ben", longest + "?", t0 + 2 * minute);
  EXPECT_EQ(too_long.code(), error_code::too_large);
  EXPECT_EQ(wire_name(too_long.code()), "TOO_LARGE");
  EXPECT_EQ(too_long.message(), "A question can be at most 1000 characters (this one has 1001).");
  EXPECT_EQ(engine_.ask_question("zed", "Hello?", t0 + 2 * minute).message(),
            "'zed' is not taking part in this consult, so cannot ask its questions.");
  EXPECT_EQ(engine_.questions().size(), 1u);
}

TEST_F(TroikaRun, PresenterRecordsTakeawaysFromTheLastPhaseOfTheirRound) {
  start(false);
  EXPECT_EQ(engine_.record_takeaway("ana", "Too soon", t0).message(),
            "Takeaways are recorded at the end of your round, from 'The person presenting says "
            "what was useful' on.");
  EXPECT_EQ(engine_.record_takeaway("ben", "Not mine", t0).message(),
            "Takeaways are recorded at the end of your round, from 'The person presenting says "
            "what was useful' on.");
  engine_.tick(t0 + 8 * minute);
  ASSERT_TRUE(engine_.record_takeaway("ana", "Ask the carers first.", t0 + 9 * minute));
  engine_.tick(t0 + 12 * minute);  // round 2: ben is the person presenting
  ASSERT_TRUE(engine_.record_takeaway("ana", "And the pharmacist.", t0 + 12 * minute));
  ASSERT_EQ(engine_.takeaways().size(), 2u);
  EXPECT_EQ(engine_.takeaways()[0].round, 1);
  EXPECT_EQ(engine_.takeaways()[0].author, "ana");
  EXPECT_EQ(engine_.takeaways()[0].text, "Ask the carers first.");
  EXPECT_EQ(engine_.takeaways()[0].at_ms, t0 + 9 * minute);
  EXPECT_EQ(engine_.takeaways()[1].round, 1);
  EXPECT_EQ(engine_.events().back().kind, consult_event_kind::takeaway);

  engine_.tick(t0 + 30 * minute);
  ASSERT_EQ(engine_.status(), consult_run_status::finished);
  ASSERT_TRUE(engine_.record_takeaway("cat", "Slow down.", t0 + 31 * minute));
  EXPECT_EQ(engine_.takeaways().back().round, 3);
  EXPECT_EQ(engine_.record_takeaway("cat", "", t0 + 31 * minute).message(),
            "A takeaway needs some text.");
  EXPECT_EQ(engine_.record_takeaway("zed", "Hi", t0 + 31 * minute).message(),
            "Only the presenter of a round records takeaways.");
}

TEST_F(TroikaRun, AfterAStopOnlyPresentersWhoseRoundBeganRecordTakeaways) {
  start(false);
  engine_.tick(t0 + 12 * minute);  // round 2 (ben), second phase
  ASSERT_TRUE(engine_.stop("cat", t0 + 12 * minute));
  EXPECT_TRUE(engine_.record_takeaway("ben", "Cut short, but useful.", t0 + 13 * minute));
  EXPECT_EQ(engine_.takeaways().back().round, 2);
  EXPECT_EQ(engine_.record_takeaway("cat", "Never presented", t0 + 13 * minute).message(),
            "Only the presenter of a round records takeaways.");
}

// ---------------------------------------------------------------------------------------
// State snapshot and limits

TEST_F(TroikaRun, TheSnapshotDescribesThePhaseAndEveryMember) {
  start(true, {"ana", "cat"});
  const auto st = engine_.state(t0 + 30'000);
  EXPECT_EQ(st.status, consult_run_status::running);
  EXPECT_EQ(st.script_id, "troika");
  EXPECT_EQ(st.script_name, "Troika Consulting");
  EXPECT_TRUE(st.advance_when_ready);
  EXPECT_EQ(st.round, 1);
  EXPECT_EQ(st.round_count, 3);
  EXPECT_EQ(st.presenter, "ana");
  EXPECT_EQ(st.facilitator, "");
  EXPECT_EQ(st.phase_index, 0);
  EXPECT_EQ(st.phase_count, 4);
  EXPECT_EQ(st.phase_title, "The person presenting shares the challenge");
  EXPECT_EQ(st.phase_rule, "the person presenting speaks; the consultants listen");
  EXPECT_EQ(st.phase_minutes, 2);
  EXPECT_EQ(st.phase_started_at_ms, t0);
  EXPECT_EQ(st.phase_ends_at_ms, t0 + 2 * minute);
  EXPECT_EQ(st.remaining_ms, 90'000);
  EXPECT_TRUE(st.counts_as_reflection);
  EXPECT_FALSE(st.presenter_turned_away);
  EXPECT_FALSE(st.paused);
  EXPECT_EQ(st.waiting_for, (std::vector<std::string>{"ana", "cat"}));
  EXPECT_EQ(st.time.reflection_ms, 30'000);
  ASSERT_EQ(st.members.size(), 3u);
  const auto& ana = st.members[0];
  EXPECT_EQ(ana.member, "ana");
  EXPECT_EQ(ana.role_id, "client");
  EXPECT_EQ(ana.role_name, "Person presenting");
  EXPECT_EQ(ana.prompt, "Share your challenge and the kind of help you need.");
  EXPECT_TRUE(ana.speaks);
  EXPECT_TRUE(ana.may_write_notes);
  EXPECT_FALSE(ana.may_ask_questions);
  EXPECT_FALSE(ana.may_edit_documents);
  EXPECT_TRUE(ana.present);
  const auto& ben = st.members[1];
  EXPECT_EQ(ben.role_id, "consultant");
  EXPECT_FALSE(ben.speaks);
  EXPECT_FALSE(ben.present);
  EXPECT_EQ(ben.prompt, "Listen. No questions or advice yet.");
}

TEST_F(TroikaRun, RunIdIsEchoed) {
  auto options = presenting("ana");
  options.run_id = "c-42";
  ASSERT_TRUE(engine_.start(script("troika"), {"ana", "ben", "cat"}, {}, options, "ana", t0));
  EXPECT_EQ(engine_.state(t0).run_id, "c-42");
}

TEST_F(TroikaRun, TheEventLogIsBoundedButStopAlwaysWorks) {
  start(false);
  const auto limit = consult_limits::max_events;
  while (engine_.events().size() < limit) {
    ASSERT_TRUE(engine_.ready("ben", t0));
    if (engine_.events().size() < limit) {
      ASSERT_TRUE(engine_.not_ready("ben", t0));
    }
  }
  ASSERT_EQ(engine_.events().size(), limit);
  EXPECT_THAT(engine_.ready("ben", t0).message(), HasSubstr("the most one run keeps"));
  EXPECT_FALSE(engine_.extend("ben", 1, t0));
  ASSERT_TRUE(engine_.stop("cat", t0));
  EXPECT_EQ(engine_.status(), consult_run_status::stopped);
}

}  // namespace
}  // namespace colead::room
