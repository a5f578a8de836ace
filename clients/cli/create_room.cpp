// colead create-room: POST /api/rooms, then print the CreateRoomResponse as one JSON line.
#include <iostream>

#include "client/http_request.hpp"
#include "client/server_url.hpp"
#include "codec.hpp"
#include "subcommands.hpp"

namespace colead::cli {

namespace {

int run(const arguments& args) {
  auto seats = parse_number(args.value("seats"), 0, 1000);
  if (!seats) {
    std::cerr << "colead create-room: --seats must be a whole number (a room has 2 to 8)\n";
    return usage_error;
  }
  auto timeout = parse_number(args.value("timeout-ms", "10000"), 1, 3'600'000);
  if (!timeout) {
    std::cerr << "colead create-room: --timeout-ms must be a whole number of milliseconds\n";
    return usage_error;
  }
  v1::CreateRoomRequest request;
  request.set_title(args.value("title"));
  request.set_seats(static_cast<std::uint32_t>(*seats));

  client::http_options options;
  if (args.has("key")) {
    options.headers.emplace_back("Authorization", "Bearer " + args.value("key"));
  }
  options.timeout = std::chrono::milliseconds(*timeout);
  options.ca_file = args.value("ca-file");
  std::string url = args.value("server");
  std::string error;
  auto where = client::parse_server_url(url, error);
  if (!where) {
    std::cerr << "colead create-room: " << error << '\n';
    return usage_error;
  }
  // Keep any base path the server sits under and swap ws:// (wss://) for the HTTP (HTTPS) it
  // really is.
  auto result = client::http_request("POST", client::http_url(*where, "api/rooms"),
                                     protocol::to_json(request), options);
  if (!result.outcome.is_ok()) {
    std::cerr << "colead create-room: " << result.outcome.message() << '\n';
    return 1;
  }
  const auto& response = result.response;
  if (response.status != 201 && response.status != 200) {
    v1::HttpError body;
    std::string why;
    std::cerr << "colead create-room: the server answered HTTP " << response.status << ": ";
    if (protocol::from_json(response.body, body, why) && body.has_error()) {
      std::cerr << v1::Error::Code_Name(body.error().code()) << ": " << body.error().message();
    } else {
      std::cerr << response.body;
    }
    std::cerr << '\n';
    return 1;
  }
  v1::CreateRoomResponse created;
  if (!protocol::from_json(response.body, created, error)) {
    // A newer server may add fields this client does not know; pass its answer on as is.
    std::cout << response.body << '\n';
    return 0;
  }
  std::cout << protocol::to_json(created) << '\n';
  return 0;
}

}  // namespace

subcommand create_room_command() {
  return {
      "create-room",
      "create a room and print its id and one invite per seat, as JSON",
      "Sends POST /api/rooms and prints the answer (id, title, invites with each seat's token\n"
      "and link) as one JSON line. Unless its operator opened room creation, the server needs\n"
      "the organiser key (--key).",
      {
          {"server", "URL", "the server, e.g. http://127.0.0.1:8080 or https://colead.example.org",
           true},
          {"title", "TITLE", "the room's title", true},
          {"seats", "N", "how many seats (2 to 8)", true},
          {"key", "ORGANISER_KEY", "the organiser key, sent as a bearer token"},
          {"timeout-ms", "MS", "how long to wait for the server (default 10000)"},
          {"ca-file", "FILE",
           "over https: trust the certificate authorities in this PEM file, not the system's"},
      },
      run,
  };
}

}  // namespace colead::cli
