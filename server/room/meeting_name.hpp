// What a meeting is called wherever it appears: the room's pages (the meeting's state, the
// past meetings of the welcome) and the learning record. One rule, so every place names a
// meeting the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace colead::room {

// `title` when the meeting was given one; otherwise "Meeting <number>, <day> <month>" from its
// 1-based number among the room's meetings (oldest first) and the day it started (the
// server's local time), e.g. "Meeting 2, 6 December".
std::string meeting_name(std::string_view title, std::size_t number, std::int64_t started_at_ms);

}  // namespace colead::room
