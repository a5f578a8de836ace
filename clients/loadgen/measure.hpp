// What the load generator measures with: a latency histogram and a process's CPU time and
// memory read from /proc.
//
// latency_histogram is plain data (one owner at a time); read_process is a pure read of /proc.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace colead::loadgen {

// Latencies in microseconds, kept to within about 1.5% in a fixed number of buckets (exact
// below 128 µs, then 64 buckets per power of two up to about 12 days), so a run of any length
// uses the same memory.
class latency_histogram {
 public:
  latency_histogram();
  void add(std::int64_t micros);
  void merge(const latency_histogram& other);
  std::uint64_t count() const { return count_; }
  // The value below which `percent` of the samples fall, in milliseconds; 0 when empty.
  double percentile_ms(double percent) const;
  double max_ms() const { return static_cast<double>(max_) / 1000.0; }

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
};

// A process's CPU time (user + system) and resident memory.
struct process_sample {
  double cpu_ms = 0;  // utime + stime from /proc/PID/stat
  long rss_kib = 0;   // VmRSS from /proc/PID/status
};

// Reads `pid`'s sample; nothing when the process is gone or /proc cannot be read.
std::optional<process_sample> read_process(int pid);

}  // namespace colead::loadgen
