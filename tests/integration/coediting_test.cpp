// Shared purpose co-editing over real WebSockets: three clients type into the same document
// at once (thousands of edits, random pauses, unicode), one of them drops off mid-way, keeps
// typing offline, reconnects and catches up; every client ends with the server's text and no
// acknowledged edit is lost.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "harness/replica_client.hpp"
#include "harness/room_client.hpp"
#include "harness/server_process.hpp"
#include "ot/utf8.hpp"

namespace colead::integration {
namespace {

using std::chrono::milliseconds;

const std::vector<std::string> pieces = {
    "a",  "b",   " ",    "purpose",  "💙", "👩🏽‍⚕️", "é", "e\u0301",
    "心", "قلب", "שלום", "together", "\n"};

// A random local edit of `text`: mostly inserts, some deletions.
ot::text_operation random_edit(const std::string& text, std::mt19937& random) {
  auto length = ot::utf8::count_code_points(text);
  std::uniform_int_distribution<std::size_t> at(0, length);
  auto pos = at(random);
  ot::text_operation op;
  op.retain(pos);
  if (length > 20 && pos < length && random() % 4 == 0) {
    auto n = std::min<std::size_t>(length - pos, 1 + random() % 5);
    op.remove(n);
    op.retain(length - pos - n);
  } else {
    op.insert(pieces[random() % pieces.size()]);
    op.retain(length - pos);
  }
  return op;
}

using editor = replica_client;

TEST(CoEditing, ThreeClientsConvergeIncludingOneThatWentOfflineAndCameBack) {
  std::uint32_t seed = std::random_device{}();
  if (const char* s = std::getenv("COLEAD_COEDIT_SEED"))
    seed = static_cast<std::uint32_t>(std::stoul(s));
  SCOPED_TRACE("seed " + std::to_string(seed) + " (set COLEAD_COEDIT_SEED to repeat)");
  server_options options;
  options.extra_args = {"--rate",          "100000", "--rate-burst",        "100000",
                        "--member-rate",   "100000", "--member-rate-burst", "100000",
                        "--max-doc-chars", "200000"};
  std::string error;
  auto server = server_process::start(options, error);
  ASSERT_NE(server, nullptr) << error;
  auto room = create_room(*server, "Co-editing", 3, error);
  ASSERT_TRUE(room) << error;

  constexpr int edits_each = 700;
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<editor>> editors;
  for (int i = 0; i < 3; ++i)
    editors.push_back(std::make_unique<editor>(std::string("c").append(std::to_string(i))));
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] {
      std::mt19937 random(seed + static_cast<std::uint32_t>(i));
      auto& e = *editors[i];
      e.join(*server, *room, i, "Editor " + std::to_string(i));
      for (int n = 0; n < edits_each; ++n) {
        if (i == 2 && n == edits_each / 2) {
          // Drop off without a goodbye, type offline, come back.
          e.conn->drop();
          e.conn.reset();
          for (int k = 0; k < 50; ++k) {
            auto op = random_edit(e.doc.text(), random);
            ASSERT_TRUE(e.doc.edit(op));
          }
          e.join(*server, *room, i, "Editor " + std::to_string(i), true);
        }
        auto op = random_edit(e.doc.text(), random);
        auto sent = e.doc.edit(op);
        ASSERT_TRUE(sent) << sent.error().to_string();
        e.send(std::move(sent.value()));
        e.pump(milliseconds(random() % 6));
      }
      // Drain until our own edits are all acknowledged (bounded).
      for (int k = 0; k < 500 && !e.doc.synchronized(); ++k)
        e.pump(milliseconds(20));
      EXPECT_TRUE(e.doc.synchronized());
    });
  }
  for (auto& t : threads)
    t.join();

  // The server's text, from a fresh member device.
  v1::Welcome welcome;
  auto checker =
      join_room(*server, room->id(), room->invites(0).token(), "", encoding::json, error, &welcome);
  ASSERT_NE(checker, nullptr) << error;
  const auto& server_doc = welcome.room().docs(0);
  // Everyone catches up to the final revision, then compares bytes.
  for (auto& e : editors) {
    for (int k = 0; k < 500 && e->doc.revision() < server_doc.rev(); ++k)
      e->pump(milliseconds(20));
    EXPECT_EQ(e->doc.revision(), server_doc.rev());
    EXPECT_EQ(e->doc.text(), server_doc.text());
  }
  // Typing composes into the buffer while an edit awaits its ack, so the server sees fewer,
  // larger edits than were typed.
  EXPECT_GT(server_doc.rev(), 50u);
  std::printf("co-editing: %d local edits, %llu revisions on the server, %zu code points\n",
              3 * edits_each + 50, static_cast<unsigned long long>(server_doc.rev()),
              ot::utf8::count_code_points(server_doc.text()));
}

}  // namespace
}  // namespace colead::integration
