// colead-loadgen: rooms of members typing into a Colead server (or colead-bench-relay) on this
// machine, for a bounded time, measuring fan-out and acknowledgement latency, applied edits a
// second, errors, and (given its pid) the server's CPU time and memory. See --help and
// docs/benchmarks.md.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "client/http_request.hpp"
#include "client/server_url.hpp"
#include "codec.hpp"
#include "driver.hpp"
#include "options.hpp"
#include "report.hpp"

namespace {

using namespace colead::loadgen;
using clock_type = std::chrono::steady_clock;

std::atomic<bool> stop_requested{false};

void on_signal(int) {
  stop_requested.store(true);
}

// Waits up to `seconds`, returning early (false) when asked to stop.
bool wait_for(double seconds) {
  auto until = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                       std::chrono::duration<double>(seconds));
  while (clock_type::now() < until) {
    if (stop_requested.load()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return !stop_requested.load();
}

// Every connection needs a descriptor: the soft limit goes up to the hard one.
void raise_descriptor_limit(long needed) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  if (static_cast<long>(limit.rlim_cur) < needed + 64) {
    std::cerr << "colead-loadgen: the descriptor limit (" << limit.rlim_cur << ") is below the "
              << needed << " connections asked for; raise it with ulimit -n\n";
  }
}

double own_cpu_ms() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

// Reads "<room id> <token> <token>..." lines; rooms with fewer tokens than members are refused.
std::optional<std::vector<room_spec>> read_rooms(const options& o, std::string& error) {
  std::ifstream in(o.rooms_file);
  if (!in) {
    error = "cannot read " + o.rooms_file;
    return std::nullopt;
  }
  std::vector<room_spec> rooms;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::istringstream words(line);
    room_spec room;
    if (!(words >> room.id)) continue;
    for (std::string token; words >> token;)
      room.tokens.push_back(token);
    if (static_cast<int>(room.tokens.size()) < o.members) {
      error = o.rooms_file + " line " + std::to_string(number) + ": room " + room.id + " has " +
              std::to_string(room.tokens.size()) + " tokens, fewer than --members";
      return std::nullopt;
    }
    rooms.push_back(std::move(room));
  }
  return rooms;
}

// Creates `count` rooms of o.members seats through POST /api/rooms, eight at a time.
std::optional<std::vector<room_spec>> create_rooms(const options& o, int count,
                                                   std::string& error) {
  std::string why;
  auto where = colead::client::parse_server_url(o.server, why);
  const std::string url = colead::client::http_url(*where, "api/rooms");
  std::vector<room_spec> rooms(static_cast<std::size_t>(count));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  auto work = [&] {
    for (int k = next++; k < count && !failed.load(); k = next++) {
      colead::client::http_options http;
      http.headers = {{"Content-Type", "application/json"}};
      if (!o.organiser_key.empty()) {
        http.headers.emplace_back("Authorization", "Bearer " + o.organiser_key);
      }
      if (o.host.rfind("127.", 0) == 0)
        http.local_address = "127.0.0." + std::to_string(1 + k % 16);
      std::string body = "{\"title\":\"Load room " + std::to_string(k + 1) +
                         "\",\"seats\":" + std::to_string(o.members) + "}";
      auto result = colead::client::http_request("POST", url, body, http);
      colead::v1::CreateRoomResponse created;
      std::string parse_error;
      if (!result.outcome || result.response.status != 201 ||
          !colead::protocol::from_json(result.response.body, created, parse_error)) {
        std::lock_guard lock(error_mutex);
        if (!failed.exchange(true)) {
          error = "cannot create a room: " +
                  (result.outcome ? "HTTP " + std::to_string(result.response.status) + " " +
                                        result.response.body
                                  : result.outcome.to_string());
        }
        return;
      }
      auto& room = rooms[static_cast<std::size_t>(k)];
      room.id = created.id();
      for (const auto& invite : created.invites())
        room.tokens.push_back(invite.token());
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < std::min(count, 8); ++t)
    pool.emplace_back(work);
  for (auto& t : pool)
    t.join();
  if (failed.load()) return std::nullopt;
  return rooms;
}

std::optional<process_sample> sample(const options& o) {
  if (o.server_pid == 0) return std::nullopt;
  return read_process(o.server_pid);
}

}  // namespace

int main(int argc, char** argv) {
  std::string error;
  bool help = false;
  auto parsed = parse_options(std::vector<std::string>(argv + 1, argv + argc), error, help);
  if (help) {
    std::cout << usage();
    return 0;
  }
  if (!parsed) {
    std::cerr << "colead-loadgen: " << error << "\n";
    return 2;
  }
  options o = *parsed;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);

  report r;
  r.opts = o;
  r.server_at_start = sample(o);
  if (o.server_pid != 0 && !r.server_at_start) {
    std::cerr << "colead-loadgen: cannot read /proc/" << o.server_pid << "\n";
    return 2;
  }
  const int room_count = o.idle > 0 ? (o.idle + o.members - 1) / o.members : o.rooms;
  raise_descriptor_limit(o.idle > 0 ? o.idle : static_cast<long>(room_count) * o.members);

  std::vector<room_spec> rooms;
  auto started = clock_type::now();
  if (o.relay) {
    for (int k = 0; k < room_count; ++k)
      rooms.push_back({"bench" + std::to_string(k + 1), {}});
  } else {
    auto got = o.rooms_file.empty() ? create_rooms(o, room_count, error) : read_rooms(o, error);
    if (!got) {
      std::cerr << "colead-loadgen: " << error << "\n";
      return 1;
    }
    rooms = std::move(*got);
    if (static_cast<int>(rooms.size()) > room_count)
      rooms.resize(static_cast<std::size_t>(room_count));
    r.opts.rooms = static_cast<int>(rooms.size());
    std::cerr << "colead-loadgen: " << rooms.size() << " rooms ready in "
              << std::chrono::duration<double>(clock_type::now() - started).count() << " s\n";
  }

  driver d(r.opts, std::move(rooms));
  r.server_before_joins = sample(o);
  started = clock_type::now();
  d.start();
  // Joining is bounded too: a minute, and a second more for every 100 connections.
  const double join_bound = std::min<double>(60 + static_cast<double>(d.connections()) / 100, 600);
  while (d.joined() + d.failed() < d.connections() &&
         clock_type::now() - started < std::chrono::duration<double>(join_bound) &&
         !stop_requested.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::cerr << "colead-loadgen: " << d.joined() << " of " << d.connections() << " joined in "
            << std::chrono::duration<double>(clock_type::now() - started).count() << " s\n";

  if (o.idle > 0) {
    wait_for(2);  // the server settles: welcomes and presence sent, buffers back
    r.server_joined = sample(o);
    r.interrupted = !wait_for(o.seconds);
  } else {
    d.set_phase(phase::warmup);
    wait_for(o.warmup);
    auto cpu_before = own_cpu_ms();
    r.server_window_start = sample(o);
    auto window_start = clock_type::now();
    d.set_phase(phase::measure);
    r.interrupted = !wait_for(o.seconds);
    d.set_phase(phase::drain);
    r.window_seconds = std::chrono::duration<double>(clock_type::now() - window_start).count();
    r.server_window_end = sample(o);
    r.loadgen_cpu_ms = own_cpu_ms() - cpu_before;
    // What is still in flight may arrive for ten seconds more.
    auto drain_until = clock_type::now() + std::chrono::seconds(10);
    while (d.in_flight() > 0 && clock_type::now() < drain_until && !stop_requested.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  r.totals = d.finish();
  print_table(std::cout, r);
  print_json(std::cout, r);
  return r.clean() ? 0 : 1;
}
