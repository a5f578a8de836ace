#include "net/metrics.hpp"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace colead::net {

namespace {

constexpr auto relaxed = std::memory_order_relaxed;

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ");
  out.append(name).append(" ").append(type).append("\n");
}

template <typename T>
void line(std::string& out, std::string_view name, std::string_view type, std::string_view help,
          T value) {
  header(out, name, type, help);
  out.append(name).append(" ").append(std::to_string(value)).append("\n");
}

// A number as Prometheus reads it: shortest form that round-trips the bounds (0.0005, 2.5, 1).
std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", value);
  return text;
}

// Every kind of ClientMessage (the fields of its `kind` oneof), then "none" and "refused".
labelled_counter message_kinds() {
  std::vector<int> keys;
  std::vector<std::string> labels;
  const auto* oneof = v1::ClientMessage::descriptor()->FindOneofByName("kind");
  for (int i = 0; oneof != nullptr && i < oneof->field_count(); ++i) {
    keys.push_back(oneof->field(i)->number());
    labels.push_back(oneof->field(i)->name());
  }
  keys.push_back(v1::ClientMessage::KIND_NOT_SET);
  labels.emplace_back("none");
  keys.push_back(activity_metrics::refused_kind);
  labels.emplace_back("refused");
  return labelled_counter(std::move(keys), std::move(labels));
}

// Every Error code but CODE_UNSPECIFIED (never sent), by its name.
labelled_counter error_codes() {
  std::vector<int> keys;
  std::vector<std::string> labels;
  const auto* codes = v1::Error::Code_descriptor();
  for (int i = 0; i < codes->value_count(); ++i) {
    if (codes->value(i)->number() == v1::Error::CODE_UNSPECIFIED) continue;
    keys.push_back(codes->value(i)->number());
    labels.push_back(codes->value(i)->name());
  }
  return labelled_counter(std::move(keys), std::move(labels));
}

}  // namespace

// ---- histogram -------------------------------------------------------------------------

void histogram::observe(double seconds) {
  if (!(seconds > 0)) seconds = 0;  // also NaN
  const auto at = std::lower_bound(bounds.begin(), bounds.end(), seconds);
  buckets_[static_cast<std::size_t>(at - bounds.begin())].fetch_add(1, relaxed);
  // Capped at about 292 years a time, so the conversion cannot overflow.
  sum_ns_.fetch_add(static_cast<std::uint64_t>(std::min(seconds, 9.2e9) * 1e9), relaxed);
}

std::uint64_t histogram::count() const {
  std::uint64_t total = 0;
  for (const auto& b : buckets_)
    total += b.load(relaxed);
  return total;
}

void histogram::render(std::string& out, std::string_view name, std::string_view help) const {
  header(out, name, "histogram", help);
  // Read each bucket once and derive _count from them, so _count always equals +Inf.
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    cumulative += buckets_[i].load(relaxed);
    const std::string le = i < bounds.size() ? number(bounds[i]) : "+Inf";
    out.append(name).append("_bucket{le=\"").append(le).append("\"} ");
    out.append(std::to_string(cumulative)).append("\n");
  }
  const double sum = static_cast<double>(sum_ns_.load(relaxed)) / 1e9;
  out.append(name).append("_sum ").append(number(sum)).append("\n");
  out.append(name).append("_count ").append(std::to_string(cumulative)).append("\n");
}

// ---- labelled_counter ------------------------------------------------------------------

labelled_counter::labelled_counter(std::vector<int> keys, std::vector<std::string> labels)
    : keys_(std::move(keys)),
      labels_(std::move(labels)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(keys_.size())) {
  labels_.resize(keys_.size());
}

void labelled_counter::add(int key) {
  const auto at = std::find(keys_.begin(), keys_.end(), key);
  if (at != keys_.end())
    counts_[static_cast<std::size_t>(at - keys_.begin())].fetch_add(1, relaxed);
}

std::uint64_t labelled_counter::value(int key) const {
  const auto at = std::find(keys_.begin(), keys_.end(), key);
  return at == keys_.end() ? 0
                           : counts_[static_cast<std::size_t>(at - keys_.begin())].load(relaxed);
}

