// store_bench: durable commits per second and commit latency of the SQLite store, for edits
// from 1, 10 and 100 rooms at once. Results are recorded in docs/benchmarks-store.md.
//
// Each room keeps one edit in flight, as a room waiting for its ack does: when an edit's
// `done` arrives (durable: WAL fsynced, synchronous=FULL) the room submits its next one. An
// edit is one batch: the op (a serialised Applied of ~60 bytes), a touch of the room, and
// every 100 revisions a 2 KB snapshot. Latency runs from submit to `done`.
//
// The database lives in $COLEAD_BENCH_DIR (default: the system's temporary folder), so it
// measures the fsync of that disk.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "colead/v1/colead.pb.h"
#include "store/sqlite_store.hpp"

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;
using namespace colead::store;

constexpr auto run_time = std::chrono::seconds(5);

fs::path bench_folder() {
  const char* env = std::getenv("COLEAD_BENCH_DIR");
  std::string pattern =
      ((env != nullptr && *env != 0) ? fs::path(env) : fs::temp_directory_path()) /
      "colead-store-bench-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  return pattern;
}

std::string applied_bytes(const std::string& room, std::uint64_t rev) {
  colead::v1::Applied applied;
  applied.set_doc("purpose");
  applied.set_rev(rev);
  applied.add_op()->set_retain(static_cast<std::uint32_t>(rev));
  applied.add_op()->set_insert("a few words ");
  applied.set_author("m1");
  applied.set_edit_id(room + "-" + std::to_string(rev));
  applied.set_at_ms(static_cast<std::int64_t>(rev));
  return applied.SerializeAsString();
}

// One room's stream of edits: submits the next as soon as the previous is durable.
struct room_stream {
  store* db = nullptr;
  std::string id;
  std::uint64_t rev = 0;
  clock_type::time_point submitted;
};

struct run_state {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<double> latencies_us;  // guarded by mu
  std::size_t in_flight = 0;         // guarded by mu
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> errors{0};
};

void submit_next(room_stream& room, run_state& state) {
  ++room.rev;
  write_batch b;
  b.append_op(op_record{room.id, "purpose", room.rev, "m1",
                        room.id + "-" + std::to_string(room.rev),
                        static_cast<std::int64_t>(room.rev), applied_bytes(room.id, room.rev)});
  b.touch_room(room.id, static_cast<std::int64_t>(room.rev));
  if (snapshot_due(room.rev, 100)) {
    b.put_snapshot(snapshot_record{room.id, "purpose", room.rev, std::string(2048, 'x'), ""});
  }
  room.submitted = clock_type::now();
  status s = room.db->submit(std::move(b), [&room, &state](status st) {
    const double us =
        std::chrono::duration<double, std::micro>(clock_type::now() - room.submitted).count();
    if (!st) ++state.errors;
    bool again;
    {
      std::lock_guard lock(state.mu);
      state.latencies_us.push_back(us);
      again = !state.stopping;
      if (!again) --state.in_flight;
    }
    if (again) {
      submit_next(room, state);
    } else {
      state.cv.notify_all();
    }
  });
  if (!s) {
    ++state.errors;
    std::lock_guard lock(state.mu);
    --state.in_flight;
    state.cv.notify_all();
  }
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

void BM_DurableEdits(benchmark::State& bench) {
  const auto rooms = static_cast<std::size_t>(bench.range(0));
  const fs::path folder = bench_folder();
  {
    auto opened = open_sqlite(folder / "colead.db");
    if (!opened) {
      bench.SkipWithError(opened.error().to_string().c_str());
      return;
    }
    store& db = **opened;
    std::vector<room_stream> streams(rooms);
    for (std::size_t r = 0; r < rooms; ++r) {
      streams[r].db = &db;
      streams[r].id = "room" + std::to_string(r);
      write_batch b;
      b.put_room(room_record{streams[r].id, "bench", 2, 0, 0, "", ""});
      b.put_document(document_record{streams[r].id, "purpose", "Shared purpose", 0, false, ""});
      (void)db.submit(std::move(b), [](status) {});
    }

    for (auto _ : bench) {
      run_state state;
      const auto groups_before = db.stats().groups_committed;
      const auto start = clock_type::now();
      state.in_flight = rooms;
      for (auto& s : streams)
        submit_next(s, state);
      while (clock_type::now() - start < run_time) {
        std::unique_lock lock(state.mu);
        state.cv.wait_for(lock, std::chrono::milliseconds(100));
      }
      state.stopping = true;
      {
        std::unique_lock lock(state.mu);
        state.cv.wait(lock, [&] { return state.in_flight == 0; });
      }
      const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
      bench.SetIterationTime(seconds);
      const auto groups = db.stats().groups_committed - groups_before;
      const double edits = static_cast<double>(state.latencies_us.size());
      bench.counters["edits_per_s"] = edits / seconds;
      bench.counters["fsyncs_per_s"] = static_cast<double>(groups) / seconds;
      bench.counters["edits_per_commit"] = groups == 0 ? 0 : edits / static_cast<double>(groups);
      bench.counters["p50_ms"] = percentile(state.latencies_us, 0.50) / 1000.0;
      bench.counters["p99_ms"] = percentile(state.latencies_us, 0.99) / 1000.0;
      bench.counters["errors"] = static_cast<double>(state.errors.load());
    }
    db.close();
  }
  std::error_code ec;
  fs::remove_all(folder, ec);
}

BENCHMARK(BM_DurableEdits)
    ->ArgName("rooms")
    ->Arg(1)
    ->Arg(10)
    ->Arg(100)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
