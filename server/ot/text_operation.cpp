#include "ot/text_operation.hpp"

#include <algorithm>
#include <cstdio>

#include "ot/utf8.hpp"

namespace colead::ot {
namespace {

// Words for error messages: "1 character", "12 characters".
std::string characters(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " character" : " characters");
}

const char* kind_name(component_kind kind) {
  switch (kind) {
    case component_kind::retain:
      return "retain";
    case component_kind::insert:
      return "insert";
    case component_kind::remove:
      return "delete";
  }
  return "?";
}

// A piece of a component handed out by a cursor. For inserts `text` views the original
// operation's text, so nothing is copied until the piece is appended to a result.
struct piece {
  component_kind kind;
  std::size_t count;
  std::string_view text;
};

// Walks an operation's components, handing out whole components or their prefixes. Splitting
// an insert advances a byte offset inside its text, so taking an insert apart piece by piece
// is linear in its size.
class cursor {
 public:
  explicit cursor(const text_operation& op) : components_(op.components()) {}

  bool done() const { return index_ == components_.size(); }
  component_kind kind() const { return components_[index_].kind; }
  // Code points left in the current component. Precondition: !done().
  std::size_t remaining() const { return components_[index_].count - used_; }

  // Takes the rest of the current component. Precondition: !done().
  piece take_all() { return take(remaining()); }

  // Takes the next n code points of the current component.
  // Precondition: !done() and 0 < n <= remaining().
  piece take(std::size_t n) {
    const component& c = components_[index_];
    piece out{c.kind, n, {}};
    if (c.kind == component_kind::insert) {
      const std::size_t end = n == remaining() ? c.text.size() : utf8::advance(c.text, byte_, n);
      out.text = std::string_view(c.text).substr(byte_, end - byte_);
      byte_ = end;
    }
    used_ += n;
    if (used_ == c.count) {
      ++index_;
      used_ = 0;
      byte_ = 0;
    }
    return out;
  }

