// What a member can make the server store, and what comes out again: values outside the
// schema are refused before anything is stored, edits that change nothing add no revision,
// the Markdown export shows hostile text as text (rendered by GitHub's own renderer to
// check), and protobuf's complaints about a client's bytes stay in the server's log format.
#include <google/protobuf/struct.pb.h>

#include <regex>
#include <sstream>

#include "harness/http_helpers.hpp"
#include "harness/process.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

// Sends a JSON frame whose "req" is `req` and returns the answer to it (the message whose
// `re` is `req`), or nothing.
std::optional<v1::ServerMessage> request(client::connection& conn, std::uint64_t req,
                                         const std::string& json_body) {
  const std::string frame = "{\"req\":\"" + std::to_string(req) + "\"," + json_body + "}";
  auto sent = conn.send_raw_text(frame);
  EXPECT_TRUE(sent.is_ok()) << sent.message();
  return conn.receive_matching([req](const v1::ServerMessage& m) { return m.re() == req; },
                               expect_within);
}

// `text` as a JSON string literal.
std::string json_string(const std::string& text) {
  v1::LearningNote holder;
  holder.set_text(text);
  auto json = protocol::to_json(holder);  // {"text":"..."}
  return json.substr(json.find(':') + 1, json.size() - json.find(':') - 2);
}

using StoredInput = ServerTest;

TEST_F(StoredInput, EnumValuesTheSchemaDoesNotNameAreRefusedWithTheirReq) {
  auto room = make_room(2);
  auto json = join(room, 0, "Ann", encoding::json);
  auto binary = join(room, 1, "Ben", encoding::binary);
  ASSERT_NE(json, nullptr);
  ASSERT_NE(binary, nullptr);

  auto note = request(*json, 7, R"("note":{"text":"kept?","category":99})");
  ASSERT_TRUE(note) << json->last_error();
  ASSERT_TRUE(note->has_error()) << note->DebugString();
  EXPECT_EQ(note->error().code(), v1::Error::BAD_FRAME);
  EXPECT_NE(note->error().message().find("category"), std::string::npos) << note->DebugString();

  auto toggle = request(*json, 8, R"("room":{"settings":{"autoReflect":7}})");
  ASSERT_TRUE(toggle) << json->last_error();
  EXPECT_EQ(toggle->error().code(), v1::Error::BAD_FRAME) << toggle->DebugString();

  // The same in a binary frame: proto3 keeps the number it does not know.
  v1::ClientMessage m;
  m.set_req(9);
  m.mutable_note()->set_text("kept?");
  m.mutable_note()->set_category(static_cast<v1::LearningNote::Category>(42));
  ASSERT_TRUE(binary->send_raw_binary(m.SerializeAsString()).is_ok());
  auto answer = binary->receive_matching([](const v1::ServerMessage& s) { return s.re() == 9; },
                                         expect_within);
  ASSERT_TRUE(answer) << binary->last_error();
  EXPECT_EQ(answer->error().code(), v1::Error::BAD_FRAME) << answer->DebugString();

  // Nothing was stored: the record has no notes, and the settings are as they were.
  auto record_json = client::http_request(
      "GET", server_->url() + "/api/rooms/" + room.id() + "/export?format=json", {},
      bearer(room.invites(0).token()));
  ASSERT_EQ(record_json.response.status, 200) << record_json.response.body;
  v1::RoomExport record;
  std::string why;
  ASSERT_TRUE(protocol::from_json(record_json.response.body, record, why)) << why;
  EXPECT_EQ(record.notes_size(), 0);
  EXPECT_TRUE(ping_pong(*json));
  EXPECT_TRUE(ping_pong(*binary));
}

TEST_F(StoredInput, EditsThatChangeNothingAreRefusedAndAddNoRevision) {
  auto room = make_room(2);
  auto conn = join(room, 0, "Ann", encoding::json);
  ASSERT_NE(conn, nullptr);
  auto first =
      request(*conn, 1, R"("edit":{"doc":"purpose","baseRev":"0","op":[{"insert":"abc"}]})");
  ASSERT_TRUE(first && first->has_ack()) << (first ? first->DebugString() : conn->last_error());
  ASSERT_EQ(first->ack().rev(), 1u);

  const std::vector<std::string> empty_ops = {
      R"([{"retain":3}])",
      R"([{"retain":3},{"insert":""}])",
      R"([{"retain":1},{"delete":0},{"retain":2}])",
  };
  std::uint64_t req = 10;
  for (const auto& op : empty_ops) {
    SCOPED_TRACE(op);
    auto answer =
        request(*conn, ++req, R"("edit":{"doc":"purpose","baseRev":"1","op":)" + op + "}");
    ASSERT_TRUE(answer) << conn->last_error();
    ASSERT_TRUE(answer->has_error()) << answer->DebugString();
    EXPECT_EQ(answer->error().code(), v1::Error::INVALID_OP);
    EXPECT_FALSE(answer->error().fatal());
  }
  // The next real edit is revision 2: the refused ones took none.
  auto next = request(
      *conn, 20, R"("edit":{"doc":"purpose","baseRev":"1","op":[{"retain":3},{"insert":"d"}]})");
  ASSERT_TRUE(next && next->has_ack()) << (next ? next->DebugString() : conn->last_error());
  EXPECT_EQ(next->ack().rev(), 2u);
}

