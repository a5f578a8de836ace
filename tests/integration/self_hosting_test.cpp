// A programme's server, safe by default: room creation needs the organiser key whatever the
// address a request comes from; other sites' pages cannot act; behind a trusted proxy the
// real client address reaches the log; the public URL shapes invite links and the allowed
// Origin; the config file and --check-config; an installed layout started from anywhere; and
// a server started as root running as another user.
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "client/http_request.hpp"
#include "harness/http_helpers.hpp"
#include "harness/process.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

namespace fs = std::filesystem;

constexpr auto wait = milliseconds(10000);

const std::string room_body = R"({"title": "Pair", "seats": 2})";

// The organiser key the server printed at its first start.
std::string organiser_key(const server_process& server) {
  const std::string marker = "'Authorization: Bearer <key>'): ";
  auto log = server.log();
  auto at = log.find(marker);
  if (at == std::string::npos) return {};
  auto start = at + marker.size();
  return log.substr(start, log.find('\n', start) - start);
}

client::http_result post_room(const server_process& server, client::header_list headers) {
  return client::http_request("POST", server.url() + "/api/rooms", room_body, headers, wait);
}

class SelfHosting : public ServerTest {
 protected:
  void SetUp() override {}
};

TEST_F(SelfHosting, RoomCreationNeedsTheOrganiserKeyByDefaultFromAnyAddress) {
  start_with({"--room-creation", "key"});
  auto key = organiser_key(*server_);
  ASSERT_GE(key.size(), 22u) << server_->log();

  // What a proxy on loopback forwards, and a request claiming to be local: no key, no room.
  for (const client::header_list& headers :
       {client::header_list{}, client::header_list{{"X-Forwarded-For", "198.51.100.7"}},
        client::header_list{{"X-Forwarded-For", "127.0.0.1"}},
        client::header_list{{"Authorization", "Bearer not-the-key"}}}) {
    auto result = post_room(*server_, headers);
    ASSERT_TRUE(result.outcome.is_ok()) << result.outcome.message();
    EXPECT_EQ(result.response.status, 401) << result.response.body;
    EXPECT_NE(result.response.body.find("organiser key"), std::string::npos);
  }
  EXPECT_EQ(rooms_created(*server_), 0);

  auto result = post_room(*server_, {{"Authorization", "Bearer " + key}});
  ASSERT_TRUE(result.outcome.is_ok()) << result.outcome.message();
  EXPECT_EQ(result.response.status, 201) << result.response.body;
  EXPECT_EQ(rooms_created(*server_), 1);
  // The key itself never reaches the log again.
  auto log = server_->log();
  EXPECT_EQ(log.find(key), log.rfind(key)) << "the key is printed once only";
}

TEST_F(SelfHosting, ThePageLearnsWhetherItMustAskForTheKey) {
  for (const char* mode : {"key", "open"}) {
    SCOPED_TRACE(mode);
    start_with({"--room-creation", mode});
    auto result = client::http_request("GET", server_->url() + "/api/server", {}, {}, wait);
    ASSERT_TRUE(result.outcome.is_ok()) << result.outcome.message();
    EXPECT_EQ(result.response.status, 200);
    EXPECT_NE(result.response.body.find(std::string("\"roomCreation\":\"") + mode + "\""),
              std::string::npos)
        << result.response.body;
  }
}

