// Colead behind Debian's nginx with the shipped site configuration (deploy/nginx/colead.conf)
// and a certificate made for the test: members join and edit over TLS through the proxy, a
// foreign Origin is refused, room creation through the proxy needs the organiser key, and the
// server sees (and logs) the address the client really came from, not the proxy's.
//
// Every test starts its own colead-server (--trusted-proxy 127.0.0.1/32, --public-url of the
// proxy) and its own nginx on free loopback ports.
#include <strings.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

#include "client/connection.hpp"
#include "client/http_request.hpp"
#include "codec.hpp"
#include "harness/room_client.hpp"
#include "harness/server_process.hpp"
#include "nginx_process.hpp"
#include "ot/utf8.hpp"
#include "test_certificates.hpp"

namespace colead::deploy_test {
namespace {

namespace fs = std::filesystem;
namespace v1 = colead::v1;
using client::encoding;
using integration::expect_within;
using integration::kind_is;
using std::chrono::milliseconds;

// The organiser key the server printed at its first start, or "".
std::string organiser_key(const std::string& log) {
  auto at = log.find("Organiser key");
  if (at == std::string::npos) return {};
  auto line_end = log.find('\n', at);
  auto line = log.substr(at, line_end == std::string::npos ? std::string::npos : line_end - at);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
    line.pop_back();
  return line.substr(line.rfind(' ') + 1);
}

// The first line of the server's log holding every one of `words`, waiting up to `timeout`
// for it; "" if none did.
std::string wait_for_log_line(const integration::server_process& server,
                              const std::vector<std::string>& words, milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::istringstream log(server.log());
    for (std::string line; std::getline(log, line);) {
      bool all = true;
      for (const auto& word : words)
        all = all && line.find(word) != std::string::npos;
      if (all) return line;
    }
    if (std::chrono::steady_clock::now() >= deadline) return {};
    std::this_thread::sleep_for(milliseconds(20));
  }
}

// An edit of `doc` at `base_rev`: keep the first `keep` code points, insert `text` after them,
// keep the rest (`after` code points).
v1::ClientMessage insert_edit(const std::string& doc, std::uint64_t base_rev, std::uint32_t keep,
                              const std::string& text, std::uint32_t after,
                              const std::string& edit_id) {
  v1::ClientMessage message;
  auto* edit = message.mutable_edit();
  edit->set_doc(doc);
  edit->set_base_rev(base_rev);
  edit->set_edit_id(edit_id);
  if (keep > 0) edit->add_op()->set_retain(keep);
  edit->add_op()->set_insert(text);
  if (after > 0) edit->add_op()->set_retain(after);
  return message;
}

class NginxProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(nginx_path))
        << nginx_path << " is missing: deploy/install-deps.sh installs Debian's nginx";
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/colead-nginx-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    dir_ = pattern;
    // nginx's worker (another user when the test runs as root) reaches its temporary folders
    // through this one.
    ::chmod(dir_.c_str(), 0755);

    std::string error;
    // The certificate names localhost only, so a client that asks for 127.0.0.1 must refuse it.
    ASSERT_TRUE(make_test_certificates(dir_, {"DNS:localhost"}, certs_, error)) << error;

    https_port_ = free_loopback_port();
    http_port_ = free_loopback_port();
    ASSERT_NE(https_port_, 0);
    ASSERT_NE(http_port_, 0);
    ASSERT_NE(https_port_, http_port_);
    public_url_ = "https://localhost:" + std::to_string(https_port_);

    integration::server_options options;
    // Room creation as Colead ships it (the harness opens it for other tests): key only.
    options.extra_args = {"--trusted-proxy", "127.0.0.1/32",    "--public-url",
                          public_url_,       "--room-creation", "key"};
    server_ = integration::server_process::start(options, error);
    ASSERT_NE(server_, nullptr) << error;
    key_ = organiser_key(server_->log());
    ASSERT_FALSE(key_.empty()) << "no organiser key in the server's log:\n" << server_->log();

    nginx_settings settings;
    settings.site_file = COLEAD_NGINX_SITE;
    settings.dir = dir_;
    settings.https_port = https_port_;
    settings.http_port = http_port_;
    settings.upstream_port = server_->port();
    settings.certificate = certs_.certificate;
    settings.key = certs_.key;
    nginx_ = nginx_process::start(settings, milliseconds(15000), error);
    ASSERT_NE(nginx_, nullptr) << error;
  }

  void TearDown() override {
    if (HasFailure() && nginx_) {
      std::cerr << "---- nginx error log ----\n" << nginx_->error_log() << "---- end ----\n";
    }
    nginx_.reset();
    server_.reset();
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  // Request options that trust the test's authority, with these headers.
  client::http_options over_tls(client::header_list headers = {}) const {
    client::http_options options;
    options.headers = std::move(headers);
    options.timeout = expect_within;
    options.ca_file = certs_.ca_file.string();
    return options;
  }

  // POST /api/rooms through the proxy, with the organiser key when `key` is not empty.
  client::http_result create_room(const std::string& key) const {
    v1::CreateRoomRequest request;
    request.set_title("Pair behind the proxy");
    request.set_seats(2);
    client::header_list headers;
    if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
    return client::http_request("POST", public_url_ + "/api/rooms", protocol::to_json(request),
                                over_tls(std::move(headers)));
  }

  // A room made through the proxy with the key; an empty one (and a failure) if it cannot.
  v1::CreateRoomResponse make_room() const {
    auto result = create_room(key_);
    EXPECT_TRUE(result.outcome.is_ok()) << result.outcome.message();
    EXPECT_EQ(result.response.status, 201) << result.response.body;
    v1::CreateRoomResponse created;
    std::string why;
    EXPECT_TRUE(protocol::from_json(result.response.body, created, why))
        << why << ": " << result.response.body;
    return created;
  }

  // Connection options for wss:// through the proxy.
  client::connect_options wss(encoding subprotocol = encoding::binary) const {
    client::connect_options options;
    options.subprotocol = subprotocol;
    options.timeout = expect_within;
    options.ca_file = certs_.ca_file.string();
    return options;
  }

  // The wss:// URL of the proxy.
  std::string wss_url() const { return "wss://localhost:" + std::to_string(https_port_); }

  // Connects through the proxy with `options` and joins with seat `seat`; null (and a failure)
  // if no welcome arrived.
  std::unique_ptr<client::connection> join(const v1::CreateRoomResponse& room, int seat,
                                           const std::string& name,
                                           const client::connect_options& options,
                                           v1::Welcome* welcome = nullptr) const {
    auto conn = std::make_unique<client::connection>();
    auto connected = conn->connect(wss_url(), room.id(), options);
    if (!connected.is_ok()) {
      ADD_FAILURE() << name << " cannot connect: " << connected.message();
      return nullptr;
    }
    auto joined = conn->hello({room.invites(seat).token(), name, "", ""}, expect_within);
    if (!joined.outcome.is_ok()) {
      ADD_FAILURE() << name << " cannot join: " << joined.outcome.message();
      return nullptr;
    }
    if (welcome) *welcome = joined.welcome();
    return conn;
  }

  fs::path dir_;
  test_certificates certs_;
  std::uint16_t https_port_ = 0;
  std::uint16_t http_port_ = 0;
  std::string public_url_;
  std::string key_;
  std::unique_ptr<integration::server_process> server_;
  std::unique_ptr<nginx_process> nginx_;
};

