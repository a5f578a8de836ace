// Built-in TLS: HTTPS and WSS with a certificate the test makes, HSTS on every answer, plain
// HTTP redirected, and SIGHUP swapping in a new certificate while a connected member stays
// connected (a broken one is refused and the old one kept).
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "client/http_request.hpp"
#include "harness/process.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

namespace fs = std::filesystem;

constexpr auto wait = milliseconds(10000);

class BuiltInTls : public ServerTest {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("colead-tls-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "2", "-subj",
             "/CN=Colead test authority"});
    std::ofstream(dir_ / "ext.cnf") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    for (const char* name : {"first", "second"}) {
      std::string n = name;
      openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
               "-keyout", path(n + ".key"), "-out", path(n + ".csr"), "-subj", "/CN=colead-" + n});
      openssl({"x509", "-req", "-in", path(n + ".csr"), "-CA", path("ca.pem"), "-CAkey",
               path("ca.key"), "-CAcreateserial", "-out", path(n + ".pem"), "-days", "2",
               "-extfile", path("ext.cnf")});
    }
    fs::copy_file(dir_ / "first.pem", dir_ / "server.pem");
    fs::copy_file(dir_ / "first.key", dir_ / "server.key");
  }
  void TearDown() override {
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  void openssl(std::vector<std::string> args) {
    args.insert(args.begin(), "/usr/bin/openssl");
    auto result = run_process(args, "", wait);
    ASSERT_TRUE(result.status.exited && result.status.code == 0)
        << "openssl " << args[1] << ": " << result.status.describe() << "\n"
        << result.err;
  }

  void start_tls(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--tls-cert", path("server.pem"), "--tls-key",
                                     path("server.key")};
    args.insert(args.end(), extra.begin(), extra.end());
    start_with(args);
  }

  std::string https_url() const { return "https://127.0.0.1:" + std::to_string(server_->port()); }

  // The subject of the certificate a new TLS connection is shown.
  std::string served_subject() {
    auto shown =
        run_process({"/usr/bin/openssl", "s_client", "-connect",
                     "127.0.0.1:" + std::to_string(server_->port()), "-CAfile", path("ca.pem")},
                    "", wait);
    auto at = shown.out.find("subject=");
    return at == std::string::npos ? shown.out + shown.err
                                   : shown.out.substr(at, shown.out.find('\n', at) - at);
  }

  std::unique_ptr<client::connection> join_tls(const v1::CreateRoomResponse& room, int seat,
                                               const std::string& name) {
    auto conn = std::make_unique<client::connection>();
    client::connect_options options;
    options.ca_file = path("ca.pem");
    auto connected = conn->connect(https_url(), room.id(), options);
    EXPECT_TRUE(connected.is_ok()) << connected.message();
    if (!connected.is_ok()) return nullptr;
    auto joined = conn->hello({room.invites(seat).token(), name, "", ""}, wait);
    EXPECT_TRUE(joined.outcome.is_ok()) << joined.outcome.message();
    return joined.outcome.is_ok() ? std::move(conn) : nullptr;
  }

  v1::CreateRoomResponse make_tls_room() {
    client::http_options options;
    options.ca_file = path("ca.pem");
    options.timeout = wait;
    auto result = client::http_request("POST", https_url() + "/api/rooms",
                                       R"({"title": "Pair", "seats": 2})", options);
    EXPECT_TRUE(result.outcome.is_ok()) << result.outcome.message();
    EXPECT_EQ(result.response.status, 201) << result.response.body;
    v1::CreateRoomResponse created;
    std::string why;
    EXPECT_TRUE(protocol::from_json(result.response.body, created, why)) << why;
    return created;
  }

  fs::path dir_;
};

