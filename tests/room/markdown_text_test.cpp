#include "room/markdown_text.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace colead::room {
namespace {

struct inline_case {
  const char* what;
  const char* text;
  const char* markdown;
};

// Test listings name the case rather than print its bytes.
void PrintTo(const inline_case& c, std::ostream* os) {
  *os << c.what;
}

class MarkdownInline : public testing::TestWithParam<inline_case> {};

TEST_P(MarkdownInline, ShowsTheTextAndNothingMore) {
  EXPECT_EQ(markdown_inline(GetParam().text), GetParam().markdown) << GetParam().what;
}

INSTANTIATE_TEST_SUITE_P(
    Payloads, MarkdownInline,
    testing::Values(
        inline_case{"plain words stay as they are", "Shared purpose, agreed.",
                    "Shared purpose, agreed."},
        inline_case{"a script tag", "<script>alert(1)</script>",
                    "\\<script\\>alert(1)\\</script\\>"},
        inline_case{"an image with an event handler", "<img src=x onerror=alert(1)>",
                    "\\<img src=x onerror=alert(1)\\>"},
        inline_case{"an entity", "&lt;b&gt;", "\\&lt;b\\&gt;"},
        inline_case{"a link", "[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"},
        inline_case{"an image", "![x](https://evil.example/t.png)",
                    "`![x](https://evil.example/t.png)`"},
        inline_case{"a URL is code, never a link", "see https://evil.example/a now",
                    "see `https://evil.example/a` now"},
        inline_case{"a www address", "www.evil.example", "`www.evil.example`"},
        inline_case{"an e-mail address", "mail a@evil.example", "mail `a@evil.example`"},
        inline_case{"a URL in angle brackets", "<https://evil.example>",
                    "\\<`https://evil.example`\\>"},
        inline_case{"backticks in a URL", "https://x.example/`a``",
                    "``` https://x.example/`a`` ```"},
        inline_case{"a heading", "# Owned", "\\# Owned"},
        inline_case{"a list item", "- item", "\\- item"},
        inline_case{"an ordered list item", "1. item", "1\\. item"},
        inline_case{"a quote", "> quoted", "\\> quoted"},
        inline_case{"emphasis and code", "*a* _b_ `c` ~~d~~",
                    "\\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~"},
        inline_case{"a table cell", "a | b", "a \\| b"},
        inline_case{"a newline cannot start a heading or a list", "note\n# Heading\r\n- item",
                    "note # Heading - item"},
        inline_case{"Unicode line separators too", "a\u2028# b", "a # b"},
        inline_case{"control characters become spaces",
                    "a\tb\x01"
                    "c",
                    "a b c"},
        inline_case{"backslashes are kept", "C:\\path", "C:\\\\path"},
        inline_case{"surrounding spaces go", "   - x  ", "\\- x"},
        inline_case{"non-ASCII text is untouched", "Zoë — «ça»", "Zoë — «ça»"}));

TEST(MarkdownBlock, KeepsLinesAndParagraphs) {
  EXPECT_EQ(markdown_block("first line\nsecond line\n\nnew paragraph"),
            "first line\\\nsecond line\n\nnew paragraph");
}

TEST(MarkdownBlock, EveryLineIsEscapedAtItsStart) {
  EXPECT_EQ(markdown_block("text\n# heading\n===\n- item\n<script>x</script>"),
            "text\\\n\\# heading\\\n\\===\\\n\\- item\\\n\\<script\\>x\\</script\\>");
}

TEST(MarkdownBlock, EmptyTextIsEmpty) {
  EXPECT_EQ(markdown_block(""), "");
  EXPECT_EQ(markdown_block("\n \n"), "");
}

}  // namespace
}  // namespace colead::room