TEST_F(NginxProxyTest, MembersJoinAndSeeEachOthersEditsOverTls) {
  auto room = make_room();
  ASSERT_EQ(room.invites_size(), 2);
  // Invite links lead to the proxy's public address, not to where Colead listens.
  for (const auto& invite : room.invites())
    EXPECT_EQ(invite.url().rfind(public_url_ + "/r/" + room.id() + "#t=", 0), 0u) << invite.url();
  v1::Welcome welcome;
  auto asha = join(room, 0, "Asha", wss(encoding::binary), &welcome);
  auto ben = join(room, 1, "Ben", wss(encoding::json));
  ASSERT_TRUE(asha && ben);
  ASSERT_GT(welcome.room().docs_size(), 0);
  const auto& doc = welcome.room().docs(0);
  auto length = static_cast<std::uint32_t>(ot::utf8::count_code_points(doc.text()));

  // Asha writes; the server acknowledges her and Ben receives her edit through the proxy.
  auto first = insert_edit(doc.id(), doc.rev(), 0, "We share the purpose. ", length, "asha-1");
  ASSERT_TRUE(asha->send(first).is_ok()) << asha->last_error();
  auto ack = asha->receive_matching(
      [&](const v1::ServerMessage& m) { return m.has_ack() && m.re() == first.req(); },
      expect_within);
  ASSERT_TRUE(ack) << asha->last_error();
  EXPECT_EQ(ack->ack().rev(), doc.rev() + 1);
  auto seen = ben->receive_matching(kind_is(v1::ServerMessage::kApplied), expect_within);
  ASSERT_TRUE(seen) << ben->last_error();
  EXPECT_EQ(seen->applied().edit_id(), "asha-1");
  EXPECT_EQ(seen->applied().author(), asha->member_id());
  ASSERT_GE(seen->applied().op_size(), 1);
  EXPECT_EQ(seen->applied().op(0).insert(), "We share the purpose. ");

  // Ben answers on top of it; Asha receives his edit.
  auto second = insert_edit(doc.id(), ack->ack().rev(), 22 + length, "Together.", 0, "ben-1");
  ASSERT_TRUE(ben->send(second).is_ok()) << ben->last_error();
  auto back = asha->receive_matching(kind_is(v1::ServerMessage::kApplied), expect_within);
  ASSERT_TRUE(back) << asha->last_error();
  EXPECT_EQ(back->applied().edit_id(), "ben-1");
  EXPECT_EQ(back->applied().author(), ben->member_id());
  EXPECT_EQ(back->applied().rev(), doc.rev() + 2);

  // A third member who joins now gets the text both wrote.
  v1::Welcome later;
  auto again = join(room, 0, "Asha on her phone", wss(encoding::json), &later);
  ASSERT_TRUE(again);
  ASSERT_GT(later.room().docs_size(), 0);
  EXPECT_EQ(later.room().docs(0).text(), "We share the purpose. " + doc.text() + "Together.");
  asha->close();
  ben->close();
  again->close();
}

