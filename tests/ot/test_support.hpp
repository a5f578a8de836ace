#pragma once

// Helpers shared by the OT tests: readable failure output for operations and results.

#include <ostream>
#include <string>

#include "ot/status.hpp"
#include "ot/text_operation.hpp"

namespace colead::ot {

// GoogleTest prints operations in their wire JSON form.
inline void PrintTo(const text_operation& op, std::ostream* out) {
  *out << op.to_json();
}
inline void PrintTo(const status& s, std::ostream* out) {
  *out << s.to_string();
}

}  // namespace colead::ot

namespace colead::ot::testing {

// The value of a result that the test expects to succeed; fails the test (and returns a
// default value) otherwise.
#define COLEAD_ASSERT_OK_AND_ASSIGN(lhs, expr)                           \
  auto lhs##_result = (expr);                                            \
  ASSERT_TRUE(lhs##_result.is_ok()) << lhs##_result.error().to_string(); \
  auto lhs = std::move(lhs##_result).value()

}  // namespace colead::ot::testing
