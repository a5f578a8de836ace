// Script files: parsing, errors that name the file and the field, and loading a folder.
#include "room/script_files.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace colead::room {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

// A valid script file; tests replace one part of it to make it wrong.
constexpr std::string_view good_json = R"({
  "id": "check-in",
  "name": "Check-in round",
  "minMembers": 2,
  "maxMembers": 8,
  "rotatePresenter": true,
  "roles": [
    {"id": "speaker", "name": "Speaker", "kind": "PRESENTER"},
    {"id": "listener", "name": "Listener", "kind": "CONSULTANT"}
  ],
  "phases": [
    {"title": "Check in", "minutes": 2, "speakers": ["speaker"], "countsAsReflection": true,
     "prompts": {"speaker": "How are you arriving?"}},
    {"title": "Reflect back", "minutes": 1, "speakers": ["listener"],
     "noteWriters": ["speaker", "listener"], "countsAsReflection": true},
    {"title": "Agree the agenda", "minutes": 3, "speakers": ["speaker", "listener"],
     "documentEditors": ["speaker", "listener"], "countsAsReflection": false}
  ]
})";

std::string replaced(std::string_view from, std::string_view to) {
  std::string text(good_json);
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems)
    out += p + "\n";
  return out;
}

TEST(ScriptJson, ParsesAGoodScript) {
  const auto result = parse_script_json(good_json, "scripts/check-in.json");
  ASSERT_TRUE(result.script) << joined(result.problems);
  const auto& s = *result.script;
  EXPECT_EQ(s.id, "check-in");
  EXPECT_EQ(s.min_members, 2);
  EXPECT_EQ(s.max_members, 8);
  EXPECT_TRUE(s.rotate_presenter);
  EXPECT_FALSE(s.built_in);
  ASSERT_EQ(s.roles.size(), 2u);
  EXPECT_EQ(s.roles[0].kind, consult_role_kind::presenter);
  ASSERT_EQ(s.phases.size(), 3u);
  EXPECT_EQ(s.phases[0].prompts.at("speaker"), "How are you arriving?");
  EXPECT_EQ(s.phases[1].note_writers, (std::vector<std::string>{"speaker", "listener"}));
  EXPECT_FALSE(s.phases[2].counts_as_reflection);
  EXPECT_EQ(s.phases[2].document_editors, (std::vector<std::string>{"speaker", "listener"}));
}

TEST(ScriptJson, AcceptsProtoFieldNames) {
  auto text = replaced("\"minMembers\"", "\"min_members\"");
  text = text.replace(text.find("\"countsAsReflection\""), 20, "\"counts_as_reflection\"");
  EXPECT_TRUE(parse_script_json(text, "f.json").script);
}

TEST(ScriptJson, BuiltInsRoundTripThroughTheFileFormat) {
  for (const auto& s : built_in_scripts()) {
    const auto json = to_script_json(s);
    EXPECT_THAT(json, ::testing::Not(HasSubstr("builtIn"))) << s.id;
    const auto back = parse_script_json(json, s.id + ".json");
    ASSERT_TRUE(back.script) << s.id << "\n" << joined(back.problems);
    auto expected = s;
    expected.built_in = false;
    EXPECT_EQ(*back.script, expected) << s.id;
  }
}

TEST(ScriptJson, ToProtoMarksBuiltIns) {
  EXPECT_TRUE(to_proto(built_in_scripts()[0]).built_in());
  const auto message = to_proto(built_in_scripts()[1]);
  EXPECT_EQ(message.id(), "troika");
  ASSERT_EQ(message.phases_size(), 4);
  EXPECT_TRUE(message.phases(2).presenter_turned_away());
  EXPECT_EQ(message.roles(0).kind(), v1::ConsultRole::PRESENTER);
}

TEST(ScriptJson, BadJsonNamesTheFileAndWhere) {
  const auto text = replaced("\"minMembers\": 2,", "\"minMembers\": 2");
  const auto result = parse_script_json(text, "scripts/check-in.json");
  EXPECT_FALSE(result.script);
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_THAT(result.problems[0], HasSubstr("scripts/check-in.json: is not valid JSON: "));
  EXPECT_THAT(result.problems[0], HasSubstr("(line 5, column 3)"));
}

TEST(ScriptJson, EmptyFileAndNonObjectAreReported) {
  EXPECT_EQ(joined(parse_script_json(" \n", "e.json").problems), "e.json: is empty\n");
  EXPECT_EQ(joined(parse_script_json("[]", "a.json").problems),
            "a.json: must hold one JSON object, the script\n");
  EXPECT_THAT(joined(parse_script_json("{", "b.json").problems),
              HasSubstr("b.json: is not valid JSON"));
}

