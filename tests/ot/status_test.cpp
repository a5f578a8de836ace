// The one status/result<T> of every layer (common/colead/status.hpp).
#include "colead/status.hpp"

#include <gtest/gtest.h>

#include <string>

namespace colead {
namespace {

TEST(Status, OkCarriesNoMessageAndFailuresKeepTheirCodeAndMessage) {
  EXPECT_TRUE(status::ok().is_ok());
  EXPECT_EQ(status::ok().to_string(), "OK");
  const auto refused = status::not_allowed("questions wait for the clarifying phase");
  EXPECT_FALSE(refused);
  EXPECT_EQ(refused.code(), error_code::not_allowed);
  EXPECT_EQ(refused.to_string(), "not allowed: questions wait for the clarifying phase");
  EXPECT_EQ(refused.with_context("troika").message(),
            "troika: questions wait for the clarifying phase");
  EXPECT_EQ(status::ok().with_context("troika"), status::ok());
}

TEST(Status, EveryCodeHasANameAndTheRefusalsTheirWireCode) {
  for (int c = 0; c <= static_cast<int>(error_code::failed); ++c) {
    EXPECT_NE(name(static_cast<error_code>(c)), "unknown") << c;
  }
  EXPECT_EQ(wire_name(error_code::invalid_op), "INVALID_OP");
  EXPECT_EQ(wire_name(error_code::too_large), "TOO_LARGE");
  EXPECT_EQ(wire_name(error_code::bad_revision), "BAD_REVISION");
  EXPECT_EQ(wire_name(error_code::not_allowed), "NOT_ALLOWED");
  EXPECT_EQ(wire_name(error_code::wrong_state), "NOT_ALLOWED");
  EXPECT_EQ(wire_name(error_code::not_found), "NOT_FOUND");
  EXPECT_EQ(wire_name(error_code::io_error), "INTERNAL");
}

TEST(Status, AResultHoldsAValueOrTheFailure) {
  result<std::string> text = std::string("Shared purpose");
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "Shared purpose");
  EXPECT_TRUE(text.error().is_ok());
  result<std::string> missing = status::not_found("no such document");
  EXPECT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), error_code::not_found);
}

}  // namespace
}  // namespace colead
