#include "ot/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace colead::ot::utf8 {
namespace {

struct valid_case {
  const char* name;
  std::string text;
  std::size_t code_points;
};

// Text a pair might really write: every script and emoji shape the editor must keep intact.
const valid_case valid_cases[] = {
    {"Empty", "", 0},
    {"Ascii", "shared purpose", 14},
    {"NulIsACodePoint", std::string("a\0b", 3), 3},
    {"LatinPrecomposed", "caf\u00e9", 4},
    {"CombiningAcute", "cafe\u0301", 5},
    {"Cjk", "\u5171\u540c\u76ee\u6807", 4},
    {"Arabic", "\u0645\u0631\u062d\u0628\u0627", 5},
    {"Hebrew", "\u05e9\u05dc\u05d5\u05dd", 4},
    {"EmojiOutsideBmp", "\U0001F600", 1},
    {"SkinTone", "\U0001F44D\U0001F3FD", 2},
    {"ZwjFamily", "\U0001F469\u200D\U0001F469\u200D\U0001F467", 5},
    {"Flag", "\U0001F1EC\U0001F1E7", 2},
    {"Boundaries", "\u007f\u0080\u07ff\u0800\uffff\U00010000\U0010FFFF", 7},
    {"LastBeforeSurrogates", "\ud7ff", 1},
    {"FirstAfterSurrogates", "\ue000", 1},
    {"LongAsciiThenEmoji", "0123456789abcdefghij\U0001F600xyz", 24},
};

class Utf8Valid : public ::testing::TestWithParam<valid_case> {};

TEST_P(Utf8Valid, ValidatesAndCounts) {
  const valid_case& c = GetParam();
  EXPECT_TRUE(is_valid(c.text));
  EXPECT_EQ(count_code_points(c.text), c.code_points);
  EXPECT_EQ(byte_offset(c.text, c.code_points), c.text.size());
  EXPECT_EQ(byte_offset(c.text, c.code_points + 1), std::string_view::npos);
}

INSTANTIATE_TEST_SUITE_P(Table, Utf8Valid, ::testing::ValuesIn(valid_cases),
                         [](const auto& info) { return std::string(info.param.name); });

struct invalid_case {
  const char* name;
  std::string text;
  std::size_t error_offset;
  const char* reason_part;
};

const invalid_case invalid_cases[] = {
    {"StrayContinuation", "ab\x80", 2, "unexpected continuation byte 0x80"},
    {"OverlongSlashTwoBytes", "a\xC0\xAF", 1, "overlong encoding of U+002F"},
    {"OverlongC1", "\xC1\xBF", 0, "overlong encoding of U+007F"},
    {"OverlongThreeBytes", "\xE0\x80\xAF", 0, "overlong encoding of U+002F"},
    {"OverlongFourBytes", "\xF0\x8F\xBF\xBF", 0, "overlong encoding of U+FFFF"},
    {"HighSurrogate", "x\xED\xA0\x80", 1, "surrogate U+D800"},
    {"LowSurrogate", "\xED\xBF\xBF", 0, "surrogate U+DFFF"},
    {"BeyondMax", "\xF4\x90\x80\x80", 0, "beyond U+10FFFF"},
    {"LeadF5", "\xF5\x80\x80\x80", 0, "0xF5 never appears"},
    {"ByteFF", "ok\xFF", 2, "0xFF never appears"},
    {"TruncatedAtEnd", "abc\xE2\x82", 3, "text ends"},
    {"TruncatedBeforeAscii", "\xF0\x9F\x98x", 0, "byte 0x78 follows"},
    {"TruncatedTwoByte", "\xC3", 0, "truncated"},
    {"ErrorAfterAsciiRun", "0123456789abcdef\x80", 16, "continuation"},
};

class Utf8Invalid : public ::testing::TestWithParam<invalid_case> {};

TEST_P(Utf8Invalid, IsRejectedWithOffsetAndReason) {
  const invalid_case& c = GetParam();
  const validation v = validate(c.text);
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.error_offset, c.error_offset);
  EXPECT_NE(v.reason.find(c.reason_part), std::string::npos) << v.reason;
  EXPECT_NE(v.reason.find("at byte " + std::to_string(c.error_offset)), std::string::npos)
      << v.reason;
}

INSTANTIATE_TEST_SUITE_P(Table, Utf8Invalid, ::testing::ValuesIn(invalid_cases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Utf8Offsets, ByteOffsetOfEachCodePoint) {
  // a, e-acute (2 bytes), CJK (3 bytes), emoji (4 bytes), z
  const std::string text = "a\u00e9\u5171\U0001F600z";
  EXPECT_EQ(byte_offset(text, 0), 0u);
  EXPECT_EQ(byte_offset(text, 1), 1u);
  EXPECT_EQ(byte_offset(text, 2), 3u);
  EXPECT_EQ(byte_offset(text, 3), 6u);
  EXPECT_EQ(byte_offset(text, 4), 10u);
  EXPECT_EQ(byte_offset(text, 5), 11u);
  EXPECT_EQ(byte_offset(text, 6), std::string_view::npos);
}

TEST(Utf8Offsets, AdvanceCrossesAsciiRunsAndMultibyteCharacters) {
  const std::string text = "0123456789\u05e9\u05dc\u05d5\u05dd0123456789";
  EXPECT_EQ(advance(text, 0, 10), 10u);
  EXPECT_EQ(advance(text, 0, 12), 14u);
  EXPECT_EQ(advance(text, 10, 4), 18u);
  EXPECT_EQ(advance(text, 0, 24), text.size());
  EXPECT_EQ(advance(text, 0, 99), text.size());
}

TEST(Utf8Offsets, SequenceLengthFromLeadByte) {
  EXPECT_EQ(sequence_length('a'), 1u);
  EXPECT_EQ(sequence_length(0xC3), 2u);
  EXPECT_EQ(sequence_length(0xE2), 3u);
  EXPECT_EQ(sequence_length(0xF0), 4u);
  EXPECT_EQ(sequence_length(0x80), 0u);
  EXPECT_EQ(sequence_length(0xC0), 0u);
  EXPECT_EQ(sequence_length(0xF5), 0u);
}

}  // namespace
}  // namespace colead::ot::utf8