TEST_F(BuiltInTls, ServesHttpsAndWssWithHsts) {
  start_tls();
  EXPECT_TRUE(server_->wait_for_log("listening on https://127.0.0.1:", wait));
  client::http_options options;
  options.ca_file = path("ca.pem");
  options.timeout = wait;
  auto health = client::http_request("GET", https_url() + "/healthz", {}, options);
  ASSERT_TRUE(health.outcome.is_ok()) << health.outcome.message();
  EXPECT_EQ(health.response.status, 200);
  EXPECT_EQ(health.response.header("Strict-Transport-Security"), "max-age=31536000");

  // Without trusting the test's authority the certificate is refused.
  auto untrusted = client::http_request("GET", https_url() + "/healthz", {}, {}, wait);
  EXPECT_FALSE(untrusted.outcome.is_ok());
  // Plain HTTP on the HTTPS port gets no answer it could mistake for one.
  auto plain = client::http_request("GET", server_->url() + "/healthz", {}, {}, wait);
  EXPECT_FALSE(plain.outcome.is_ok() && plain.response.status == 200);

  auto room = make_tls_room();
  auto sam = join_tls(room, 0, "Sam");
  auto ria = join_tls(room, 1, "Ria");
  ASSERT_NE(sam, nullptr);
  ASSERT_NE(ria, nullptr);
  EXPECT_TRUE(ping_pong(*sam));
  EXPECT_TRUE(ping_pong(*ria));
}

TEST_F(BuiltInTls, PlainHttpIsRedirectedToHttps) {
  start_tls({"--redirect-http", "127.0.0.1:0", "--public-url", "https://colead.example.org"});
  ASSERT_TRUE(server_->wait_for_log("redirecting plain HTTP on 127.0.0.1:", wait));
  auto log = server_->log();
  auto at = log.find("redirecting plain HTTP on 127.0.0.1:") +
            std::string("redirecting plain HTTP on 127.0.0.1:").size();
  auto port = log.substr(at, log.find(' ', at) - at);
  auto result =
      client::http_request("GET", "http://127.0.0.1:" + port + "/r/abc?x=1", {}, {}, wait);
  ASSERT_TRUE(result.outcome.is_ok()) << result.outcome.message();
  EXPECT_EQ(result.response.status, 308);
  EXPECT_EQ(result.response.header("Location"), "https://colead.example.org/r/abc?x=1");
}

TEST_F(BuiltInTls, SighupReloadsTheCertificateWhileAMemberStaysConnected) {
  start_tls();
  EXPECT_NE(served_subject().find("colead-first"), std::string::npos) << served_subject();
  auto room = make_tls_room();
  auto sam = join_tls(room, 0, "Sam");
  ASSERT_NE(sam, nullptr);

  // A certificate renewed in place, then SIGHUP.
  fs::copy_file(dir_ / "second.pem", dir_ / "server.pem", fs::copy_options::overwrite_existing);
  fs::copy_file(dir_ / "second.key", dir_ / "server.key", fs::copy_options::overwrite_existing);
  server_->signal(SIGHUP);
  ASSERT_TRUE(server_->wait_for_log("reloaded the TLS certificate", wait)) << server_->log();

  // New connections see the new certificate; Sam never noticed.
  EXPECT_NE(served_subject().find("colead-second"), std::string::npos) << served_subject();
  EXPECT_TRUE(sam->is_open());
  EXPECT_TRUE(ping_pong(*sam));
  auto ria = join_tls(room, 1, "Ria");
  ASSERT_NE(ria, nullptr);
  EXPECT_TRUE(ping_pong(*sam));

  // A broken key is refused and the working certificate kept.
  std::ofstream(dir_ / "server.key", std::ios::trunc) << "not a key\n";
  server_->signal(SIGHUP);
  ASSERT_TRUE(server_->wait_for_log("kept the current TLS certificate", wait)) << server_->log();
  EXPECT_NE(served_subject().find("colead-second"), std::string::npos) << served_subject();
  EXPECT_TRUE(ping_pong(*sam));
  EXPECT_TRUE(server_->running());
}

}  // namespace
}  // namespace colead::integration
