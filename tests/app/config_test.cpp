// Configuration read three ways with one set of names: flags over COLEAD_* variables over the
// config file; bad values refused with the setting's name and source; secrets and effective
// values shown by --check-config.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/config.hpp"

namespace colead::app {
namespace {

namespace fs = std::filesystem;

class Config : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("colead-config-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    for (const auto& name : set_)
      ::unsetenv(name.c_str());
    fs::remove_all(dir_);
  }

  void setenv(const std::string& name, const std::string& value) {
    ::setenv(name.c_str(), value.c_str(), 1);
    set_.push_back(name);
  }

  std::string write_file(const std::string& text, const std::string& name = "colead.conf") {
    auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  bool parse(const std::vector<std::string>& args, config& c, std::string& error,
             const std::string& default_file = {}) {
    return parse_config(args, default_file, c, error);
  }

  fs::path dir_;
  std::vector<std::string> set_;
};

TEST_F(Config, HistoryIsBoundedByEditsAndBytes) {
  config c;
  std::string error;
  ASSERT_TRUE(parse({}, c, error)) << error;
  EXPECT_EQ(c.server.history_edits, 10'000u);
  EXPECT_EQ(c.server.history_bytes, 4u << 20);
  setenv("COLEAD_HISTORY_BYTES", "1048576");
  ASSERT_TRUE(parse({"--history-edits", "500"}, c, error)) << error;
  EXPECT_EQ(c.server.history_edits, 500u);
  EXPECT_EQ(c.server.history_bytes, 1u << 20);
  // Below 64 KiB a document could not keep even one large edit for a late client.
  config low;
  EXPECT_FALSE(parse({"--history-bytes", "1000"}, low, error));
  EXPECT_NE(error.find("history-bytes"), std::string::npos) << error;
}

TEST_F(Config, TheStoresPageCacheIsSettableWithinBounds) {
  config c;
  std::string error;
  ASSERT_TRUE(parse({}, c, error)) << error;
  EXPECT_EQ(c.store_cache_bytes, 8u << 20);
  ASSERT_TRUE(parse({"--store-cache-bytes", "67108864"}, c, error)) << error;
  EXPECT_EQ(c.store_cache_bytes, 64u << 20);
  EXPECT_NE(effective_settings(c).find("store-cache-bytes = 67108864"), std::string::npos);
  config small;
  EXPECT_FALSE(parse({"--store-cache-bytes", "1000"}, small, error));
  EXPECT_NE(error.find("store-cache-bytes"), std::string::npos) << error;
}

TEST_F(Config, ThreadsFollowTheCoresTheServerMayRunOnUnlessANumberIsGiven) {
  config c;
  std::string error;
  ASSERT_TRUE(parse({}, c, error)) << error;
  EXPECT_FALSE(c.threads_given);
  EXPECT_EQ(thread_count(c, 1), 1u);  // pinned to one core (taskset -c 0)
  EXPECT_EQ(thread_count(c, 8), 8u);
  EXPECT_EQ(thread_count(c, 0), 1u);
  EXPECT_EQ(thread_count(c, 1000), 256u);
  EXPECT_NE(effective_settings(c).find("threads = auto"), std::string::npos);

  ASSERT_TRUE(parse({"--threads", "3"}, c, error)) << error;
  EXPECT_TRUE(c.threads_given);
  EXPECT_EQ(thread_count(c, 1), 3u);
  EXPECT_NE(effective_settings(c).find("threads = 3"), std::string::npos);

  config back;
  ASSERT_TRUE(parse({"--threads", "auto"}, back, error)) << error;
  EXPECT_FALSE(back.threads_given);
  config bad;
  EXPECT_FALSE(parse({"--threads", "0"}, bad, error));
  EXPECT_NE(error.find("threads"), std::string::npos) << error;
}

TEST_F(Config, ConnectionsFollowTheDescriptorLimitUnlessANumberIsGiven) {
  config c;
  std::string error;
  ASSERT_TRUE(parse({}, c, error)) << error;
  EXPECT_FALSE(c.max_connections_given);
  // By default every descriptor but the 32 kept for the store and logs: 20,000 idle members
  // fit under a limit of 20,032, and a systemd unit's 65,536 allows 65,504.
  EXPECT_EQ(connection_limit(c, 20'032), 20'000u);
  EXPECT_EQ(connection_limit(c, 65'536), 65'504u);
  EXPECT_EQ(connection_limit(c, 1'024), 992u);
  EXPECT_EQ(connection_limit(c, 10), 1u);
  EXPECT_EQ(connection_limit(c, 100'000'000), 1'000'000u);
  EXPECT_NE(effective_settings(c).find("max-connections = auto"), std::string::npos);

  // A number given is kept when the descriptors allow it, and lowered when they do not.
  ASSERT_TRUE(parse({"--max-connections", "5000"}, c, error)) << error;
  EXPECT_TRUE(c.max_connections_given);
  EXPECT_EQ(connection_limit(c, 65'536), 5'000u);
  EXPECT_EQ(connection_limit(c, 1'024), 992u);
  EXPECT_NE(effective_settings(c).find("max-connections = 5000"), std::string::npos);

  // "auto" from a stronger source undoes a number from a weaker one.
  setenv("COLEAD_MAX_CONNECTIONS", "300");
  config back;
  ASSERT_TRUE(parse({"--max-connections", "auto"}, back, error)) << error;
  EXPECT_FALSE(back.max_connections_given);
  EXPECT_EQ(connection_limit(back, 2'032), 2'000u);

  config bad;
  EXPECT_FALSE(parse({"--max-connections", "0"}, bad, error));
  EXPECT_NE(error.find("max-connections"), std::string::npos) << error;
}

TEST_F(Config, ProgrammeLimitsAreSettable) {
  config c;
  std::string error;
  ASSERT_TRUE(parse({}, c, error)) << error;
  EXPECT_EQ(c.server.room_limits.max_programme_item_chars, 2'000u);
  EXPECT_EQ(c.server.room_limits.max_programme_items, 100u);
  ASSERT_TRUE(parse({"--max-programme-item-chars", "500", "--max-programme-items", "3"}, c, error))
      << error;
  EXPECT_EQ(c.server.room_limits.max_programme_item_chars, 500u);
  EXPECT_EQ(c.server.room_limits.max_programme_items, 3u);
  config none;
  EXPECT_FALSE(parse({"--max-programme-items", "0"}, none, error));
  EXPECT_NE(error.find("max-programme-items"), std::string::npos) << error;
}

TEST_F(Config, CallLimitsAreSettable) {
  config c;
  std::string error;
  ASSERT_TRUE(parse({}, c, error)) << error;
  EXPECT_EQ(c.server.room_limits.max_signal_bytes, 32u * 1024);
  EXPECT_EQ(c.server.room_limits.call_video_limit, 4u);
  setenv("COLEAD_CALL_VIDEO_LIMIT", "2");
  ASSERT_TRUE(parse({"--max-signal-bytes", "65536"}, c, error)) << error;
  EXPECT_EQ(c.server.room_limits.max_signal_bytes, 65'536u);
  EXPECT_EQ(c.server.room_limits.call_video_limit, 2u);
  // A signal cap below 1 KiB would refuse every offer; a room has at most 8 seats.
  config low;
  EXPECT_FALSE(parse({"--max-signal-bytes", "100"}, low, error));
  EXPECT_NE(error.find("max-signal-bytes"), std::string::npos) << error;
  config many;
  EXPECT_FALSE(parse({"--call-video-limit", "9"}, many, error));
  EXPECT_NE(error.find("call-video-limit"), std::string::npos) << error;
}

TEST_F(Config, DefaultsNeedTheOrganiserKeyAndListenOnLoopback) {
  config c;
  std::string error;
  ASSERT_TRUE(parse({}, c, error)) << error;
  EXPECT_FALSE(c.server.open_room_creation);
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_TRUE(c.config_file.empty());
}

TEST_F(Config, FileEnvironmentAndFlagsUseTheSameNames) {
  auto file = write_file(
      "# a programme's server\n"
      "listen = 0.0.0.0:9000\n"
      "max-frame-bytes = 4096\n"
      "room-creation = open\n"
      "log-format = json\n");
  config c;
  std::string error;
  ASSERT_TRUE(parse({"--config", file}, c, error)) << error;
  EXPECT_EQ(c.server.host, "0.0.0.0");
  EXPECT_EQ(c.server.port, 9000);
  EXPECT_EQ(c.server.max_frame_bytes, 4096u);
  EXPECT_TRUE(c.server.open_room_creation);
  EXPECT_EQ(c.log_format, "json");
  EXPECT_EQ(c.config_file, file);
}

TEST_F(Config, FlagsWinOverTheEnvironmentWhichWinsOverTheFile) {
  auto file = write_file("max-frame-bytes = 4096\nrate = 5\nthreads = 3\n");
  setenv("COLEAD_MAX_FRAME_BYTES", "8192");
  setenv("COLEAD_RATE", "7");
  config c;
  std::string error;
  ASSERT_TRUE(parse({"--config", file, "--max-frame-bytes=16384"}, c, error)) << error;
  EXPECT_EQ(c.server.max_frame_bytes, 16384u);  // flag
  EXPECT_EQ(c.server.rate_per_second, 7);       // environment
  EXPECT_EQ(c.server.threads, 3u);              // file
}

TEST_F(Config, ARepeatableSettingFromAStrongerSourceReplacesTheList) {
  auto file = write_file(
      "allow-origin = https://a.example\n"
      "allow-origin = https://b.example\n"
      "trusted-proxy = 10.0.0.0/8\n");
  config c;
  std::string error;
  ASSERT_TRUE(parse({"--config", file}, c, error)) << error;
  EXPECT_EQ(c.server.allowed_origins,
            (std::vector<std::string>{"https://a.example", "https://b.example"}));
  ASSERT_EQ(c.server.trusted_proxies.size(), 1u);

  config d;
  ASSERT_TRUE(parse({"--config", file, "--allow-origin", "https://c.example"}, d, error)) << error;
  EXPECT_EQ(d.server.allowed_origins, (std::vector<std::string>{"https://c.example"}));
  EXPECT_EQ(d.server.trusted_proxies.size(), 1u);
}

TEST_F(Config, TheConfigFileCanBeNamedByTheEnvironment) {
  auto file = write_file("threads = 5\n");
  setenv("COLEAD_CONFIG", file);
  config c;
  std::string error;
  ASSERT_TRUE(parse({}, c, error)) << error;
  EXPECT_EQ(c.server.threads, 5u);
  EXPECT_EQ(c.config_file, file);
}

TEST_F(Config, TheDefaultFileIsReadOnlyWhenItExistsAndNoneIsNamed) {
  auto installed = write_file("threads = 6\n", "installed.conf");
  auto named = write_file("threads = 4\n", "named.conf");
  config c;
  std::string error;
  ASSERT_TRUE(parse({}, c, error, installed)) << error;
  EXPECT_EQ(c.server.threads, 6u);

  config d;
  ASSERT_TRUE(parse({"--config", named}, d, error, installed)) << error;
  EXPECT_EQ(d.server.threads, 4u);

  config e;
  ASSERT_TRUE(parse({}, e, error, (dir_ / "missing.conf").string())) << error;
  EXPECT_TRUE(e.config_file.empty());
}

TEST_F(Config, BadValuesAreRefusedWithTheirNameAndSource) {
  struct bad {
    std::vector<std::string> args;
    std::string file;
    std::string expect;  // in the error
  };
  const std::vector<bad> cases = {
      {{"--max-frame-bytes", "12"}, "", "command line: max-frame-bytes = '12'"},
      {{"--room-creation", "maybe"}, "", "room-creation"},
      {{"--listen", "nowhere"}, "", "listen"},
      {{"--public-url", "https://x.example/path?q"}, "", "public-url"},
      {{"--public-url", "ftp://x.example"}, "", "public-url"},
      {{"--trusted-proxy", "10.0.0.0/33"}, "", "trusted-proxy"},
      {{"--trusted-proxy", "proxy.example"}, "", "trusted-proxy"},
      {{"--max-frames-bytes", "4096"}, "", "max-frames-bytes"},
      {{"--max-frame", "4096"}, "", "max-frame"},  // no abbreviations
      {{"stray"}, "", "stray"},
      {{"--tls-cert", "cert.pem"}, "", "tls-cert and tls-key go together"},
      {{}, "rate = fast\n", "colead.conf: rate = 'fast'"},
      {{}, "no-such-setting = 1\n", "no-such-setting"},
  };
  for (const auto& [args, file_text, expect] : cases) {
    SCOPED_TRACE(expect);
    std::vector<std::string> all = args;
    if (!file_text.empty()) {
      all.push_back("--config");
      all.push_back(write_file(file_text));
    }
    config c;
    std::string error;
    EXPECT_FALSE(parse(all, c, error));
    EXPECT_NE(error.find(expect), std::string::npos) << error;
  }
}

TEST_F(Config, AnUnreadableConfigFileIsAnError) {
  config c;
  std::string error;
  EXPECT_FALSE(parse({"--config", (dir_ / "absent.conf").string()}, c, error));
  EXPECT_NE(error.find("absent.conf"), std::string::npos) << error;
}

TEST_F(Config, OtherColeadVariablesAreNotRefused) {
  setenv("COLEAD_SERVER_BIN", "/somewhere/colead-server");
  config c;
  std::string error;
  EXPECT_TRUE(parse({}, c, error)) << error;
}

TEST_F(Config, BadEnvironmentValuesNameTheirSource) {
  setenv("COLEAD_THREADS", "none");
  config c;
  std::string error;
  EXPECT_FALSE(parse({}, c, error));
  EXPECT_NE(error.find("environment: threads = 'none'"), std::string::npos) << error;
}

TEST_F(Config, EffectiveSettingsReadBackAsTheSameConfig) {
  auto file = write_file(
      "listen = [::1]:8443\n"
      "trusted-proxy = 10.1.2.3/8\n"
      "trusted-proxy = ::1\n"
      "public-url = https://colead.example.org/\n"
      "room-creation = open\n");
  config c;
  std::string error;
  ASSERT_TRUE(parse({"--config", file}, c, error)) << error;
  auto shown = effective_settings(c);
  EXPECT_NE(shown.find("listen = [::1]:8443\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("trusted-proxy = 10.0.0.0/8\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("trusted-proxy = ::1/128\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("public-url = https://colead.example.org\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("room-creation = open\n"), std::string::npos) << shown;

  // What --check-config prints is itself a valid config file giving the same settings.
  auto again_file = write_file(shown, "again.conf");
  config again;
  ASSERT_TRUE(parse({"--config", again_file}, again, error)) << error;
  auto shown_again = effective_settings(again);
  EXPECT_EQ(shown.substr(shown.find('\n')), shown_again.substr(shown_again.find('\n')));
}

TEST_F(Config, UsageNamesEveryFlagWithItsVariable) {
  auto text = usage();
  for (const char* name : {"--listen (COLEAD_LISTEN)", "--room-creation (COLEAD_ROOM_CREATION)",
                           "--trusted-proxy (COLEAD_TRUSTED_PROXY)", "--tls-cert (COLEAD_TLS_CERT)",
                           "--config FILE (COLEAD_CONFIG)", "--check-config"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
}

// The call's STUN and TURN servers, and the secret TURN credentials are made with.
constexpr const char* turn_secret = "c0lead-turn-shared-secret-0123";

TEST_F(Config, CallsNameNoIceServerByDefault) {
  config c;
  std::string error;
  ASSERT_TRUE(parse({}, c, error)) << error;
  EXPECT_TRUE(c.server.ice_servers.empty());
  EXPECT_TRUE(c.server.turn_secret.empty());
  EXPECT_EQ(c.server.turn_ttl, std::chrono::seconds(86'400));
}

TEST_F(Config, IceServersWithTheTurnSecretReadFromItsFile) {
  // The file as `openssl rand -hex 32 > file` or an editor leaves it: one line, a newline.
  auto secret_file = write_file(std::string(turn_secret) + "\n", "turn-secret");
  auto file = write_file(
      "ice-server = stun:stun.example.org:3478\n"
      "ice-server = turn:turn.example.org:3478?transport=udp\n"
      "turn-secret-file = " +
      secret_file + "\n");
  config c;
  std::string error;
  ASSERT_TRUE(parse({"--config", file, "--turn-ttl", "3600"}, c, error)) << error;
  EXPECT_EQ(c.server.ice_servers,
            (std::vector<std::string>{"stun:stun.example.org:3478",
                                      "turn:turn.example.org:3478?transport=udp"}));
  EXPECT_EQ(c.server.turn_secret, turn_secret);
  EXPECT_EQ(c.server.turn_ttl, std::chrono::seconds(3600));

  // The environment names the servers the same way, and a stronger source replaces the list.
  setenv("COLEAD_ICE_SERVER", "turns:turn.other.example:5349");
  config d;
  ASSERT_TRUE(parse({"--config", file}, d, error)) << error;
  EXPECT_EQ(d.server.ice_servers, (std::vector<std::string>{"turns:turn.other.example:5349"}));
  EXPECT_EQ(d.server.turn_secret, turn_secret);
}

TEST_F(Config, StunAloneNeedsNoSecret) {
  config c;
  std::string error;
  ASSERT_TRUE(
      parse({"--ice-server", "stun:stun.example.org", "--ice-server", "stun:[::1]:3478"}, c, error))
      << error;
  EXPECT_EQ(c.server.ice_servers.size(), 2u);
}

TEST_F(Config, TheSecretGivenDirectlyWorksAndIsNeverShown) {
  config c;
  std::string error;
  ASSERT_TRUE(parse({"--ice-server", "turns:turn.example.org:5349", "--turn-secret", turn_secret},
                    c, error))
      << error;
  EXPECT_EQ(c.server.turn_secret, turn_secret);
  auto shown = effective_settings(c);
  EXPECT_EQ(shown.find(turn_secret), std::string::npos) << shown;
  EXPECT_NE(shown.find("# turn-secret = (set, not shown)\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("ice-server = turns:turn.example.org:5349\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("turn-ttl = 86400\n"), std::string::npos) << shown;

  // From its file, only the file's name is shown.
  auto secret_file = write_file(turn_secret, "turn-secret");
  config d;
  ASSERT_TRUE(
      parse({"--ice-server", "turn:turn.example.org", "--turn-secret-file", secret_file}, d, error))
      << error;
  shown = effective_settings(d);
  EXPECT_EQ(shown.find(turn_secret), std::string::npos) << shown;
  EXPECT_NE(shown.find("turn-secret-file = " + secret_file + "\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("# turn-secret =\n"), std::string::npos) << shown;
}

TEST_F(Config, BadCallSettingsAreRefusedSayingWhat) {
  auto secret_file = write_file(turn_secret, "turn-secret");
  auto short_file = write_file("tooshort\n", "short-secret");
  auto empty_file = write_file("\n", "empty-secret");
  struct bad {
    std::vector<std::string> args;
    std::string expect;  // in the error
  };
  const std::vector<bad> cases = {
      {{"--ice-server", "turn://turn.example.org"},
       "command line: ice-server = 'turn://turn.example.org' is not valid: write "
       "turn:HOST:PORT, without '//'"},
      {{"--ice-server", "https://turn.example.org"}, "ice-server = 'https://turn.example.org'"},
      {{"--ice-server", "turn:u:p@turn.example.org", "--turn-secret-file", secret_file},
       "ice-server = 'turn:u:p@turn.example.org' is not valid: it must not carry a user or "
       "password"},
      {{"--ice-server", "stun:stun.example.org?transport=udp"}, "ice-server"},
      {{"--ice-server", ""}, "ice-server = ''"},
      {{"--ice-server", "turn:turn.example.org"},
       "ice-server turn:turn.example.org is a TURN server"},
      {{"--ice-server", "stun:stun.example.org", "--turn-secret-file", secret_file},
       "no ice-server is a turn: or turns: URL"},
      {{"--turn-secret", turn_secret}, "no ice-server is a turn: or turns: URL"},
      {{"--ice-server", "turn:t.example", "--turn-secret", turn_secret, "--turn-secret-file",
        secret_file},
       "set only one"},
      {{"--ice-server", "turn:t.example", "--turn-secret-file", (dir_ / "absent").string()},
       "absent: cannot read the file"},
      {{"--ice-server", "turn:t.example", "--turn-secret-file", short_file},
       "shorter than 16 characters"},
      {{"--ice-server", "turn:t.example", "--turn-secret-file", empty_file}, "the file is empty"},
      {{"--ice-server", "turn:t.example", "--turn-secret", "has a space inside it"},
       "turn-secret: the TURN secret cannot be used: it may hold only printable ASCII"},
      {{"--ice-server", "turn:t.example", "--turn-secret-file", ""}, "turn-secret-file = ''"},
      {{"--turn-secret", ""}, "turn-secret = '(not shown)' is not valid"},
      {{"--turn-ttl", "59"}, "turn-ttl = '59'"},
      {{"--turn-ttl", "604801"}, "turn-ttl = '604801'"},
      {{"--turn-ttl", "1h"}, "turn-ttl = '1h'"},
  };
  for (const auto& [args, expect] : cases) {
    SCOPED_TRACE(expect);
    config c;
    std::string error;
    EXPECT_FALSE(parse(args, c, error));
    EXPECT_NE(error.find(expect), std::string::npos) << error;
    EXPECT_EQ(error.find("has a space inside it"), std::string::npos) << error;
  }
}

TEST_F(Config, UsageNamesTheCallSettings) {
  auto text = usage();
  for (const char* name :
       {"--ice-server (COLEAD_ICE_SERVER)", "--turn-secret-file (COLEAD_TURN_SECRET_FILE)",
        "--turn-secret (COLEAD_TURN_SECRET)", "--turn-ttl (COLEAD_TURN_TTL)"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace colead::app