TEST_F(NginxProxyTest, AForeignOriginIsRefusedAtTheHandshake) {
  auto room = make_room();
  ASSERT_EQ(room.invites_size(), 2);
  client::connection conn;
  auto foreign = wss();
  foreign.headers = {{"Origin", "https://attacker.example"}};
  EXPECT_FALSE(conn.connect(wss_url(), room.id(), foreign).is_ok());
  EXPECT_EQ(conn.handshake().status, 403) << conn.last_error();

  // The page Colead itself serves, at its public URL, may open the room.
  auto own = wss();
  own.headers = {{"Origin", public_url_}};
  auto opened = conn.connect(wss_url(), room.id(), own);
  EXPECT_TRUE(opened.is_ok()) << opened.message();
  EXPECT_EQ(conn.handshake().status, 101);
}

TEST_F(NginxProxyTest, RoomCreationThroughTheProxyNeedsTheOrganiserKey) {
  auto refused = create_room("");
  ASSERT_TRUE(refused.outcome.is_ok()) << refused.outcome.message();
  EXPECT_EQ(refused.response.status, 401) << refused.response.body;

  // A client claiming to be on loopback changes nothing: nginx appends the address it saw.
  v1::CreateRoomRequest request;
  request.set_title("Pair");
  request.set_seats(2);
  auto spoofed =
      client::http_request("POST", public_url_ + "/api/rooms", protocol::to_json(request),
                           over_tls({{"X-Forwarded-For", "127.0.0.1"}}));
  ASSERT_TRUE(spoofed.outcome.is_ok()) << spoofed.outcome.message();
  EXPECT_EQ(spoofed.response.status, 401) << spoofed.response.body;

  auto wrong_key = create_room("not-the-key");
  EXPECT_EQ(wrong_key.response.status, 401) << wrong_key.response.body;

  auto created = create_room(key_);
  ASSERT_TRUE(created.outcome.is_ok()) << created.outcome.message();
  EXPECT_EQ(created.response.status, 201) << created.response.body;

  // nginx refuses a body larger than Colead's --max-body-bytes itself.
  auto huge = client::http_request("POST", public_url_ + "/api/rooms", std::string(70 * 1024, 'x'),
                                   over_tls());
  ASSERT_TRUE(huge.outcome.is_ok()) << huge.outcome.message();
  EXPECT_EQ(huge.response.status, 413);
}

TEST_F(NginxProxyTest, TheCommandLineClientCreatesARoomOverHttps) {
  std::vector<std::string> create = {COLEAD_CLI_PATH, "create-room", "--server", public_url_,
                                     "--title",       "Pair",        "--seats",  "2",
                                     "--key",         key_};
  auto untrusted = integration::run_process(create, "", milliseconds(30000));
  EXPECT_EQ(untrusted.status.code, 1) << untrusted.status.describe();
  EXPECT_NE(untrusted.err.find("certificate"), std::string::npos) << untrusted.err;

  create.insert(create.end(), {"--ca-file", certs_.ca_file.string()});
  auto created = integration::run_process(create, "", milliseconds(30000));
  ASSERT_EQ(created.status.code, 0) << created.status.describe() << ": " << created.err;
  v1::CreateRoomResponse room;
  std::string why;
  ASSERT_TRUE(protocol::from_json(created.out, room, why)) << why << ": " << created.out;
  ASSERT_EQ(room.invites_size(), 2);

  // colead join over wss: one ping, one pong, then stdin closes and it leaves.
  auto joined = integration::run_process(
      {COLEAD_CLI_PATH, "join", "--server", wss_url(), "--room", room.id(), "--token",
       room.invites(1).token(), "--name", "Ben", "--ca-file", certs_.ca_file.string()},
      "{\"ping\":{}}\n", milliseconds(30000));
  EXPECT_EQ(joined.status.code, 0) << joined.status.describe() << ": " << joined.err;
  EXPECT_NE(joined.out.find("\"welcome\""), std::string::npos) << joined.out;
  EXPECT_NE(joined.out.find("\"pong\""), std::string::npos) << joined.out;
}

