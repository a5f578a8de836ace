#include "room/consult_script.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace colead::room {

namespace {

const std::vector<std::string> no_writers;

// Quotes text from a script for a message. Ids that failed their pattern may hold anything,
// and problems end up in logs, so control characters are replaced and long text is cut.
std::string quoted(std::string_view s) {
  constexpr std::size_t max_shown = 60;
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < max_shown; ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    out += (u < 0x20 || u == 0x7f) ? '?' : s[i];
  }
  if (s.size() > max_shown) out += "...";
  return out + "'";
}

std::string kind_name(consult_role_kind kind) {
  switch (kind) {
    case consult_role_kind::presenter:
      return "PRESENTER";
    case consult_role_kind::consultant:
      return "CONSULTANT";
    case consult_role_kind::facilitator:
      return "FACILITATOR";
  }
  return "UNKNOWN";
}

// Collects problems as "<source>: <field> <message>".
class problem_list {
 public:
  explicit problem_list(std::string_view source) : source_(source) {}

  void add(std::string_view field, std::string_view message) {
    std::string line(source_);
    line += ": ";
    if (!field.empty()) {
      line += field;
      line += ' ';
    }
    line += message;
    problems_.push_back(std::move(line));
  }

  // A required text with a length limit in code points.
  void check_text(std::string_view field, std::string_view text, std::size_t max, bool required) {
    if (text.empty()) {
      if (required) add(field, "is required");
      return;
    }
    const std::size_t n = code_point_count(text);
    if (n > max) {
      add(field, "must be at most " + std::to_string(max) + " characters (it has " +
                     std::to_string(n) + ")");
    }
  }

  void check_range(std::string_view field, int value, int lo, int hi) {
    if (value < lo || value > hi) {
      add(field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                     " (it is " + std::to_string(value) + ")");
    }
  }

  std::vector<std::string> take() { return std::move(problems_); }

 private:
  std::string_view source_;
  std::vector<std::string> problems_;
};

std::string role_list(const consult_script& script) {
  std::string out;
  for (const auto& role : script.roles) {
    if (!out.empty()) out += ", ";
    out += role.id;
  }
  return out.empty() ? "none" : out;
}

void check_role_refs(problem_list& problems, const consult_script& script, const std::string& field,
                     const std::vector<std::string>& refs) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const std::string item = field + "[" + std::to_string(i) + "]";
    if (script.find_role(refs[i]) == nullptr) {
      problems.add(item, "names the role " + quoted(refs[i]) +
                             ", which the script does not have (roles: " + role_list(script) + ")");
    } else if (!seen.insert(refs[i]).second) {
      problems.add(item, "names the role " + quoted(refs[i]) + " twice");
    }
  }
}

bool contains(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

void check_roles(problem_list& problems, const consult_script& script) {
  std::set<std::string_view> ids;
  for (std::size_t i = 0; i < script.roles.size(); ++i) {
    const auto& role = script.roles[i];
    const std::string field = "roles[" + std::to_string(i) + "]";
    if (role.id.empty()) {
      problems.add(field + ".id", "is required");
    } else if (!is_valid_script_id(role.id)) {
      problems.add(field + ".id", quoted(role.id) +
                                      " must be 1 to 40 characters of a-z, 0-9 and single "
                                      "hyphens inside");
    } else if (!ids.insert(role.id).second) {
      problems.add(field + ".id", quoted(role.id) + " is used by another role");
    }
    problems.check_text(field + ".name", role.name, script_limits::max_role_name_length, true);
    problems.check_text(field + ".description", role.description,
                        script_limits::max_role_description_length, false);
  }
  struct expected_count {
    consult_role_kind kind;
    int min;
    int max;
  };
  for (const auto& [kind, min, max] : {expected_count{consult_role_kind::presenter, 1, 1},
                                       expected_count{consult_role_kind::consultant, 1, 1},
                                       expected_count{consult_role_kind::facilitator, 0, 1}}) {
    const auto n = std::count_if(script.roles.begin(), script.roles.end(),
                                 [kind = kind](const consult_role& r) { return r.kind == kind; });
    if (n < min || n > max) {
      problems.add("roles", std::string("must have ") +
                                (min == max ? "exactly one" : "at most one") + " role of kind " +
                                kind_name(kind) + " (it has " + std::to_string(n) + ")");
    }
  }
}

void check_phase(problem_list& problems, const consult_script& script, std::size_t index) {
  const auto& phase = script.phases[index];
  const std::string field = "phases[" + std::to_string(index) + "]";
  problems.check_text(field + ".title", phase.title, script_limits::max_title_length, true);
  problems.check_range(field + ".minutes", phase.minutes, script_limits::min_phase_minutes,
                       script_limits::max_phase_minutes);
  problems.check_text(field + ".rule", phase.rule, script_limits::max_rule_length, false);
  check_role_refs(problems, script, field + ".speakers", phase.speakers);
  check_role_refs(problems, script, field + ".questionWriters", phase.question_writers);
  check_role_refs(problems, script, field + ".noteWriters", phase.note_writers);
  check_role_refs(problems, script, field + ".documentEditors", phase.document_editors);
  for (const auto& [role_id, prompt] : phase.prompts) {
    const std::string item = field + ".prompts[\"" + role_id + "\"]";
    if (script.find_role(role_id) == nullptr) {
      problems.add(item, "is for the role " + quoted(role_id) +
                             ", which the script does not have (roles: " + role_list(script) + ")");
    }
    problems.check_text(item, prompt, script_limits::max_prompt_length, false);
  }
  // A presenter who has turned away listens; letting them speak or write would defeat the
  // point of the structure, so a script saying so is a mistake worth reporting.
  if (phase.presenter_turned_away) {
    if (const auto* presenter = script.role_of_kind(consult_role_kind::presenter)) {
      const std::pair<const char*, const std::vector<std::string>*> lists[] = {
          {".speakers", &phase.speakers},
          {".questionWriters", &phase.question_writers},
          {".noteWriters", &phase.note_writers},
          {".documentEditors", &phase.document_editors}};
      for (const auto& [name, ids] : lists) {
        if (contains(*ids, presenter->id)) {
          problems.add(field + name, "names the presenter role " + quoted(presenter->id) +
                                         ", who is turned away in this phase "
                                         "(presenterTurnedAway is true)");
        }
      }
    }
  }
}

}  // namespace

