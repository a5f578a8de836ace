#include "ot/text_operation.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace colead::ot {
namespace {

component r(std::size_t n) {
  return component::retain(n);
}
component d(std::size_t n) {
  return component::remove(n);
}
component i(std::string text) {
  return component::insert(std::move(text));
}

// An operation from components written in a test; the components must be valid.
text_operation op(std::initializer_list<component> components) {
  std::vector<component> list(components);
  result<text_operation> built = text_operation::from_components(list);
  EXPECT_TRUE(built.is_ok()) << built.error().to_string();
  return built.is_ok() ? std::move(built).value() : text_operation();
}

// --- Normal form -------------------------------------------------------------------------

TEST(TextOperationForm, AdjacentComponentsOfOneKindMerge) {
  text_operation o;
  o.retain(2).retain(3).insert("ab").insert("\U0001F600").remove(1).remove(4);
  EXPECT_EQ(o.components(), (std::vector<component>{r(5), i("ab\U0001F600"), d(5)}));
  EXPECT_EQ(o.base_length(), 10u);
  EXPECT_EQ(o.target_length(), 8u);
}

TEST(TextOperationForm, ZeroLengthComponentsAreDropped) {
  text_operation o;
  o.retain(0).insert("").remove(0).retain(1);
  EXPECT_EQ(o.components(), (std::vector<component>{r(1)}));
}

TEST(TextOperationForm, InsertGoesBeforeRemoveAtTheSamePlace) {
  text_operation o;
  o.retain(1).remove(2).insert("x");
  EXPECT_EQ(o.components(), (std::vector<component>{r(1), i("x"), d(2)}));
  o.insert("y");
  EXPECT_EQ(o.components(), (std::vector<component>{r(1), i("xy"), d(2)}));
  text_operation same;
  same.retain(1).insert("xy").remove(2);
  EXPECT_EQ(o, same);
}

TEST(TextOperationForm, LengthsCountCodePointsNotBytes) {
  text_operation o;
  o.retain(2).insert("\U0001F469\u200D\U0001F469\u200D\U0001F467").remove(3);
  EXPECT_EQ(o.base_length(), 5u);
  EXPECT_EQ(o.target_length(), 7u);
}

TEST(TextOperationForm, OnlyRetainsIsNoop) {
  EXPECT_TRUE(op({r(3)}).is_noop());
  EXPECT_TRUE(text_operation().is_noop());
  EXPECT_FALSE(op({r(3), i("x")}).is_noop());
  EXPECT_FALSE(op({d(1)}).is_noop());
}

TEST(TextOperationForm, JsonFormEscapesText) {
  const text_operation o = op({r(1), i("a\"b\\c\n\x01\u00e9"), d(2)});
  EXPECT_EQ(o.to_json(),
            "[{\"retain\":1},{\"insert\":\"a\\\"b\\\\c\\n\\u0001\u00e9\"},{\"delete\":2}]");
}

// --- Untrusted input ------------------------------------------------------------------------

TEST(TextOperationInput, InvalidUtf8InsertNamesTheComponent) {
  const std::vector<component> raw{r(2), {component_kind::insert, 0, "ok\xED\xA0\x80"}};
  const result<text_operation> built = text_operation::from_components(raw);
  ASSERT_FALSE(built.is_ok());
  EXPECT_EQ(built.error().code(), error_code::invalid_op);
  EXPECT_EQ(built.error().message(),
            "component 2 (insert) is not valid UTF-8: encoded UTF-16 surrogate U+D800 at byte 2");
}

TEST(TextOperationInput, InsertCountIsRecomputedFromText) {
  const std::vector<component> raw{{component_kind::insert, 99, "\u00e9\u00e9"}};
  COLEAD_ASSERT_OK_AND_ASSIGN(built, text_operation::from_components(raw));
  EXPECT_EQ(built.target_length(), 2u);
}

TEST(TextOperationInput, HugeCountIsRefused) {
  const std::vector<component> raw{r(1), d(std::size_t{1} << 62)};
  const result<text_operation> built = text_operation::from_components(raw);
  ASSERT_FALSE(built.is_ok());
  EXPECT_EQ(built.error().code(), error_code::invalid_op);
  EXPECT_NE(built.error().message().find("component 2 (delete)"), std::string::npos);
}

TEST(TextOperationInput, ManyLargeRetainsCannotOverflowTheLength) {
  std::vector<component> raw(70'000, r(max_component_count / 65'536));
  const result<text_operation> built = text_operation::from_components(raw);
  ASSERT_FALSE(built.is_ok());
  EXPECT_EQ(built.error().code(), error_code::invalid_op);
}