TEST_F(NginxProxyTest, TheServerLogsTheAddressTheClientCameFrom) {
  auto room = make_room();
  ASSERT_EQ(room.invites_size(), 2);
  // Another machine, as far as nginx can tell: the client starts from 127.0.0.5. It also
  // claims another address in X-Forwarded-For; the server must believe the address nginx
  // appends after it, not the claim.
  auto from_elsewhere = wss();
  from_elsewhere.local_address = "127.0.0.5";
  from_elsewhere.headers = {{"X-Forwarded-For", "203.0.113.9"}};
  auto conn = join(room, 0, "Asha", from_elsewhere);
  ASSERT_TRUE(conn);
  // The server logs each WebSocket with the client's address and the room, e.g.
  // "[conn 7 127.0.0.5] WebSocket to room <id> (...)".
  auto line = wait_for_log_line(*server_, {"127.0.0.5", room.id()}, expect_within);
  EXPECT_FALSE(line.empty()) << "no line of the server's log names both the client's address "
                                "127.0.0.5 and the room:\n"
                             << server_->log();
  EXPECT_EQ(line.find("203.0.113.9"), std::string::npos) << line;
  conn->close();
}

TEST_F(NginxProxyTest, ClientsRefuseCertificatesTheyCannotCheck) {
  auto room = make_room();
  ASSERT_EQ(room.invites_size(), 2);

  // Without the test's authority, the system's store does not vouch for the certificate.
  client::connection conn;
  auto untrusted = wss();
  untrusted.ca_file.clear();
  auto refused = conn.connect(wss_url(), room.id(), untrusted);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.message().find("certificate"), std::string::npos) << refused.message();
  EXPECT_EQ(conn.handshake().status, 0);

  // A trusted certificate for another name: it names localhost, not 127.0.0.1.
  auto mismatch = conn.connect("wss://127.0.0.1:" + std::to_string(https_port_), room.id(), wss());
  ASSERT_FALSE(mismatch.is_ok());
  EXPECT_NE(mismatch.message().find("mismatch"), std::string::npos) << mismatch.message();
  auto https_mismatch = client::http_request(
      "GET", "https://127.0.0.1:" + std::to_string(https_port_) + "/healthz", {}, over_tls());
  EXPECT_FALSE(https_mismatch.outcome.is_ok());

  // A CA file that does not exist is an error, not a fall-back to the system's store.
  auto missing = wss();
  missing.ca_file = (dir_ / "no-such-ca.pem").string();
  auto unreadable = conn.connect(wss_url(), room.id(), missing);
  ASSERT_FALSE(unreadable.is_ok());
  EXPECT_NE(unreadable.message().find("no-such-ca.pem"), std::string::npos) << unreadable.message();
}

TEST_F(NginxProxyTest, PlainHttpIsSentToHttpsAndHttpsIsStrict) {
  auto plain =
      client::http_request("GET", "http://127.0.0.1:" + std::to_string(http_port_) + "/r/abc?x=1",
                           {}, {}, expect_within);
  ASSERT_TRUE(plain.outcome.is_ok()) << plain.outcome.message();
  EXPECT_EQ(plain.response.status, 301);
  EXPECT_EQ(plain.response.header("Location"), "https://127.0.0.1/r/abc?x=1");

  auto health = client::http_request("GET", public_url_ + "/healthz", {}, over_tls());
  ASSERT_TRUE(health.outcome.is_ok()) << health.outcome.message();
  EXPECT_EQ(health.response.status, 200) << health.response.body;
  EXPECT_NE(health.response.header("Strict-Transport-Security").find("max-age="),
            std::string::npos);
  // nginx sends it; Colead, which sees plain HTTP behind it, must not add a second one.
  auto hsts = std::count_if(
      health.response.headers.begin(), health.response.headers.end(), [](const auto& field) {
        return strcasecmp(field.first.c_str(), "strict-transport-security") == 0;
      });
  EXPECT_EQ(hsts, 1);
}

}  // namespace
}  // namespace colead::deploy_test
