#include "room/script_files.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

namespace colead::room {

namespace {

using v1::ConsultPhase;
using v1::ConsultRole;
using v1::ConsultScript;

// Text from a file may hold anything; problems end up in logs, so control characters are
// replaced before they do.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  return out;
}

std::string camel_case(std::string_view path) {
  std::string out;
  bool upper_next = false;
  for (const char c : path) {
    if (c == '_') {
      upper_next = true;
      continue;
    }
    out += upper_next && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper_next = false;
  }
  return out;
}

// The values an enum accepts by name, e.g. "PRESENTER, CONSULTANT or FACILITATOR".
std::string enum_choices(const google::protobuf::EnumDescriptor& e) {
  std::vector<std::string> names;
  for (int i = 0; i < e.value_count(); ++i) {
    if (e.value(i)->number() != 0) names.push_back(e.value(i)->name());
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

std::string describe_type(std::string_view type) {
  if (type == "TYPE_STRING") return "text in quotes";
  if (type == "TYPE_BOOL") return "true or false";
  if (type.starts_with("TYPE_INT") || type.starts_with("TYPE_UINT") ||
      type.starts_with("TYPE_SINT")) {
    return "a whole number";
  }
  constexpr std::string_view type_url = "type.googleapis.com/";
  if (type.starts_with(type_url)) {
    type.remove_prefix(type_url.size());
    if (const auto* e = google::protobuf::DescriptorPool::generated_pool()->FindEnumTypeByName(
            std::string(type))) {
      return "one of " + enum_choices(*e);
    }
  }
  return {};
}

// Where in the text a protobuf JSON syntax error is. Its message is the reason, a line, then
// a snippet of the input and a line with a caret under the offending character; finding the
// snippet in the input gives the position. Returns an empty string when it cannot tell.
std::string error_position(std::string_view message, std::string_view json) {
  const auto first_newline = message.find('\n');
  const auto last_newline = message.rfind('\n');
  if (first_newline == std::string_view::npos || last_newline <= first_newline) return {};
  const std::string_view snippet =
      message.substr(first_newline + 1, last_newline - first_newline - 1);
  const std::string_view caret_line = message.substr(last_newline + 1);
  const auto caret = caret_line.find('^');
  const auto at = json.find(snippet);
  if (caret == std::string_view::npos || at == std::string_view::npos || snippet.empty()) {
    return {};
  }
  const auto offset = std::min(json.size(), at + caret);
  const auto before = json.substr(0, offset);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const auto line_start = before.rfind('\n');
  const auto column = line_start == std::string_view::npos ? offset + 1 : offset - line_start;
  return " (line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
}

// Rewrites a protobuf JSON parse error as a problem naming the field, in the same words the
// validation uses.
std::string describe_json_error(std::string_view message, std::string_view json) {
  constexpr std::string_view invalid = "): invalid value ";
  constexpr std::string_view for_type = " for type ";
  if (message.starts_with('(')) {
    const auto close = message.find(invalid);
    const auto type_at = message.rfind(for_type);
    if (close != std::string_view::npos && type_at != std::string_view::npos && type_at > close) {
      const std::string field = camel_case(message.substr(1, close - 1));
      const auto value = message.substr(close + invalid.size(), type_at - close - invalid.size());
      const auto wanted = describe_type(message.substr(type_at + for_type.size()));
      if (!wanted.empty()) {
        return field + " must be " + wanted + " (it is " + std::string(value) + ")";
      }
      return field + " is not valid here (" + std::string(value) + ")";
    }
  }
  // "minuts: Cannot find field." at the top level, "(phases[1]) minuts: ..." inside.
  constexpr std::string_view unknown = ": Cannot find field.";
  if (message.ends_with(unknown)) {
    auto name = message.substr(0, message.size() - unknown.size());
    std::string field;
    if (name.starts_with('(')) {
      if (const auto close = name.find(") "); close != std::string_view::npos) {
        field = camel_case(name.substr(1, close - 1)) + ".";
        name.remove_prefix(close + 2);
      }
    }
    return field + std::string(name) +
           " is not a field of a script (docs/consulting.md lists them)";
  }
  if (message.find("Root element must be a message") != std::string_view::npos) {
    return "must hold one JSON object, the script";
  }
  const auto reason = message.substr(0, message.find('\n'));
  return "is not valid JSON: " + std::string(reason) + error_position(message, json);
}

consult_role_kind kind_from_proto(ConsultRole::Kind kind) {
  switch (kind) {
    case ConsultRole::PRESENTER:
      return consult_role_kind::presenter;
    case ConsultRole::FACILITATOR:
      return consult_role_kind::facilitator;
    default:
      return consult_role_kind::consultant;
  }
}

ConsultRole::Kind kind_to_proto(consult_role_kind kind) {
  switch (kind) {
    case consult_role_kind::presenter:
      return ConsultRole::PRESENTER;
    case consult_role_kind::consultant:
      return ConsultRole::CONSULTANT;
    case consult_role_kind::facilitator:
      return ConsultRole::FACILITATOR;
  }
  return ConsultRole::KIND_UNSPECIFIED;
}

std::vector<std::string> strings(const google::protobuf::RepeatedPtrField<std::string>& field) {
  return {field.begin(), field.end()};
}

void set_strings(google::protobuf::RepeatedPtrField<std::string>* field,
                 const std::vector<std::string>& values) {
  for (const auto& value : values)
    field->Add()->assign(value);
}

std::string prefixed(std::string_view source, std::string_view problem) {
  return std::string(source) + ": " + std::string(problem);
}

}  // namespace

v1::ConsultScript to_proto(const consult_script& script) {
  ConsultScript message;
  message.set_id(script.id);
  message.set_name(script.name);
  message.set_description(script.description);
  message.set_min_members(script.min_members);
  message.set_max_members(script.max_members);
  for (const auto& role : script.roles) {
    auto* r = message.add_roles();
    r->set_id(role.id);
    r->set_name(role.name);
    r->set_kind(kind_to_proto(role.kind));
    r->set_description(role.description);
  }
  for (const auto& phase : script.phases) {
    auto* p = message.add_phases();
    p->set_title(phase.title);
    p->set_minutes(phase.minutes);
    set_strings(p->mutable_speakers(), phase.speakers);
    set_strings(p->mutable_question_writers(), phase.question_writers);
    set_strings(p->mutable_note_writers(), phase.note_writers);
    set_strings(p->mutable_document_editors(), phase.document_editors);
    p->set_counts_as_reflection(phase.counts_as_reflection);
    p->set_presenter_turned_away(phase.presenter_turned_away);
    for (const auto& [role_id, prompt] : phase.prompts)
      (*p->mutable_prompts())[role_id] = prompt;
    p->set_rule(phase.rule);
  }
  message.set_rotate_presenter(script.rotate_presenter);
  message.set_source(script.source);
  message.set_built_in(script.built_in);
  return message;
}

script_parse_result from_proto(const v1::ConsultScript& message, std::string_view source) {
  script_parse_result result;
  auto& problems = result.problems;
  // Proto3 cannot tell a missing number from 0 unless the field has presence, so the fields
  // where 0 or false would be a silent wrong default are `optional` and checked here.
  if (message.built_in()) {
    problems.push_back(prefixed(source,
                                "builtIn is set by the server for its own scripts; "
                                "remove it from the file"));
  }
  if (!message.has_min_members()) problems.push_back(prefixed(source, "minMembers is required"));
  if (!message.has_max_members()) problems.push_back(prefixed(source, "maxMembers is required"));
  for (int i = 0; i < message.roles_size(); ++i) {
    const auto kind = message.roles(i).kind();
    const std::string field = "roles[" + std::to_string(i) + "].kind";
    if (kind == ConsultRole::KIND_UNSPECIFIED) {
      problems.push_back(prefixed(source, field + " is required (one of " +
                                              enum_choices(*ConsultRole::Kind_descriptor()) + ")"));
    } else if (!ConsultRole::Kind_IsValid(kind)) {
      problems.push_back(prefixed(source, field + " must be one of " +
                                              enum_choices(*ConsultRole::Kind_descriptor()) +
                                              " (it is " + std::to_string(kind) + ")"));
    }
  }
  for (int i = 0; i < message.phases_size(); ++i) {
    const auto& phase = message.phases(i);
    const std::string field = "phases[" + std::to_string(i) + "]";
    if (!phase.has_minutes()) problems.push_back(prefixed(source, field + ".minutes is required"));
    if (!phase.has_counts_as_reflection()) {
      problems.push_back(
          prefixed(source, field + ".countsAsReflection is required (true or false)"));
    }
  }
  if (!problems.empty()) return result;

  consult_script script;
  script.id = message.id();
  script.name = message.name();
  script.description = message.description();
  script.source = message.source();
  script.min_members = message.min_members();
  script.max_members = message.max_members();
  script.rotate_presenter = message.rotate_presenter();
  for (const auto& r : message.roles()) {
    script.roles.push_back({r.id(), r.name(), kind_from_proto(r.kind()), r.description()});
  }
  for (const auto& p : message.phases()) {
    consult_phase phase;
    phase.title = p.title();
    phase.minutes = p.minutes();
    phase.speakers = strings(p.speakers());
    phase.question_writers = strings(p.question_writers());
    phase.note_writers = strings(p.note_writers());
    phase.document_editors = strings(p.document_editors());
    phase.counts_as_reflection = p.counts_as_reflection();
    phase.presenter_turned_away = p.presenter_turned_away();
    phase.prompts = {p.prompts().begin(), p.prompts().end()};
    phase.rule = p.rule();
    script.phases.push_back(std::move(phase));
  }
  problems = validate_script(script, source);
  if (problems.empty()) result.script = std::move(script);
  return result;
}

script_parse_result parse_script_json(std::string_view json, std::string_view source) {
  const auto blank = std::all_of(json.begin(), json.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  });
  if (blank) return {std::nullopt, {prefixed(source, "is empty")}};
  ConsultScript message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status =
      google::protobuf::util::JsonStringToMessage(std::string(json), &message, options);
  if (!status.ok()) {
    const auto raw = status.message();
    return {std::nullopt,
            {prefixed(source, printable(describe_json_error(
                                  std::string_view(raw.data(), raw.size()), json)))}};
  }
  auto result = from_proto(message, source);
  for (auto& problem : result.problems)
    problem = printable(problem);
  return result;
}

std::string to_script_json(const consult_script& script) {
  auto message = to_proto(script);
  message.clear_built_in();
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string out;
  // Printing a message that was just built cannot fail; an empty result would say so.
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

script_parse_result load_script_file(const std::filesystem::path& path, std::string_view source) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return {std::nullopt, {prefixed(source, "cannot be read (" + ec.message() + ")")}};
  if (size > max_script_file_bytes) {
    return {std::nullopt,
            {prefixed(source, "is larger than " + std::to_string(max_script_file_bytes / 1024) +
                                  " KiB (" + std::to_string(size) + " bytes)")}};
  }
  std::ifstream in(path, std::ios::binary);
  std::string text;
  if (in) {
    // Read at most one byte over the limit, in case the file grew since it was measured.
    text.resize(static_cast<std::size_t>(max_script_file_bytes) + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
  }
  if (!in && !in.eof()) return {std::nullopt, {prefixed(source, "cannot be read")}};
  if (text.size() > max_script_file_bytes) {
    return {std::nullopt,
            {prefixed(source,
                      "is larger than " + std::to_string(max_script_file_bytes / 1024) + " KiB")}};
  }
  return parse_script_json(text, source);
}

script_folder load_script_folder(const std::filesystem::path& folder) {
  script_folder result;
  std::error_code ec;
  std::filesystem::directory_iterator it(folder, ec);
  if (ec) {
    result.problems.push_back(folder.string() + ": cannot read the scripts folder (" +
                              ec.message() + ")");
    return result;
  }
  std::vector<std::string> names;
  for (const std::filesystem::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    if (name.starts_with('.') || !name.ends_with(".json")) continue;
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    names.push_back(name);
  }
  if (ec) {
    result.problems.push_back(folder.string() + ": cannot list the scripts folder (" +
                              ec.message() + ")");
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    const std::string source = (folder / name).string();
    auto parsed = load_script_file(folder / name, source);
    if (parsed.script) {
      result.scripts.push_back({source, std::move(*parsed.script)});
    } else {
      std::move(parsed.problems.begin(), parsed.problems.end(),
                std::back_inserter(result.problems));
    }
  }
  return result;
}

loaded_catalog load_script_catalog(const std::filesystem::path& folder) {
  loaded_catalog result{script_catalog::with_built_ins(), {}};
  auto loaded = load_script_folder(folder);
  result.problems = std::move(loaded.problems);
  for (auto& file : loaded.scripts) {
    auto problems = result.catalog.add(std::move(file.script), file.source);
    std::move(problems.begin(), problems.end(), std::back_inserter(result.problems));
  }
  return result;
}

}  // namespace colead::room
