// Consulting scripts: the data that describes a consulting structure.
//
// A script says who can take part (seats), which roles members hold in a round, the phases of
// a round in order (their length, who speaks, who may write what, whether the time counts as
// reflection, the prompt each role sees) and whether the presenter rotates round the
// members. The engine (consult_engine.hpp) runs a script; it never changes one.
//
// Scripts are data, in one file format (script_files.hpp): the built-ins (Pair consult, Troika
// Consulting, an action-learning round, Wise Crowds) are the files of data/scripts/built-in,
// compiled into the server, and a programme adds its own files to the server's scripts
// folder. All pass through the same parser and validate_script(), so the engine can rely on
// every invariant listed there.
//
// Thread safety: plain values and free functions; distinct objects may be used from distinct
// threads, and a const script_catalog may be read from several threads at once.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace colead::room {

// What a role does in the structure. Members are assigned roles by kind in every round: the
// member whose turn it is presents, a facilitator (if the members chose one) facilitates,
// everyone else consults.
enum class consult_role_kind { presenter, consultant, facilitator };

// One role of a script, e.g. {"client", "Client", presenter}.
struct consult_role {
  std::string id;    // referenced by phases; same pattern as a script id
  std::string name;  // shown to members, e.g. "Client"
  consult_role_kind kind = consult_role_kind::consultant;
  std::string description;  // what a member in this role is there to do

  friend bool operator==(const consult_role&, const consult_role&) = default;
};

// The kinds of shared writing a phase governs.
enum class consult_write {
  question,       // asking (and so recording) a question
  note,           // writing a shared note to the learning log
  document_edit,  // editing one of the room's shared documents
};

// One time-boxed step of a round. Role lists hold role ids of the script.
struct consult_phase {
  std::string title;                           // e.g. "Clarifying questions"
  int minutes = 0;                             // planned length
  std::vector<std::string> speakers;           // who speaks; the others listen
  std::vector<std::string> question_writers;   // who may ask questions
  std::vector<std::string> note_writers;       // who may write shared notes
  std::vector<std::string> document_editors;   // who may edit shared documents
  bool counts_as_reflection = true;            // reflection (true) or task (false) time
  bool presenter_turned_away = false;          // the presenter turns away and listens
  std::map<std::string, std::string> prompts;  // role id -> prompt shown to that role
  std::string rule;  // the phase's rule in a few words, quoted when something is refused

  // The role ids allowed to do `what` in this phase.
  const std::vector<std::string>& writers(consult_write what) const;

  friend bool operator==(const consult_phase&, const consult_phase&) = default;
};

// A consulting structure.
struct consult_script {
  std::string id;           // e.g. "troika"
  std::string name;         // e.g. "Troika Consulting"
  std::string description;  // what it is for and how it runs
  std::string source;       // the practice it follows, e.g. "Liberating Structures"
  int min_members = 2;      // seats allowed, a facilitator included
  int max_members = 8;
  std::vector<consult_role> roles;
  std::vector<consult_phase> phases;  // one round, in order
  bool rotate_presenter = false;      // every member presents in turn, one round each
  bool built_in = false;              // ships with the server

  // The role with this id, or nullptr.
  const consult_role* find_role(std::string_view role_id) const;
  // The (first) role of this kind, or nullptr. A valid script has exactly one presenter and
  // one consultant role and at most one facilitator role.
  const consult_role* role_of_kind(consult_role_kind kind) const;
  // Sum of the phases' minutes: the planned length of one round.
  int round_minutes() const;

  friend bool operator==(const consult_script&, const consult_script&) = default;
};

// Limits a script must keep (also in docs/consulting.md).
struct script_limits {
  static constexpr std::size_t max_id_length = 40;
  static constexpr std::size_t max_name_length = 80;
  static constexpr std::size_t max_role_name_length = 40;
  static constexpr std::size_t max_description_length = 2000;
  static constexpr std::size_t max_source_length = 200;
  static constexpr std::size_t max_role_description_length = 1000;
  static constexpr std::size_t max_title_length = 80;
  static constexpr std::size_t max_prompt_length = 1000;
  static constexpr std::size_t max_rule_length = 200;
  static constexpr int min_seats = 2;  // a room has 2 to 8 seats
  static constexpr int max_seats = 8;
  static constexpr int min_phase_minutes = 1;
  static constexpr int max_phase_minutes = 120;
  static constexpr std::size_t max_phases = 20;
};

// True when `id` is 1 to 40 characters of a-z and 0-9, with single hyphens inside
// ("check-in", "troika"). Script and role ids are checked against it before they touch a
// path, a query or a log line.
bool is_valid_script_id(std::string_view id);

// Length of UTF-8 text in code points, the unit every text limit is given in.
std::size_t code_point_count(std::string_view utf8);

// Checks every invariant the engine relies on and returns one message per problem, each
// starting with `source` and naming the field ("scripts/check-in.json: phases[2].minutes must
// be between 1 and 120"); empty when the script is valid. Fields are named as in the JSON
// files (lowerCamelCase). Invariants:
//  - id matches is_valid_script_id; name is 1 to 80 characters; text fields keep their limits;
//  - 2 <= minMembers <= maxMembers <= 8;
//  - roles have unique valid ids and names; exactly one presenter and one consultant role,
//    at most one facilitator role;
//  - 1 to 20 phases, each with a title of 1 to 80 characters and 1 to 120 minutes;
//  - every role id a phase names (speakers, writers, prompts) is a role of the script;
//  - in a phase where the presenter is turned away, the presenter role neither speaks nor
//    writes.
std::vector<std::string> validate_script(const consult_script& script, std::string_view source);

// The scripts that ship with the server, in the order they are offered: pair-consult, troika,
// action-learning, wise-crowds. Each is valid and has built_in set. Parsed at the first call
// from the files compiled into the server (built_in_script_files() in script_files.hpp);
// throws std::logic_error naming the file and field if one does not load, which the tests
// rule out for every build. Safe to call from several threads.
const std::vector<consult_script>& built_in_scripts();

// The scripts a server offers: the built-ins and those a programme added, each id once.
// Thread safety: const member functions may be called concurrently; add() may not.
class script_catalog {
 public:
  // An empty catalog.
  script_catalog() = default;
  // A catalog holding the built-ins.
  static script_catalog with_built_ins();

  // Validates `script` and adds it. Returns the problems found (each starting with
  // `source`), including an id already taken; the catalog is unchanged unless it returns
  // none.
  std::vector<std::string> add(consult_script script, std::string_view source);

  // The script with this id, or nullptr. The pointer stays valid until the next add().
  const consult_script* find(std::string_view id) const;

  // Every script, in the order added (built-ins first when made by with_built_ins()).
  const std::vector<consult_script>& scripts() const { return scripts_; }

 private:
  std::vector<consult_script> scripts_;  // in order added; ids unique
};

}  // namespace colead::room