 private:
  const std::vector<component>& components_;
  std::size_t index_ = 0;
  std::size_t used_ = 0;  // code points of components_[index_] already taken
  std::size_t byte_ = 0;  // byte offset in components_[index_].text for inserts
};

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (char ch : text) {
    const auto b = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (b < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", b);
          out += buffer;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace

component component::insert(std::string text) {
  const std::size_t n = utf8::count_code_points(text);
  return {component_kind::insert, n, std::move(text)};
}

result<text_operation> text_operation::from_components(std::span<const component> components) {
  text_operation op;
  std::size_t position = 0;
  for (const component& c : components) {
    ++position;
    const std::string where =
        "component " + std::to_string(position) + " (" + kind_name(c.kind) + ")";
    switch (c.kind) {
      case component_kind::retain:
      case component_kind::remove:
        if (c.count > max_component_count) {
          return status::invalid_op(where + " counts " + std::to_string(c.count) +
                                    " characters, more than any document can hold");
        }
        if (!c.text.empty()) return status::invalid_op(where + " carries text");
        if (c.kind == component_kind::retain) {
          op.retain(c.count);
        } else {
          op.remove(c.count);
        }
        break;
      case component_kind::insert: {
        const utf8::validation check = utf8::validate(c.text);
        if (!check.valid) {
          return status::invalid_op(where + " is not valid UTF-8: " + check.reason);
        }
        op.insert(c.text);
        break;
      }
      default:
        return status::invalid_op(where + " has an unknown kind");
    }
    // Summed lengths stay far from overflow because each count is bounded, but an operation
    // with millions of huge retains must still be refused.
    if (op.base_length_ > max_component_count || op.target_length_ > max_component_count) {
      return status::invalid_op("operation covers more characters than any document can hold");
    }
  }
  return op;
}

text_operation& text_operation::retain(std::size_t n) {
  if (n == 0) return *this;
  base_length_ += n;
  target_length_ += n;
  if (!components_.empty() && components_.back().kind == component_kind::retain) {
    components_.back().count += n;
  } else {
    components_.push_back(component::retain(n));
  }
  return *this;
}

text_operation& text_operation::insert(std::string_view text) {
  if (text.empty()) return *this;
  const std::size_t n = utf8::count_code_points(text);
  target_length_ += n;
  const std::size_t size = components_.size();
  auto append_to = [&](component& c) {
    c.text.append(text);
    c.count += n;
  };
  if (size >= 1 && components_[size - 1].kind == component_kind::insert) {
    append_to(components_[size - 1]);
  } else if (size >= 1 && components_[size - 1].kind == component_kind::remove) {
    // Normal form puts an insert before a remove at the same position.
    if (size >= 2 && components_[size - 2].kind == component_kind::insert) {
      append_to(components_[size - 2]);
    } else {
      components_.insert(components_.end() - 1,
                         component{component_kind::insert, n, std::string(text)});
    }
  } else {
    components_.push_back(component{component_kind::insert, n, std::string(text)});
  }
  return *this;
}

text_operation& text_operation::remove(std::size_t n) {
  if (n == 0) return *this;
  base_length_ += n;
  if (!components_.empty() && components_.back().kind == component_kind::remove) {
    components_.back().count += n;
  } else {
    components_.push_back(component::remove(n));
  }
  return *this;
}

bool text_operation::is_noop() const {
  return std::all_of(components_.begin(), components_.end(),
                     [](const component& c) { return c.kind == component_kind::retain; });
}

std::string text_operation::to_json() const {
  std::string out = "[";
  for (const component& c : components_) {
    if (out.size() > 1) out += ',';
    switch (c.kind) {
      case component_kind::retain:
        out += "{\"retain\":" + std::to_string(c.count) + "}";
        break;
      case component_kind::remove:
        out += "{\"delete\":" + std::to_string(c.count) + "}";
        break;
      case component_kind::insert:
        out += "{\"insert\":";
        append_json_string(out, c.text);
        out += '}';
        break;
    }
  }
  out += ']';
  return out;
}

result<std::string> text_operation::apply(std::string_view doc,
                                          const document_limits& limits) const {
  const text_operation& op = *this;
  const std::size_t doc_length = utf8::count_code_points(doc);
  if (op.base_length() != doc_length) {
    return status::invalid_op("operation covers " + characters(op.base_length()) +
                              " but the document has " + std::to_string(doc_length));
  }
  if (op.target_length() > limits.max_code_points) {
    return status::too_large("the edit would make the document " + characters(op.target_length()) +
                             " long; the limit is " + std::to_string(limits.max_code_points));
  }
  // One pass over the document; the capacity is an upper bound, so the text is built with a
  // single allocation, and the byte limit is checked on the result.
  std::size_t inserted_bytes = 0;
  for (const component& c : op.components()) {
    if (c.kind == component_kind::insert) inserted_bytes += c.text.size();
  }
  std::string out;
  out.reserve(std::min(doc.size() + inserted_bytes, limits.max_bytes));
  std::size_t at = 0;
  for (const component& c : op.components()) {
    switch (c.kind) {
      case component_kind::retain: {
        const std::size_t next = utf8::advance(doc, at, c.count);
        out.append(doc.substr(at, next - at));
        at = next;
        break;
      }
      case component_kind::insert:
        out.append(c.text);
        break;
      case component_kind::remove:
        at = utf8::advance(doc, at, c.count);
        break;
    }
    if (out.size() > limits.max_bytes) break;
  }
  if (out.size() > limits.max_bytes) {
    // Report the full size the edit asked for, not where building stopped.
    std::size_t removed_bytes = 0;
    std::size_t position = 0;
    for (const component& c : op.components()) {
      if (c.kind == component_kind::insert) continue;
      const std::size_t next = utf8::advance(doc, position, c.count);
      if (c.kind == component_kind::remove) removed_bytes += next - position;
      position = next;
    }
    const std::size_t result_bytes = doc.size() - removed_bytes + inserted_bytes;
    return status::too_large("the edit would make the document " + std::to_string(result_bytes) +
                             " bytes long; the limit is " + std::to_string(limits.max_bytes) +
                             " bytes");
  }
  return out;
}

result<text_operation> compose(const text_operation& a, const text_operation& b) {
  if (a.target_length() != b.base_length()) {
    return status::invalid_op("cannot compose: the first operation produces " +
                              characters(a.target_length()) + " but the second covers " +
                              std::to_string(b.base_length()));
  }
  text_operation out;
  out.reserve(a.components().size() + b.components().size());
  cursor ca(a);
  cursor cb(b);
  while (!ca.done() || !cb.done()) {
    // What a removes never reaches b; what b inserts never came from a.
    if (!ca.done() && ca.kind() == component_kind::remove) {
      out.remove(ca.take_all().count);
      continue;
    }
    if (!cb.done() && cb.kind() == component_kind::insert) {
      out.insert(cb.take_all().text);
      continue;
    }
    // Equal lengths guarantee both sides run out together from here on.
    if (ca.done() || cb.done()) return status::invalid_op("cannot compose: lengths disagree");
    const std::size_t n = std::min(ca.remaining(), cb.remaining());
    const piece pa = ca.take(n);
    const piece pb = cb.take(n);
    if (pa.kind == component_kind::retain) {
      if (pb.kind == component_kind::retain) {
        out.retain(n);
      } else {
        out.remove(n);
      }
    } else if (pb.kind == component_kind::retain) {
      out.insert(pa.text);  // a inserted it and b keeps it
    }
    // a inserted and b removed the same text: it never appears.
  }
  return out;
}

result<std::pair<text_operation, text_operation>> transform(const text_operation& a,
                                                            const text_operation& b,
                                                            applied_first first) {
  if (a.base_length() != b.base_length()) {
    return status::invalid_op("cannot transform: the operations cover " +
                              characters(a.base_length()) + " and " + characters(b.base_length()) +
                              " of the same document");
  }
  // Each output step comes from a step of a or b, so this is enough room for all of them.
  const std::size_t steps = a.components().size() + b.components().size();
  text_operation a_prime;
  text_operation b_prime;
  a_prime.reserve(steps);
  b_prime.reserve(steps);
  cursor ca(a);
  cursor cb(b);
  while (!ca.done() || !cb.done()) {
    const bool a_inserts = !ca.done() && ca.kind() == component_kind::insert;
    const bool b_inserts = !cb.done() && cb.kind() == component_kind::insert;
    // Inserts go in before anything else at their position; when both sides insert here the
    // side applied first keeps its text first.
    if (a_inserts && (!b_inserts || first == applied_first::a)) {
      const piece p = ca.take_all();
      a_prime.insert(p.text);
      b_prime.retain(p.count);
      continue;
    }
    if (b_inserts) {
      const piece p = cb.take_all();
      b_prime.insert(p.text);
      a_prime.retain(p.count);
      continue;
    }
    if (ca.done() || cb.done()) return status::invalid_op("cannot transform: lengths disagree");
    const std::size_t n = std::min(ca.remaining(), cb.remaining());
    const component_kind ka = ca.take(n).kind;
    const component_kind kb = cb.take(n).kind;
    if (ka == component_kind::retain && kb == component_kind::retain) {
      a_prime.retain(n);
      b_prime.retain(n);
    } else if (ka == component_kind::remove && kb == component_kind::retain) {
      a_prime.remove(n);
    } else if (ka == component_kind::retain && kb == component_kind::remove) {
      b_prime.remove(n);
    }
    // Both removed the same text: neither needs to remove it again.
  }
  return std::pair{std::move(a_prime), std::move(b_prime)};
}

std::size_t transform_position(std::size_t position, const text_operation& op,
                               caret_gravity gravity) {
  std::size_t remaining = std::min(position, op.base_length());  // old text before the caret
  std::size_t moved = remaining;
  for (const component& c : op.components()) {
    switch (c.kind) {
      case component_kind::retain:
        if (remaining < c.count) return moved;
        remaining -= c.count;
        break;
      case component_kind::insert:
        if (remaining > 0 || gravity == caret_gravity::after_insert) {
          moved += c.count;
        } else {
          return moved;
        }
        break;
      case component_kind::remove: {
        const std::size_t gone = std::min(remaining, c.count);
        moved -= gone;
        remaining -= gone;
        break;
      }
    }
  }
  return moved;
}

selection transform_selection(const selection& sel, const text_operation& op,
                              caret_gravity gravity) {
  return {transform_position(sel.anchor, op, gravity), transform_position(sel.head, op, gravity)};
}

}  // namespace colead::ot
