// Fuzzes the script loader: any bytes as the JSON of one script file, through
// parse_script_json as load_script_folder reads it. A script that loads prints as a script
// file and as a message that both read back to the same script; one that does not load
// names its source in every problem.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "room/script_files.hpp"

using namespace colead;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::silence_protobuf();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view source = "fuzz.json";
  auto parsed = room::parse_script_json(json, source);
  if (!parsed.script) {
    fuzz::check(!parsed.problems.empty(), "a refused script says why");
    for (const auto& problem : parsed.problems)
      fuzz::check(problem.starts_with(source), "every problem names the file");
    return 0;
  }
  fuzz::check(parsed.problems.empty(), "a loaded script has no problems");
  const auto& script = *parsed.script;
  fuzz::check(room::validate_script(script, source).empty(), "a loaded script is valid");

  auto file = room::parse_script_json(room::to_script_json(script), source);
  fuzz::check(file.script && *file.script == script, "a script survives its file form");

  auto message = room::to_proto(script);
  auto back = room::from_proto(message, source);
  fuzz::check(back.script && *back.script == script, "a script survives its message form");
  return 0;
}