TEST(TextOperationInput, TextOnARetainIsRefused) {
  const std::vector<component> raw{{component_kind::retain, 1, "x"}};
  EXPECT_FALSE(text_operation::from_components(raw).is_ok());
}

TEST(TextOperationInput, ZeroCountsAndEmptyInsertsAreDropped) {
  const std::vector<component> raw{r(0), i(""), r(2), d(0)};
  COLEAD_ASSERT_OK_AND_ASSIGN(built, text_operation::from_components(raw));
  EXPECT_EQ(built, op({r(2)}));
}

// --- Apply ----------------------------------------------------------------------------------

struct apply_case {
  const char* name;
  std::string doc;
  text_operation op;
  std::optional<std::string> expected;  // nullopt: INVALID_OP
};

std::vector<apply_case> apply_cases() {
  return {
      {"InsertIntoEmpty", "", op({i("hello")}), "hello"},
      {"EmptyOnEmpty", "", op({}), ""},
      {"DeleteEverything", "abc", op({d(3)}), ""},
      {"RetainPastSkinToneEmoji", "\U0001F44D\U0001F3FD!", op({r(2), i("x"), r(1)}),
       "\U0001F44D\U0001F3FDx!"},
      {"InsertInsideSkinToneSequence", "\U0001F44D\U0001F3FD", op({r(1), i("x"), r(1)}),
       "\U0001F44Dx\U0001F3FD"},
      {"DeleteZwjFamily", "a\U0001F469\u200D\U0001F469\u200D\U0001F467b", op({r(1), d(5), r(1)}),
       "ab"},
      {"DeleteCombiningMarkOnly", "cafe\u0301", op({r(4), d(1)}), "cafe"},
      {"InsertCombiningMark", "cafe", op({r(4), i("\u0301")}), "cafe\u0301"},
      {"CjkMiddle", "\u5171\u540c\u76ee\u6807", op({r(2), i("\u7684"), r(2)}),
       "\u5171\u540c\u7684\u76ee\u6807"},
      {"ArabicReplaceWord", "\u0645\u0631\u062d\u0628\u0627 x",
       op({i("\u0633\u0644\u0627\u0645"), d(5), r(2)}), "\u0633\u0644\u0627\u0645 x"},
      {"HebrewDeleteLetter", "\u05e9\u05dc\u05d5\u05dd", op({r(1), d(1), r(2)}),
       "\u05e9\u05d5\u05dd"},
      {"FlagHalves", "\U0001F1EC\U0001F1E7", op({d(1), r(1)}), "\U0001F1E7"},
      {"MixedScripts", "a\u00e9\u5171\U0001F600z", op({r(1), d(3), i("-"), r(1)}), "a-z"},
      {"TooShort", "0123456789", op({r(12)}), std::nullopt},
      {"TooLong", "0123456789", op({r(5)}), std::nullopt},
      {"EmojiCountedOnce", "\U0001F600", op({r(2)}), std::nullopt},
      {"NonEmptyOpOnEmptyDoc", "", op({d(1)}), std::nullopt},
  };
}

TEST(TextApply, Table) {
  for (const apply_case& c : apply_cases()) {
    SCOPED_TRACE(c.name);
    const result<std::string> out = c.op.apply(c.doc);
    if (c.expected) {
      ASSERT_TRUE(out.is_ok()) << out.error().to_string();
      EXPECT_EQ(*out, *c.expected);
    } else {
      ASSERT_FALSE(out.is_ok());
      EXPECT_EQ(out.error().code(), error_code::invalid_op);
    }
  }
}

TEST(TextApply, LengthMismatchMessageNamesBothLengths) {
  const result<std::string> out = op({r(12)}).apply("0123456789");
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().message(), "operation covers 12 characters but the document has 10");
}

TEST(TextApply, CodePointLimit) {
  const document_limits limits{5, 1000};
  EXPECT_TRUE(op({r(3), i("ab")}).apply("abc", limits).is_ok());
  const result<std::string> out = op({r(3), i("abc")}).apply("abc", limits);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().code(), error_code::too_large);
  EXPECT_EQ(out.error().message(),
            "the edit would make the document 6 characters long; the limit is 5");
}

