// What a run found, as a table for people and one JSON line for scripts.
//
// Pure formatting; thread-safe.
#pragma once

#include <optional>
#include <ostream>

#include "driver.hpp"
#include "measure.hpp"
#include "options.hpp"

namespace colead::loadgen {

struct report {
  options opts;
  run_totals totals;
  double window_seconds = 0;                      // the measured window as it was
  double loadgen_cpu_ms = 0;                      // this process's CPU time in the window
  std::optional<process_sample> server_at_start;  // before any room or connection
  std::optional<process_sample> server_window_start;
  std::optional<process_sample> server_window_end;
  // --idle: the server before connecting (rooms created) and with every connection joined.
  std::optional<process_sample> server_before_joins;
  std::optional<process_sample> server_joined;
  bool interrupted = false;  // stopped early by SIGINT or SIGTERM

  // True when every connection joined and stayed, no error came, and (when typing) every
  // edit was acknowledged and reached every other member.
  bool clean() const;
};

// A table of the figures, one per line.
void print_table(std::ostream& out, const report& r);
// One line: {"loadgen":{...}}.
void print_json(std::ostream& out, const report& r);

}  // namespace colead::loadgen
