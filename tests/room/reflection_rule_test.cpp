// The reflection rule against the cases the browser's copy is held to as well
// (tests/vectors/reflection_rule.json).
#include "room/reflection_rule.hpp"

#include <gtest/gtest.h>

#include <string>

#include "vector_json.hpp"

#ifndef COLEAD_VECTORS_DIR
#error "COLEAD_VECTORS_DIR must name tests/vectors"
#endif

namespace colead::room {
namespace {

using ot::testing::json_value;
using ot::testing::load_json_file;

const json_value& vectors() {
  static const json_value loaded =
      load_json_file(std::string(COLEAD_VECTORS_DIR) + "/reflection_rule.json");
  return loaded;
}

TEST(ReflectionRule, TargetRangeAndDefaultAreTheSharedOnes) {
  EXPECT_EQ(reflection_rule::default_target_pct, vectors()["default_target_pct"].as_int());
  EXPECT_EQ(reflection_rule::min_target_pct, vectors()["min_target_pct"].as_int());
  EXPECT_EQ(reflection_rule::max_target_pct, vectors()["max_target_pct"].as_int());
  for (const auto& t : vectors()["targets"].as_array()) {
    const auto pct = t["pct"].as_int();
    EXPECT_EQ(reflection_rule::valid_target(pct), t["valid"].as_bool()) << pct;
  }
  EXPECT_EQ(reflection_rule::target_problem(140),
            "The reflection target must be a whole per cent from 1 to 100; it was 140%.");
}

TEST(ReflectionRule, SharedCasesMetShownAndRequired) {
  const auto& cases = vectors()["cases"].as_array();
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    SCOPED_TRACE(c["note"].as_string());
    const auto task = c["task_ms"].as_int();
    const auto reflection = c["reflection_ms"].as_int();
    const auto pct = static_cast<int>(c["target_pct"].as_int());
    EXPECT_EQ(reflection_rule::met(task, reflection, pct), c["met"].as_bool());
    EXPECT_EQ(reflection_rule::shown_percent(task, reflection), c["shown_percent"].as_int());
    EXPECT_EQ(reflection_rule::required_ms(task + reflection, pct), c["required_ms"].as_int());
    // The share and the shown per cent agree: the shown number never rounds up.
    EXPECT_LE(reflection_rule::shown_percent(task, reflection),
              reflection_rule::share(task, reflection) * 100 + 1e-9);
  }
}

}  // namespace
}  // namespace colead::room