TEST(TextApply, ByteLimitCountsUtf8Bytes) {
  const document_limits limits{100, 8};
  // Two emoji are 2 code points but 8 bytes: exactly at the limit.
  EXPECT_TRUE(op({i("\U0001F600\U0001F600")}).apply("", limits).is_ok());
  const result<std::string> out = op({r(2), i("a")}).apply("\U0001F600\U0001F600", limits);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().code(), error_code::too_large);
  EXPECT_EQ(out.error().message(),
            "the edit would make the document 9 bytes long; the limit is 8 bytes");
  // Replacing multibyte text with ASCII shrinks the bytes and is allowed.
  EXPECT_TRUE(op({d(1), i("abcd"), r(1)}).apply("\U0001F600\U0001F600", limits).is_ok());
}

// --- Compose --------------------------------------------------------------------------------

TEST(TextCompose, Table) {
  struct compose_case {
    const char* name;
    std::string doc;
    text_operation a;
    text_operation b;
    text_operation expected;
  };
  const compose_case cases[] = {
      {"InsertThenDeleteInsideIt", "ab", op({r(1), i("\U0001F600\u00e9x"), r(1)}),
       op({r(2), d(1), r(2)}), op({r(1), i("\U0001F600x"), r(1)})},
      {"InsertThenRetainSplitsText", "", op({i("\u05e9\u05dc\u05d5\u05dd")}),
       op({r(2), i("-"), r(2)}), op({i("\u05e9\u05dc-\u05d5\u05dd")})},
      {"DeleteThenInsert", "abc", op({d(3)}), op({i("xyz")}), op({i("xyz"), d(3)})},
      {"DeletesAccumulate", "abcd", op({d(1), r(3)}), op({r(1), d(2)}), op({d(1), r(1), d(2)})},
      {"InsertedThenDeleted", "", op({i("\U0001F44D\U0001F3FD")}), op({d(2)}), op({})},
      {"RetainsOnly", "xyz", op({r(3)}), op({r(3)}), op({r(3)})},
  };
  for (const compose_case& c : cases) {
    SCOPED_TRACE(c.name);
    COLEAD_ASSERT_OK_AND_ASSIGN(ab, compose(c.a, c.b));
    EXPECT_EQ(ab, c.expected);
    COLEAD_ASSERT_OK_AND_ASSIGN(step1, c.a.apply(c.doc));
    COLEAD_ASSERT_OK_AND_ASSIGN(step2, c.b.apply(step1));
    COLEAD_ASSERT_OK_AND_ASSIGN(direct, ab.apply(c.doc));
    EXPECT_EQ(direct, step2);
  }
}

TEST(TextCompose, MismatchedLengthsAreRefused) {
  const result<text_operation> out = compose(op({r(3), i("ab")}), op({r(4)}));
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().message(),
            "cannot compose: the first operation produces 5 characters but the second covers 4");
}

// --- Transform ------------------------------------------------------------------------------

// Checks TP1 for one pair on one document and returns the converged text.
std::string converge(const std::string& doc, const text_operation& a, const text_operation& b,
                     applied_first first) {
  auto pair = transform(a, b, first);
  EXPECT_TRUE(pair.is_ok()) << pair.error().to_string();
  if (!pair.is_ok()) return {};
  const auto& [a_prime, b_prime] = *pair;
  const auto via_a = b_prime.apply(*a.apply(doc));
  const auto via_b = a_prime.apply(*b.apply(doc));
  EXPECT_TRUE(via_a.is_ok() && via_b.is_ok());
  if (!via_a.is_ok() || !via_b.is_ok()) return {};
  EXPECT_EQ(*via_a, *via_b);
  return *via_a;
}

TEST(TextTransform, SamePositionInsertKeepsAppliedFirst) {
  const text_operation a = op({r(1), i("A"), r(1)});
  const text_operation b = op({r(1), i("B"), r(1)});
  EXPECT_EQ(converge("xy", a, b, applied_first::a), "xABy");
  EXPECT_EQ(converge("xy", a, b, applied_first::b), "xBAy");
  COLEAD_ASSERT_OK_AND_ASSIGN(pair, transform(a, b, applied_first::b));
  EXPECT_EQ(pair.first, op({r(2), i("A"), r(1)}));
  EXPECT_EQ(pair.second, op({r(1), i("B"), r(2)}));
}

