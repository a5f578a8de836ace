// Consulting scripts: the built-ins as written from the practice, and validation.
#include "room/consult_script.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace colead::room {
namespace {

using ::testing::HasSubstr;

const consult_script& built_in(std::string_view id) {
  const auto& all = built_in_scripts();
  const auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.id == id; });
  EXPECT_NE(it, all.end()) << id;
  return *it;
}

std::vector<std::string> titles(const consult_script& script) {
  std::vector<std::string> out;
  for (const auto& phase : script.phases)
    out.push_back(phase.title);
  return out;
}

std::vector<int> minutes(const consult_script& script) {
  std::vector<int> out;
  for (const auto& phase : script.phases)
    out.push_back(phase.minutes);
  return out;
}

// A small valid script that tests change one thing at a time.
consult_script small_script() {
  consult_script s;
  s.id = "check-in";
  s.name = "Check-in round";
  s.min_members = 2;
  s.max_members = 8;
  s.roles = {{"speaker", "Speaker", consult_role_kind::presenter, ""},
             {"listener", "Listener", consult_role_kind::consultant, ""}};
  consult_phase phase;
  phase.title = "Check in";
  phase.minutes = 2;
  phase.speakers = {"speaker"};
  phase.prompts = {{"speaker", "How are you arriving?"}};
  s.phases = {phase, phase, phase};
  s.phases[1].title = "Reflect back";
  s.phases[2].title = "Agree the agenda";
  return s;
}

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems)
    out += p + "\n";
  return out;
}

TEST(BuiltInScripts, AreOfferedInOrderAndMarkedBuiltIn) {
  std::vector<std::string> ids;
  for (const auto& s : built_in_scripts()) {
    ids.push_back(s.id);
    EXPECT_TRUE(s.built_in) << s.id;
    EXPECT_FALSE(s.source.empty()) << s.id;
  }
  EXPECT_EQ(ids,
            (std::vector<std::string>{"pair-consult", "troika", "action-learning", "wise-crowds"}));
}

TEST(BuiltInScripts, PassValidation) {
  for (const auto& s : built_in_scripts()) {
    EXPECT_EQ(joined(validate_script(s, "built-in")), "") << s.id;
  }
}

TEST(BuiltInScripts, PairConsultPresentsQuestionsOnlyThenReflectionsThenSwaps) {
  const auto& s = built_in("pair-consult");
  EXPECT_EQ(s.min_members, 2);
  EXPECT_EQ(s.max_members, 2);
  EXPECT_TRUE(s.rotate_presenter);
  EXPECT_EQ(titles(s), (std::vector<std::string>{"Present the dilemma", "Questions only",
                                                 "Offer reflections", "What I take away"}));
  EXPECT_EQ(minutes(s), (std::vector<int>{5, 8, 5, 2}));
  EXPECT_EQ(s.round_minutes(), 20);
  // Only the consultant asks questions, and only in "Questions only".
  EXPECT_TRUE(s.phases[0].question_writers.empty());
  EXPECT_EQ(s.phases[1].question_writers, std::vector<std::string>{"consultant"});
  EXPECT_TRUE(s.phases[2].question_writers.empty());
  EXPECT_EQ(s.phases[2].speakers, std::vector<std::string>{"consultant"});
  for (const auto& phase : s.phases)
    EXPECT_TRUE(phase.counts_as_reflection) << phase.title;
}

TEST(BuiltInScripts, TroikaTurnsTheClientAwayWhileConsultantsDiscuss) {
  const auto& s = built_in("troika");
  EXPECT_EQ(s.min_members, 3);
  EXPECT_EQ(s.max_members, 3);
  EXPECT_TRUE(s.rotate_presenter);
  EXPECT_EQ(titles(s), (std::vector<std::string>{"The person presenting shares the challenge",
                                                 "Clarifying questions", "Consultants discuss",
                                                 "The person presenting says what was useful"}));
  EXPECT_EQ(minutes(s), (std::vector<int>{2, 2, 4, 2}));
  EXPECT_EQ(s.role_of_kind(consult_role_kind::presenter)->id, "client");
  EXPECT_EQ(s.role_of_kind(consult_role_kind::facilitator), nullptr);
  for (std::size_t i = 0; i < s.phases.size(); ++i) {
    EXPECT_EQ(s.phases[i].presenter_turned_away, i == 2) << s.phases[i].title;
  }
  EXPECT_EQ(s.phases[2].speakers, std::vector<std::string>{"consultant"});
  EXPECT_EQ(s.phases[1].question_writers, std::vector<std::string>{"consultant"});
}

