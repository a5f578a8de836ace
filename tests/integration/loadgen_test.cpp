// colead-loadgen for a few seconds against a real server and against colead-bench-relay: three
// rooms of three members type, and every edit is applied (acknowledged) and reaches every other
// member, with no error and no lost connection. No latency or rate is asserted: those belong
// to the machine, and tests/bench/run.sh measures them.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "harness/process.hpp"
#include "harness/server_process.hpp"

namespace colead::integration {
namespace {

using namespace std::chrono_literals;
using google::protobuf::Struct;

// The figures of the {"loadgen":{...}} line in `out`; fails the test when there is none.
Struct loadgen_figures(const std::string& out) {
  auto at = out.find("{\"loadgen\":");
  EXPECT_NE(at, std::string::npos) << "no JSON line in:\n" << out;
  Struct line;
  if (at == std::string::npos) return line;
  auto end = out.find('\n', at);
  auto status = google::protobuf::util::JsonStringToMessage(out.substr(at, end - at), &line);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return line.fields().at("loadgen").struct_value();
}

double number(const Struct& figures, const std::string& name) {
  auto it = figures.fields().find(name);
  if (it == figures.fields().end()) {
    ADD_FAILURE() << "no " << name << " in the JSON line";
    return -1;
  }
  return it->second.number_value();
}

std::vector<std::string> loadgen_args(const std::string& url, std::vector<std::string> more) {
  std::vector<std::string> args = {
      COLEAD_LOADGEN_PATH, "--server", url,        "--rooms", "3", "--members", "3", "--rate", "5",
      "--seconds",         "3",        "--warmup", "0.5"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// Every edit applied and received by both other members of its room, cleanly.
void expect_everything_delivered(const Struct& figures) {
  EXPECT_EQ(number(figures, "joined"), 9);
  EXPECT_GT(number(figures, "applied"), 0);
  EXPECT_GT(number(figures, "sent_total"), 0);
  EXPECT_EQ(number(figures, "delivered_total"), 2 * number(figures, "sent_total"));
  EXPECT_EQ(number(figures, "undelivered"), 0);
  EXPECT_EQ(number(figures, "errors"), 0);
  EXPECT_EQ(number(figures, "disconnects"), 0);
  EXPECT_TRUE(figures.fields().at("clean").bool_value());
}

TEST(LoadgenTest, ThreeRoomsOfThreeTypeIntoTheServerAndEveryEditReachesTheOthers) {
  std::string error;
  auto server = server_process::start({}, error);
  ASSERT_NE(server, nullptr) << error;

  auto run = run_process(
      loadgen_args(server->url(), {"--server-pid", std::to_string(server->pid())}), "", 120s);
  ASSERT_TRUE(run.status.exited) << run.status.describe() << "\n" << run.err;
  EXPECT_EQ(run.status.code, 0) << run.out << run.err;
  auto figures = loadgen_figures(run.out);
  expect_everything_delivered(figures);
  EXPECT_EQ(number(figures, "acked_total"), number(figures, "sent_total"));
  EXPECT_EQ(number(figures, "unacked"), 0);
  // The server was read from /proc: its CPU time is a number, not null.
  EXPECT_TRUE(figures.fields().at("server_cpu_ms").has_number_value());
}

TEST(LoadgenTest, ThreeRoomsOfThreeTypeThroughTheRelay) {
  int out[2];
  ASSERT_EQ(::pipe2(out, O_CLOEXEC), 0);
  std::string error;
  pid_t relay = spawn({COLEAD_RELAY_PATH, "--listen", "127.0.0.1:0"}, -1, out[1], -1, error);
  ::close(out[1]);
  ASSERT_GT(relay, 0) << error;
  // "listening on 127.0.0.1:PORT", within ten seconds.
  std::string said;
  pollfd readable{out[0], POLLIN, 0};
  while (said.find('\n') == std::string::npos && ::poll(&readable, 1, 10000) > 0) {
    char buffer[256];
    auto n = ::read(out[0], buffer, sizeof buffer);
    if (n <= 0) break;
    said.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  auto at = said.find("listening on ");
  if (at == std::string::npos) {
    ::kill(relay, SIGKILL);
    wait_for_exit(relay, 10s);
    FAIL() << "the relay did not listen: " << said;
  }
  std::string address = said.substr(at + 13, said.find('\n') - at - 13);

  auto run = run_process(
      loadgen_args("http://" + address, {"--relay", "--server-pid", std::to_string(relay)}), "",
      120s);
  ::kill(relay, SIGTERM);
  EXPECT_TRUE(wait_for_exit(relay, 10s).exited);
  ASSERT_TRUE(run.status.exited) << run.status.describe() << "\n" << run.err;
  EXPECT_EQ(run.status.code, 0) << run.out << run.err;
  auto figures = loadgen_figures(run.out);
  EXPECT_EQ(figures.fields().at("target").string_value(), "relay");
  expect_everything_delivered(figures);
}

TEST(LoadgenTest, RefusesAServerThatIsNotOnLoopback) {
  auto run = run_process({COLEAD_LOADGEN_PATH, "--server", "http://192.0.2.7:8080"}, "", 30s);
  ASSERT_TRUE(run.status.exited);
  EXPECT_EQ(run.status.code, 2);
  EXPECT_NE(run.err.find("not a loopback address"), std::string::npos) << run.err;
  EXPECT_EQ(run.out.find("{\"loadgen\":"), std::string::npos);
}

TEST(LoadgenTest, RefusesARunLongerThanTenMinutes) {
  auto run = run_process({COLEAD_LOADGEN_PATH, "--seconds", "601"}, "", 30s);
  ASSERT_TRUE(run.status.exited);
  EXPECT_EQ(run.status.code, 2);
  EXPECT_NE(run.err.find("--seconds 601"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace colead::integration
