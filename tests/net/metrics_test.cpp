// The /metrics exposition: histogram buckets are cumulative and _count equals +Inf; every
// message kind and error code has its line from the start; gauges follow what rooms report.
#include "net/metrics.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <map>
#include <sstream>
#include <string>

namespace colead::net {
namespace {

// The value of every sample line (`name{labels} value`) of an exposition, by its name and
// labels.
std::map<std::string, std::string> samples(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    out[line.substr(0, space)] = line.substr(space + 1);
  }
  return out;
}

TEST(Histogram, BucketsAreCumulativeAndCountEqualsInf) {
  histogram h;
  h.observe(0.0001);  // first bucket
  h.observe(0.0005);  // on a bound: counts in that bucket (le is "less or equal")
  h.observe(0.003);   // 0.005
  h.observe(0.2);     // 0.25
  h.observe(10);      // only +Inf
  std::string text;
  h.render(text, "t_seconds", "Test.");
  auto s = samples(text);
  EXPECT_EQ(s["t_seconds_bucket{le=\"0.0005\"}"], "2");
  EXPECT_EQ(s["t_seconds_bucket{le=\"0.001\"}"], "2");
  EXPECT_EQ(s["t_seconds_bucket{le=\"0.0025\"}"], "2");
  EXPECT_EQ(s["t_seconds_bucket{le=\"0.005\"}"], "3");
  EXPECT_EQ(s["t_seconds_bucket{le=\"0.1\"}"], "3");
  EXPECT_EQ(s["t_seconds_bucket{le=\"0.25\"}"], "4");
  EXPECT_EQ(s["t_seconds_bucket{le=\"2.5\"}"], "4");
  EXPECT_EQ(s["t_seconds_bucket{le=\"+Inf\"}"], "5");
  EXPECT_EQ(s["t_seconds_count"], "5");
  EXPECT_EQ(h.count(), 5u);
  EXPECT_NEAR(std::stod(s["t_seconds_sum"]), 10.2036, 1e-6);
  EXPECT_NE(text.find("# TYPE t_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("# HELP t_seconds Test.\n"), std::string::npos);
}

TEST(Histogram, NegativeAndNotANumberCountAsZero) {
  histogram h;
  h.observe(-1);
  h.observe(std::nan(""));
  std::string text;
  h.render(text, "t", "Test.");
  auto s = samples(text);
  EXPECT_EQ(s["t_bucket{le=\"0.0005\"}"], "2");
  EXPECT_EQ(s["t_sum"], "0");
}

TEST(Histogram, EveryBoundHasALineInOrder) {
  histogram h;
  std::string text;
  h.render(text, "t", "Test.");
  std::size_t at = 0;
  for (const char* le : {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
                         "0.25", "0.5", "1", "2.5", "+Inf"}) {
    const auto found = text.find(std::string("t_bucket{le=\"") + le + "\"} 0\n", at);
    ASSERT_NE(found, std::string::npos) << le << " in\n" << text;
    at = found;
  }
}

TEST(ActivityMetrics, EveryKindAndCodeHasALineFromTheStart) {
  activity_metrics a;
  std::string text;
  a.render(text);
  auto s = samples(text);
  for (const char* kind : {"hello", "ping", "edit", "selection", "document", "meeting", "note",
                           "room", "consult", "question", "none", "refused"}) {
    EXPECT_EQ(s[std::string("colead_messages_in_total{kind=\"") + kind + "\"}"], "0") << kind;
  }
  for (const char* code :
       {"BAD_FRAME", "UNKNOWN_KIND", "NOT_JOINED", "UNAUTHORIZED", "ROOM_NOT_FOUND", "ROOM_FULL",
        "BAD_REVISION", "INVALID_OP", "TOO_LARGE", "RATE_LIMITED", "NOT_ALLOWED", "INTERNAL"}) {
    EXPECT_EQ(s[std::string("colead_errors_total{code=\"") + code + "\"}"], "0") << code;
  }
  EXPECT_EQ(s.count("colead_errors_total{code=\"CODE_UNSPECIFIED\"}"), 0u);
  EXPECT_EQ(s["colead_edit_ack_seconds_count"], "0");
  EXPECT_EQ(s["colead_store_commit_seconds_count"], "0");
  EXPECT_EQ(s["colead_meetings_running"], "0");
  EXPECT_EQ(s["colead_consults_running"], "0");
}

TEST(ActivityMetrics, CountsWhatRoomsAndTheStoreReport) {
  activity_metrics a;
  a.message_received(v1::ClientMessage::kEdit);
  a.message_received(v1::ClientMessage::kEdit);
  a.message_received(v1::ClientMessage::KIND_NOT_SET);
  a.message_refused();
  a.error_sent(v1::Error::RATE_LIMITED);
  a.error_sent(static_cast<v1::Error::Code>(999));  // not a code: ignored
  a.edit_acknowledged(0.002);
  a.group_committed(std::chrono::microseconds(700), 3, true);
  a.meeting_started();
  a.meeting_started();
  a.meeting_stopped();
  a.consult_started();
  std::string text;
  a.render(text);
  auto s = samples(text);
  EXPECT_EQ(s["colead_messages_in_total{kind=\"edit\"}"], "2");
  EXPECT_EQ(s["colead_messages_in_total{kind=\"none\"}"], "1");
  EXPECT_EQ(s["colead_messages_in_total{kind=\"refused\"}"], "1");
  EXPECT_EQ(s["colead_messages_in_total{kind=\"hello\"}"], "0");
  EXPECT_EQ(s["colead_errors_total{code=\"RATE_LIMITED\"}"], "1");
  EXPECT_EQ(s["colead_edit_ack_seconds_bucket{le=\"0.0025\"}"], "1");
  EXPECT_EQ(s["colead_edit_ack_seconds_bucket{le=\"0.001\"}"], "0");
  EXPECT_EQ(s["colead_store_commit_seconds_bucket{le=\"0.001\"}"], "1");
  EXPECT_EQ(s["colead_store_commit_seconds_count"], "1");
  EXPECT_EQ(s["colead_meetings_running"], "1");
  EXPECT_EQ(s["colead_consults_running"], "1");
  EXPECT_EQ(a.messages(v1::ClientMessage::kEdit), 2u);
  EXPECT_EQ(a.errors(v1::Error::RATE_LIMITED), 1u);
}

TEST(Metrics, RendersNetworkAndStoreCountersAndTheActivity) {
  metrics m;
  m.messages_in = 7;
  m.bad_frames = 1;
  store::store_stats store;
  store.queued_batches = 2;
  store.batches_committed = 40;
  store.batches_failed = 3;
  auto s = samples(m.render(5, store));
  EXPECT_EQ(s["colead_rooms_loaded"], "5");
  EXPECT_EQ(s["colead_frames_in_total"], "7");
  EXPECT_EQ(s["colead_bad_frames_total"], "1");
  EXPECT_EQ(s["colead_store_queued_batches"], "2");
  EXPECT_EQ(s["colead_store_batches_committed_total"], "40");
  EXPECT_EQ(s["colead_store_batches_failed_total"], "3");
  EXPECT_EQ(s.count("colead_meetings_running"), 0u) << "no activity wired";

  auto activity = std::make_shared<activity_metrics>();
  activity->meeting_started();
  m.activity = activity;
  s = samples(m.render(5, store));
  EXPECT_EQ(s["colead_meetings_running"], "1");
}

TEST(Metrics, EveryFamilyHasOneHelpAndOneType) {
  metrics m;
  m.activity = std::make_shared<activity_metrics>();
  const auto text = m.render(0, {});
  std::map<std::string, int> helps, types;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string hash, what, name;
    words >> hash >> what >> name;
    if (hash != "#") continue;
    (what == "HELP" ? helps : types)[name]++;
  }
  EXPECT_FALSE(types.empty());
  for (const auto& [name, n] : types) {
    EXPECT_EQ(n, 1) << name;
    EXPECT_EQ(helps[name], 1) << name;
  }
}

}  // namespace
}  // namespace colead::net