TEST(BuiltInScripts, ActionLearningRoundHasAnOptionalFacilitatorAndTaskTimeForActions) {
  const auto& s = built_in("action-learning");
  EXPECT_EQ(s.min_members, 4);
  EXPECT_EQ(s.max_members, 8);
  EXPECT_TRUE(s.rotate_presenter);
  ASSERT_NE(s.role_of_kind(consult_role_kind::facilitator), nullptr);
  EXPECT_EQ(titles(s),
            (std::vector<std::string>{"Presentation", "Clarifying questions", "Questions that help",
                                      "Summary", "Actions", "Learning about the process"}));
  EXPECT_EQ(minutes(s), (std::vector<int>{10, 5, 20, 5, 5, 5}));
  for (const auto& phase : s.phases) {
    EXPECT_EQ(phase.counts_as_reflection, phase.title != "Actions") << phase.title;
    EXPECT_FALSE(phase.presenter_turned_away) << phase.title;
  }
  EXPECT_EQ(s.phases[4].document_editors, std::vector<std::string>{"issue-holder"});
}

TEST(BuiltInScripts, WiseCrowdsGivesEachClientFifteenMinutes) {
  const auto& s = built_in("wise-crowds");
  EXPECT_EQ(s.min_members, 4);
  EXPECT_EQ(s.max_members, 7);
  EXPECT_TRUE(s.rotate_presenter);
  EXPECT_EQ(titles(s),
            (std::vector<std::string>{"The person presenting asks for help", "Clarifying questions",
                                      "Consultants consult",
                                      "The person presenting says what was most valuable"}));
  EXPECT_EQ(minutes(s), (std::vector<int>{2, 3, 8, 2}));
  EXPECT_EQ(s.round_minutes(), 15);
  EXPECT_TRUE(s.phases[2].presenter_turned_away);
}

TEST(BuiltInScripts, EveryPhasePromptsEveryRole) {
  for (const auto& s : built_in_scripts()) {
    for (const auto& phase : s.phases) {
      for (const auto& role : s.roles) {
        EXPECT_TRUE(phase.prompts.contains(role.id))
            << s.id << " / " << phase.title << " / " << role.id;
      }
    }
  }
}

TEST(ScriptId, AcceptsLowercaseWordsJoinedBySingleHyphens) {
  EXPECT_TRUE(is_valid_script_id("troika"));
  EXPECT_TRUE(is_valid_script_id("check-in-2"));
  EXPECT_TRUE(is_valid_script_id(std::string(40, 'a')));
  EXPECT_FALSE(is_valid_script_id(""));
  EXPECT_FALSE(is_valid_script_id(std::string(41, 'a')));
  EXPECT_FALSE(is_valid_script_id("Troika"));
  EXPECT_FALSE(is_valid_script_id("-troika"));
  EXPECT_FALSE(is_valid_script_id("troika-"));
  EXPECT_FALSE(is_valid_script_id("check--in"));
  EXPECT_FALSE(is_valid_script_id(".."));
  EXPECT_FALSE(is_valid_script_id("a/b"));
  EXPECT_FALSE(is_valid_script_id("check in"));
}

TEST(ScriptValidation, SmallScriptIsValid) {
  EXPECT_EQ(joined(validate_script(small_script(), "s.json")), "");
}

