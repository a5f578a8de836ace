#include "report.hpp"

#include <cstdio>
#include <string>

namespace colead::loadgen {

namespace {

std::string fixed(double v, int decimals = 2) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  return buffer;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", c);
      out += escape;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

double per_second(std::uint64_t n, double seconds) {
  return seconds > 0 ? static_cast<double>(n) / seconds : 0;
}

bool typing(const report& r) {
  return r.opts.idle == 0;
}

// The applied edits of the window: acknowledged by Colead, or sent through the relay (which
// acknowledges nothing).
std::uint64_t applied(const report& r) {
  return r.opts.relay ? r.totals.sent : r.totals.acked;
}

std::optional<double> server_cpu_ms(const report& r) {
  if (!r.server_window_start || !r.server_window_end) return std::nullopt;
  return r.server_window_end->cpu_ms - r.server_window_start->cpu_ms;
}

std::optional<double> per_thousand(std::optional<double> cpu_ms, std::uint64_t n) {
  if (!cpu_ms || n == 0) return std::nullopt;
  return *cpu_ms * 1000.0 / static_cast<double>(n);
}

std::optional<double> idle_kib_per_connection(const report& r) {
  if (!r.server_before_joins || !r.server_joined || r.totals.joined == 0) return std::nullopt;
  return static_cast<double>(r.server_joined->rss_kib - r.server_before_joins->rss_kib) /
         static_cast<double>(r.totals.joined);
}

std::string json_or_null(std::optional<double> v, int decimals = 2) {
  return v ? fixed(*v, decimals) : "null";
}

std::string latency_json(const latency_histogram& h) {
  return "{\"p50\":" + fixed(h.percentile_ms(50), 3) + ",\"p90\":" + fixed(h.percentile_ms(90), 3) +
         ",\"p99\":" + fixed(h.percentile_ms(99), 3) + ",\"max\":" + fixed(h.max_ms(), 3) +
         ",\"samples\":" + std::to_string(h.count()) + "}";
}

void row(std::ostream& out, const std::string& name, const std::string& value) {
  out << "  " << name << std::string(name.size() < 34 ? 34 - name.size() : 1, ' ') << value << "\n";
}

std::string latency_row(const latency_histogram& h) {
  if (h.count() == 0) return "-";
  return fixed(h.percentile_ms(50), 2) + " / " + fixed(h.percentile_ms(90), 2) + " / " +
         fixed(h.percentile_ms(99), 2) + " / " + fixed(h.max_ms(), 2) + " ms (" +
         std::to_string(h.count()) + ")";
}

}  // namespace

bool report::clean() const {
  bool ok = !interrupted && totals.joined == totals.connections && totals.errors == 0 &&
            totals.disconnects == 0;
  if (opts.idle == 0) ok = ok && totals.unacked == 0 && totals.undelivered == 0;
  return ok;
}

void print_table(std::ostream& out, const report& r) {
  const auto& t = r.totals;
  out << "colead-loadgen: " << (r.opts.relay ? "relay" : "colead") << " at " << r.opts.server;
  if (!r.opts.label.empty()) out << " (" << r.opts.label << ")";
  out << "\n";
  row(out, "connections joined",
      std::to_string(t.joined) + " of " + std::to_string(t.connections) + " (" +
          std::to_string(t.connect_failures) + " failed)");
  if (typing(r)) {
    row(out, "offered",
        std::to_string(r.opts.rooms) + " rooms x " + std::to_string(r.opts.members) +
            " members x " + fixed(r.opts.rate, 2) + " edits/s");
    row(out, "window", fixed(r.window_seconds, 2) + " s");
    row(out, "typed",
        std::to_string(t.typed) + " (" + fixed(per_second(t.typed, r.window_seconds), 1) + "/s)");
    row(out, r.opts.relay ? "sent (forwarded)" : "applied (acknowledged)",
        std::to_string(applied(r)) + " (" + fixed(per_second(applied(r), r.window_seconds), 1) +
            "/s)");
    row(out, "delivered to others",
        std::to_string(t.delivered) + " (" + fixed(per_second(t.delivered, r.window_seconds), 1) +
            "/s)");
    row(out, "fan-out p50/p90/p99/max", latency_row(t.fanout));
    if (!r.opts.relay) row(out, "ack p50/p90/p99/max", latency_row(t.ack));
    row(out, "unacknowledged / undelivered",
        std::to_string(t.unacked) + " / " + std::to_string(t.undelivered));
    auto cpu = server_cpu_ms(r);
    if (cpu) {
      row(out, "server CPU in window",
          fixed(*cpu, 0) + " ms (" + fixed(*cpu / 10.0 / r.window_seconds, 1) + "% of a core)");
      row(out, "server CPU ms / 1,000 applied", json_or_null(per_thousand(cpu, applied(r))));
      row(out, "server CPU ms / 1,000 delivered", json_or_null(per_thousand(cpu, t.delivered)));
    }
    row(out, "load generator CPU",
        fixed(r.loadgen_cpu_ms / 10.0 / std::max(r.window_seconds, 0.001), 1) + "% of a core");
  } else {
    auto per = idle_kib_per_connection(r);
    if (r.server_before_joins && r.server_joined) {
      row(out, "server RSS before / joined",
          std::to_string(r.server_before_joins->rss_kib) + " / " +
              std::to_string(r.server_joined->rss_kib) + " KiB");
    }
    row(out, "server RSS per idle connection", per ? fixed(*per, 2) + " KiB" : "-");
  }
  if (r.server_window_end || r.server_joined) {
    const auto& end = r.server_window_end ? *r.server_window_end : *r.server_joined;
    row(out, "server RSS", std::to_string(end.rss_kib) + " KiB");
  }
  row(out, "errors / disconnects",
      std::to_string(t.errors) + " / " + std::to_string(t.disconnects));
  for (const auto& e : t.error_samples)
    out << "    " << e << "\n";
  row(out, "result", r.clean() ? "clean" : (r.interrupted ? "interrupted" : "NOT clean"));
}

void print_json(std::ostream& out, const report& r) {
  const auto& t = r.totals;
  auto cpu = server_cpu_ms(r);
  std::string j = "{\"loadgen\":{";
  j += "\"label\":" + quoted(r.opts.label);
  j += ",\"target\":" + quoted(r.opts.relay ? "relay" : "colead");
  j += ",\"mode\":" + quoted(typing(r) ? "typing" : "idle");
  j += ",\"rooms\":" + std::to_string(r.opts.rooms);
  j += ",\"members\":" + std::to_string(r.opts.members);
  j += ",\"rate\":" + fixed(r.opts.rate, 3);
  j += ",\"threads\":" + std::to_string(r.opts.threads);
  j += ",\"connections\":" + std::to_string(t.connections);
  j += ",\"joined\":" + std::to_string(t.joined);
  j += ",\"connect_failures\":" + std::to_string(t.connect_failures);
  j += ",\"window_s\":" + fixed(r.window_seconds, 3);
  j += ",\"typed\":" + std::to_string(t.typed);
  j += ",\"sent\":" + std::to_string(t.sent);
  j += ",\"applied\":" + std::to_string(applied(r));
  j += ",\"applied_per_s\":" + fixed(per_second(applied(r), r.window_seconds), 1);
  j += ",\"delivered\":" + std::to_string(t.delivered);
  j += ",\"delivered_per_s\":" + fixed(per_second(t.delivered, r.window_seconds), 1);
  j += ",\"fanout_ms\":" + latency_json(t.fanout);
  j += ",\"ack_ms\":" + latency_json(t.ack);
  j += ",\"sent_total\":" + std::to_string(t.sent_total);
  j += ",\"acked_total\":" + std::to_string(t.acked_total);
  j += ",\"delivered_total\":" + std::to_string(t.delivered_total);
  j += ",\"unacked\":" + std::to_string(t.unacked);
  j += ",\"undelivered\":" + std::to_string(t.undelivered);
  j += ",\"errors\":" + std::to_string(t.errors);
  j += ",\"disconnects\":" + std::to_string(t.disconnects);
  j += ",\"server_cpu_ms\":" + json_or_null(cpu, 1);
  j += ",\"server_cpu_pct\":" +
       json_or_null(cpu && r.window_seconds > 0
                        ? std::optional<double>(*cpu / 10.0 / r.window_seconds)
                        : std::nullopt,
                    1);
  j += ",\"server_cpu_ms_per_1000_applied\":" + json_or_null(per_thousand(cpu, applied(r)));
  j += ",\"server_cpu_ms_per_1000_delivered\":" + json_or_null(per_thousand(cpu, t.delivered));
  j += ",\"loadgen_cpu_pct\":" +
       fixed(r.window_seconds > 0 ? r.loadgen_cpu_ms / 10.0 / r.window_seconds : 0, 1);
  auto rss = [](const std::optional<process_sample>& s) {
    return s ? std::to_string(s->rss_kib) : std::string("null");
  };
  j += ",\"server_rss_kib_start\":" + rss(r.server_at_start);
  j +=
      ",\"server_rss_kib_end\":" + rss(r.server_window_end ? r.server_window_end : r.server_joined);
  j += ",\"server_rss_kib_before_joins\":" + rss(r.server_before_joins);
  j += ",\"server_rss_kib_joined\":" + rss(r.server_joined);
  j += ",\"server_kib_per_idle_connection\":" + json_or_null(idle_kib_per_connection(r));
  j += ",\"error_samples\":[";
  for (std::size_t i = 0; i < t.error_samples.size(); ++i) {
    if (i) j += ",";
    j += quoted(t.error_samples[i]);
  }
  j += "],\"clean\":" + std::string(r.clean() ? "true" : "false");
  j += "}}";
  out << j << std::endl;
}

}  // namespace colead::loadgen
