// colead join: joins a room over the binary subprotocol and bridges it to the terminal.
// Every server message is printed on stdout as one JSON line (the proto3 JSON mapping); every
// line read on stdin is parsed as a ClientMessage in JSON and sent.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "client/connection.hpp"
#include "subcommands.hpp"

namespace colead::cli {

namespace {

using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

// Lines read from stdin by the reader thread, handed to the main thread.
struct input_lines {
  static constexpr std::size_t max_lines = 1024;  // the reader waits while this many queue

  std::mutex mutex;
  std::condition_variable space;  // signalled when the main thread takes lines
  std::deque<std::string> lines;  // guarded by mutex
  bool eof = false;               // stdin has closed; guarded by mutex
  std::function<void()> wake;     // wakes the main thread; guarded by mutex, cleared at exit

  void push(std::string line) {
    std::unique_lock lock(mutex);
    space.wait(lock, [&] { return lines.size() < max_lines; });
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    if (wake) wake();
  }
  void finish() {
    std::lock_guard lock(mutex);
    eof = true;
    if (wake) wake();
  }
};

// Reads stdin with read(2) rather than std::cin so the thread can be left blocked when the
// server closes first: it touches nothing but `in`, which it co-owns.
void read_stdin(std::shared_ptr<input_lines> in) {
  std::string partial;
  char buffer[64 * 1024];
  for (;;) {
    auto n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    partial.append(buffer, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (auto nl = partial.find('\n'); nl != std::string::npos; nl = partial.find('\n', start)) {
      in->push(partial.substr(start, nl - start));
      start = nl + 1;
    }
    partial.erase(0, start);
  }
  if (!partial.empty()) in->push(std::move(partial));
  in->finish();
}

bool is_blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

int run(const arguments& args) {
  auto timeout = parse_number(args.value("timeout-ms", "10000"), 1, 3'600'000);
  auto drain = parse_number(args.value("drain-ms", "3000"), 0, 3'600'000);
  if (!timeout || !drain) {
    std::cerr << "colead join: --timeout-ms and --drain-ms take whole milliseconds\n";
    return usage_error;
  }
  // After stdin closes: wait for the answers still due, then for this much silence.
  constexpr milliseconds quiet{200};

  client::connection conn;
  client::connect_options options;
  options.timeout = milliseconds(*timeout);
  options.ca_file = args.value("ca-file");
  auto connected = conn.connect(args.value("server"), args.value("room"), options);
  if (!connected.is_ok()) {
    std::cerr << "colead join: " << connected.message() << '\n';
    return 1;
  }

  bool fatal = false;
  std::set<std::uint64_t> unanswered;  // req numbers sent and not yet answered
  auto print = [&](const v1::ServerMessage& message) {
    std::cout << protocol::to_json(message) << '\n' << std::flush;
    unanswered.erase(message.re());
    if (message.has_error() && message.error().fatal()) fatal = true;
  };

  auto joined = conn.hello({args.value("token"), args.value("name"), args.value("role"), ""},
                           milliseconds(*timeout));
  if (joined.answer) print(*joined.answer);
  if (!joined.outcome.is_ok()) {
    std::cerr << "colead join: " << joined.outcome.message() << '\n';
    return 1;
  }

  auto in = std::make_shared<input_lines>();
  {
    std::lock_guard lock(in->mutex);
    in->wake = [&conn] { conn.interrupt(); };
  }
  std::thread(read_stdin, in).detach();

  int exit_status = 0;
  std::size_t line_number = 0;
  bool input_done = false;
  steady::time_point drain_deadline;
  for (;;) {
    std::deque<std::string> batch;
    bool eof = false;
    {
      std::lock_guard lock(in->mutex);
      batch.swap(in->lines);
      eof = in->eof;
    }
    in->space.notify_all();
    for (auto& line : batch) {
      ++line_number;
      if (is_blank(line)) continue;
      v1::ClientMessage message;
      std::string why;
      if (!protocol::from_json(line, message, why)) {
        // protobuf's parse errors span lines (the input and a caret); keep ours on one.
        for (auto& c : why)
          c = c == '\n' ? ' ' : c;
        std::cerr << "colead join: stdin line " << line_number
                  << " is not a ClientMessage in JSON (" << why << "); skipped\n";
        continue;
      }
      auto sent = conn.send(message);
      if (!sent.is_ok()) {
        std::cerr << "colead join: " << sent.message() << '\n';
        break;
      }
      unanswered.insert(message.req());
    }
    if (eof && !input_done) {
      input_done = true;
      drain_deadline = steady::now() + milliseconds(*drain);
    }

    auto wait = milliseconds(60'000);
    if (input_done) {
      auto left = std::chrono::duration_cast<milliseconds>(drain_deadline - steady::now());
      wait = unanswered.empty() ? std::min(quiet, left) : left;
      wait = std::max(wait, milliseconds(0));
    }
    auto frame = conn.receive_raw(wait);
    if (frame) {
      v1::ServerMessage message;
      protocol::decode_error error;
      if (protocol::decode(frame->payload, conn.subprotocol(), message, error)) {
        print(message);
      } else {
        std::cerr << "colead join: a frame from the server did not decode: " << error.message
                  << '\n';
      }
      continue;
    }
    if (!conn.is_open()) {
      std::cerr << "colead join: " << conn.last_error() << '\n';
      auto reason = conn.close_reason();
      if (!reason || (reason->code != 1000 && reason->code != 1001)) exit_status = 1;
      break;
    }
    if (input_done && (unanswered.empty() || steady::now() >= drain_deadline)) {
      if (!unanswered.empty()) {
        std::cerr << "colead join: " << unanswered.size()
                  << " request(s) still unanswered when stdin closed\n";
      }
      conn.close();
      break;
    }
  }

  {
    std::lock_guard lock(in->mutex);
    in->wake = nullptr;
  }
  return fatal ? 1 : exit_status;
}

}  // namespace

subcommand join_command() {
  return {
      "join",
      "join a room and bridge it to stdin/stdout, one JSON message per line",
      "Connects over the colead.v1.proto subprotocol and says hello with the seat's token.\n"
      "Prints every server message on stdout as one line of JSON (the proto3 JSON mapping)\n"
      "and sends every line read on stdin as a ClientMessage, e.g. {\"ping\":{}} or\n"
      "{\"note\":{\"text\":\"We listened first\",\"category\":\"RELATIONSHIP\"}}.\n"
      "A line that does not parse is reported on stderr and skipped. Exits when stdin closes\n"
      "(once the answers still due have arrived, at most --drain-ms later) or when the server\n"
      "closes the connection; the exit status is 1 after a fatal error.",
      {
          {"server", "URL", "the server, e.g. http://127.0.0.1:8080 or https://colead.example.org",
           true},
          {"room", "ID", "the room id", true},
          {"token", "TOKEN", "the seat's invite token (from the link's #t=...)", true},
          {"name", "NAME", "your display name", true},
          {"role", "ROLE", "the role you state (patient, carer, clinician, ...)"},
          {"timeout-ms", "MS", "how long to wait to connect and join (default 10000)"},
          {"drain-ms", "MS", "how long to wait for answers once stdin closes (default 3000)"},
          {"ca-file", "FILE",
           "over https/wss: trust the certificate authorities in this PEM file, not the system's"},
      },
      run,
  };
}

}  // namespace colead::cli