TEST(ScriptValidation, MinutesOutOfRangeNamesTheSourceAndPhase) {
  auto s = small_script();
  s.phases[2].minutes = 0;
  s.phases[0].minutes = 121;
  const auto problems = validate_script(s, "scripts/check-in.json");
  ASSERT_EQ(problems.size(), 2u) << joined(problems);
  EXPECT_EQ(problems[0],
            "scripts/check-in.json: phases[0].minutes must be between 1 and 120 "
            "(it is 121)");
  EXPECT_EQ(problems[1],
            "scripts/check-in.json: phases[2].minutes must be between 1 and 120 "
            "(it is 0)");
}

TEST(ScriptValidation, SeatsMinMoreThanMaxIsReported) {
  auto s = small_script();
  s.min_members = 5;
  s.max_members = 3;
  EXPECT_THAT(joined(validate_script(s, "f.json")),
              HasSubstr("f.json: minMembers (5) must not be more than maxMembers (3)"));
}

TEST(ScriptValidation, SeatsOutsideARoomAreReported) {
  auto s = small_script();
  s.min_members = 1;
  s.max_members = 9;
  const auto all = joined(validate_script(s, "f.json"));
  EXPECT_THAT(all, HasSubstr("f.json: minMembers must be between 2 and 8 (it is 1)"));
  EXPECT_THAT(all, HasSubstr("f.json: maxMembers must be between 2 and 8 (it is 9)"));
}

TEST(ScriptValidation, UnknownRoleReferencedIsNamedWithTheRolesThereAre) {
  auto s = small_script();
  s.phases[1].speakers = {"listener", "speakr"};
  s.phases[2].question_writers = {"facilitator"};
  s.phases[0].prompts["observer"] = "Watch.";
  const auto all = joined(validate_script(s, "f.json"));
  EXPECT_THAT(all, HasSubstr("f.json: phases[1].speakers[1] names the role 'speakr', which the "
                             "script does not have (roles: speaker, listener)"));
  EXPECT_THAT(all, HasSubstr("f.json: phases[2].questionWriters[0] names the role "
                             "'facilitator'"));
  EXPECT_THAT(all, HasSubstr("f.json: phases[0].prompts[\"observer\"] is for the role "
                             "'observer', which the script does not have"));
}

TEST(ScriptValidation, RoleNamedTwiceInOneListIsReported) {
  auto s = small_script();
  s.phases[0].note_writers = {"listener", "listener"};
  EXPECT_THAT(joined(validate_script(s, "f.json")),
              HasSubstr("f.json: phases[0].noteWriters[1] names the role 'listener' twice"));
}

TEST(ScriptValidation, RolesNeedOnePresenterOneConsultantAtMostOneFacilitator) {
  auto s = small_script();
  s.roles[0].kind = consult_role_kind::consultant;
  s.roles.push_back({"f1", "Facilitator", consult_role_kind::facilitator, ""});
  s.roles.push_back({"f2", "Co-facilitator", consult_role_kind::facilitator, ""});
  const auto all = joined(validate_script(s, "f.json"));
  EXPECT_THAT(all, HasSubstr("f.json: roles must have exactly one role of kind PRESENTER (it "
                             "has 0)"));
  EXPECT_THAT(all, HasSubstr("f.json: roles must have exactly one role of kind CONSULTANT (it "
                             "has 2)"));
  EXPECT_THAT(all, HasSubstr("f.json: roles must have at most one role of kind FACILITATOR (it "
                             "has 2)"));
}

TEST(ScriptValidation, RoleIdsAreCheckedAndUnique) {
  auto s = small_script();
  s.roles[1].id = "speaker";
  s.roles.push_back({"Bad Id", "Facilitator", consult_role_kind::facilitator, ""});
  s.roles.push_back({"", "", consult_role_kind::facilitator, ""});
  const auto all = joined(validate_script(s, "f.json"));
  EXPECT_THAT(all, HasSubstr("f.json: roles[1].id 'speaker' is used by another role"));
  EXPECT_THAT(all, HasSubstr("f.json: roles[2].id 'Bad Id' must be 1 to 40 characters"));
  EXPECT_THAT(all, HasSubstr("f.json: roles[3].id is required"));
  EXPECT_THAT(all, HasSubstr("f.json: roles[3].name is required"));
}

