// Script files: consulting scripts a programme adds by dropping JSON files into the server's
// scripts folder, the built-in scripts' files compiled into the server (the same format), and
// the conversion between the domain script and its protobuf message.
//
// A file holds one colead.v1.ConsultScript (protocol/colead/v1/script.proto) in the proto3
// JSON mapping, parsed by protobuf's JSON parser (the project's only JSON parser). Field names
// may be lowerCamelCase or lower_snake_case; unknown fields are errors, so a misspelt field is
// reported rather than silently ignored. Every problem is reported with the file and the field
// ("data/scripts/check-in.json: phases[2].minutes must be between 1 and 120 (it is 0)"), and a
// bad file never stops the good ones from loading.
//
// Only load_script_file, load_script_folder and load_script_catalog touch the file system;
// the rest is pure. Thread safety: free functions over values; safe to call concurrently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "colead/v1/script.pb.h"
#include "room/consult_script.hpp"

namespace colead::room {

// The largest script file read, in bytes.
inline constexpr std::uintmax_t max_script_file_bytes = 256 * 1024;

// A script, or the problems that kept it out (each starting with its source).
struct script_parse_result {
  std::optional<consult_script> script;
  std::vector<std::string> problems;
};

// One built-in script file as compiled into the server: the files of data/scripts/built-in,
// embedded byte for byte at build time (cmake/colead_embed_scripts.cmake).
struct embedded_script_file {
  std::string_view source;  // the file in the source tree, e.g. "data/scripts/built-in/troika.json"
  std::string_view json;    // its text
};

// The built-in script files, in the order the scripts are offered. The views point into static
// storage and stay valid for the life of the program. built_in_scripts() parses them.
std::span<const embedded_script_file> built_in_script_files();

// Converts a script to its message (built_in included), e.g. for GET /api/scripts.
v1::ConsultScript to_proto(const consult_script& script);

// Converts a message to a script and validates it. Required fields missing from the message
// (minMembers, maxMembers, a phase's minutes and countsAsReflection, a role's kind) are
// reported first; only a message with all of them is checked with validate_script. A message
// with builtIn set is refused: only the server marks its own scripts.
script_parse_result from_proto(const v1::ConsultScript& message, std::string_view source);

// Parses the JSON text of one script file. `source` names it in every problem.
script_parse_result parse_script_json(std::string_view json, std::string_view source);

// The script as a script file's JSON (lowerCamelCase, indented), which parse_script_json reads
// back to an equal script.
std::string to_script_json(const consult_script& script);

// Reads and parses one file (at most max_script_file_bytes). `source` names it in problems.
script_parse_result load_script_file(const std::filesystem::path& path, std::string_view source);

// The scripts of a folder: every regular file whose name ends in ".json" and does not start
// with ".", read in name order. Each file is named in problems as `folder / name` (as given).
// A file with problems is left out and the others are kept. A folder that cannot be read
// gives one problem and no scripts.
struct script_file {
  std::string source;  // the file, as `folder / name`
  consult_script script;
};
struct script_folder {
  std::vector<script_file> scripts;  // in file-name order
  std::vector<std::string> problems;
};
script_folder load_script_folder(const std::filesystem::path& folder);

// The built-ins plus the scripts of `folder`. A file whose id is already taken (by a built-in
// or an earlier file) is left out with a problem naming it.
struct loaded_catalog {
  script_catalog catalog;
  std::vector<std::string> problems;
};
loaded_catalog load_script_catalog(const std::filesystem::path& folder);

}  // namespace colead::room
