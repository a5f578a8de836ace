// The HTTP API: POST /api/rooms creates a room with one invite per seat and validates its
// body with JSON errors; GET /healthz answers while serving.
#include <set>

#include "client/http_request.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

using HttpApi = ServerTest;

TEST_F(HttpApi, CreateRoomReturnsOneInvitePerSeat) {
  for (int seats : {2, 3, 8}) {
    SCOPED_TRACE("seats " + std::to_string(seats));
    auto result = client::http_request(
        "POST", server_->url() + "/api/rooms",
        "{\"title\": \"Pair\", \"seats\": " + std::to_string(seats) + "}", {}, expect_within);
    ASSERT_TRUE(result.outcome.is_ok()) << result.outcome.message();
    EXPECT_EQ(result.response.status, 201) << result.response.body;
    EXPECT_EQ(result.response.header("Content-Type").rfind("application/json", 0), 0u);
    v1::CreateRoomResponse created;
    std::string why;
    ASSERT_TRUE(protocol::from_json(result.response.body, created, why))
        << why << ": " << result.response.body;
    EXPECT_FALSE(created.id().empty());
    ASSERT_EQ(created.invites_size(), seats);
    std::set<std::string> tokens;
    for (int i = 0; i < seats; ++i) {
      const auto& invite = created.invites(i);
      EXPECT_EQ(invite.seat(), static_cast<unsigned>(i + 1));
      EXPECT_FALSE(invite.token().empty());
      EXPECT_EQ(invite.url(), "/r/" + created.id() + "#t=" + invite.token());
      tokens.insert(invite.token());
    }
    EXPECT_EQ(tokens.size(), static_cast<std::size_t>(seats)) << "tokens must differ";
  }
}

TEST_F(HttpApi, CreateRoomRejectsInvalidBodiesWithJsonErrors) {
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"one seat", "{\"title\": \"Solo\", \"seats\": 1}"},
      {"nine seats", "{\"title\": \"Crowd\", \"seats\": 9}"},
      {"no seats", "{\"title\": \"Pair\"}"},
      {"no title", "{\"seats\": 2}"},
      {"empty title", "{\"title\": \"\", \"seats\": 2}"},
      {"malformed JSON", "{\"title\": \"Pair\", \"seats\": "},
      {"not an object", "[\"Pair\", 2]"},
      {"empty body", ""},
  };
  for (const auto& [what, body] : bodies) {
    SCOPED_TRACE(what + ": " + body);
    auto result = client::http_request("POST", server_->url() + "/api/rooms", body,
                                       {{"Content-Type", "application/json"}}, expect_within);
    ASSERT_TRUE(result.outcome.is_ok()) << result.outcome.message();
    EXPECT_EQ(result.response.status, 400) << result.response.body;
    EXPECT_EQ(result.response.header("Content-Type").rfind("application/json", 0), 0u);
    v1::HttpError error;
    std::string why;
    ASSERT_TRUE(protocol::from_json(result.response.body, error, why))
        << why << ": " << result.response.body;
    EXPECT_EQ(error.error().code(), v1::Error::BAD_REQUEST) << result.response.body;
    EXPECT_FALSE(error.error().message().empty());
  }
}

TEST_F(HttpApi, HealthzAnswersOk) {
  auto result = client::http_request("GET", server_->url() + "/healthz", {}, {}, expect_within);
  ASSERT_TRUE(result.outcome.is_ok()) << result.outcome.message();
  EXPECT_EQ(result.response.status, 200) << result.response.body;
  v1::Health health;
  std::string why;
  ASSERT_TRUE(protocol::from_json(result.response.body, health, why))
      << why << ": " << result.response.body;
  EXPECT_EQ(health.status(), "ok");
}

}  // namespace
}  // namespace colead::integration