void labelled_counter::render(std::string& out, std::string_view name, std::string_view label,
                              std::string_view help) const {
  header(out, name, "counter", help);
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    out.append(name).append("{").append(label).append("=\"").append(labels_[i]).append("\"} ");
    out.append(std::to_string(counts_[i].load(relaxed))).append("\n");
  }
}

// ---- activity_metrics ------------------------------------------------------------------

activity_metrics::activity_metrics() : messages_(message_kinds()), errors_(error_codes()) {}

void activity_metrics::message_received(v1::ClientMessage::KindCase kind) {
  messages_.add(kind);
}

void activity_metrics::message_refused() {
  messages_.add(refused_kind);
}

void activity_metrics::error_sent(v1::Error::Code code) {
  errors_.add(code);
}

void activity_metrics::edit_acknowledged(double seconds) {
  edit_ack_.observe(seconds);
}

void activity_metrics::meeting_started() {
  meetings_running_.fetch_add(1, relaxed);
}

void activity_metrics::meeting_stopped() {
  meetings_running_.fetch_sub(1, relaxed);
}

void activity_metrics::consult_started() {
  consults_running_.fetch_add(1, relaxed);
}

void activity_metrics::consult_stopped() {
  consults_running_.fetch_sub(1, relaxed);
}

void activity_metrics::group_committed(std::chrono::nanoseconds took, std::size_t, bool) {
  store_commit_.observe(std::chrono::duration<double>(took).count());
}

std::int64_t activity_metrics::meetings_running() const {
  return meetings_running_.load(relaxed);
}

std::int64_t activity_metrics::consults_running() const {
  return consults_running_.load(relaxed);
}

void activity_metrics::render(std::string& out) const {
  messages_.render(out, "colead_messages_in_total", "kind",
                   "Client messages that reached a room, by kind (refused: turned away before "
                   "decoding, for rate, size or a bad frame).");
  errors_.render(out, "colead_errors_total", "code", "Errors sent to connections, by code.");
  edit_ack_.render(out, "colead_edit_ack_seconds",
                   "Seconds from a room receiving an edit to its ack, after the durable write.");
  store_commit_.render(out, "colead_store_commit_seconds",
                       "Seconds one group commit of the store took, fsync included.");
  line(out, "colead_meetings_running", "gauge", "Rooms with a meeting running.",
       meetings_running());
  line(out, "colead_consults_running", "gauge", "Rooms with a consult running.",
       consults_running());
}

// ---- metrics ---------------------------------------------------------------------------

std::string metrics::render(std::size_t rooms_loaded, const store::store_stats& store) const {
  std::string out;
  line(out, "colead_tcp_connections", "gauge", "Open TCP connections.",
       tcp_connections.load(relaxed));
  line(out, "colead_websocket_sessions", "gauge", "Open WebSocket sessions.",
       websocket_sessions.load(relaxed));
  line(out, "colead_rooms_loaded", "gauge", "Rooms loaded in memory.", rooms_loaded);
  line(out, "colead_frames_in_total", "counter", "WebSocket frames received from clients.",
       messages_in.load(relaxed));
  line(out, "colead_frames_out_total", "counter", "Frames written to clients.",
       frames_out.load(relaxed));
  line(out, "colead_bad_frames_total", "counter", "Frames that did not decode.",
       bad_frames.load(relaxed));
  line(out, "colead_rate_limited_total", "counter", "Messages refused for rate.",
       rate_limited.load(relaxed));
  line(out, "colead_slow_disconnects_total", "counter",
       "Connections closed because they stopped reading.", slow_disconnects.load(relaxed));
  line(out, "colead_http_requests_total", "counter", "HTTP requests served.",
       http_requests.load(relaxed));
  line(out, "colead_rooms_created_total", "counter", "Rooms created since start.",
       rooms_created.load(relaxed));
  line(out, "colead_store_queued_batches", "gauge", "Changes waiting for the store's writer.",
       store.queued_batches);
  line(out, "colead_store_batches_committed_total", "counter", "Changes the store made durable.",
       store.batches_committed);
  line(out, "colead_store_batches_failed_total", "counter",
       "Changes lost to a failed commit (disk full, I/O error); their authors were told.",
       store.batches_failed);
  if (activity) activity->render(out);
  return out;
}

}  // namespace colead::net