const std::vector<std::string>& consult_phase::writers(consult_write what) const {
  switch (what) {
    case consult_write::question:
      return question_writers;
    case consult_write::note:
      return note_writers;
    case consult_write::document_edit:
      return document_editors;
  }
  return no_writers;
}

const consult_role* consult_script::find_role(std::string_view role_id) const {
  for (const auto& role : roles) {
    if (role.id == role_id) return &role;
  }
  return nullptr;
}

const consult_role* consult_script::role_of_kind(consult_role_kind kind) const {
  for (const auto& role : roles) {
    if (role.kind == kind) return &role;
  }
  return nullptr;
}

int consult_script::round_minutes() const {
  int total = 0;
  for (const auto& phase : phases)
    total += phase.minutes;
  return total;
}

bool is_valid_script_id(std::string_view id) {
  if (id.empty() || id.size() > script_limits::max_id_length) return false;
  if (id.front() == '-' || id.back() == '-') return false;
  char previous = 0;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && previous == '-')) return false;
    previous = c;
  }
  return true;
}

std::size_t code_point_count(std::string_view utf8) {
  // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::vector<std::string> validate_script(const consult_script& script, std::string_view source) {
  problem_list problems(source);
  if (script.id.empty()) {
    problems.add("id", "is required");
  } else if (!is_valid_script_id(script.id)) {
    problems.add("id", quoted(script.id) +
                           " must be 1 to 40 characters of a-z, 0-9 and single hyphens inside");
  }
  problems.check_text("name", script.name, script_limits::max_name_length, true);
  problems.check_text("description", script.description, script_limits::max_description_length,
                      false);
  problems.check_text("source", script.source, script_limits::max_source_length, false);
  problems.check_range("minMembers", script.min_members, script_limits::min_seats,
                       script_limits::max_seats);
  problems.check_range("maxMembers", script.max_members, script_limits::min_seats,
                       script_limits::max_seats);
  if (script.min_members > script.max_members) {
    problems.add("minMembers", "(" + std::to_string(script.min_members) +
                                   ") must not be more than maxMembers (" +
                                   std::to_string(script.max_members) + ")");
  }
  check_roles(problems, script);
  if (script.phases.empty()) {
    problems.add("phases", "must list at least one phase");
  } else if (script.phases.size() > script_limits::max_phases) {
    problems.add("phases", "must list at most " + std::to_string(script_limits::max_phases) +
                               " phases (it has " + std::to_string(script.phases.size()) + ")");
  }
  for (std::size_t i = 0; i < script.phases.size(); ++i)
    check_phase(problems, script, i);
  return problems.take();
}

script_catalog script_catalog::with_built_ins() {
  script_catalog catalog;
  catalog.scripts_ = built_in_scripts();
  return catalog;
}

std::vector<std::string> script_catalog::add(consult_script script, std::string_view source) {
  auto problems = validate_script(script, source);
  if (problems.empty() && find(script.id) != nullptr) {
    const auto* existing = find(script.id);
    problems.push_back(std::string(source) + ": id " + quoted(script.id) + " is already used by " +
                       (existing->built_in ? "a built-in script" : "another script file") + " (" +
                       existing->name + ")");
  }
  if (problems.empty()) scripts_.push_back(std::move(script));
  return problems;
}

const consult_script* script_catalog::find(std::string_view id) const {
  for (const auto& script : scripts_) {
    if (script.id == id) return &script;
  }
  return nullptr;
}

}  // namespace colead::room
