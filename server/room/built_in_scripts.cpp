// The built-in scripts, read from the script files compiled into the server
// (data/scripts/built-in, embedded by cmake/colead_embed_scripts.cmake).
#include "room/consult_script.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "room/script_files.hpp"

namespace colead::room {

const std::vector<consult_script>& built_in_scripts() {
  // Parsed at first use by the same parser and validate_script() as a programme's files. The
  // files are part of the build and a test loads each, so a problem here is a defect of the
  // build, not of anyone's input: it is thrown (at start-up, where main reports it) rather
  // than leaving a built-in out.
  static const std::vector<consult_script> scripts = [] {
    std::vector<consult_script> all;
    std::string problems;
    for (const auto& file : built_in_script_files()) {
      auto parsed = parse_script_json(file.json, file.source);
      for (const auto& problem : parsed.problems)
        problems += "\n" + problem;
      if (!parsed.script) continue;
      parsed.script->built_in = true;
      all.push_back(std::move(*parsed.script));
    }
    if (!problems.empty()) throw std::logic_error("the built-in scripts do not load:" + problems);
    return all;
  }();
  return scripts;
}

}  // namespace colead::room
