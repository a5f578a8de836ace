// Golden vectors shared with the browser client: tests/vectors/ot_*.json. The same files are
// read by tests/web/ot.test.mjs, so both implementations are held to one set of answers.

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "ot/text_operation.hpp"
#include "test_support.hpp"
#include "vector_json.hpp"

#ifndef COLEAD_OT_VECTORS_DIR
#error "COLEAD_OT_VECTORS_DIR must name tests/vectors"
#endif

namespace colead::ot {
namespace {

using testing::json_value;

json_value load(const char* file) {
  return testing::load_json_file(std::string(COLEAD_OT_VECTORS_DIR) + "/" + file);
}

// Wire-form components: each element has exactly one of retain, insert, delete.
std::vector<component> components_of(const json_value& wire) {
  std::vector<component> out;
  for (const json_value& element : wire.as_array()) {
    if (element.as_object().size() != 1) {
      throw std::runtime_error("a component must have exactly one member");
    }
    if (element.has("retain")) {
      out.push_back(component::retain(static_cast<std::size_t>(element["retain"].as_int())));
    } else if (element.has("delete")) {
      out.push_back(component::remove(static_cast<std::size_t>(element["delete"].as_int())));
    } else if (element.has("insert")) {
      out.push_back({component_kind::insert, 0, element["insert"].as_string()});
    } else {
      throw std::runtime_error("unknown component kind");
    }
  }
  return out;
}

result<text_operation> operation_of(const json_value& wire) {
  return text_operation::from_components(components_of(wire));
}

// An expected operation from a vector file; it must be written in normal form so the file
// documents exactly what every implementation produces.
text_operation normal_operation_of(const json_value& wire) {
  result<text_operation> op = operation_of(wire);
  if (!op.is_ok())
    throw std::runtime_error("expected operation is invalid: " + op.error().to_string());
  std::vector<component> written = components_of(wire);
  for (component& c : written) {
    if (c.kind == component_kind::insert) c = component::insert(c.text);
  }
  if (written != op->components()) {
    throw std::runtime_error("expected operation is not in normal form: " + op->to_json());
  }
  return std::move(op).value();
}

TEST(GoldenVectors, Transform) {
  const json_value file = load("ot_transform.json");
  const auto& cases = file["cases"].as_array();
  EXPECT_GE(cases.size(), 40u);
  for (const json_value& c : cases) {
    SCOPED_TRACE(c["name"].as_string());
    const std::string& doc = c["doc"].as_string();
    COLEAD_ASSERT_OK_AND_ASSIGN(a, operation_of(c["a"]));
    COLEAD_ASSERT_OK_AND_ASSIGN(b, operation_of(c["b"]));
    const std::string& side = c["applied_first"].as_string();
    ASSERT_TRUE(side == "a" || side == "b");
    const applied_first first = side == "a" ? applied_first::a : applied_first::b;

    COLEAD_ASSERT_OK_AND_ASSIGN(pair, transform(a, b, first));
    EXPECT_EQ(pair.first, normal_operation_of(c["a_prime"]));
    EXPECT_EQ(pair.second, normal_operation_of(c["b_prime"]));

    COLEAD_ASSERT_OK_AND_ASSIGN(after_a, a.apply(doc));
    COLEAD_ASSERT_OK_AND_ASSIGN(after_b, b.apply(doc));
    COLEAD_ASSERT_OK_AND_ASSIGN(via_a, pair.second.apply(after_a));
    COLEAD_ASSERT_OK_AND_ASSIGN(via_b, pair.first.apply(after_b));
    EXPECT_EQ(via_a, c["result"].as_string());
    EXPECT_EQ(via_b, c["result"].as_string());
  }
}

TEST(GoldenVectors, Apply) {
  const json_value file = load("ot_apply.json");
  for (const json_value& c : file["cases"].as_array()) {
    SCOPED_TRACE(c["name"].as_string());
    const std::string& doc = c["doc"].as_string();
    result<text_operation> op = operation_of(c["op"]);
    if (c.has("error")) {
      const std::string& expected = c["error"].as_string();
      if (!op.is_ok()) {
        EXPECT_EQ(wire_name(op.error().code()), expected);
        continue;
      }
      const result<std::string> out = op->apply(doc);
      ASSERT_FALSE(out.is_ok()) << "applied as " << *out;
      EXPECT_EQ(wire_name(out.error().code()), expected);
      continue;
    }
    ASSERT_TRUE(op.is_ok()) << op.error().to_string();
    EXPECT_EQ(*op, normal_operation_of(c["normalised"]));
    COLEAD_ASSERT_OK_AND_ASSIGN(out, op->apply(doc));
    EXPECT_EQ(out, c["result"].as_string());
  }
}

TEST(GoldenVectors, Compose) {
  const json_value file = load("ot_compose.json");
  for (const json_value& c : file["cases"].as_array()) {
    SCOPED_TRACE(c["name"].as_string());
    const std::string& doc = c["doc"].as_string();
    COLEAD_ASSERT_OK_AND_ASSIGN(a, operation_of(c["a"]));
    COLEAD_ASSERT_OK_AND_ASSIGN(b, operation_of(c["b"]));
    COLEAD_ASSERT_OK_AND_ASSIGN(composed, compose(a, b));
    EXPECT_EQ(composed, normal_operation_of(c["composed"]));
    COLEAD_ASSERT_OK_AND_ASSIGN(direct, composed.apply(doc));
    COLEAD_ASSERT_OK_AND_ASSIGN(step, a.apply(doc));
    COLEAD_ASSERT_OK_AND_ASSIGN(stepwise, b.apply(step));
    EXPECT_EQ(direct, c["result"].as_string());
    EXPECT_EQ(stepwise, c["result"].as_string());
  }
}

TEST(GoldenVectors, Caret) {
  const json_value file = load("ot_caret.json");
  for (const json_value& c : file["cases"].as_array()) {
    SCOPED_TRACE(c["name"].as_string());
    COLEAD_ASSERT_OK_AND_ASSIGN(op, operation_of(c["op"]));
    const std::string& gravity = c["gravity"].as_string();
    ASSERT_TRUE(gravity == "before_insert" || gravity == "after_insert");
    const std::size_t moved = transform_position(
        static_cast<std::size_t>(c["position"].as_int()), op,
        gravity == "after_insert" ? caret_gravity::after_insert : caret_gravity::before_insert);
    EXPECT_EQ(moved, static_cast<std::size_t>(c["expected"].as_int()));
  }
}

TEST(GoldenVectors, TieBreak) {
  const json_value file = load("ot_tie_break.json");
  for (const json_value& c : file["cases"].as_array()) {
    SCOPED_TRACE(c["name"].as_string());
    const std::string& doc = c["doc"].as_string();
    COLEAD_ASSERT_OK_AND_ASSIGN(applied, operation_of(c["applied"]));
    COLEAD_ASSERT_OK_AND_ASSIGN(incoming, operation_of(c["incoming"]));
    const applied_first first = tie_break(static_cast<std::uint64_t>(c["incoming_base"].as_int()),
                                          static_cast<std::uint64_t>(c["applied_base"].as_int()));
    EXPECT_EQ(first == applied_first::a ? "a" : "b", c["applied_first"].as_string());
    COLEAD_ASSERT_OK_AND_ASSIGN(pair, transform(incoming, applied, first));
    EXPECT_EQ(pair.first, normal_operation_of(c["incoming_prime"]));
    COLEAD_ASSERT_OK_AND_ASSIGN(after_applied, applied.apply(doc));
    COLEAD_ASSERT_OK_AND_ASSIGN(out, pair.first.apply(after_applied));
    EXPECT_EQ(out, c["result"].as_string());
  }
}

// The reader itself: a malformed vector file must fail loudly, never pass quietly.
TEST(VectorReader, RejectsMalformedJson) {
  json_value v;
  std::string error;
  EXPECT_FALSE(testing::parse_json("{\"a\": [1, 2,]}", v, error));
  EXPECT_FALSE(testing::parse_json("{\"a\": 1.5}", v, error));
  EXPECT_FALSE(testing::parse_json("{\"a\": 1, \"a\": 2}", v, error));
  EXPECT_FALSE(testing::parse_json("\"unterminated", v, error));
  EXPECT_FALSE(testing::parse_json("[1] x", v, error));
  EXPECT_NE(error.find("at byte 4"), std::string::npos) << error;
}

TEST(VectorReader, DecodesEscapesToUtf8) {
  json_value v;
  std::string error;
  ASSERT_TRUE(testing::parse_json(R"(["\u00e9\ud83d\ude00\n\"", "\ud800"])", v, error)) << error;
  EXPECT_EQ(v.as_array()[0].as_string(), "\u00e9\U0001F600\n\"");
  // A lone surrogate stays visible as invalid UTF-8 for the OT layer to refuse.
  EXPECT_EQ(v.as_array()[1].as_string(), "\xED\xA0\x80");
}

}  // namespace
}  // namespace colead::ot
