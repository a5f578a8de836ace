#include "measure.hpp"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <fstream>
#include <sstream>
#include <string>

namespace colead::loadgen {

namespace {

constexpr std::uint64_t exact_below = 128;
constexpr std::uint64_t per_power = 64;
constexpr int max_shift = 34;  // values up to 2^41 µs
constexpr std::size_t bucket_count = exact_below + max_shift * per_power;

std::size_t bucket_of(std::uint64_t v) {
  if (v < exact_below) return static_cast<std::size_t>(v);
  int shift = std::min(static_cast<int>(std::bit_width(v)) - 7, max_shift);
  std::uint64_t mantissa = std::min<std::uint64_t>(v >> shift, 2 * per_power - 1);
  return exact_below + static_cast<std::size_t>(shift - 1) * per_power +
         static_cast<std::size_t>(mantissa - per_power);
}

// The middle of a bucket's range.
double value_of(std::size_t bucket) {
  if (bucket < exact_below) return static_cast<double>(bucket);
  std::uint64_t shift = (bucket - exact_below) / per_power + 1;
  std::uint64_t mantissa = (bucket - exact_below) % per_power + per_power;
  return static_cast<double>(mantissa << shift) + static_cast<double>(1ULL << shift) / 2;
}

}  // namespace

latency_histogram::latency_histogram() : buckets_(bucket_count, 0) {}

void latency_histogram::add(std::int64_t micros) {
  auto v = static_cast<std::uint64_t>(std::max<std::int64_t>(micros, 0));
  ++buckets_[bucket_of(v)];
  ++count_;
  max_ = std::max(max_, static_cast<std::int64_t>(v));
}

void latency_histogram::merge(const latency_histogram& other) {
  for (std::size_t i = 0; i < bucket_count; ++i)
    buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

double latency_histogram::percentile_ms(double percent) const {
  if (count_ == 0) return 0;
  auto rank = static_cast<std::uint64_t>(percent / 100.0 * static_cast<double>(count_));
  rank = std::min(rank, count_ - 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < bucket_count; ++i) {
    seen += buckets_[i];
    if (seen > rank) return std::min(value_of(i), static_cast<double>(max_)) / 1000.0;
  }
  return max_ms();
}

std::optional<process_sample> read_process(int pid) {
  process_sample sample;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return std::nullopt;
  // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
  auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  unsigned long utime = 0, stime = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14) utime = std::stoul(field);
    if (index == 15) {
      stime = std::stoul(field);
      break;
    }
  }
  sample.cpu_ms =
      static_cast<double>(utime + stime) * 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      sample.rss_kib = std::stol(line.substr(6));
      break;
    }
  }
  return sample;
}

}  // namespace colead::loadgen
