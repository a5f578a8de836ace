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

}  // namespace
}  // namespace colead::app
