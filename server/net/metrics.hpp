// Server-wide counters, exported at GET /metrics in the Prometheus text format (version
// 0.0.4): the network's own counters (`metrics`), and what rooms and the store report
// through their observer interfaces (`activity_metrics`). Every metric is described in
// docs/operations.md.
//
// Thread safety: every counter is an atomic updated with relaxed ordering; nothing locks.
// A scrape reads each value once, so related values may be a few events apart.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "room/room_observer.hpp"
#include "store/store.hpp"

namespace colead::net {

// A histogram of durations in seconds with fixed bucket bounds, lock-free.
class histogram {
 public:
  // Upper bounds of the buckets, in seconds; a last bucket (+Inf) takes the rest.
  static constexpr std::array<double, 12> bounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                    0.05,   0.1,   0.25,   0.5,   1,    2.5};

  histogram() = default;
  histogram(const histogram&) = delete;
  histogram& operator=(const histogram&) = delete;

  // Counts one duration. Negative durations count as zero.
  void observe(double seconds);

  // Observations so far.
  std::uint64_t count() const;

  // Appends the metric `name`: HELP and TYPE lines, the cumulative `_bucket{le="..."}` lines,
  // `_sum` and `_count` (always equal to the +Inf bucket).
  void render(std::string& out, std::string_view name, std::string_view help) const;

 private:
  // Observations per bucket (not cumulative); the last is the +Inf bucket.
  std::array<std::atomic<std::uint64_t>, bounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> sum_ns_{0};  // sum of observations, in nanoseconds
};

// Counters for a fixed set of label values, e.g. one per message kind. Keys are small
// integers (an enum's values); a key with no label is ignored.
class labelled_counter {
 public:
  // `labels[i]` is the label value of `keys[i]`.
  labelled_counter(std::vector<int> keys, std::vector<std::string> labels);
  labelled_counter(const labelled_counter&) = delete;
  labelled_counter& operator=(const labelled_counter&) = delete;

  void add(int key);
  std::uint64_t value(int key) const;

  // Appends the counter `name` with one line per label value: name{label="value"} N.
  void render(std::string& out, std::string_view name, std::string_view label,
              std::string_view help) const;

 private:
  std::vector<int> keys_;                                 // immutable
  std::vector<std::string> labels_;                       // immutable, same order as keys_
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // same order as keys_
};

// What rooms (room::room_observer) and the store (store::commit_observer) report: messages
// by kind, errors by code, edit ack and store commit latencies, meetings and consults
// running. One per server, shared by every room.
class activity_metrics final : public room::room_observer, public store::commit_observer {
 public:
  // The key of frames the session refused before they became a message (rate, size, a
  // frame that did not decode): kind="refused". A message that named no kind is
  // v1::ClientMessage::KIND_NOT_SET: kind="none".
  static constexpr int refused_kind = -1;

  activity_metrics();

  // room::room_observer
  void message_received(v1::ClientMessage::KindCase kind) override;
  void message_refused() override;
  void error_sent(v1::Error::Code code) override;
  void edit_acknowledged(double seconds) override;
  void meeting_started() override;
  void meeting_stopped() override;
  void consult_started() override;
  void consult_stopped() override;

  // store::commit_observer
  void group_committed(std::chrono::nanoseconds took, std::size_t batches, bool ok) override;

  // For tests: messages of this kind (or refused_kind), errors of this code, and the gauges.
  std::uint64_t messages(int kind) const { return messages_.value(kind); }
  std::uint64_t errors(v1::Error::Code code) const { return errors_.value(code); }
  std::int64_t meetings_running() const;
  std::int64_t consults_running() const;
  const histogram& edit_ack() const { return edit_ack_; }
  const histogram& store_commit() const { return store_commit_; }

  // Appends every metric above.
  void render(std::string& out) const;

 private:
  labelled_counter messages_;                      // by ClientMessage kind
  labelled_counter errors_;                        // by Error code
  histogram edit_ack_;                             // edit received to ack sent
  histogram store_commit_;                         // one group commit, fsync included
  std::atomic<std::int64_t> meetings_running_{0};  // rooms with a meeting running
  std::atomic<std::int64_t> consults_running_{0};  // rooms with a consult running
};

struct metrics {
  std::atomic<std::int64_t> tcp_connections{0};     // open TCP connections (gauge)
  std::atomic<std::int64_t> websocket_sessions{0};  // open WebSocket sessions (gauge)
  std::atomic<std::uint64_t> messages_in{0};        // frames received (colead_frames_in_total)
  std::atomic<std::uint64_t> frames_out{0};         // frames written to clients
  std::atomic<std::uint64_t> bad_frames{0};         // frames that did not decode
  std::atomic<std::uint64_t> rate_limited{0};       // messages refused for rate
  std::atomic<std::uint64_t> slow_disconnects{0};   // members closed for not reading
  std::atomic<std::uint64_t> http_requests{0};      // HTTP requests served
  std::atomic<std::uint64_t> rooms_created{0};      // rooms created since start

  // What rooms and the store report; set once before the server starts, null in a server
  // that wires no observer. Sessions count here the errors they send without a room
  // (activity->error_sent), so every error sent is counted once.
  std::shared_ptr<activity_metrics> activity;

  // The Prometheus exposition of every counter, plus `rooms_loaded` and the store's queue.
  std::string render(std::size_t rooms_loaded, const store::store_stats& store) const;
};

}  // namespace colead::net
