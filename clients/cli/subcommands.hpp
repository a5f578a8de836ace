// The subcommands of `colead`, one function per file returning its description. To add one,
// write NAME.cpp defining `subcommand NAME_command()`, declare it here and list it in
// main.cpp's table.
#pragma once

#include "arguments.hpp"

namespace colead::cli {

// colead create-room: creates a room through POST /api/rooms and prints its invites.
subcommand create_room_command();
// colead join: joins a room and bridges stdin/stdout to the WebSocket, one JSON line each.
subcommand join_command();

}  // namespace colead::cli
