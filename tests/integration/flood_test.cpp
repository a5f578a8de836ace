// Fair share: one member flooding edits from eight connections cannot raise the round trip
// of another member of the same room, nor of a member of another room, beyond a stated bound;
// the flooder is rate limited and then closed with 1008; the server's memory returns near
// its baseline once the flood ends (docs/security.md, "Messages: rates, sizes and fair share").
#include <algorithm>
#include <atomic>
#include <thread>

#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

using steady = std::chrono::steady_clock;

// The bounds this test holds the server to (stated in docs/security.md).
constexpr auto flood_length = std::chrono::seconds(10);
constexpr milliseconds p99_bound{500};
constexpr long rss_margin_kib = 30 * 1024;

// One ping's round trip, dropping whatever else arrives meanwhile (the flood's broadcasts),
// so the client's own queue never fills; nothing when no pong comes within a bounded time.
std::optional<milliseconds> round_trip(client::connection& conn) {
  auto ping = ping_message();
  ping.set_req(0);
  const auto start = steady::now();
  if (!conn.send(ping).is_ok()) return std::nullopt;
  const auto deadline = start + expect_within;
  while (steady::now() < deadline) {
    auto m = conn.receive(std::chrono::duration_cast<milliseconds>(deadline - steady::now()));
    if (!m) return std::nullopt;
    if (m->has_pong() && m->re() == ping.req())
      return std::chrono::duration_cast<milliseconds>(steady::now() - start);
  }
  return std::nullopt;
}

milliseconds percentile(std::vector<milliseconds> samples, double p) {
  if (samples.empty()) return milliseconds::max();
  std::sort(samples.begin(), samples.end());
  auto index = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1));
  return samples[index];
}

struct flood_result {
  std::uint64_t sent = 0;
  std::uint64_t rate_limited = 0;
  std::uint64_t policy_closes = 0;  // closes with 1008
};

// One flooding device: edits as fast as the socket takes them for `length`, reading what comes
// back (to follow the revision and count refusals); joins again whenever it is closed.
void flood(const server_process& server, const v1::CreateRoomResponse& room, int device,
           std::string doc, steady::time_point until, flood_result& out) {
  std::uint64_t rev = 0;
  std::uint64_t n = 0;
  while (steady::now() < until) {
    std::string error;
    v1::Welcome welcome;
    auto conn = join_room(server, room.id(), room.invites(0).token(), "Flood", encoding::binary,
                          error, &welcome);
    if (!conn) {
      std::this_thread::sleep_for(milliseconds(50));
      continue;
    }
    // Every edit of the flood adds one character: the length at a revision follows.
    std::uint64_t rev0 = 0;
    std::size_t length0 = 0;
    for (const auto& d : welcome.room().docs()) {
      if (d.id() != doc) continue;
      rev = rev0 = d.rev();
      length0 = d.text().size();
    }
    while (steady::now() < until && conn->is_open()) {
      for (int i = 0; i < 20 && conn->is_open(); ++i) {
        v1::ClientMessage m;
        auto* e = m.mutable_edit();
        e->set_doc(doc);
        e->set_base_rev(rev);
        e->set_edit_id("flood-" + std::to_string(device) + "-" + std::to_string(++n));
        e->add_op()->set_insert("x");
        const auto length = length0 + static_cast<std::size_t>(rev - rev0);
        if (length > 0) e->add_op()->set_retain(static_cast<std::uint32_t>(length));
        if (!conn->send(m, milliseconds(1000)).is_ok()) break;
        ++out.sent;
      }
      while (auto answer = conn->receive(milliseconds(0))) {
        if (answer->has_ack() && answer->ack().rev() > rev) rev = answer->ack().rev();
        if (answer->has_applied() && answer->applied().rev() > rev) rev = answer->applied().rev();
        if (answer->has_error() && answer->error().code() == v1::Error::RATE_LIMITED)
          ++out.rate_limited;
      }
    }
    auto closed = conn->wait_closed(milliseconds(200));
    if (closed && closed->code == 1008) ++out.policy_closes;
  }
}

