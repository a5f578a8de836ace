// The colead command-line client against a real server: create a room, then join it with a
// script on stdin and read the JSON lines it prints.
#include <sstream>

#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

using CommandLine = ServerTest;

constexpr milliseconds cli_timeout{20000};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

TEST_F(CommandLine, CreateRoomThenJoinPrintsWelcomeAndPong) {
  auto created = run_process({COLEAD_CLI_PATH, "create-room", "--server", server_->url(), "--title",
                              "Pair from the shell", "--seats", "2"},
                             "", cli_timeout);
  ASSERT_TRUE(created.status.exited && created.status.code == 0)
      << created.status.describe() << "\nstderr: " << created.err;
  v1::CreateRoomResponse room;
  std::string why;
  ASSERT_TRUE(protocol::from_json(created.out, room, why)) << why << ": " << created.out;
  ASSERT_EQ(room.invites_size(), 2);
  EXPECT_EQ(room.title(), "Pair from the shell");

  auto joined = run_process(
      {COLEAD_CLI_PATH, "join", "--server", server_->url(), "--room", room.id(), "--token",
       room.invites(0).token(), "--name", "Ann", "--role", "carer"},
      "{\"ping\":{}}\nthis line is not JSON\n{\"req\":\"41\",\"ping\":{}}\n", cli_timeout);
  ASSERT_TRUE(joined.status.exited && joined.status.code == 0)
      << joined.status.describe() << "\nstdout: " << joined.out << "\nstderr: " << joined.err;

  auto lines = lines_of(joined.out);
  ASSERT_FALSE(lines.empty()) << "stderr: " << joined.err;
  std::vector<v1::ServerMessage> messages;
  for (const auto& line : lines) {
    v1::ServerMessage m;
    ASSERT_TRUE(protocol::from_json(line, m, why)) << "not a ServerMessage: " << line;
    messages.push_back(m);
  }
  ASSERT_TRUE(messages.front().has_welcome()) << lines.front();
  EXPECT_EQ(messages.front().welcome().room().id(), room.id());
  int pongs = 0;
  bool pong_41 = false;
  for (const auto& m : messages) {
    if (!m.has_pong()) continue;
    ++pongs;
    if (m.re() == 41) pong_41 = true;
  }
  EXPECT_EQ(pongs, 2) << joined.out;
  EXPECT_TRUE(pong_41) << joined.out;
  EXPECT_NE(joined.err.find("line 2"), std::string::npos)
      << "the bad line is not reported: " << joined.err;
}

TEST_F(CommandLine, JoinWithAWrongTokenFails) {
  auto room = make_room(2);
  auto joined = run_process({COLEAD_CLI_PATH, "join", "--server", server_->url(), "--room",
                             room.id(), "--token", "wrong", "--name", "Mallory"},
                            "", cli_timeout);
  EXPECT_TRUE(joined.status.exited && joined.status.code == 1) << joined.status.describe();
  EXPECT_NE(joined.out.find("UNAUTHORIZED"), std::string::npos) << joined.out;
}

TEST(CommandLineUsage, HelpListsSubcommandsAndMissingFlagsAreUsageErrors) {
  auto help = run_process({COLEAD_CLI_PATH, "--help"}, "", cli_timeout);
  EXPECT_TRUE(help.status.exited && help.status.code == 0) << help.status.describe();
  EXPECT_NE(help.out.find("create-room"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("join"), std::string::npos) << help.out;

  auto join_help = run_process({COLEAD_CLI_PATH, "join", "--help"}, "", cli_timeout);
  EXPECT_TRUE(join_help.status.exited && join_help.status.code == 0);
  EXPECT_NE(join_help.out.find("--token"), std::string::npos) << join_help.out;

  auto missing = run_process({COLEAD_CLI_PATH, "create-room", "--title", "Pair"}, "", cli_timeout);
  EXPECT_TRUE(missing.status.exited && missing.status.code == 2) << missing.status.describe();
  EXPECT_NE(missing.err.find("--server"), std::string::npos) << missing.err;
}

// Backups are the server's command; the client says where it went.
TEST(CommandLineUsage, BackupNamesTheServerCommand) {
  auto backup = run_process({COLEAD_CLI_PATH, "backup", "--data-dir", "data", "--out", "x.db"}, "",
                            cli_timeout);
  EXPECT_TRUE(backup.status.exited && backup.status.code == 2) << backup.status.describe();
  EXPECT_NE(backup.err.find("colead-server backup --data-dir DIR --out FILE"), std::string::npos)
      << backup.err;
}

}  // namespace
}  // namespace colead::integration
