// TURN credentials in coturn's shared-secret scheme, checked against HMAC values computed
// outside this code, and the ICE server URLs and secrets the server accepts.
#include <gtest/gtest.h>

#include <stdexcept>

#include "net/turn_credentials.hpp"

namespace colead::net {
namespace {

using namespace std::chrono_literals;

// The expected values below were computed independently of this code, with the OpenSSL
// command line (S='c0lead-turn-shared-secret-0123'), and checked again with Python's hmac:
//   printf '%s' 'what do ya want for nothing?' | openssl dgst -sha1 -hmac 'Jefe' -binary | base64
//   printf '%s' '1767225600:m1' | openssl dgst -sha1 -hmac "$S" -binary | base64
//   printf '%s' '1767229200:m12' | openssl dgst -sha1 -hmac "$S" -binary | base64
constexpr std::string_view secret = "c0lead-turn-shared-secret-0123";

TEST(TurnPassword, MatchesTheRfc2202Vector) {
  // RFC 2202, HMAC-SHA1 test case 2: effcdf6ae5eb2fa2d27416d5f184df9c259a7c79, in base64.
  EXPECT_EQ(turn_password("Jefe", "what do ya want for nothing?"), "7/zfauXrL6LSdBbV8YTfnCWafHk=");
}

TEST(TurnPassword, MatchesTheOpensslCommandLine) {
  EXPECT_EQ(turn_password(secret, "1767225600:m1"), "oijuhdQh6MDUDt7f3ZjByPNy5rs=");
  EXPECT_EQ(turn_password(secret, "1767229200:m12"), "+HawNdXJeP9T/a60iF3Wxmr+au8=");
}

TEST(TurnCredentials, UserNameIsTheExpiryAndTheMember) {
  // 2025-12-31 23:00:00.750 UTC plus an hour: 2026-01-01 00:00:00 UTC, 1767225600.
  auto made = make_turn_credentials(secret, "m1", 1'767'222'000'750, 3600s);
  EXPECT_EQ(made.username, "1767225600:m1");
  EXPECT_EQ(made.password, "oijuhdQh6MDUDt7f3ZjByPNy5rs=");
  EXPECT_EQ(made.expires_at_ms, 1'767'225'600'000);
}

TEST(TurnCredentials, EachMemberAndEachMomentGetsItsOwn) {
  auto first = make_turn_credentials(secret, "m1", 1'767'222'000'000, 3600s);
  auto other_member = make_turn_credentials(secret, "m2", 1'767'222'000'000, 3600s);
  auto later = make_turn_credentials(secret, "m1", 1'767'222'060'000, 3600s);
  auto other_secret =
      make_turn_credentials("another-secret-of-16+chars", "m1", 1'767'222'000'000, 3600s);
  EXPECT_NE(first.password, other_member.password);
  EXPECT_NE(first.password, later.password);
  EXPECT_EQ(later.username, "1767225660:m1");
  EXPECT_NE(first.password, other_secret.password);
  EXPECT_EQ(first.username, other_secret.username);
}

TEST(IceServerList, StunAndTurnEntriesWithCredentialsForTheMember) {
  ice_server_list servers({"stun:stun.example.org:3478", "turn:turn.example.org:3478?transport=udp",
                           "stun:[2001:db8::1]", "turns:turn.example.org:5349"},
                          std::string(secret), 3600s);
  auto list = servers.for_member("m12", 1'767'225'600'000);
  ASSERT_EQ(list.size(), 2u);
  ASSERT_EQ(list[0].urls_size(), 2);
  EXPECT_EQ(list[0].urls(0), "stun:stun.example.org:3478");
  EXPECT_EQ(list[0].urls(1), "stun:[2001:db8::1]");
  EXPECT_TRUE(list[0].username().empty());
  EXPECT_TRUE(list[0].credential().empty());
  EXPECT_EQ(list[0].expires_at_ms(), 0);
  ASSERT_EQ(list[1].urls_size(), 2);
  EXPECT_EQ(list[1].urls(0), "turn:turn.example.org:3478?transport=udp");
  EXPECT_EQ(list[1].urls(1), "turns:turn.example.org:5349");
  EXPECT_EQ(list[1].username(), "1767229200:m12");
  EXPECT_EQ(list[1].credential(), "+HawNdXJeP9T/a60iF3Wxmr+au8=");
  EXPECT_EQ(list[1].expires_at_ms(), 1'767'229'200'000);
}

TEST(IceServerList, StunAloneNeedsNoSecretAndNoneNamedGivesNothing) {
  ice_server_list stun_only({"stun:stun.example.org"}, "", 3600s);
  auto list = stun_only.for_member("m1", 1'767'225'600'000);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list[0].username().empty());
  EXPECT_TRUE(ice_server_list({}, "", 3600s).for_member("m1", 0).empty());
}

TEST(IceServerList, RefusesTurnWithoutAUsableSecretAndBadUrls) {
  EXPECT_THROW(ice_server_list({"turn:turn.example.org"}, "", 3600s), std::invalid_argument);
  EXPECT_THROW(ice_server_list({"turn:turn.example.org"}, "short", 3600s), std::invalid_argument);
  EXPECT_THROW(ice_server_list({"http://turn.example.org"}, std::string(secret), 3600s),
               std::invalid_argument);
  EXPECT_THROW(ice_server_list({"turn:turn.example.org"}, std::string(secret), 0s),
               std::invalid_argument);
}

TEST(IceUrl, AcceptsTheFourSchemesWithHostsPortsAndTransport) {
  for (const char* url :
       {"stun:stun.example.org", "stun:stun.example.org:3478", "stuns:stun.example.org:5349",
        "turn:turn.example.org", "turn:192.0.2.10:3478", "turn:turn.example.org:3478?transport=udp",
        "turn:turn.example.org:3478?transport=tcp", "turns:turn.example.org:443?transport=tcp",
        "turn:[2001:db8::1]:3478", "stun:[::1]"}) {
    EXPECT_EQ(ice_url_problem(url), std::nullopt) << url;
  }
  EXPECT_TRUE(is_turn_url("turn:x"));
  EXPECT_TRUE(is_turn_url("turns:x"));
  EXPECT_FALSE(is_turn_url("stun:x"));
  EXPECT_FALSE(is_turn_url("stuns:x"));
}

TEST(IceUrl, RefusesOthersSayingWhy) {
  struct refused {
    const char* url;
    const char* why;
  };
  for (auto [url, why] : {
           refused{"", "must begin with stun:"},
           refused{"http://turn.example.org", "must begin with stun:"},
           refused{"TURN:turn.example.org", "must begin with stun:"},
           refused{"turn://turn.example.org:3478", "without '//'"},
           refused{"turn:user:pass@turn.example.org", "user or password"},
           refused{"stun:stun.example.org?transport=udp", "STUN URL takes no '?'"},
           refused{"turn:turn.example.org?transport=sctp", "transport=udp or transport=tcp"},
           refused{"turn:turn.example.org?", "transport=udp or transport=tcp"},
           refused{"turn:", "host is missing"},
           refused{"turn::3478", "host is missing"},
           refused{"turn:turn.example.org:", "port after ':' is missing"},
           refused{"turn:turn.example.org:0", "port must be a number from 1 to 65535"},
           refused{"turn:turn.example.org:65536", "port must be a number from 1 to 65535"},
           refused{"turn:turn.example.org:34x", "port must be a number from 1 to 65535"},
           refused{"turn:turn example.org", "only letters, digits"},
           refused{"turn:turn.example.org/path", "only letters, digits"},
           refused{"turn:[2001:db8::1", "closing ']'"},
           refused{"turn:[2001:db8::1]x", "only ':PORT' may follow"},
           refused{"turn:[nothex]", "not an IPv6 address"},
       }) {
    auto problem = ice_url_problem(url);
    ASSERT_TRUE(problem.has_value()) << url;
    EXPECT_NE(problem->find(why), std::string::npos) << url << ": " << *problem;
  }
}

TEST(TurnSecret, NeedsSixteenPrintableCharactersWithoutSpaces) {
  EXPECT_EQ(turn_secret_problem(secret), std::nullopt);
  EXPECT_EQ(turn_secret_problem("0123456789abcdef"), std::nullopt);
  EXPECT_NE(turn_secret_problem("0123456789abcde"), std::nullopt);
  EXPECT_NE(turn_secret_problem(""), std::nullopt);
  EXPECT_NE(turn_secret_problem("0123456789 abcdef"), std::nullopt);
  EXPECT_NE(turn_secret_problem("0123456789abcdef\n"), std::nullopt);
  EXPECT_NE(turn_secret_problem("0123456789abcdef\xc3\xa9"), std::nullopt);
}

}  // namespace
}  // namespace colead::net