// Payloads of the kinds an attacker would put in every field; each carries PWNED so the
// rendered page can be searched for what it became.
const std::vector<std::string>& payloads() {
  static const std::vector<std::string> all = {
      "<script>alert('PWNED')</script>",
      "<img src=x onerror=alert('PWNED')>",
      "[PWNED](javascript:alert(1))",
      "![PWNED](https://evil.example/p.png)",
      "<https://evil.example/PWNED>",
      "https://evil.example/PWNED and www.evil.example",
      "<!-- PWNED -->",
      "x | PWNED | y",
      "&lt;PWNED&gt;",
      "**PWNED** _PWNED_ ~~PWNED~~ `PWNED`",
      "line\n# PWNED heading",
      "line\n- PWNED item",
      "line\n> PWNED quote",
      "line\n===",
  };
  return all;
}

TEST_F(StoredInput, MarkdownExportShowsHostileTextAsText) {
  const std::string renderer = "/usr/bin/cmark-gfm";
  ASSERT_TRUE(std::filesystem::exists(renderer))
      << renderer << " is missing: run `bash deploy/install-deps.sh --tests`";
  auto room = make_room(2, "<script>alert('PWNED')</script> # PWNED");
  // Ann joins with a hostile role as well as a hostile name.
  auto ann = std::make_unique<client::connection>();
  ASSERT_TRUE(ann->connect(server_->url(), room.id(), encoding::json).is_ok()) << ann->last_error();
  auto joined = ann->hello(
      {room.invites(0).token(), "<img src=x onerror=alert('PWNED')>", "line\n# PWNED heading", ""});
  ASSERT_TRUE(joined.outcome.is_ok()) << joined.outcome.message();
  auto ben = join(room, 1, "[PWNED](javascript:alert(1))", encoding::json);
  ASSERT_NE(ben, nullptr);

  std::uint64_t req = 0;
  std::string all;
  for (const auto& p : payloads())
    all += p + "\n";
  auto edit = request(
      *ann, ++req,
      R"("edit":{"doc":"purpose","baseRev":"0","op":[{"insert":)" + json_string(all) + "}]}");
  ASSERT_TRUE(edit && edit->has_ack()) << (edit ? edit->DebugString() : ann->last_error());
  auto doc = request(*ann, ++req, R"("document":{"add":{"title":"<script>PWNED</script>"}})");
  ASSERT_TRUE(doc && doc->has_ack()) << (doc ? doc->DebugString() : ann->last_error());
  for (const auto& p : payloads()) {
    auto note = request(*ben, ++req, R"("note":{"text":)" + json_string(p) + "}");
    ASSERT_TRUE(note && note->has_ack()) << (note ? note->DebugString() : ben->last_error());
  }
  auto start = request(*ann, ++req, R"("meeting":{"start":{"plannedMinutes":30}})");
  ASSERT_TRUE(start && start->has_ack()) << (start ? start->DebugString() : ann->last_error());
  auto end = request(*ann, ++req,
                     R"("meeting":{"end":{"reason":)" + json_string("a | PWNED <b>x</b>") + "}}");
  ASSERT_TRUE(end && end->has_ack()) << (end ? end->DebugString() : ann->last_error());

  auto md =
      client::http_request("GET", server_->url() + "/api/rooms/" + room.id() + "/export?format=md",
                           {}, bearer(room.invites(0).token()));
  ASSERT_EQ(md.response.status, 200) << md.response.body;
  EXPECT_EQ(md.response.header("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(md.response.header("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  EXPECT_EQ(md.response.header("Content-Disposition").rfind("attachment", 0), 0u);
  const std::string& text = md.response.body;

  // No payload survives unescaped in the Markdown (URLs appear only inside code spans): each
  // character that could start markup is preceded by a backslash.
  for (const std::string raw : {"<script>", "<img", "](javascript:", "<!--", "&lt;"}) {
    for (std::size_t at = text.find(raw); at != std::string::npos; at = text.find(raw, at + 1)) {
      EXPECT_TRUE(at > 0 && text[at - 1] == '\\')
          << "found " << raw << " unescaped at " << at << " in:\n"
          << text;
    }
  }
  for (const std::string raw : {"\n# PWNED", "\n- PWNED", "\n> PWNED", "**PWNED**"}) {
    EXPECT_EQ(text.find(raw), std::string::npos) << "found " << raw << " in:\n" << text;
  }

  // And rendered as GitHub renders it, raw HTML allowed through, it is inert text.
  auto html = run_process({renderer, "--unsafe", "--extension", "autolink", "--extension", "table",
                           "--extension", "strikethrough"},
                          text, std::chrono::seconds(20));
  ASSERT_TRUE(html.status.exited && html.status.code == 0) << html.err;
  const std::string& page = html.out;
  for (const std::string markup : {"<script", "<img", "<a ", "href=\"", "src=\"", "<!--",
                                   "<strong>", "<del>", "<blockquote>"}) {
    EXPECT_EQ(page.find(markup), std::string::npos) << "found " << markup << " in:\n" << page;
  }
  // The one table is the meetings table: a header and one meeting.
  std::smatch found;
  EXPECT_FALSE(std::regex_search(page, found, std::regex("<h[1-6]>[^<]*PWNED heading")))
      << found.str();
  EXPECT_FALSE(std::regex_search(page, found, std::regex("<li>\\s*PWNED"))) << found.str();
  EXPECT_FALSE(std::regex_search(page, found, std::regex("<h[1-6]>\\s*</h[1-6]>"))) << found.str();
  auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = page.find(what); at != std::string::npos; at = page.find(what, at + 1))
      ++n;
    return n;
  };
  EXPECT_EQ(count("<table>"), 1u) << page;
  EXPECT_EQ(count("<tr>"), 2u) << page;
  EXPECT_EQ(count("<h1>"), 1u) << page;
  // Every payload's words are there, as text.
  EXPECT_NE(page.find("&lt;script&gt;alert('PWNED')&lt;/script&gt;"), std::string::npos) << page;
  EXPECT_NE(page.find("<code>https://evil.example/PWNED</code>"), std::string::npos) << page;
}

