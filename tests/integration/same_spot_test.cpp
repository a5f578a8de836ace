// Two people typing at the same spot over real WebSockets, through the client library's
// replica (client::shared_document) as the command-line client uses it: both carets are put at
// the same position, both type a different sentence letter by letter at the same time, and
// each sentence ends up in one piece, twenty times over, on both replicas and on the server.
#include <gtest/gtest.h>

#include <cstdio>
#include <latch>
#include <random>
#include <thread>

#include "harness/replica_client.hpp"
#include "harness/room_client.hpp"
#include "harness/server_process.hpp"
#include "ot/utf8.hpp"

namespace colead::integration {
namespace {

using std::chrono::milliseconds;

using typist = replica_client;

// Pumps both until neither has anything unacknowledged and both hold the same revision
// (bounded: about 10 s).
void settle(typist& a, typist& b) {
  for (int k = 0; k < 500; ++k) {
    a.pump(milliseconds(10));
    b.pump(milliseconds(10));
    if (a.doc.synchronized() && b.doc.synchronized() && a.doc.revision() == b.doc.revision())
      return;
  }
  ADD_FAILURE() << "the replicas did not settle";
}

TEST(SameSpot, TwoReplicasTypingAtTheSameSpotKeepEachSentenceWhole) {
  std::uint32_t seed = std::random_device{}();
  if (const char* s = std::getenv("COLEAD_SAME_SPOT_SEED"))
    seed = static_cast<std::uint32_t>(std::stoul(s));
  SCOPED_TRACE("seed " + std::to_string(seed) + " (set COLEAD_SAME_SPOT_SEED to repeat)");
  server_options options;
  options.extra_args = {"--rate",        "100000", "--rate-burst",        "100000",
                        "--member-rate", "100000", "--member-rate-burst", "100000"};
  std::string error;
  auto server = server_process::start(options, error);
  ASSERT_NE(server, nullptr) << error;
  auto room = create_room(*server, "Same spot", 2, error);
  ASSERT_TRUE(room) << error;

  typist ana("ana");
  typist ben("ben");
  ana.join(*server, *room, 0, "Typist 0");
  ben.join(*server, *room, 1, "Typist 1");
  ASSERT_FALSE(::testing::Test::HasFatalFailure());

  const std::pair<std::string, std::string> sentences[] = {
      {"Reverse the steps first.", "Everything shared here helps."},
      {"We listen before we act.", "Patients choose what matters."},
      {"Care plans stay simple.", "Nobody waits in the dark."},
      {"Start with the question.", "Time to reflect counts too."},
  };
  constexpr int runs = 20;
  int broken = 0;
  for (int run = 1; run <= runs; ++run) {
    const auto& [first, second] = sentences[run % 4];
    const std::string head = "Run " + std::to_string(run) + ": ";
    const std::string tail = "| end.";
    // A fresh frame for the run, written by Ana over the whole text.
    ot::text_operation frame;
    frame.insert(head + tail).remove(ot::utf8::count_code_points(ana.doc.text()));
    auto sent = ana.doc.edit(frame);
    ASSERT_TRUE(sent) << sent.error().to_string();
    ana.send(std::move(sent.value()));
    settle(ana, ben);
    ASSERT_EQ(ben.doc.text(), head + tail);

    // Both carets right after "Run N: "; both type at once, letter by letter.
    ana.doc.place_caret(head.size());
    ben.doc.place_caret(head.size());
    std::latch start(2);
    auto type = [&start](typist& t, const std::string& sentence, std::uint32_t s) {
      std::mt19937 random(s);
      start.arrive_and_wait();
      for (char c : sentence) {
        auto out = t.doc.type(std::string(1, c));
        ASSERT_TRUE(out) << out.error().to_string();
        t.send(std::move(out.value()));
        t.pump(milliseconds(random() % 12));
      }
    };
    std::thread a(type, std::ref(ana), std::cref(first), seed + static_cast<std::uint32_t>(run));
    std::thread b(type, std::ref(ben), std::cref(second),
                  seed + 7919u * static_cast<std::uint32_t>(run));
    a.join();
    b.join();
    settle(ana, ben);
    ASSERT_EQ(ana.doc.text(), ben.doc.text()) << "run " << run;
    const std::string& text = ana.doc.text();
    if (text != head + first + second + tail && text != head + second + first + tail) {
      ++broken;
      ADD_FAILURE() << "run " << run << " broke a sentence: \"" << text << "\"";
    }
  }
  std::printf("same spot: %d of %d runs broke a sentence\n", broken, runs);

  // The server has the replicas' text.
  v1::Welcome welcome;
  auto checker =
      join_room(*server, room->id(), room->invites(0).token(), "", encoding::json, error, &welcome);
  ASSERT_NE(checker, nullptr) << error;
  EXPECT_EQ(welcome.room().docs(0).text(), ana.doc.text());
}

}  // namespace
}  // namespace colead::integration