TEST(ScriptValidation, ScriptIdNameAndPhasesAreRequired) {
  consult_script s = small_script();
  s.id = "";
  s.name = "";
  s.phases.clear();
  const auto all = joined(validate_script(s, "f.json"));
  EXPECT_THAT(all, HasSubstr("f.json: id is required"));
  EXPECT_THAT(all, HasSubstr("f.json: name is required"));
  EXPECT_THAT(all, HasSubstr("f.json: phases must list at least one phase"));
}

TEST(ScriptValidation, AnInvalidIdIsQuotedWithoutControlCharacters) {
  auto s = small_script();
  s.id = "../etc\npasswd";
  EXPECT_THAT(joined(validate_script(s, "f.json")),
              HasSubstr("f.json: id '../etc?passwd' must be 1 to 40 characters"));
}

TEST(ScriptValidation, TextLimitsCountCodePointsNotBytes) {
  auto s = small_script();
  std::string title;
  for (int i = 0; i < 80; ++i)
    title += "\xC3\xA9";  // é, two bytes each
  s.phases[0].title = title;
  EXPECT_EQ(joined(validate_script(s, "f.json")), "");
  s.phases[0].title += "\xC3\xA9";
  EXPECT_THAT(joined(validate_script(s, "f.json")),
              HasSubstr("f.json: phases[0].title must be at most 80 characters (it has 81)"));
}

TEST(ScriptValidation, TooManyPhasesIsReported) {
  auto s = small_script();
  s.phases.resize(21, s.phases[0]);
  EXPECT_THAT(joined(validate_script(s, "f.json")),
              HasSubstr("f.json: phases must list at most 20 phases (it has 21)"));
}

TEST(ScriptValidation, PresenterMayNotSpeakOrWriteWhileTurnedAway) {
  auto s = small_script();
  s.phases[1].presenter_turned_away = true;
  s.phases[1].speakers = {"listener", "speaker"};
  s.phases[1].note_writers = {"speaker"};
  const auto all = joined(validate_script(s, "f.json"));
  EXPECT_THAT(all, HasSubstr("f.json: phases[1].speakers names the presenter role 'speaker', "
                             "who is turned away in this phase"));
  EXPECT_THAT(all, HasSubstr("f.json: phases[1].noteWriters names the presenter role"));
}

TEST(ScriptCatalog, WithBuiltInsFindsEachBuiltIn) {
  const auto catalog = script_catalog::with_built_ins();
  EXPECT_EQ(catalog.scripts().size(), 4u);
  ASSERT_NE(catalog.find("troika"), nullptr);
  EXPECT_EQ(catalog.find("troika")->name, "Troika Consulting");
  EXPECT_EQ(catalog.find("nothing"), nullptr);
}

TEST(ScriptCatalog, AddsAValidScriptAfterTheBuiltIns) {
  auto catalog = script_catalog::with_built_ins();
  EXPECT_TRUE(catalog.add(small_script(), "check-in.json").empty());
  ASSERT_EQ(catalog.scripts().size(), 5u);
  EXPECT_EQ(catalog.scripts().back().id, "check-in");
  EXPECT_NE(catalog.find("check-in"), nullptr);
}

TEST(ScriptCatalog, RefusesAnIdAlreadyTakenAndAnInvalidScript) {
  auto catalog = script_catalog::with_built_ins();
  auto s = small_script();
  s.id = "troika";
  const auto taken = catalog.add(s, "mine.json");
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0],
            "mine.json: id 'troika' is already used by a built-in script (Troika "
            "Consulting)");
  EXPECT_TRUE(catalog.add(small_script(), "a.json").empty());
  EXPECT_THAT(joined(catalog.add(small_script(), "b.json")),
              HasSubstr("b.json: id 'check-in' is already used by another script file"));
  auto bad = small_script();
  bad.id = "other";
  bad.phases[0].minutes = 0;
  EXPECT_FALSE(catalog.add(bad, "c.json").empty());
  EXPECT_EQ(catalog.scripts().size(), 5u);
}

}  // namespace
}  // namespace colead::room
