// How a room is run: its limits, how it keeps documents, and what it is given from outside
// (scripts, prompts, an observer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "colead/v1/colead.pb.h"

#include "room/cohort_link.hpp"
#include "room/consult_script.hpp"
#include "room/reflection_prompts.hpp"
#include "room/room_limits.hpp"
#include "room/room_observer.hpp"

namespace colead::room {

struct room_options {
  room_limits limits;                   // per-room limits
  std::uint32_t snapshot_every = 100;   // store a document's text every N revisions
  std::size_t history_limit = 10'000;   // edits kept in memory for transforms and catch-up
  std::size_t history_bytes = 4 << 20;  // and at most about this many bytes of them, per document
  // Consulting scripts members may run; the built-ins when null.
  std::shared_ptr<const script_catalog> scripts;
  // Reflection prompts shown while a meeting reflects; the three role questions when null.
  std::shared_ptr<const prompt_set> prompts;
  // Told what the room does, for monitoring; nothing is told when null.
  std::shared_ptr<room_observer> observer;
  // The STUN and TURN servers for `member`'s welcome, with TURN credentials made for that
  // member now; the call gets none when null.
  std::function<std::vector<v1::IceServer>(const std::string& member)> ice_servers;
  // Told of the cohort items a room in a cohort wrote, once durable; null when rooms are not
  // wired to cohorts (room tests).
  std::shared_ptr<cohort_link> cohort;
};

}  // namespace colead::room
