// Nothing acknowledged is ever lost: concurrent editing clients, the server killed with
// SIGKILL at random moments (20 times) and restarted on the same data folder; after each
// restart every edit any client saw acknowledged must be in the text, and at the end every
// client converges on the same text.
//
// Clients make their edits without a local OT copy: each inserts a unique token at the
// start of the document, based on the latest revision it has seen, and tracks the
// document's length from the `applied` messages and its own acks (the server transforms its
// edit over anything it has not seen).
#include <atomic>
#include <filesystem>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "harness/room_client.hpp"
#include "harness/server_process.hpp"
#include "ot/utf8.hpp"

namespace colead::integration {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

struct acknowledged {
  std::mutex mutex;
  std::set<std::string> tokens;  // every token whose edit was acked
};

// One editing client for one server life: edits until the connection fails or `stop`.
void edit_until_killed(const server_process& server, const v1::CreateRoomResponse& room, int seat,
                       int& counter, acknowledged& acked, const std::atomic<bool>& stop) {
  std::string error;
  v1::Welcome welcome;
  auto conn = join_room(server, room.id(), room.invites(seat).token(), "Editor", encoding::binary,
                        error, &welcome);
  if (!conn) return;
  std::uint64_t rev = welcome.room().docs(0).rev();
  std::size_t length = ot::utf8::count_code_points(welcome.room().docs(0).text());
  std::uint64_t req = 0;
  std::string trace = "welcome rev " + std::to_string(rev) + " len " + std::to_string(length);
  // Bounded: a server life lasts well under a second, and each edit waits for its ack.
  for (int i = 0; i < 2000 && !stop.load(); ++i) {
    // Appended: GCC 12 at -O3 reports a false -Wrestrict for a literal plus a temporary string.
    const std::string token = std::string("s")
                                  .append(std::to_string(seat))
                                  .append("n")
                                  .append(std::to_string(counter++))
                                  .append(";");
    v1::ClientMessage m;
    m.set_req(++req);
    auto* e = m.mutable_edit();
    e->set_doc("purpose");
    e->set_base_rev(rev);
    e->set_edit_id(
        std::string("c").append(std::to_string(seat)).append("-").append(std::to_string(counter)));
    e->add_op()->set_insert(token);
    if (length > 0) e->add_op()->set_retain(static_cast<std::uint32_t>(length));
    if (!conn->send(m).is_ok()) return;
    for (;;) {
      auto msg = conn->receive(milliseconds(3000));
      if (!msg) return;  // killed, or too slow
      if (msg->has_applied()) {
        trace += "; applied " + std::to_string(msg->applied().rev());
        rev = msg->applied().rev();
        for (const auto& c : msg->applied().op()) {
          if (c.has_insert()) length += ot::utf8::count_code_points(c.insert());
          if (c.has_delete_()) length -= c.delete_();
        }
      } else if (msg->has_ack() && msg->re() == m.req()) {
        rev = msg->ack().rev();
        trace += "; ack " + std::to_string(rev);
        length += ot::utf8::count_code_points(token);
        std::lock_guard lock(acked.mutex);
        acked.tokens.insert(token);
        break;
      } else if (msg->has_error()) {
        ADD_FAILURE() << "edit refused: " << msg->error().message() << "\n" << trace;
        return;
      }
    }
  }
}

std::string current_text(const server_process& server, const v1::CreateRoomResponse& room,
                         int seat) {
  std::string error;
  v1::Welcome welcome;
  auto conn = join_room(server, room.id(), room.invites(seat).token(), "Checker", encoding::json,
                        error, &welcome);
  EXPECT_NE(conn, nullptr) << error;
  return conn ? welcome.room().docs(0).text() : std::string{};
}

TEST(CrashRecovery, NoAcknowledgedEditIsLostAcrossTwentyKills) {
  auto dir = fs::temp_directory_path() / ("colead-crash-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  std::uint32_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  server_options options;
  options.data_dir = dir;
  std::string error;
  auto server = server_process::start(options, error);
  ASSERT_NE(server, nullptr) << error;
  auto room = create_room(*server, "Crash", 3, error);
  ASSERT_TRUE(room) << error;

  acknowledged acked;
  int counters[3] = {0, 0, 0};
  constexpr int kills = 20;
  for (int k = 0; k < kills; ++k) {
    std::atomic<bool> stop{false};
    std::vector<std::thread> editors;
    for (int seat = 0; seat < 3; ++seat) {
      editors.emplace_back(
          [&, seat] { edit_until_killed(*server, *room, seat, counters[seat], acked, stop); });
    }
    std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(50, 400)(random)));
    server->kill9();
    stop = true;
    for (auto& t : editors)
      t.join();

    server = server_process::start(options, error);
    ASSERT_NE(server, nullptr) << "restart " << k + 1 << ": " << error;
    auto text = current_text(*server, *room, 0);
    std::lock_guard lock(acked.mutex);
    for (const auto& token : acked.tokens) {
      ASSERT_NE(text.find(token), std::string::npos)
          << "acknowledged edit " << token << " lost after kill " << k + 1;
    }
  }
  // After the last restart every client reconnects and sees the same text.
  auto a = current_text(*server, *room, 0);
  auto b = current_text(*server, *room, 1);
  auto c = current_text(*server, *room, 2);
  EXPECT_EQ(a, b);
  EXPECT_EQ(b, c);
  EXPECT_GT(acked.tokens.size(), static_cast<std::size_t>(kills));
  RecordProperty("acknowledged_edits", static_cast<int>(acked.tokens.size()));
  std::printf("crash test: %zu acknowledged edits across %d kills, 0 lost\n", acked.tokens.size(),
              kills);
  server.reset();
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace colead::integration