TEST_F(StoredInput, ProtobufComplaintsAreJsonLinesAndRateLimited) {
  start_with({"--log-format", "json"});
  auto room = make_room(2);
  // Invalid UTF-8 in a string field of a binary frame, from a connection that never said
  // hello: each one makes protobuf complain.
  v1::ClientMessage m;
  m.set_req(1);
  m.mutable_note()->set_text("XX");
  std::string frame = m.SerializeAsString();
  frame.replace(frame.find("XX"), 2, "\xff\xfe");

  client::connection conn;
  auto connected = conn.connect(server_->url(), room.id(), encoding::binary);
  ASSERT_TRUE(connected.is_ok()) << connected.message();
  constexpr int frames = 40;
  for (int i = 0; i < frames; ++i) {
    ASSERT_TRUE(conn.send_raw_binary(frame).is_ok()) << conn.last_error();
    auto answer = conn.receive_matching(kind_is(v1::ServerMessage::kError), expect_within);
    ASSERT_TRUE(answer) << conn.last_error();
    EXPECT_EQ(answer->error().code(), v1::Error::BAD_FRAME);
  }

  // The server has logged them by now, but its output may still be on its way to the test.
  EXPECT_TRUE(server_->wait_for_log("protobuf", expect_within)) << server_->log();
  std::istringstream lines(server_->log());
  std::string line;
  int protobuf_lines = 0;
  while (std::getline(lines, line)) {
    // The organiser key is shown once on the terminal, never in the log.
    if (line.empty() || line.rfind("Organiser key", 0) == 0 ||
        line.rfind("To make a new one", 0) == 0)
      continue;
    google::protobuf::Struct parsed;
    std::string why;
    EXPECT_TRUE(protocol::from_json(line, parsed, why)) << "not a JSON line: " << line;
    if (line.find("protobuf") != std::string::npos) ++protobuf_lines;
  }
  EXPECT_GE(protobuf_lines, 1);
  EXPECT_LE(protobuf_lines, 5) << server_->log();
}

}  // namespace
}  // namespace colead::integration