TEST(ScriptJson, MissingFieldsAreNamed) {
  EXPECT_EQ(joined(parse_script_json(replaced("\"minutes\": 1, ", ""), "f.json").problems),
            "f.json: phases[1].minutes is required\n");
  EXPECT_EQ(joined(parse_script_json(replaced("\"maxMembers\": 8,", ""), "f.json").problems),
            "f.json: maxMembers is required\n");
  EXPECT_EQ(
      joined(parse_script_json(replaced(", \"countsAsReflection\": false", ""), "f.json").problems),
      "f.json: phases[2].countsAsReflection is required (true or false)\n");
  EXPECT_EQ(
      joined(parse_script_json(replaced(", \"kind\": \"CONSULTANT\"", ""), "f.json").problems),
      "f.json: roles[1].kind is required (one of PRESENTER, CONSULTANT or FACILITATOR)\n");
  EXPECT_EQ(joined(parse_script_json(replaced("\"id\": \"check-in\",", ""), "f.json").problems),
            "f.json: id is required\n");
  EXPECT_EQ(joined(parse_script_json(replaced("\"title\": \"Check in\", ", ""), "f.json").problems),
            "f.json: phases[0].title is required\n");
}

TEST(ScriptJson, WrongTypesAreNamedWithWhatWasExpected) {
  EXPECT_EQ(
      joined(parse_script_json(replaced("\"minutes\": 1,", "\"minutes\": \"five\","), "f.json")
                 .problems),
      "f.json: phases[1].minutes must be a whole number (it is \"five\")\n");
  EXPECT_EQ(
      joined(
          parse_script_json(replaced("\"minutes\": 1,", "\"minutes\": 1.5,"), "f.json").problems),
      "f.json: phases[1].minutes must be a whole number (it is 1.5)\n");
  EXPECT_EQ(joined(parse_script_json(replaced("\"PRESENTER\"", "\"BOSS\""), "f.json").problems),
            "f.json: roles[0].kind must be one of PRESENTER, CONSULTANT or FACILITATOR (it is "
            "\"BOSS\")\n");
  EXPECT_EQ(
      joined(parse_script_json(
                 replaced("\"countsAsReflection\": false", "\"countsAsReflection\": 0"), "f.json")
                 .problems),
      "f.json: phases[2].countsAsReflection must be true or false (it is 0)\n");
  EXPECT_EQ(
      joined(parse_script_json(replaced("\"name\": \"Check-in round\"", "\"name\": 7"), "f.json")
                 .problems),
      "f.json: name must be text in quotes (it is 7)\n");
}

TEST(ScriptJson, AnEnumNumberOutsideTheKindsIsReported) {
  EXPECT_EQ(joined(parse_script_json(replaced("\"PRESENTER\"", "9"), "f.json").problems),
            "f.json: roles[0].kind must be one of PRESENTER, CONSULTANT or FACILITATOR (it is "
            "9)\n");
}

TEST(ScriptJson, OutOfRangeMinutesAreNamed) {
  EXPECT_EQ(joined(parse_script_json(replaced("\"minutes\": 3,", "\"minutes\": 500,"),
                                     "scripts/check-in.json")
                       .problems),
            "scripts/check-in.json: phases[2].minutes must be between 1 and 120 (it is 500)\n");
}

TEST(ScriptJson, UnknownRoleReferencedIsNamed) {
  EXPECT_EQ(
      joined(parse_script_json(
                 replaced("\"speakers\": [\"listener\"]", "\"speakers\": [\"listner\"]"), "f.json")
                 .problems),
      "f.json: phases[1].speakers[0] names the role 'listner', which the script does not "
      "have (roles: speaker, listener)\n");
}

TEST(ScriptJson, SeatsMinMoreThanMaxIsNamed) {
  auto text = replaced("\"minMembers\": 2", "\"minMembers\": 6");
  text.replace(text.find("\"maxMembers\": 8"), 15, "\"maxMembers\": 3");
  EXPECT_EQ(joined(parse_script_json(text, "f.json").problems),
            "f.json: minMembers (6) must not be more than maxMembers (3)\n");
}

TEST(ScriptJson, UnknownFieldIsReportedNotIgnored) {
  EXPECT_EQ(
      joined(parse_script_json(replaced("\"minutes\": 1,", "\"minuts\": 1,"), "f.json").problems),
      "f.json: phases[1].minuts is not a field of a script (docs/consulting.md lists "
      "them)\n");
  EXPECT_EQ(joined(parse_script_json(replaced("\"minMembers\"", "\"seats\""), "f.json").problems),
            "f.json: seats is not a field of a script (docs/consulting.md lists them)\n");
}

