// The built-in scripts as files: each file of data/scripts/built-in is compiled into the
// server byte for byte, parses and validates as a programme's file would, and gives the
// script the engine and room tests run.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "room/consult_script.hpp"
#include "room/script_files.hpp"

namespace colead::room {
namespace {

namespace fs = std::filesystem;

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems)
    out += p + "\n";
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string file_name(std::string_view source) {
  return fs::path(std::string(source)).filename().string();
}

TEST(BuiltInScriptFiles, AreTheFilesOfTheSourceTreeInTheOrderOffered) {
  std::vector<std::string> sources;
  for (const auto& file : built_in_script_files())
    sources.emplace_back(file.source);
  EXPECT_EQ(sources, (std::vector<std::string>{"data/scripts/built-in/pair-consult.json",
                                               "data/scripts/built-in/troika.json",
                                               "data/scripts/built-in/action-learning.json",
                                               "data/scripts/built-in/wise-crowds.json"}));
  // The build embeds the files again whenever one changes; this shows it did.
  for (const auto& file : built_in_script_files()) {
    const fs::path path = fs::path(COLEAD_BUILT_IN_SCRIPTS_DIR) / file_name(file.source);
    EXPECT_EQ(file.json, read_file(path)) << path;
  }
}

TEST(BuiltInScriptFiles, EachParsesAndValidatesLikeAProgrammesFile) {
  for (const auto& file : built_in_script_files()) {
    EXPECT_LE(file.json.size(), max_script_file_bytes) << file.source;
    const auto parsed = parse_script_json(file.json, file.source);
    ASSERT_TRUE(parsed.script) << joined(parsed.problems);
    EXPECT_EQ(joined(parsed.problems), "");
    EXPECT_EQ(joined(validate_script(*parsed.script, file.source)), "");
    // A file never marks itself built in; the server does.
    EXPECT_FALSE(parsed.script->built_in) << file.source;
    EXPECT_EQ(file_name(file.source), parsed.script->id + ".json");
  }
}

TEST(BuiltInScriptFiles, EachGivesTheScriptTheServerOffers) {
  const auto files = built_in_script_files();
  const auto& scripts = built_in_scripts();
  ASSERT_EQ(files.size(), scripts.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto parsed = parse_script_json(files[i].json, files[i].source);
    ASSERT_TRUE(parsed.script) << joined(parsed.problems);
    parsed.script->built_in = true;
    EXPECT_EQ(*parsed.script, scripts[i]) << files[i].source;
  }
}

// What each built-in is, as the engine tests (consult_engine_test.cpp) and the consulting
// guide (docs/consulting.md) expect it: seats, roles, and each phase's title, minutes, who
// speaks and whether it counts as reflection.
struct expected_phase {
  std::string title;
  int minutes;
  std::vector<std::string> speakers;
  bool reflection;
  bool turned_away;
};
struct expected_script {
  std::string id;
  std::string name;
  int min_members;
  int max_members;
  std::vector<consult_role> roles;  // id, name, kind (descriptions are not compared)
  std::vector<expected_phase> phases;
};

std::vector<expected_script> expected_built_ins() {
  using k = consult_role_kind;
  const std::vector<std::string> set = {"issue-holder", "set-member", "facilitator"};
  return {
      {"pair-consult",
       "Pair consult",
       2,
       2,
       {{"presenter", "Presenter", k::presenter, ""},
        {"consultant", "Consultant", k::consultant, ""}},
       {{"Present the dilemma", 5, {"presenter"}, true, false},
        {"Questions only", 8, {"presenter", "consultant"}, true, false},
        {"Offer reflections", 5, {"consultant"}, true, false},
        {"What I take away", 2, {"presenter"}, true, false}}},
      {"troika",
       "Troika Consulting",
       3,
       3,
       {{"client", "Person presenting", k::presenter, ""},
        {"consultant", "Consultant", k::consultant, ""}},
       {{"The person presenting shares the challenge", 2, {"client"}, true, false},
        {"Clarifying questions", 2, {"client", "consultant"}, true, false},
        {"Consultants discuss", 4, {"consultant"}, true, true},
        {"The person presenting says what was useful", 2, {"client"}, true, false}}},
      {"action-learning",
       "Action learning round",
       4,
       8,
       {{"issue-holder", "Issue holder", k::presenter, ""},
        {"set-member", "Set member", k::consultant, ""},
        {"facilitator", "Facilitator", k::facilitator, ""}},
       {{"Presentation", 10, {"issue-holder"}, true, false},
        {"Clarifying questions", 5, set, true, false},
        {"Questions that help", 20, set, true, false},
        {"Summary", 5, {"issue-holder"}, true, false},
        {"Actions", 5, set, false, false},
        {"Learning about the process", 5, set, true, false}}},
      {"wise-crowds",
       "Wise Crowds",
       4,
       7,
       {{"client", "Person presenting", k::presenter, ""},
        {"consultant", "Consultant", k::consultant, ""}},
       {{"The person presenting asks for help", 2, {"client"}, true, false},
        {"Clarifying questions", 3, {"client", "consultant"}, true, false},
        {"Consultants consult", 8, {"consultant"}, true, true},
        {"The person presenting says what was most valuable", 2, {"client"}, true, false}}},
  };
}

TEST(BuiltInScriptFiles, HoldTheSeatsRolesAndPhasesOfEachStructure) {
  const auto files = built_in_script_files();
  const auto expected = expected_built_ins();
  ASSERT_EQ(files.size(), expected.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto parsed = parse_script_json(files[i].json, files[i].source);
    ASSERT_TRUE(parsed.script) << joined(parsed.problems);
    const auto& s = *parsed.script;
    const auto& e = expected[i];
    SCOPED_TRACE(files[i].source);
    EXPECT_EQ(s.id, e.id);
    EXPECT_EQ(s.name, e.name);
    EXPECT_EQ(s.min_members, e.min_members);
    EXPECT_EQ(s.max_members, e.max_members);
    EXPECT_TRUE(s.rotate_presenter);
    ASSERT_EQ(s.roles.size(), e.roles.size());
    for (std::size_t r = 0; r < s.roles.size(); ++r) {
      EXPECT_EQ(s.roles[r].id, e.roles[r].id);
      EXPECT_EQ(s.roles[r].name, e.roles[r].name);
      EXPECT_EQ(s.roles[r].kind, e.roles[r].kind) << s.roles[r].id;
      EXPECT_FALSE(s.roles[r].description.empty()) << s.roles[r].id;
    }
    ASSERT_EQ(s.phases.size(), e.phases.size());
    for (std::size_t p = 0; p < s.phases.size(); ++p) {
      const auto& phase = s.phases[p];
      EXPECT_EQ(phase.title, e.phases[p].title);
      EXPECT_EQ(phase.minutes, e.phases[p].minutes) << phase.title;
      EXPECT_EQ(phase.speakers, e.phases[p].speakers) << phase.title;
      EXPECT_EQ(phase.counts_as_reflection, e.phases[p].reflection) << phase.title;
      EXPECT_EQ(phase.presenter_turned_away, e.phases[p].turned_away) << phase.title;
      EXPECT_FALSE(phase.rule.empty()) << phase.title;
      EXPECT_EQ(phase.prompts.size(), s.roles.size()) << phase.title;
    }
  }
}

}  // namespace
}  // namespace colead::room
