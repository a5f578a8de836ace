// Seeded property tests: random concurrent editing histories run through the real server and
// client classes, and random operation pairs checked against the algebraic contracts.
//
// Every history and pair has its own seed, printed on failure. To replay one:
//   COLEAD_OT_SEED=<seed> ./ot_test --gtest_filter='Convergence*'
// COLEAD_OT_HISTORIES=<n> runs more (or fewer) histories for a longer search.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ot/client.hpp"
#include "ot/server.hpp"
#include "ot/text_operation.hpp"
#include "ot/utf8.hpp"
#include "test_support.hpp"

namespace colead::ot {
namespace {

constexpr std::uint64_t base_seed = 0x00C01EADu;
constexpr std::size_t default_histories = 10'000;
constexpr std::size_t default_pairs = 20'000;

std::optional<std::uint64_t> seed_from_environment() {
  const char* value = std::getenv("COLEAD_OT_SEED");
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::strtoull(value, nullptr, 0);
}

std::size_t count_from_environment(const char* name, std::size_t fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  return static_cast<std::size_t>(std::strtoull(value, nullptr, 10));
}

// The seed of case `index`: spread out so neighbouring cases share no structure.
std::uint64_t case_seed(std::uint64_t index) {
  std::uint64_t z = base_seed + 0x9E3779B97F4A7C15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Text pieces that stress code-point counting: multi-byte letters, combining marks, RTL
// scripts, astral characters, skin tones, ZWJ sequences, flags, a lone joiner and NUL.
const std::string pieces[] = {
    "a",
    "b",
    " ",
    "\n",
    "\u00e9",
    "e\u0301",
    "\u5171",
    "\u540c",
    "\u0645\u0631",
    "\u05e9",
    "\U0001F44D\U0001F3FD",
    "\U0001F469\u200D\U0001F469\u200D\U0001F467",
    "\U0001F1EC\U0001F1E7",
    "\U0001D11E",
    "\u200D",
    std::string(1, '\0'),
};

class random_source {
 public:
  explicit random_source(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [low, high].
  std::size_t between(std::size_t low, std::size_t high) {
    return std::uniform_int_distribution<std::size_t>(low, high)(engine_);
  }
  bool chance(std::size_t one_in) { return between(1, one_in) == 1; }

  std::string text() {
    std::string out;
    for (std::size_t k = between(1, 3); k > 0; --k)
      out += pieces[between(0, std::size(pieces) - 1)];
    return out;
  }

  // A random edit of a document of `length` code points: up to three retains, inserts,
  // deletes or replacements at increasing positions.
  text_operation edit(std::size_t length) {
    text_operation op;
    std::size_t at = 0;
    for (std::size_t k = between(1, 3); k > 0; --k) {
      const std::size_t skip = between(0, std::min<std::size_t>(length - at, 12));
      op.retain(skip);
      at += skip;
      const std::size_t what = between(0, 2);
      if (what != 1) op.insert(text());
      if (what != 0 && at < length) {
        const std::size_t n = between(1, std::min<std::size_t>(length - at, 4));
        op.remove(n);
        at += n;
      }
    }
    op.retain(length - at);
    return op;
  }

 private:
  std::mt19937_64 engine_;
};

// What the server sends down to one client.
struct down_message {
  bool is_ack = false;
  std::uint64_t rev = 0;
  text_operation op;           // applied only
  std::string edit_id;         // applied only
  std::uint64_t base_rev = 0;  // applied only: the revision its author made it on
};

struct replica {
  client state;
  std::string text;
  std::size_t edits_left = 0;
  std::size_t reconnects_left = 2;
  std::deque<outgoing_edit> uplink;   // to the server, in order
  std::deque<down_message> downlink;  // from the server, in order
  std::string member;
};

// One random history: 2 to 5 clients, 1 to 50 edits each, random delivery order, random
// reconnects with lost messages and duplicated deliveries.
class history {
 public:
  explicit history(std::uint64_t seed) : rng_(seed) {}

  void run() {
    start();
    if (::testing::Test::HasFatalFailure()) return;
    while (true) {
      // Every step picks uniformly among what could happen next anywhere in the system.
      enum class event { local_edit, to_server, to_client };
      // Now and then the server restarts from what the store would hold: a snapshot and the
      // edits after it, base revisions included, so ties decided later still match what
      // clients decide.
      if (rng_.chance(200)) {
        restart_server();
        if (::testing::Test::HasFatalFailure()) return;
      }
      std::vector<std::pair<event, std::size_t>> possible;
      for (std::size_t k = 0; k < replicas_.size(); ++k) {
        const replica& r = replicas_[k];
        if (r.edits_left > 0) possible.emplace_back(event::local_edit, k);
        if (!r.uplink.empty()) possible.emplace_back(event::to_server, k);
        if (!r.downlink.empty()) possible.emplace_back(event::to_client, k);
      }
      if (possible.empty()) break;
      const auto [what, k] = possible[rng_.between(0, possible.size() - 1)];
      if (replicas_[k].reconnects_left > 0 && rng_.chance(60)) {
        reconnect(k);
      } else if (what == event::local_edit) {
        local_edit(k);
      } else if (what == event::to_server) {
        deliver_to_server(k, /*duplicate=*/rng_.chance(25));
      } else {
        deliver_to_client(k);
      }
      if (::testing::Test::HasFatalFailure()) return;
    }
    for (const replica& r : replicas_) {
      ASSERT_EQ(r.state.current_state(), client::state::synchronized) << r.member;
      ASSERT_EQ(r.state.revision(), server_.revision()) << r.member;
      ASSERT_EQ(r.text, server_.text()) << r.member << " diverged from the server";
    }
    // The server's own history agrees with what the test saw, checkpoints or not.
    for (std::size_t k = 0; k < 4; ++k) {
      const std::uint64_t rev = first_rev_ + rng_.between(0, texts_.size() - 1);
      auto text = server_.text_at(rev);
      ASSERT_TRUE(text.is_ok()) << text.error().to_string();
      ASSERT_EQ(*text, text_at(rev)) << "text_at(" << rev << ")";
    }
  }

 private:
  void start() {
    server_options options;
    options.checkpoint_interval = rng_.between(1, 16);
    options.history_limit = 1'000'000;
    options.history_bytes = std::size_t{1} << 30;
    options_ = options;
    // Half the histories start from a stored snapshot, as a room reloaded by the store does.
    if (rng_.chance(2)) {
      snapshot snap;
      snap.rev = rng_.between(0, 1000);
      for (std::size_t k = rng_.between(0, 6); k > 0; --k)
        snap.text += rng_.text();
      auto loaded = server::load(std::move(snap), {}, options);
      ASSERT_TRUE(loaded.is_ok()) << loaded.error().to_string();
      server_ = std::move(loaded).value();
    } else {
      server_ = server(options);
    }
    first_rev_ = server_.revision();
    texts_.push_back(server_.text());
    const std::size_t clients = rng_.between(2, 5);
    for (std::size_t k = 0; k < clients; ++k) {
      // Built without `"m" + std::string`, which trips a false -Wrestrict in GCC 12.
      std::string member = std::to_string(k);
      member.insert(member.begin(), 'm');
      replicas_.push_back(replica{client(member + "-s1", server_.revision(), server_.length()),
                                  server_.text(),
                                  rng_.between(1, 50),
                                  2,
                                  {},
                                  {},
                                  member});
    }
  }

  void local_edit(std::size_t k) {
    replica& r = replicas_[k];
    const text_operation op = rng_.edit(utf8::count_code_points(r.text));
    auto text = op.apply(r.text);
    ASSERT_TRUE(text.is_ok()) << text.error().to_string();
    r.text = std::move(text).value();
    auto send = r.state.apply_local(op);
    ASSERT_TRUE(send.is_ok()) << send.error().to_string();
    --r.edits_left;
    if (send->has_value()) r.uplink.push_back(std::move(**send));
    check_client_invariant(r);
  }

  // The server receives the next edit from client k. The transform chain it performs is
  // replayed here pair by pair to check TP1 on the real texts.
  void deliver_to_server(std::size_t k, bool duplicate) {
    replica& author = replicas_[k];
    const outgoing_edit edit = author.uplink.front();
    author.uplink.pop_front();
    const std::uint64_t before = server_.revision();
    check_server_chain(edit);
    if (::testing::Test::HasFatalFailure()) return;
    auto got = server_.receive(edit.base_rev, edit.op, edit.edit_id, author.member, 0);
    ASSERT_TRUE(got.is_ok()) << got.error().to_string();
    ASSERT_FALSE(got->duplicate);
    ASSERT_EQ(got->rev, before + 1);
    texts_.push_back(server_.text());
    base_revs_[got->rev] = edit.base_rev;
    author.downlink.push_back(down_message{true, got->rev, {}, {}});
    for (std::size_t other = 0; other < replicas_.size(); ++other) {
      if (other == k) continue;
      replicas_[other].downlink.push_back(
          down_message{false, got->rev, got->op, edit.edit_id, edit.base_rev});
    }
    if (duplicate) {
      // The network delivered the same edit twice: the copy must be recognised and change
      // nothing. Its answer names the original revision; the client has no use for it.
      auto again = server_.receive(edit.base_rev, edit.op, edit.edit_id, author.member, 0);
      ASSERT_TRUE(again.is_ok()) << again.error().to_string();
      ASSERT_TRUE(again->duplicate);
      ASSERT_EQ(again->rev, got->rev);
      ASSERT_EQ(server_.revision(), got->rev);
    }
  }

  void check_server_chain(const outgoing_edit& edit) {
    auto since = server_.ops_since(edit.base_rev);
    ASSERT_TRUE(since.is_ok()) << since.error().to_string();
    std::string text = text_at(edit.base_rev);
    text_operation op = edit.op;
    for (const applied_edit& applied : *since) {
      std::pair<text_operation, text_operation> pair;
      ASSERT_EQ(applied.base_rev, base_revs_.at(applied.rev));
      check_tp1(text, text_at(applied.rev), op, applied.op,
                tie_break(edit.base_rev, applied.base_rev), pair);
      if (::testing::Test::HasFatalFailure()) return;
      text = text_at(applied.rev);
      op = std::move(pair.first);
    }
  }

  void deliver_to_client(std::size_t k) {
    replica& r = replicas_[k];
    down_message message = std::move(r.downlink.front());
    r.downlink.pop_front();
    if (message.is_ack) {
      auto next = r.state.on_ack(message.rev);
      ASSERT_TRUE(next.is_ok()) << next.error().to_string();
      if (next->has_value()) r.uplink.push_back(std::move(**next));
    } else {
      receive_remote(r, message.op, message.rev, message.edit_id, message.base_rev);
    }
    check_client_invariant(r);
  }

  // A remote edit reaches a client: check TP1 for the client's transforms, then let the client
  // state machine handle it and apply what it returns.
  void receive_remote(replica& r, const text_operation& op, std::uint64_t rev,
                      const std::string& edit_id, std::uint64_t base_rev) {
    const bool own = r.state.outstanding() != nullptr && r.state.outstanding_edit_id() == edit_id;
    if (!own && r.state.outstanding() != nullptr) {
      const text_operation& outstanding = *r.state.outstanding();
      std::pair<text_operation, text_operation> pair;
      check_tp1(text_at(rev - 1), text_at(rev), outstanding, op,
                tie_break(r.state.sent_base(), base_rev), pair);
      if (::testing::Test::HasFatalFailure()) return;
      if (r.state.buffer() != nullptr) {
        // The buffer sits on top of the outstanding edit; the remote edit reaches it in the
        // form transformed over the outstanding one.
        auto after_outstanding = outstanding.apply(text_at(rev - 1));
        ASSERT_TRUE(after_outstanding.is_ok());
        auto after_remote = pair.second.apply(*after_outstanding);
        ASSERT_TRUE(after_remote.is_ok());
        std::pair<text_operation, text_operation> buffered;
        check_tp1(*after_outstanding, *after_remote, *r.state.buffer(), pair.second,
                  applied_first::a, buffered);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
    auto step = r.state.on_applied(op, rev, edit_id, base_rev);
    ASSERT_TRUE(step.is_ok()) << step.error().to_string();
    ASSERT_EQ(own, !step->apply.has_value());
    if (step->apply) {
      auto text = step->apply->apply(r.text);
      ASSERT_TRUE(text.is_ok()) << text.error().to_string();
      r.text = std::move(text).value();
    }
    if (step->send) r.uplink.push_back(std::move(*step->send));
  }

  // The server is rebuilt from the first text the test saw and every edit since, as a room is
  // reloaded from the store.
  void restart_server() {
    auto since = server_.ops_since(first_rev_);
    ASSERT_TRUE(since.is_ok()) << since.error().to_string();
    std::vector<applied_edit> later(since->begin(), since->end());
    const server_options options = options_;
    auto loaded = server::load(snapshot{first_rev_, texts_.front(), {}}, std::move(later), options);
    ASSERT_TRUE(loaded.is_ok()) << loaded.error().to_string();
    server_ = std::move(loaded).value();
    ASSERT_EQ(server_.text(), texts_.back());
  }

  // The client drops its connection: messages in flight down are lost; its edit in flight up
  // either reached the server first or is lost. It then catches up from its revision and
  // resends its unconfirmed edit, as design.md's reconnect rule says.
  void reconnect(std::size_t k) {
    replica& r = replicas_[k];
    --r.reconnects_left;
    r.downlink.clear();
    if (!r.uplink.empty() && rng_.chance(2)) {
      deliver_to_server(k, false);
      if (::testing::Test::HasFatalFailure()) return;
      r.downlink.clear();  // its ack was sent on the dropped connection
    }
    r.uplink.clear();
    auto since = server_.ops_since(r.state.revision());
    ASSERT_TRUE(since.is_ok()) << since.error().to_string();
    bool sent = false;
    for (const applied_edit& e : *since) {
      const std::size_t queued = r.uplink.size();
      receive_remote(r, e.op, e.rev, e.edit_id, e.base_rev);
      if (::testing::Test::HasFatalFailure()) return;
      sent = sent || r.uplink.size() > queued;
    }
    ASSERT_EQ(r.state.revision(), server_.revision());
    if (!sent) {
      if (auto resend = r.state.unconfirmed()) r.uplink.push_back(std::move(*resend));
    }
    check_client_invariant(r);
  }

  // The client's text is always the server text at its revision plus its outstanding edit
  // plus its buffer.
  void check_client_invariant(const replica& r) {
    std::string expected = text_at(r.state.revision());
    if (const text_operation* o = r.state.outstanding()) {
      auto next = o->apply(expected);
      ASSERT_TRUE(next.is_ok()) << next.error().to_string();
      expected = std::move(next).value();
    }
    if (const text_operation* b = r.state.buffer()) {
      auto next = b->apply(expected);
      ASSERT_TRUE(next.is_ok()) << next.error().to_string();
      expected = std::move(next).value();
    }
    ASSERT_EQ(r.text, expected) << r.member << " no longer matches server + outstanding + buffer";
    ASSERT_EQ(r.state.length(), utf8::count_code_points(r.text));
  }

  // Transforms a pair made on `doc` with the tie-break `first` (as server and client decide
  // it) into `out`, checking TP1: apply(apply(doc, a), b') == apply(apply(doc, b), a').
  // `after_b` is apply(doc, b), which the caller already knows.
  static void check_tp1(const std::string& doc, const std::string& after_b, const text_operation& a,
                        const text_operation& b, applied_first first,
                        std::pair<text_operation, text_operation>& out) {
    auto pair = transform(a, b, first);
    ASSERT_TRUE(pair.is_ok()) << pair.error().to_string();
    auto after_a = a.apply(doc);
    ASSERT_TRUE(after_a.is_ok()) << after_a.error().to_string();
    auto left = pair->second.apply(*after_a);
    auto right = pair->first.apply(after_b);
    ASSERT_TRUE(left.is_ok() && right.is_ok());
    ASSERT_EQ(*left, *right) << "TP1 fails for a=" << a.to_json() << " b=" << b.to_json();
    out = std::move(pair).value();
  }

  // The server text at snapshot rev + i, recorded by the test itself; the oracle for the
  // invariants above and for the server's own text_at.
  const std::string& text_at(std::uint64_t rev) const { return texts_[rev - first_rev_]; }

  random_source rng_;
  server server_;
  std::uint64_t first_rev_ = 0;
  std::vector<std::string> texts_;
  std::map<std::uint64_t, std::uint64_t> base_revs_;  // revision -> base revision it was made on
  server_options options_;
  std::vector<replica> replicas_;
};

TEST(Convergence, RandomHistoriesConvergeOnServerText) {
  const auto only = seed_from_environment();
  const std::size_t count =
      only ? 1 : count_from_environment("COLEAD_OT_HISTORIES", default_histories);
  for (std::size_t index = 0; index < count; ++index) {
    const std::uint64_t seed = only ? *only : case_seed(index);
    SCOPED_TRACE("history seed " + std::to_string(seed) +
                 " (reproduce with COLEAD_OT_SEED=" + std::to_string(seed) + ")");
    history(seed).run();
    if (::testing::Test::HasFailure()) return;
  }
}

// Random operation pairs on random documents, outside the server: TP1 in both tie-break
// directions, compose against stepwise application, and caret transforms staying in range.
TEST(Convergence, RandomPairsSatisfyContracts) {
  const auto only = seed_from_environment();
  const std::size_t count = only ? 1 : count_from_environment("COLEAD_OT_PAIRS", default_pairs);
  for (std::size_t index = 0; index < count; ++index) {
    const std::uint64_t seed = only ? *only : case_seed(index + 1'000'000);
    SCOPED_TRACE("pair seed " + std::to_string(seed) +
                 " (reproduce with COLEAD_OT_SEED=" + std::to_string(seed) + ")");
    random_source rng(seed);
    std::string doc;
    for (std::size_t k = rng.between(0, 8); k > 0; --k)
      doc += rng.text();
    const std::size_t length = utf8::count_code_points(doc);
    const text_operation a = rng.edit(length);
    const text_operation b = rng.edit(length);
    for (const applied_first first : {applied_first::a, applied_first::b}) {
      auto pair = transform(a, b, first);
      ASSERT_TRUE(pair.is_ok()) << pair.error().to_string();
      const std::string via_a = *pair->second.apply(*a.apply(doc));
      const std::string via_b = *pair->first.apply(*b.apply(doc));
      ASSERT_EQ(via_a, via_b) << "a=" << a.to_json() << " b=" << b.to_json();
      ASSERT_TRUE(utf8::is_valid(via_a));
    }
    const std::string after_a = *a.apply(doc);
    const text_operation next = rng.edit(a.target_length());
    auto composed = compose(a, next);
    ASSERT_TRUE(composed.is_ok()) << composed.error().to_string();
    ASSERT_EQ(*composed->apply(doc), *next.apply(after_a));
    // Normal form is canonical: rebuilding an operation from its components changes nothing.
    auto rebuilt = text_operation::from_components(composed->components());
    ASSERT_TRUE(rebuilt.is_ok());
    ASSERT_EQ(*rebuilt, *composed);
    const std::size_t position = rng.between(0, length);
    for (const caret_gravity g : {caret_gravity::before_insert, caret_gravity::after_insert}) {
      ASSERT_LE(transform_position(position, a, g), a.target_length());
    }
    ASSERT_LE(transform_position(position, a, caret_gravity::before_insert),
              transform_position(position, a, caret_gravity::after_insert));
  }
}

// Random bytes as inserted text: refused unless valid UTF-8, and never a crash.
TEST(Convergence, RandomBytesInInsertsAreValidatedNotTrusted) {
  const auto only = seed_from_environment();
  const std::size_t count = only ? 1 : 20'000;
  for (std::size_t index = 0; index < count; ++index) {
    const std::uint64_t seed = only ? *only : case_seed(index + 2'000'000);
    SCOPED_TRACE("bytes seed " + std::to_string(seed));
    random_source rng(seed);
    std::string bytes;
    for (std::size_t k = rng.between(1, 8); k > 0; --k) {
      bytes += static_cast<char>(rng.chance(2) ? rng.between(0x80, 0xFF) : rng.between(0, 0x7F));
    }
    const std::vector<component> raw{{component_kind::insert, 0, bytes}};
    auto op = text_operation::from_components(raw);
    ASSERT_EQ(op.is_ok(), utf8::is_valid(bytes));
    if (op.is_ok()) {
      ASSERT_EQ(*op->apply(""), bytes);
    } else {
      ASSERT_EQ(op.error().code(), error_code::invalid_op);
    }
  }
}

}  // namespace
}  // namespace colead::ot