TEST(ScriptJson, BuiltInFlagIsTheServersToSet) {
  EXPECT_THAT(joined(parse_script_json(replaced("\"rotatePresenter\": true",
                                                "\"rotatePresenter\": true, \"builtIn\": true"),
                                       "f.json")
                         .problems),
              HasSubstr("f.json: builtIn is set by the server"));
}

// A folder under the system's temporary directory, removed at the end of the test.
class ScriptFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("colead-scripts-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void write(const std::string& name, std::string_view text) {
    std::ofstream out(dir_ / name, std::ios::binary);
    out << text;
  }
  std::string source(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(ScriptFolder, KeepsTheGoodFileAndReportsTheBadOne) {
  write("a-bad.json", replaced("\"minutes\": 3,", "\"minutes\": 0,"));
  write("b-good.json", good_json);
  const auto folder = load_script_folder(dir_);
  ASSERT_EQ(folder.scripts.size(), 1u);
  EXPECT_EQ(folder.scripts[0].script.id, "check-in");
  EXPECT_EQ(folder.scripts[0].source, source("b-good.json"));
  ASSERT_EQ(folder.problems.size(), 1u);
  EXPECT_EQ(folder.problems[0],
            source("a-bad.json") + ": phases[2].minutes must be between 1 and 120 (it is 0)");
}

TEST_F(ScriptFolder, IgnoresOtherFilesHiddenFilesAndFolders) {
  write("README.md", "not a script");
  write(".check-in.json", "{ half written");
  fs::create_directories(dir_ / "old.json");
  write("good.json", good_json);
  const auto folder = load_script_folder(dir_);
  EXPECT_EQ(folder.scripts.size(), 1u);
  EXPECT_EQ(joined(folder.problems), "");
}

TEST_F(ScriptFolder, ReadsFilesInNameOrder) {
  write("b.json", replaced("\"id\": \"check-in\"", "\"id\": \"second\""));
  write("a.json", replaced("\"id\": \"check-in\"", "\"id\": \"first\""));
  const auto folder = load_script_folder(dir_);
  ASSERT_EQ(folder.scripts.size(), 2u);
  EXPECT_EQ(folder.scripts[0].script.id, "first");
  EXPECT_EQ(folder.scripts[1].script.id, "second");
}

TEST_F(ScriptFolder, RefusesAFileOverTheSizeLimit) {
  std::string big(good_json);
  big.insert(big.find("\"name\""), std::string(max_script_file_bytes, ' '));
  write("big.json", big);
  const auto folder = load_script_folder(dir_);
  EXPECT_TRUE(folder.scripts.empty());
  EXPECT_THAT(joined(folder.problems), HasSubstr(source("big.json") + ": is larger than 256 KiB"));
}

TEST_F(ScriptFolder, MissingFolderIsOneProblem) {
  const auto folder = load_script_folder(dir_ / "missing");
  EXPECT_TRUE(folder.scripts.empty());
  ASSERT_EQ(folder.problems.size(), 1u);
  EXPECT_THAT(folder.problems[0],
              HasSubstr((dir_ / "missing").string() + ": cannot read the scripts folder"));
}

TEST_F(ScriptFolder, CatalogAddsFilesAfterBuiltInsAndRefusesTakenIds) {
  write("a.json", good_json);
  write("b.json", good_json);
  write("c.json", replaced("\"id\": \"check-in\"", "\"id\": \"troika\""));
  write("d.json", "{ broken");
  const auto loaded = load_script_catalog(dir_);
  ASSERT_EQ(loaded.catalog.scripts().size(), 5u);
  EXPECT_EQ(loaded.catalog.scripts()[4].id, "check-in");
  EXPECT_EQ(loaded.catalog.find("troika")->name, "Troika Consulting");
  ASSERT_EQ(loaded.problems.size(), 3u) << joined(loaded.problems);
  EXPECT_THAT(loaded.problems[0], HasSubstr(source("d.json") + ": is not valid JSON"));
  EXPECT_THAT(loaded.problems[1],
              HasSubstr(source("b.json") + ": id 'check-in' is already used by another"));
  EXPECT_THAT(loaded.problems[2],
              HasSubstr(source("c.json") + ": id 'troika' is already used by a built-in"));
}

TEST(ExampleScripts, TheShippedExampleLoads) {
  const auto loaded = load_script_catalog(COLEAD_EXAMPLE_SCRIPTS_DIR);
  EXPECT_EQ(joined(loaded.problems), "");
  const auto* check_in = loaded.catalog.find("check-in");
  ASSERT_NE(check_in, nullptr);
  EXPECT_EQ(check_in->name, "Check-in round");
  EXPECT_TRUE(check_in->rotate_presenter);
}

}  // namespace
}  // namespace colead::room
