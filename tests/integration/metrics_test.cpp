// /metrics and /healthz against the real server while a pair works: two members join, edit,
// run a meeting and a consult, write a note and send a frame that does not decode; scrapes
// before, during and after see the counters, the gauges and the histograms move by exactly
// what the session did. Nothing is asserted about how long anything took.
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "client/http_request.hpp"
#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

using Metrics = ServerTest;
using samples = std::map<std::string, double>;

// Every sample of a Prometheus text exposition, by its name and labels.
samples parse(const std::string& text) {
  samples out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

// The value of `name` in `s`, failing the test when the server did not export it.
double at(const samples& s, const std::string& name) {
  auto it = s.find(name);
  if (it == s.end()) {
    ADD_FAILURE() << name << " is not exported";
    return -1;
  }
  return it->second;
}

std::string kind(const std::string& k) {
  return "colead_messages_in_total{kind=\"" + k + "\"}";
}

std::string code(const std::string& c) {
  return "colead_errors_total{code=\"" + c + "\"}";
}

// Every histogram's buckets never decrease and its _count equals its +Inf bucket.
void expect_histogram_well_formed(const samples& s, const std::string& name) {
  int buckets = 0;
  for (const auto& sample : s)
    if (sample.first.rfind(name + "_bucket{", 0) == 0) ++buckets;
  EXPECT_EQ(buckets, 13) << name;
  double previous = 0;
  for (const char* le : {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
                         "0.25", "0.5", "1", "2.5", "+Inf"}) {
    const double v = at(s, name + "_bucket{le=\"" + le + "\"}");
    EXPECT_GE(v, previous) << name << " le=" << le;
    previous = v;
  }
  EXPECT_EQ(at(s, name + "_count"), previous) << name;
  EXPECT_GE(at(s, name + "_sum"), 0) << name;
}

class MetricsSession : public Metrics {
 protected:
  samples scrape() {
    auto result = client::http_request("GET", server_->url() + "/metrics", {}, {}, expect_within);
    EXPECT_TRUE(result.outcome.is_ok()) << result.outcome.message();
    EXPECT_EQ(result.response.status, 200);
    EXPECT_EQ(result.response.header("Content-Type").rfind("text/plain", 0), 0u);
    return parse(result.response.body);
  }

  // Scrapes until `holds` is true of what the server exports (the room counts on its own
  // strand, so a count may land just after the message a client waited for), a bounded
  // number of times; returns the last scrape either way.
  samples scrape_until(const std::function<bool(const samples&)>& holds) {
    samples s;
    for (int attempt = 0; attempt < 250; ++attempt) {
      s = scrape();
      if (holds(s)) return s;
      std::this_thread::sleep_for(milliseconds(20));
    }
    return s;
  }

  // Sends `m` from `conn` and waits for the message answering it (ack or error).
  std::optional<v1::ServerMessage> request(client::connection& conn, v1::ClientMessage m) {
    if (!conn.send(m).is_ok()) return std::nullopt;
    const auto req = m.req();
    return conn.receive_matching([req](const v1::ServerMessage& r) { return r.re() == req; },
                                 expect_within);
  }
};

v1::ClientMessage edit_at_start(std::uint64_t rev, const std::string& text, const std::string& id) {
  v1::ClientMessage m;
  auto* e = m.mutable_edit();
  e->set_doc("purpose");
  e->set_base_rev(rev);
  e->set_edit_id(id);
  e->add_op()->set_insert(text);
  if (rev > 0) e->add_op()->set_retain(static_cast<std::uint32_t>(rev));
  return m;
}

message_test meeting_in(v1::MeetingState::Mode mode) {
  return [mode](const v1::ServerMessage& m) {
    return m.has_meeting_state() && m.meeting_state().mode() == mode;
  };
}

TEST_F(MetricsSession, ScrapedCountersGaugesAndHistogramsFollowAScriptedSession) {
  const samples before = scrape();
  for (const char* name : {"colead_edit_ack_seconds", "colead_store_commit_seconds"})
    expect_histogram_well_formed(before, name);
  EXPECT_EQ(at(before, "colead_meetings_running"), 0);
  EXPECT_EQ(at(before, "colead_consults_running"), 0);

  auto room = make_room(2, "Pair");
  v1::Welcome wa, wb;
  auto ann = join(room, 0, "Ann", encoding::binary, &wa);
  auto bea = join(room, 1, "Bea", encoding::json, &wb);
  ASSERT_TRUE(ann && bea);

  // Ann writes five edits, each acknowledged after its durable write.
  constexpr int edits = 5;
  for (int i = 0; i < edits; ++i) {
    std::string id = "e";  // appended: GCC 12 at -O3 mistakes "e" + s for an overlapping copy
    id += std::to_string(i);
    auto answer = request(*ann, edit_at_start(static_cast<std::uint64_t>(i), "a", id));
    ASSERT_TRUE(answer) << ann->last_error();
    ASSERT_TRUE(answer->has_ack()) << answer->DebugString();
  }
  const samples edited = scrape_until([&](const samples& s) {
    return at(s, "colead_edit_ack_seconds_count") ==
           at(before, "colead_edit_ack_seconds_count") + edits;
  });
  EXPECT_EQ(at(edited, kind("hello")), at(before, kind("hello")) + 2);
  EXPECT_EQ(at(edited, kind("edit")), at(before, kind("edit")) + edits);
  EXPECT_EQ(at(edited, "colead_edit_ack_seconds_count"),
            at(before, "colead_edit_ack_seconds_count") + edits);
  EXPECT_GT(at(edited, "colead_edit_ack_seconds_sum"), at(before, "colead_edit_ack_seconds_sum"));
  // Every edit was its own write, and every write is in a group commit: at least one group,
  // and no more groups than writes (two seats, two hellos, five edits, the room itself).
  const double commits = at(edited, "colead_store_commit_seconds_count") -
                         at(before, "colead_store_commit_seconds_count");
  EXPECT_GE(commits, 1);
  EXPECT_LE(commits, 2 + edits + 1);
  EXPECT_GE(at(edited, "colead_store_batches_committed_total"),
            at(before, "colead_store_batches_committed_total") + edits);
  EXPECT_GE(at(edited, "colead_rooms_loaded"), 1);
  for (const char* name : {"colead_edit_ack_seconds", "colead_store_commit_seconds"})
    expect_histogram_well_formed(edited, name);

  // A meeting: started, switched to reflection, ended. One runs while it runs.
  v1::ClientMessage start;
  start.mutable_meeting()->mutable_start()->set_planned_minutes(60);
  start.mutable_meeting()->mutable_start()->set_title("Monthly check-in");
  ASSERT_TRUE(ann->send(start).is_ok());
  ASSERT_TRUE(bea->receive_matching(meeting_in(v1::MeetingState::TASK), expect_within))
      << bea->last_error();
  const samples meeting =
      scrape_until([](const samples& s) { return at(s, "colead_meetings_running") == 1; });
  EXPECT_EQ(at(meeting, "colead_meetings_running"), 1);

  v1::ClientMessage reflect;
  reflect.mutable_meeting()->mutable_mode()->set_mode(v1::MeetingState::REFLECTION);
  ASSERT_TRUE(bea->send(reflect).is_ok());
  ASSERT_TRUE(ann->receive_matching(meeting_in(v1::MeetingState::REFLECTION), expect_within))
      << ann->last_error();
  EXPECT_EQ(at(scrape(), "colead_meetings_running"), 1);

  // A pair consult, started and stopped while the meeting runs.
  v1::ClientMessage consult;
  consult.mutable_consult()->mutable_start()->set_script_id("pair-consult");
  consult.mutable_consult()->mutable_start()->set_presenter(wa.member_id());
  ASSERT_TRUE(ann->send(consult).is_ok());
  ASSERT_TRUE(bea->receive_matching(
      [](const v1::ServerMessage& m) {
        return m.has_consult_state() && m.consult_state().active();
      },
      expect_within))
      << bea->last_error();
  EXPECT_EQ(at(scrape_until([](const samples& s) { return at(s, "colead_consults_running") == 1; }),
               "colead_consults_running"),
            1);
  v1::ClientMessage stop;
  stop.mutable_consult()->mutable_stop();
  ASSERT_TRUE(bea->send(stop).is_ok());
  ASSERT_TRUE(ann->receive_matching(
      [](const v1::ServerMessage& m) {
        return m.has_consult_state() && !m.consult_state().active();
      },
      expect_within))
      << ann->last_error();

  v1::ClientMessage end;
  end.mutable_meeting()->mutable_end()->set_reason("done for today");
  ASSERT_TRUE(ann->send(end).is_ok());
  ASSERT_TRUE(bea->receive_matching(meeting_in(v1::MeetingState::ENDED), expect_within))
      << bea->last_error();

  // A note for the learning log.
  v1::ClientMessage note;
  note.mutable_note()->set_text("We agreed the purpose in five words.");
  note.mutable_note()->set_category(v1::LearningNote::HOW_WE_WORK);
  auto noted = request(*bea, note);
  ASSERT_TRUE(noted) << bea->last_error();
  EXPECT_FALSE(noted->has_error()) << noted->DebugString();

  // Two errors: a frame that does not decode (refused by the session) and an edit of a
  // document that does not exist (refused by the room).
  ASSERT_TRUE(bea->send_raw_text("this is not JSON {").is_ok());
  ASSERT_TRUE(bea->receive_matching(error_is(v1::Error::BAD_FRAME), expect_within))
      << bea->last_error();
  auto bad_edit = edit_at_start(0, "x", "e-bad");
  bad_edit.mutable_edit()->set_doc("no-such-doc");
  auto refused = request(*bea, bad_edit);
  ASSERT_TRUE(refused) << bea->last_error();
  ASSERT_TRUE(refused->has_error()) << refused->DebugString();
  EXPECT_EQ(refused->error().code(), v1::Error::INVALID_OP);

  const samples after = scrape_until([&](const samples& s) {
    return at(s, "colead_meetings_running") == 0 && at(s, "colead_consults_running") == 0 &&
           at(s, code("INVALID_OP")) == at(before, code("INVALID_OP")) + 1;
  });
  EXPECT_EQ(at(after, "colead_meetings_running"), 0);
  EXPECT_EQ(at(after, "colead_consults_running"), 0);
  EXPECT_EQ(at(after, kind("meeting")), at(before, kind("meeting")) + 3);
  EXPECT_EQ(at(after, kind("consult")), at(before, kind("consult")) + 2);
  EXPECT_EQ(at(after, kind("note")), at(before, kind("note")) + 1);
  EXPECT_EQ(at(after, kind("edit")), at(before, kind("edit")) + edits + 1);
  EXPECT_EQ(at(after, kind("refused")), at(before, kind("refused")) + 1);
  EXPECT_EQ(at(after, code("BAD_FRAME")), at(before, code("BAD_FRAME")) + 1);
  EXPECT_EQ(at(after, code("INVALID_OP")), at(before, code("INVALID_OP")) + 1);
  EXPECT_EQ(at(after, "colead_bad_frames_total"), at(before, "colead_bad_frames_total") + 1);
  // Only the refused edit went unacknowledged.
  EXPECT_EQ(at(after, "colead_edit_ack_seconds_count"),
            at(before, "colead_edit_ack_seconds_count") + edits);
  EXPECT_GT(at(after, "colead_store_commit_seconds_count"),
            at(edited, "colead_store_commit_seconds_count"));
  for (const char* name : {"colead_edit_ack_seconds", "colead_store_commit_seconds"})
    expect_histogram_well_formed(after, name);
  // Frames the server received: every message the rooms counted, by kind.
  double by_kind = 0;
  for (const auto& [key, value] : after)
    if (key.rfind("colead_messages_in_total{", 0) == 0) by_kind += value;
  EXPECT_EQ(by_kind, at(after, "colead_frames_in_total"));
}

TEST_F(Metrics, HealthReportsTheStore) {
  auto fresh = client::http_request("GET", server_->url() + "/healthz", {}, {}, expect_within);
  ASSERT_TRUE(fresh.outcome.is_ok()) << fresh.outcome.message();
  EXPECT_EQ(fresh.response.status, 200) << fresh.response.body;
  v1::Health health;
  std::string why;
  ASSERT_TRUE(protocol::from_json(fresh.response.body, health, why)) << why;
  EXPECT_EQ(health.status(), "ok");
  EXPECT_EQ(health.store(), "ok");
  EXPECT_EQ(health.store_error(), "");

  // After a change is durable the store says when it last committed.
  make_room(2, "Pair");
  auto later = client::http_request("GET", server_->url() + "/healthz", {}, {}, expect_within);
  ASSERT_TRUE(later.outcome.is_ok()) << later.outcome.message();
  EXPECT_EQ(later.response.status, 200) << later.response.body;
  ASSERT_TRUE(protocol::from_json(later.response.body, health, why)) << why;
  EXPECT_EQ(health.store(), "ok");
  EXPECT_TRUE(health.has_store_last_commit_ms_ago()) << later.response.body;
  EXPECT_GE(health.store_last_commit_ms_ago(), 0);
}

}  // namespace
}  // namespace colead::integration
