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

namespace {

// The built-ins are written as data here rather than read from files so that they are always
// present and always valid (a test checks each against validate_script). Timings and rules,
// with their sources, are in docs/consulting.md; keep the two in step.

consult_phase phase(std::string title, int minutes, std::vector<std::string> speakers,
                    std::string rule) {
  consult_phase p;
  p.title = std::move(title);
  p.minutes = minutes;
  p.speakers = std::move(speakers);
  p.rule = std::move(rule);
  return p;
}

consult_script pair_consult() {
  consult_script s;
  s.id = "pair-consult";
  s.name = "Pair consult";
  s.description =
      "Consulting to each other as a pair: one of you presents a dilemma you are experiencing, "
      "the other asks questions only, then offers reflections; then you swap.";
  s.source = "The King's Fund guide to collaborative pairs: consulting to each other";
  s.min_members = 2;
  s.max_members = 2;
  s.rotate_presenter = true;
  s.roles = {{"presenter", "Presenter", consult_role_kind::presenter,
              "Brings a dilemma they are experiencing in the collaboration."},
             {"consultant", "Consultant", consult_role_kind::consultant,
              "Helps the presenter explore and make meaning from the dilemma: questions first, "
              "reflections after, no instructions."}};

  auto present = phase("Present the dilemma", 5, {"presenter"},
                       "the presenter speaks; the consultant listens without interrupting");
  present.note_writers = {"presenter", "consultant"};
  present.prompts = {
      {"presenter",
       "Describe a dilemma you are experiencing: what is happening, what makes it hard, and "
       "what you would like help with."},
      {"consultant",
       "Listen without interrupting. Notice what you are curious about and hold back advice."}};

  auto questions = phase("Questions only", 8, {"presenter", "consultant"},
                         "questions only, no advice or suggestions yet");
  questions.question_writers = {"consultant"};
  questions.note_writers = {"presenter", "consultant"};
  questions.prompts = {
      {"presenter", "Answer as openly as you can. Notice which questions make you think again."},
      {"consultant",
       "Ask powerful, open questions that help your partner explore the dilemma: what, how, "
       "who else, what if. No advice yet."}};

  auto reflections = phase("Offer reflections", 5, {"consultant"},
                           "the consultant offers reflections; the presenter listens");
  reflections.note_writers = {"presenter", "consultant"};
  reflections.prompts = {
      {"presenter", "Listen without explaining or defending. Note what resonates."},
      {"consultant",
       "Say what you noticed: patterns, assumptions, what struck you. Offer reflections, not "
       "instructions."}};

  auto takeaways =
      phase("What I take away", 2, {"presenter"}, "the presenter says what they take away");
  takeaways.note_writers = {"presenter", "consultant"};
  takeaways.prompts = {
      {"presenter", "Say what you take away from this and record your takeaways."},
      {"consultant", "Listen. What did you learn about consulting to your partner?"}};

  s.phases = {present, questions, reflections, takeaways};
  return s;
}

consult_script troika() {
  consult_script s;
  s.id = "troika";
  s.name = "Troika Consulting";
  s.description =
      "A trio consults in turn: the client shares a challenge, the consultants ask clarifying "
      "questions, then the client turns away and listens while the consultants discuss it, "
      "and finally says what was most useful. Each member is the client once.";
  s.source = "Liberating Structures: Troika Consulting (Lipmanowicz and McCandless)";
  s.min_members = 3;
  s.max_members = 3;
  s.rotate_presenter = true;
  s.roles = {{"client", "Client", consult_role_kind::presenter,
              "Brings a challenge and says what kind of help they need."},
             {"consultant", "Consultant", consult_role_kind::consultant,
              "Asks clarifying questions, then discusses ideas and advice with the other "
              "consultant while the client listens."}};

  auto share = phase("Client shares the challenge", 2, {"client"},
                     "the client speaks; the consultants listen");
  share.note_writers = {"client", "consultant"};
  share.prompts = {{"client", "Share your challenge and the kind of help you need."},
                   {"consultant", "Listen. No questions or advice yet."}};

  auto clarify = phase("Clarifying questions", 2, {"client", "consultant"},
                       "clarifying questions only, no advice yet");
  clarify.question_writers = {"consultant"};
  clarify.note_writers = {"client", "consultant"};
  clarify.prompts = {
      {"client", "Answer briefly."},
      {"consultant", "Ask clarifying questions to understand the challenge. No advice yet."}};

  auto discuss =
      phase("Consultants discuss", 4, {"consultant"}, "the client listens with their back turned");
  discuss.presenter_turned_away = true;
  discuss.note_writers = {"consultant"};
  discuss.prompts = {
      {"client",
       "Turn your back (camera and microphone off) and listen. Write private notes; do not "
       "respond."},
      {"consultant",
       "Talk with each other, not to the client: ideas, suggestions, coaching advice. Build on "
       "each other's ideas."}};

  auto useful = phase("Client says what was useful", 2, {"client"},
                      "the client turns back and says what was most useful");
  useful.note_writers = {"client", "consultant"};
  useful.prompts = {{"client", "Turn back and say what was most useful. Record your takeaways."},
                    {"consultant", "Listen, without defending or adding to your advice."}};

  s.phases = {share, clarify, discuss, useful};
  return s;
}

consult_script action_learning() {
  consult_script s;
  s.id = "action-learning";
  s.name = "Action learning round";
  s.description =
      "An action-learning set of 4 to 8, with a facilitator if the set chooses one. Each "
      "member in turn holds an issue: they present it, the set asks clarifying questions and "
      "then questions that help them think, the issue holder summarises and says what they "
      "will do, and the set reflects on how the round went. Anyone may stop the set to look "
      "at the process.";
  s.source = "Action learning after Reg Revans, as practised in action-learning sets";
  s.min_members = 4;
  s.max_members = 8;
  s.rotate_presenter = true;
  s.roles = {{"issue-holder", "Issue holder", consult_role_kind::presenter,
              "Brings a real issue they want to act on and has the set's attention."},
             {"set-member", "Set member", consult_role_kind::consultant,
              "Helps the issue holder think by asking questions, not by giving advice."},
             {"facilitator", "Facilitator", consult_role_kind::facilitator,
              "Holds the process and helps the set learn about how it works; never presents."}};
  const std::vector<std::string> everyone = {"issue-holder", "set-member", "facilitator"};
  const std::vector<std::string> askers = {"set-member", "facilitator"};

  auto present =
      phase("Presentation", 10, {"issue-holder"}, "the issue holder presents; the set listens");
  present.note_writers = everyone;
  present.prompts = {
      {"issue-holder",
       "Present your issue: what is happening, why it matters to you, what you have tried and "
       "what help you want from the set."},
      {"set-member", "Listen fully. Note the questions that come to you; no advice."},
      {"facilitator", "Hold the space and keep the time."}};

  auto clarify =
      phase("Clarifying questions", 5, everyone, "short questions to understand the issue");
  clarify.question_writers = askers;
  clarify.note_writers = everyone;
  clarify.prompts = {
      {"issue-holder", "Answer briefly; say if a question is not one you want to explore."},
      {"set-member", "Ask short questions to understand the issue and its context."},
      {"facilitator", "Help the set keep questions short and about the issue."}};

  auto helping = phase("Questions that help", 20, everyone,
                       "open questions that help the issue holder think; no advice, no stories "
                       "of your own");
  helping.question_writers = askers;
  helping.note_writers = everyone;
  helping.prompts = {
      {"issue-holder", "Take your time to answer. Notice what shifts in how you see the issue."},
      {"set-member",
       "Ask open, powerful questions that help the issue holder see the issue differently. "
       "Resist advice and your own stories."},
      {"facilitator",
       "Notice the quality of the questioning and help the set stay with questions."}};

  auto summary =
      phase("Summary", 5, {"issue-holder"}, "the issue holder summarises what they now see");
  summary.note_writers = everyone;
  summary.prompts = {
      {"issue-holder", "Summarise what you now understand about your issue and what has shifted."},
      {"set-member", "Listen for what has shifted."},
      {"facilitator", "Listen for what has shifted."}};

  // Agreeing actions is work on the issue itself, so it counts as task time.
  auto actions = phase("Actions", 5, everyone,
                       "the issue holder says what they will do before the set meets again");
  actions.counts_as_reflection = false;
  actions.note_writers = everyone;
  actions.document_editors = {"issue-holder"};
  actions.prompts = {
      {"issue-holder", "Say what you will do before the set next meets, and by when."},
      {"set-member", "Help the issue holder make their actions specific."},
      {"facilitator", "Check the actions are the issue holder's own."}};

  auto process = phase("Learning about the process", 5, everyone,
                       "the whole set reflects on how the round went");
  process.note_writers = everyone;
  process.prompts = {
      {"issue-holder", "What helped you most in how the set worked with you?"},
      {"set-member", "What did you learn about questioning, listening and working as a set?"},
      {"facilitator", "Invite everyone to reflect on the process and say what you noticed."}};

  s.phases = {present, clarify, helping, summary, actions, process};
  return s;
}

consult_script wise_crowds() {
  consult_script s;
  s.id = "wise-crowds";
  s.name = "Wise Crowds";
  s.description =
      "A group of 4 to 7 consults to each member in turn: the client presents a challenge and "
      "asks for help, the consultants ask clarifying questions, then the client turns away "
      "and listens while the others consult, and finally says what was most valuable.";
  s.source = "Liberating Structures: Wise Crowds (Lipmanowicz and McCandless)";
  s.min_members = 4;
  s.max_members = 7;
  s.rotate_presenter = true;
  s.roles = {{"client", "Client", consult_role_kind::presenter,
              "Presents a challenge and asks the group for help."},
             {"consultant", "Consultant", consult_role_kind::consultant,
              "Helps the client clarify the challenge, then offers advice and recommendations "
              "with the other consultants."}};

  auto present = phase("Client presents", 2, {"client"},
                       "the client presents the challenge and asks for help");
  present.note_writers = {"client", "consultant"};
  present.prompts = {{"client", "Present your challenge and say what help you are asking for."},
                     {"consultant", "Listen. No questions or advice yet."}};

  auto clarify = phase("Clarifying questions", 3, {"client", "consultant"},
                       "clarifying questions only, no advice yet");
  clarify.question_writers = {"consultant"};
  clarify.note_writers = {"client", "consultant"};
  clarify.prompts = {
      {"client", "Answer briefly."},
      {"consultant", "Ask clarifying questions to understand the challenge. No advice yet."}};

  auto consult =
      phase("Consultants consult", 8, {"consultant"}, "the client listens with their back turned");
  consult.presenter_turned_away = true;
  consult.note_writers = {"consultant"};
  consult.prompts = {
      {"client",
       "Turn your back (camera and microphone off) and listen. Write private notes; do not "
       "respond."},
      {"consultant",
       "Consult with each other, not with the client: ideas, advice, recommendations. Build on "
       "each other's ideas."}};

  auto valuable = phase("Client says what was most valuable", 2, {"client"},
                        "the client turns back and says what was most valuable");
  valuable.note_writers = {"client", "consultant"};
  valuable.prompts = {
      {"client", "Turn back and say what was most valuable. Record your takeaways."},
      {"consultant", "Listen, without defending or adding to your advice."}};

  s.phases = {present, clarify, consult, valuable};
  return s;
}

}  // namespace

const std::vector<consult_script>& built_in_scripts() {
  static const std::vector<consult_script> scripts = [] {
    std::vector<consult_script> all = {pair_consult(), troika(), action_learning(), wise_crowds()};
    for (auto& script : all)
      script.built_in = true;
    return all;
  }();
  return scripts;
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
