#include "room/reflection_prompts.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace colead::room {
namespace {

std::string read_shipped(const std::string& name) {
  std::ifstream in(std::string(COLEAD_PROMPTS_DIR) + "/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The error the parser gives for `text`, as people read it.
std::string error_of(std::string_view text) {
  const prompt_parse_result result = parse_prompt_set(text, "custom.txt");
  if (result) return "(parsed)";
  return result.error().to_string();
}

TEST(ReflectionPrompts, ParsesSectionsAndPromptsInOrder) {
  const prompt_parse_result result = parse_prompt_set(
      "; a comment\n"
      "\n"
      "# how_we_work: The three role questions\n"
      "What role am I in now?\n"
      "  What role am I in in this context?  \n"
      "   ; an indented comment\n"
      "# local_system:Our local system\n"
      "What are we learning about our local system?\n",
      "custom.txt");
  ASSERT_TRUE(result) << result.error().to_string();
  const prompt_set& set = result.value();
  EXPECT_EQ(set.source(), "custom.txt");
  ASSERT_EQ(set.sections().size(), 2u);
  EXPECT_EQ(set.sections()[0].title, "The three role questions");
  EXPECT_EQ(set.sections()[0].category, prompt_category::how_we_work);
  EXPECT_EQ(set.sections()[0].first, 0u);
  EXPECT_EQ(set.sections()[0].count, 2u);
  EXPECT_EQ(set.sections()[0].line, 3);
  EXPECT_EQ(set.sections()[1].title, "Our local system");
  EXPECT_EQ(set.sections()[1].first, 2u);
  ASSERT_EQ(set.size(), 3u);
  EXPECT_EQ(set.prompts()[1].text, "What role am I in in this context?");
  EXPECT_EQ(set.prompts()[1].line, 5);
  EXPECT_EQ(set.prompts()[1].section, 0u);
  EXPECT_EQ(set.prompts()[2].category, prompt_category::local_system);
  EXPECT_EQ(set.prompts()[2].section, 1u);
}

TEST(ReflectionPrompts, AcceptsWindowsLineEndsAndAByteOrderMark) {
  const prompt_parse_result result = parse_prompt_set(
      "\xEF\xBB\xBF# relationship: Our relationship\r\nDo we challenge each other?\r\n",
      "windows.txt");
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result.value().sections()[0].title, "Our relationship");
  EXPECT_EQ(result.value().prompts()[0].text, "Do we challenge each other?");
}

TEST(ReflectionPrompts, DefaultSetKeepsTheGuidesQuestions) {
  const std::string text = read_shipped("default.txt");
  ASSERT_FALSE(text.empty()) << "data/prompts/default.txt could not be read";
  const prompt_parse_result result = parse_prompt_set(text, "default.txt");
  ASSERT_TRUE(result) << result.error().to_string();
  const prompt_set& set = result.value();

  ASSERT_GE(set.sections().size(), 4u);
  const prompt_section& roles = set.sections()[0];
  EXPECT_EQ(roles.title, "The three role questions");
  ASSERT_EQ(roles.count, 3u);
  EXPECT_EQ(set.prompts()[0].text, "What role am I in now?");
  EXPECT_EQ(set.prompts()[1].text, "What role am I in in this context?");
  EXPECT_EQ(set.prompts()[2].text, "What is the purpose of this role?");

  // The rule's three subjects each have a section: the relationship, how the pair is
  // working, and their local system.
  bool relationship = false;
  bool how_we_work = false;
  bool local_system = false;
  for (const prompt_section& section : set.sections()) {
    relationship |= section.category == prompt_category::relationship;
    how_we_work |= section.category == prompt_category::how_we_work && &section != &roles;
    local_system |= section.category == prompt_category::local_system;
  }
  EXPECT_TRUE(relationship);
  EXPECT_TRUE(how_we_work);
  EXPECT_TRUE(local_system);
}

TEST(ReflectionPrompts, ErrorsNameTheFileAndLine) {
  EXPECT_EQ(error_of("What role am I in now?\n"),
            "custom.txt:1: this prompt comes before any section; start the file with a section "
            "line such as \"# relationship: Our relationship\"");
  EXPECT_EQ(error_of("; roles\n# relations: Us\nHow are we?\n"),
            "custom.txt:2: unknown category \"relations\"; use one of relationship, "
            "how_we_work, local_system, other");
  EXPECT_EQ(error_of("# Our relationship\nHow are we?\n"),
            "custom.txt:1: a section line must read \"# <category>: <title>\", e.g. \"# "
            "relationship: Our relationship\"; the category is one of relationship, "
            "how_we_work, local_system, other");
  EXPECT_EQ(error_of("# other:   \nHow are we?\n"),
            "custom.txt:1: the section has no title; write it after the colon, e.g. \"# other: "
            "Our relationship\"");
  EXPECT_EQ(error_of("# other: Empty\n\n# relationship: Us\nHow are we?\n"),
            "custom.txt:1: the section \"Empty\" has no prompts; add one prompt per line below "
            "it");
  EXPECT_EQ(error_of("# relationship: Us\nHow are we?\n# other: Trailing\n; nothing\n"),
            "custom.txt:3: the section \"Trailing\" has no prompts; add one prompt per line "
            "below it");
  EXPECT_EQ(error_of("# relationship: Us\nHow are we?\n# other: Again\n How are we?\n"),
            "custom.txt:4: this prompt already appears on line 2; keep one of them");
  EXPECT_EQ(error_of("# relationship: Us\nHow are w\xC3\n"),
            "custom.txt:2: the line is not valid UTF-8 text");
  EXPECT_EQ(error_of("# relationship: Us\nOverlong \xC0\xAF slash\n"),
            "custom.txt:2: the line is not valid UTF-8 text");
  EXPECT_EQ(error_of("# relationship: Us\nA surrogate \xED\xA0\x80\n"),
            "custom.txt:2: the line is not valid UTF-8 text");
  EXPECT_EQ(error_of("# relationship: Us\nA bell \a here\n"),
            "custom.txt:2: the line holds a control character; use plain text only");
  EXPECT_EQ(error_of("# relationship: Us\n" + std::string(501, 'q') + "\n"),
            "custom.txt:2: the line is 501 bytes; lines may be at most 500 bytes");
  EXPECT_EQ(error_of(""),
            "custom.txt: the file has no prompts; add a section line such as \"# relationship: "
            "Our relationship\" followed by one prompt per line");
  EXPECT_EQ(error_of("; only a comment\n\n"),
            "custom.txt: the file has no prompts; add a section line such as \"# relationship: "
            "Our relationship\" followed by one prompt per line");
}

TEST(ReflectionPrompts, RefusesOversizedSets) {
  std::string many = "# other: Many\n";
  for (std::size_t i = 0; i <= max_prompts; ++i)
    many += "Prompt " + std::to_string(i) + "\n";
  EXPECT_EQ(error_of(many),
            "custom.txt:502: the set has more than 500 prompts; split it into several files");

  const std::string huge = "# other: Huge\n" + std::string(max_prompt_file_bytes, 'x');
  EXPECT_EQ(error_of(huge), "custom.txt: the file is " + std::to_string(huge.size()) +
                                " bytes; a prompt file may be at most 65536 bytes");
}

TEST(ReflectionPrompts, CategoryKeysRoundTrip) {
  for (const prompt_category category :
       {prompt_category::relationship, prompt_category::how_we_work, prompt_category::local_system,
        prompt_category::other}) {
    EXPECT_EQ(prompt_category_from_key(to_string(category)), category);
  }
  EXPECT_FALSE(prompt_category_from_key("Relationship"));
}

TEST(PromptCursor, MovesWithinTheSetAndStopsAtItsEnds) {
  const prompt_parse_result result =
      parse_prompt_set("# relationship: Us\nOne?\nTwo?\n# other: More\nThree?\n", "three.txt");
  ASSERT_TRUE(result);
  const prompt_set& set = result.value();
  prompt_cursor cursor(set);
  EXPECT_EQ(cursor.index(), 0u);
  EXPECT_EQ(cursor.count(), 3u);
  EXPECT_TRUE(cursor.at_first());
  EXPECT_FALSE(cursor.previous());
  EXPECT_EQ(cursor.index(), 0u);
  EXPECT_EQ(cursor.current(set).text, "One?");

  EXPECT_TRUE(cursor.next());
  EXPECT_TRUE(cursor.next());
  EXPECT_TRUE(cursor.at_last());
  EXPECT_EQ(cursor.current(set).text, "Three?");
  EXPECT_EQ(set.sections()[cursor.current(set).section].title, "More");
  EXPECT_FALSE(cursor.next());
  EXPECT_EQ(cursor.index(), 2u);

  EXPECT_TRUE(cursor.previous());
  EXPECT_EQ(cursor.current(set).text, "Two?");
  EXPECT_FALSE(cursor.go_to(3));
  EXPECT_EQ(cursor.index(), 1u);
  EXPECT_TRUE(cursor.go_to(0));
  EXPECT_EQ(cursor.current(set).text, "One?");
}

}  // namespace
}  // namespace colead::room
