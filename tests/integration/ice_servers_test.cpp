// The STUN and TURN servers the operator names reach each member's welcome, with TURN
// credentials made for that member (coturn's shared-secret scheme) that the OpenSSL command
// line verifies with the secret; the secret itself reaches no member and no log; bad call
// settings stop the server before it listens, saying what is wrong.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/process.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view secret = "c0lead-turn-shared-secret-0123";
constexpr milliseconds tool_timeout{10'000};

std::int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// base64(HMAC-SHA1(key, text)) as the OpenSSL command line computes it, apart from the
// server's own code; empty (and a failure) when it cannot be run.
std::string openssl_hmac_sha1_base64(std::string_view key, std::string_view text) {
  auto run = run_process({"/bin/sh", "-c",
                          "printf '%s' \"$1\" | /usr/bin/openssl dgst -sha1 -hmac \"$2\" -binary | "
                          "/usr/bin/openssl base64 -A",
                          "sh", std::string(text), std::string(key)},
                         "", tool_timeout);
  EXPECT_TRUE(run.status.exited && run.status.code == 0)
      << run.status.describe() << ": " << run.err;
  return run.out;
}

class IceServers : public ServerTest {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("colead-ice-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  // A secret file as an operator makes it: one line, readable by its owner only.
  std::string secret_file() {
    auto path = dir_ / "turn-secret";
    std::ofstream(path) << secret << "\n";
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    return path.string();
  }

  fs::path dir_;
};

TEST_F(IceServers, TheWelcomeNamesTheServersWithCredentialsMadeForTheMember) {
  start_with({"--ice-server", "stun:stun.example.org:3478", "--ice-server",
              "turn:turn.example.org:3478?transport=udp", "--ice-server",
              "turns:turn.example.org:5349", "--turn-secret-file", secret_file(), "--turn-ttl",
              "3600"});
  auto room = make_room(2);
  const auto before = unix_seconds_now();
  v1::Welcome asha_welcome, ben_welcome;
  auto asha = join(room, 0, "Asha", encoding::binary, &asha_welcome);
  auto ben = join(room, 1, "Ben", encoding::json, &ben_welcome);
  ASSERT_TRUE(asha && ben);
  const auto after = unix_seconds_now();

  for (const auto* welcome : {&asha_welcome, &ben_welcome}) {
    SCOPED_TRACE(welcome->member_id());
    ASSERT_EQ(welcome->ice_servers_size(), 2);
    const auto& stun = welcome->ice_servers(0);
    ASSERT_EQ(stun.urls_size(), 1);
    EXPECT_EQ(stun.urls(0), "stun:stun.example.org:3478");
    EXPECT_TRUE(stun.username().empty());
    EXPECT_TRUE(stun.credential().empty());

    const auto& turn = welcome->ice_servers(1);
    ASSERT_EQ(turn.urls_size(), 2);
    EXPECT_EQ(turn.urls(0), "turn:turn.example.org:3478?transport=udp");
    EXPECT_EQ(turn.urls(1), "turns:turn.example.org:5349");
    // "<expiry>:<member id>", the expiry an hour after the welcome.
    auto colon = turn.username().find(':');
    ASSERT_NE(colon, std::string::npos) << turn.username();
    EXPECT_EQ(turn.username().substr(colon + 1), welcome->member_id());
    const auto expiry = std::stoll(turn.username().substr(0, colon));
    EXPECT_GE(expiry, before + 3600);
    EXPECT_LE(expiry, after + 3600);
    EXPECT_EQ(turn.expires_at_ms(), expiry * 1000);
    // The password the TURN server will compute from the user name and the shared secret.
    EXPECT_EQ(turn.credential().size(), 28u);  // base64 of HMAC-SHA1's 20 bytes
    EXPECT_EQ(turn.credential(), openssl_hmac_sha1_base64(secret, turn.username()));
  }
  EXPECT_NE(asha_welcome.ice_servers(1).username(), ben_welcome.ice_servers(1).username());
  EXPECT_NE(asha_welcome.ice_servers(1).credential(), ben_welcome.ice_servers(1).credential());

  // The secret reaches no member and no log line; the log says what members are given.
  EXPECT_EQ(asha_welcome.SerializeAsString().find(secret), std::string::npos);
  EXPECT_EQ(ben_welcome.SerializeAsString().find(secret), std::string::npos);
  EXPECT_TRUE(server_->wait_for_log("calls: 1 STUN and 2 TURN server URLs", expect_within))
      << server_->log();
  EXPECT_EQ(server_->log().find(secret), std::string::npos) << server_->log();
}

TEST_F(IceServers, ANewConnectionGetsFreshCredentials) {
  start_with({"--ice-server", "turn:turn.example.org", "--turn-secret", std::string(secret),
              "--turn-ttl", "60"});
  auto room = make_room(2);
  v1::Welcome first, again;
  auto asha = join(room, 0, "Asha", encoding::binary, &first);
  ASSERT_TRUE(asha);
  // The user name counts whole seconds: wait into the next one.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto asha_again = join(room, 0, "Asha", encoding::binary, &again);
  ASSERT_TRUE(asha_again);
  ASSERT_EQ(first.ice_servers_size(), 1);
  ASSERT_EQ(again.ice_servers_size(), 1);
  EXPECT_LT(first.ice_servers(0).expires_at_ms(), again.ice_servers(0).expires_at_ms());
  EXPECT_LE(again.ice_servers(0).expires_at_ms(), (unix_seconds_now() + 60) * 1000);
  EXPECT_EQ(again.ice_servers(0).credential(),
            openssl_hmac_sha1_base64(secret, again.ice_servers(0).username()));
}

TEST_F(IceServers, ASecretFileEveryoneMayReadIsWarnedOf) {
  auto file = secret_file();
  fs::permissions(file, fs::perms::others_read, fs::perm_options::add);
  start_with({"--ice-server", "turn:turn.example.org", "--turn-secret-file", file});
  EXPECT_TRUE(server_->wait_for_log("can be read by every user of this machine", expect_within))
      << server_->log();
  EXPECT_EQ(server_->log().find(secret), std::string::npos) << server_->log();
}

TEST_F(IceServers, NoneNamedGivesNone) {
  start_with({});
  auto room = make_room(2);
  v1::Welcome welcome;
  auto asha = join(room, 0, "Asha", encoding::json, &welcome);
  ASSERT_TRUE(asha);
  EXPECT_EQ(welcome.ice_servers_size(), 0);
  EXPECT_TRUE(server_->wait_for_log("calls: no STUN or TURN server named", expect_within))
      << server_->log();
}

TEST_F(IceServers, BadCallSettingsStopTheServerSayingWhat) {
  auto file = secret_file();
  struct bad {
    std::vector<std::string> args;
    std::string expect;  // on standard error
  };
  const std::vector<bad> cases = {
      {{"--ice-server", "turn:turn.example.org"}, "is a TURN server"},
      {{"--ice-server", "turn://turn.example.org"}, "ice-server = 'turn://turn.example.org'"},
      {{"--ice-server", "turn:turn.example.org", "--turn-secret-file", (dir_ / "absent").string()},
       "cannot read the file"},
      {{"--turn-secret-file", file}, "no ice-server is a turn: or turns: URL"},
  };
  for (const auto& [args, expect] : cases) {
    SCOPED_TRACE(expect);
    std::vector<std::string> argv = {default_server_path(), "--listen", "127.0.0.1:0", "--data-dir",
                                     (dir_ / "data").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto run = run_process(argv, "", tool_timeout);
    EXPECT_TRUE(run.status.exited) << run.status.describe();
    EXPECT_EQ(run.status.code, 2);
    EXPECT_NE(run.err.find(expect), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find(secret), std::string::npos) << run.err;
    EXPECT_EQ(run.out.find("listening"), std::string::npos) << run.out;
  }
}

}  // namespace
}  // namespace colead::integration
