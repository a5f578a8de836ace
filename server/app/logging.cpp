#include "app/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace colead::app {

namespace {

// Appends `text` to `out` as the inside of a JSON string.
void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
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
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
}

// One JSON object per line: {"timeMs":..., "level":..., "msg":...}, with the message escaped
// so any text stays valid JSON. A line about one connection starts with "[conn N ADDR] "
// (net's log_tag); that becomes "conn":N,"addr":"ADDR" so logs can be filtered by either.
class json_formatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    auto ms = duration_cast<milliseconds>(msg.time.time_since_epoch()).count();
    std::string out = "{\"timeMs\":" + std::to_string(ms) + ",\"level\":\"";
    auto level = spdlog::level::to_string_view(msg.level);
    out.append(level.data(), level.size());
    out += '"';
    std::string_view text(msg.payload.data(), msg.payload.size());
    constexpr std::string_view tag = "[conn ";
    if (text.substr(0, tag.size()) == tag) {
      auto space = text.find(' ', tag.size());
      auto close = text.find("] ", tag.size());
      if (space != std::string_view::npos && close != std::string_view::npos && space < close) {
        auto id = text.substr(tag.size(), space - tag.size());
        if (!id.empty() && id.find_first_not_of("0123456789") == std::string_view::npos) {
          out += ",\"conn\":";
          out.append(id.data(), id.size());
          out += ",\"addr\":\"";
          append_escaped(out, text.substr(space + 1, close - space - 1));
          out += '"';
          text.remove_prefix(close + 2);
        }
      }
    }
    out += ",\"msg\":\"";
    append_escaped(out, text);
    out += "\"}\n";
    dest.append(out.data(), out.data() + out.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<json_formatter>();
  }
};

}  // namespace

void setup_logging(const std::string& level, const std::string& format) {
  auto logger = spdlog::stderr_logger_mt("colead");
  if (format == "json") {
    logger->set_formatter(std::make_unique<json_formatter>());
  } else {
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  }
  logger->set_level(spdlog::level::from_str(level));
  // Lines must reach a supervising process (and tests) at once.
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

}  // namespace colead::app