TEST_F(SelfHosting, AnotherSitesPageCannotCreateOrEraseRooms) {
  start_with({"--room-creation", "open"});
  // A cross-site form post: the browser adds the page's Origin and sends text/plain.
  auto forged =
      post_room(*server_, {{"Origin", "https://evil.example"}, {"Content-Type", "text/plain"}});
  ASSERT_TRUE(forged.outcome.is_ok()) << forged.outcome.message();
  EXPECT_EQ(forged.response.status, 403) << forged.response.body;

  // Even with its own Origin the page must send JSON.
  auto as_text = post_room(*server_, {{"Content-Type", "text/plain"}});
  EXPECT_EQ(as_text.response.status, 415) << as_text.response.body;
  auto as_form = post_room(*server_, {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(as_form.response.status, 415) << as_form.response.body;
  EXPECT_EQ(rooms_created(*server_), 0);

  auto room = make_room(2);
  auto erase = client::http_request("DELETE", server_->url() + "/api/rooms/" + room.id(), {},
                                    {{"Origin", "https://evil.example"}}, wait);
  EXPECT_EQ(erase.response.status, 403) << erase.response.body;

  // The server's own page (Origin = its Host) creates rooms as before.
  auto own = post_room(
      *server_, {{"Origin", server_->url()}, {"Content-Type", "application/json; charset=utf-8"}});
  EXPECT_EQ(own.response.status, 201) << own.response.body;
}

TEST_F(SelfHosting, BehindATrustedProxyTheLogShowsTheRealClient) {
  start_with({"--room-creation", "open", "--trusted-proxy", "127.0.0.1/32"});
  auto result = post_room(*server_, {{"X-Forwarded-For", "203.0.113.9, 198.51.100.23"}});
  ASSERT_EQ(result.response.status, 201) << result.response.body;
  EXPECT_TRUE(server_->wait_for_log(" 198.51.100.23] room ", wait)) << server_->log();
  EXPECT_EQ(server_->log().find("203.0.113.9"), std::string::npos) << "a client-written hop";
}

TEST_F(SelfHosting, JsonLogsCarryTheConnectionAndTheRealClientNeverTheToken) {
  start_with({"--room-creation", "open", "--trusted-proxy", "127.0.0.1", "--log-format", "json"});
  auto result = post_room(*server_, {{"X-Forwarded-For", "198.51.100.23"}});
  ASSERT_EQ(result.response.status, 201) << result.response.body;
  v1::CreateRoomResponse room;
  std::string why;
  ASSERT_TRUE(protocol::from_json(result.response.body, room, why)) << why;
  EXPECT_TRUE(server_->wait_for_log("\"addr\":\"198.51.100.23\",\"msg\":\"room ", wait))
      << server_->log();
  auto sam = join(room, 0, "Sam");
  ASSERT_NE(sam, nullptr);
  EXPECT_TRUE(server_->wait_for_log("\"addr\":\"127.0.0.1\",\"msg\":\"WebSocket to room", wait))
      << server_->log();
  auto log = server_->log();
  EXPECT_NE(log.find("\"conn\":"), std::string::npos);
  EXPECT_EQ(log.find(room.invites(0).token()), std::string::npos) << "no token in the log";
  EXPECT_EQ(log.find("[conn "), std::string::npos) << "the tag became fields";
}

TEST_F(SelfHosting, WithoutATrustedProxyForwardedHeadersAreIgnored) {
  start_with({"--room-creation", "open"});
  auto result = post_room(*server_, {{"X-Forwarded-For", "198.51.100.23"}});
  ASSERT_EQ(result.response.status, 201) << result.response.body;
  EXPECT_TRUE(server_->wait_for_log(" 127.0.0.1] room ", wait)) << server_->log();
  EXPECT_EQ(server_->log().find("198.51.100.23"), std::string::npos);
}

TEST_F(SelfHosting, ThePublicUrlMakesInviteLinksAndIsAnAllowedOrigin) {
  start_with({"--room-creation", "open", "--public-url", "https://colead.example.org/"});
  auto room = make_room(2);
  ASSERT_EQ(room.invites_size(), 2);
  EXPECT_EQ(room.invites(0).url(),
            "https://colead.example.org/r/" + room.id() + "#t=" + room.invites(0).token());

  client::connection conn;
  client::connect_options options;
  options.headers = {{"Origin", "https://colead.example.org"}};
  EXPECT_TRUE(conn.connect(server_->url(), room.id(), options).is_ok()) << conn.last_error();

  client::connection foreign;
  options.headers = {{"Origin", "https://colead.example.net"}};
  EXPECT_FALSE(foreign.connect(server_->url(), room.id(), options).is_ok());
}

// A scratch folder removed at the end of the test.
struct scratch {
  scratch() {
    path = fs::temp_directory_path() /
           ("colead-hosting-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(path);
  }
  ~scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

TEST_F(SelfHosting, CheckConfigPrintsTheEffectiveSettingsAndFindsProblems) {
  scratch dir;
  auto file = dir.path / "colead.conf";
  std::ofstream(file) << "listen = 127.0.0.1:0\nroom-creation = open\nmax-frame-bytes = 4096\n";
  auto ok = run_process({COLEAD_SERVER_PATH, "--config", file.string(), "--check-config",
                         "--data-dir", (dir.path / "never-made").string()},
                        "", wait);
  EXPECT_TRUE(ok.status.exited && ok.status.code == 0) << ok.status.describe() << ok.err;
  EXPECT_NE(ok.out.find("max-frame-bytes = 4096\n"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("room-creation = open\n"), std::string::npos) << ok.out;
  EXPECT_FALSE(fs::exists(dir.path / "never-made")) << "checking writes nothing";

  auto bad = run_process(
      {COLEAD_SERVER_PATH, "--config", file.string(), "--check-config", "--tls-cert",
       (dir.path / "missing.pem").string(), "--tls-key", (dir.path / "missing.key").string()},
      "", wait);
  EXPECT_TRUE(bad.status.exited && bad.status.code == 1) << bad.status.describe();
  EXPECT_NE(bad.err.find("missing.pem"), std::string::npos) << bad.err;

  auto unknown = run_process(
      {COLEAD_SERVER_PATH, "--config", file.string(), "--check-config", "--rate", "fast"}, "",
      wait);
  EXPECT_TRUE(unknown.status.exited && unknown.status.code == 2) << unknown.status.describe();
  EXPECT_NE(unknown.err.find("rate = 'fast'"), std::string::npos) << unknown.err;
}

TEST_F(SelfHosting, AnInstalledServerFindsItsFilesFromAnyFolder) {
  // bin/colead-server beside share/colead/{web,prompts,scripts}, as `cmake --install` lays
  // them out, started from / with no path flags.
  scratch prefix;
  fs::create_directories(prefix.path / "bin");
  fs::create_directories(prefix.path / "share" / "colead" / "prompts");
  fs::copy_file(COLEAD_SERVER_PATH, prefix.path / "bin" / "colead-server");
  const fs::path source = COLEAD_SOURCE_DIR;
  fs::copy(source / "clients" / "web", prefix.path / "share" / "colead" / "web",
           fs::copy_options::recursive);
  fs::copy(source / "data" / "scripts", prefix.path / "share" / "colead" / "scripts",
           fs::copy_options::recursive);
  fs::copy_file(source / "data" / "prompts" / "default.txt",
                prefix.path / "share" / "colead" / "prompts" / "default.txt");
  fs::create_directories(prefix.path / "etc" / "colead");
  std::ofstream(prefix.path / "etc" / "colead" / "colead.conf") << "room-creation = open\n";

  auto cwd = fs::current_path();
  fs::current_path("/");
  std::string error;
  server_options options;
  options.executable = (prefix.path / "bin" / "colead-server").string();
  options.data_dir = prefix.path / "data";
  server_ = server_process::start(options, error);
  fs::current_path(cwd);
  ASSERT_NE(server_, nullptr) << error;
  EXPECT_TRUE(server_->wait_for_log(
      "settings from " + (prefix.path / "etc" / "colead" / "colead.conf").string(), wait))
      << server_->log();

  auto page = client::http_request("GET", server_->url() + "/", {}, {}, wait);
  EXPECT_EQ(page.response.status, 200);
  EXPECT_NE(page.response.body.find("<html"), std::string::npos);
  auto scripts = client::http_request("GET", server_->url() + "/api/scripts", {}, {}, wait);
  EXPECT_NE(scripts.response.body.find("check-in"), std::string::npos) << scripts.response.body;
  auto room = make_room(2);
  EXPECT_NE(join(room, 0, "Sam"), nullptr);
}

TEST_F(SelfHosting, AServerStartedAsRootRunsAsTheUserItIsGiven) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (CI runs as root)";
  auto* nobody = ::getpwnam("nobody");
  ASSERT_NE(nobody, nullptr);
  start_with({"--room-creation", "open", "--user", "nobody"});
  EXPECT_TRUE(server_->wait_for_log("running as user nobody", wait)) << server_->log();
  std::ifstream status("/proc/" + std::to_string(server_->pid()) + "/status");
  std::string line, uids;
  while (std::getline(status, line))
    if (line.rfind("Uid:", 0) == 0) uids = line;
  auto id = std::to_string(nobody->pw_uid);
  EXPECT_EQ(uids, "Uid:\t" + id + "\t" + id + "\t" + id + "\t" + id) << uids;
  // The store stays writable and the page is served: a room is created and joined.
  auto room = make_room(2);
  auto sam = join(room, 0, "Sam");
  ASSERT_NE(sam, nullptr);
  auto page = client::http_request("GET", server_->url() + "/", {}, {}, wait);
  EXPECT_EQ(page.response.status, 200);
  EXPECT_EQ(fs::status(server_->data_dir()).permissions() & fs::perms::all, fs::perms::owner_all);
}

}  // namespace
}  // namespace colead::integration