TEST(TextTransform, TieBreakAtStartAndEndOfEmojiDocument) {
  const std::string doc = "\U0001F469\u200D\U0001F469\u200D\U0001F467";
  EXPECT_EQ(converge(doc, op({i("\u05e9"), r(5)}), op({i("\u5171"), r(5)}), applied_first::b),
            "\u5171\u05e9" + doc);
  EXPECT_EQ(converge(doc, op({r(5), i("\u05e9")}), op({r(5), i("\u5171")}), applied_first::a),
            doc + "\u05e9\u5171");
}

TEST(TextTransform, InsertInsideConcurrentlyDeletedRangeSurvives) {
  EXPECT_EQ(converge("abcd", op({r(2), i("X"), r(2)}), op({r(1), d(2), r(1)}), applied_first::b),
            "aXd");
}

TEST(TextTransform, OverlappingDeletesRemoveOnce) {
  EXPECT_EQ(converge("abcdef", op({r(1), d(3), r(2)}), op({r(2), d(3), r(1)}), applied_first::b),
            "af");
  COLEAD_ASSERT_OK_AND_ASSIGN(pair, transform(op({d(2)}), op({d(2)}), applied_first::a));
  EXPECT_TRUE(pair.first.is_noop());
  EXPECT_TRUE(pair.second.is_noop());
}

TEST(TextTransform, EmptyDocumentBothInsert) {
  EXPECT_EQ(converge("", op({i("\U0001F44D\U0001F3FD")}), op({i("ok")}), applied_first::a),
            "\U0001F44D\U0001F3FDok");
}

TEST(TextTransform, DeleteVersusInsertAtItsEdge) {
  // b deletes "bc"; a inserts right after "c": the insert stays, right where "c" was.
  EXPECT_EQ(converge("abcd", op({r(3), i("X"), r(1)}), op({r(1), d(2), r(1)}), applied_first::b),
            "aXd");
  // a inserts right before "b": also kept.
  EXPECT_EQ(converge("abcd", op({r(1), i("X"), r(3)}), op({r(1), d(2), r(1)}), applied_first::b),
            "aXd");
}

TEST(TextTransform, MismatchedBaseLengthsAreRefused) {
  const auto out = transform(op({r(10)}), op({r(12)}), applied_first::b);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.error().code(), error_code::invalid_op);
  EXPECT_EQ(out.error().message(),
            "cannot transform: the operations cover 10 characters and 12 characters of the same "
            "document");
}

// --- Carets ---------------------------------------------------------------------------------

TEST(CaretTransform, Table) {
  struct caret_case {
    const char* name;
    text_operation op;
    std::size_t position;
    caret_gravity gravity;
    std::size_t expected;
  };
  const caret_case cases[] = {
      {"InsertBefore", op({r(1), i("\U0001F600\U0001F600"), r(4)}), 3, caret_gravity::before_insert,
       5},
      {"InsertAfter", op({r(4), i("xy"), r(1)}), 3, caret_gravity::before_insert, 3},
      {"InsertAtCaretStays", op({r(3), i("xy"), r(2)}), 3, caret_gravity::before_insert, 3},
      {"InsertAtCaretMoves", op({r(3), i("xy"), r(2)}), 3, caret_gravity::after_insert, 5},
      {"InsertAtStartStays", op({i("xy"), r(5)}), 0, caret_gravity::before_insert, 0},
      {"InsertAtEndMoves", op({r(5), i("xy")}), 5, caret_gravity::after_insert, 7},
      {"DeleteBefore", op({d(2), r(3)}), 4, caret_gravity::before_insert, 2},
      {"DeleteAround", op({r(1), d(3), r(1)}), 3, caret_gravity::after_insert, 1},
      {"DeleteAfter", op({r(3), d(2)}), 3, caret_gravity::after_insert, 3},
      {"ReplaceAtCaret", op({r(3), i("ab"), d(2)}), 3, caret_gravity::after_insert, 5},
      {"BeyondEndIsClamped", op({r(2), i("x")}), 9, caret_gravity::before_insert, 2},
  };
  for (const caret_case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(transform_position(c.position, c.op, c.gravity), c.expected);
  }
}

TEST(CaretTransform, SelectionMovesBothEnds) {
  const selection moved =
      transform_selection({1, 4}, op({i("ab"), r(2), d(1), r(2)}), caret_gravity::before_insert);
  EXPECT_EQ(moved, (selection{3, 5}));
}

}  // namespace
}  // namespace colead::ot