class Flood : public ServerTest {};

TEST_F(Flood, OneMemberOnEightConnectionsCannotStallOthers) {
  if (sanitized_build) {
    GTEST_SKIP() << "its bounds are the real build's: a sanitized server runs several times "
                    "slower and holds shadow memory, so round trips and resident size say "
                    "nothing about the server's own";
  }
  auto room = make_room(2, "Flooded");
  auto elsewhere = make_room(2, "Elsewhere");
  v1::Welcome welcome;
  auto neighbour = join(room, 1, "Neighbour", encoding::binary, &welcome);
  auto stranger = join(elsewhere, 0, "Stranger");
  ASSERT_NE(neighbour, nullptr);
  ASSERT_NE(stranger, nullptr);
  ASSERT_GT(welcome.room().docs_size(), 0);
  const std::string doc = welcome.room().docs(0).id();
  ASSERT_TRUE(round_trip(*neighbour));
  ASSERT_TRUE(round_trip(*stranger));
  const long baseline = server_->resident_kib();
  ASSERT_GT(baseline, 0);

  const auto until = steady::now() + flood_length;
  std::vector<flood_result> results(8);
  std::vector<std::thread> devices;
  for (int i = 0; i < 8; ++i)
    devices.emplace_back(flood, std::cref(*server_), std::cref(room), i, doc, until,
                         std::ref(results[static_cast<std::size_t>(i)]));

  std::vector<milliseconds> same_room, other_room;
  int lost = 0;
  while (steady::now() < until) {
    auto a = round_trip(*neighbour);
    auto b = round_trip(*stranger);
    if (a)
      same_room.push_back(*a);
    else
      ++lost;
    if (b)
      other_room.push_back(*b);
    else
      ++lost;
    std::this_thread::sleep_for(milliseconds(50));
  }
  for (auto& t : devices)
    t.join();
  long peak = server_->resident_kib();

  flood_result total;
  for (const auto& r : results) {
    total.sent += r.sent;
    total.rate_limited += r.rate_limited;
    total.policy_closes += r.policy_closes;
  }
  const auto p99_same = percentile(same_room, 0.99);
  const auto p99_other = percentile(other_room, 0.99);
  std::cout << "flood: " << total.sent << " edits sent, " << total.rate_limited << " RATE_LIMITED, "
            << total.policy_closes << " closes 1008; round trip p50/p99 "
            << percentile(same_room, 0.5).count() << "/" << p99_same.count() << " ms same room, "
            << percentile(other_room, 0.5).count() << "/" << p99_other.count() << " ms other room ("
            << same_room.size() << " + " << other_room.size() << " samples); RSS " << baseline
            << " KiB before, " << peak << " KiB at the end of the flood\n";

  EXPECT_EQ(lost, 0) << "pings without a pong";
  EXPECT_LE(p99_same, p99_bound);
  EXPECT_LE(p99_other, p99_bound);
  EXPECT_GT(total.rate_limited, 0u);
  EXPECT_GT(total.policy_closes, 0u);
  EXPECT_TRUE(neighbour->is_open());
  EXPECT_TRUE(stranger->is_open());

  // Memory returns near its baseline once the flood is over (bounded wait).
  long after = server_->resident_kib();
  for (int i = 0; i < 50 && after > baseline + rss_margin_kib; ++i) {
    std::this_thread::sleep_for(milliseconds(200));
    after = server_->resident_kib();
  }
  std::cout << "flood: RSS " << after << " KiB after the flood (baseline " << baseline
            << " KiB, margin " << rss_margin_kib << " KiB)\n";
  EXPECT_LE(after, baseline + rss_margin_kib);
  EXPECT_TRUE(round_trip(*neighbour));
}

}  // namespace
}  // namespace colead::integration
