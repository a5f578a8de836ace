#include "app/logging.hpp"

#include <chrono>
#include <mutex>

#include <google/protobuf/stubs/logging.h>
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

// Protobuf reports through its own log handler, which writes to stderr: that would break
// the JSON log format, and a client can make it speak at will (every string with invalid
// UTF-8 in a binary frame is one "[libprotobuf ERROR ...]" line). Its lines go through
// spdlog instead, at most `burst` of them per `window`; the next line after a quiet window
// says how many were left out.
class protobuf_log {
 public:
  static void handle(google::protobuf::LogLevel level, const char* filename, int line,
                     const std::string& message) {
    instance().write(level, filename, line, message);
  }

 private:
  static constexpr int burst = 5;
  static constexpr auto window = std::chrono::seconds(60);

  static protobuf_log& instance() {
    static protobuf_log log;
    return log;
  }

  void write(google::protobuf::LogLevel level, const char* filename, int line,
             const std::string& message) {
    std::size_t left_out = 0;
    {
      std::lock_guard lock(mutex_);
      const auto now = std::chrono::steady_clock::now();
      if (now - window_start_ >= window) {
        window_start_ = now;
        written_ = 0;
      }
      // Fatal lines are never left out: the process ends after them.
      if (written_ >= burst && level != google::protobuf::LOGLEVEL_FATAL) {
        ++suppressed_;
        return;
      }
      ++written_;
      left_out = suppressed_;
      suppressed_ = 0;
    }
    const auto spd = level == google::protobuf::LOGLEVEL_FATAL  ? spdlog::level::critical
                     : level == google::protobuf::LOGLEVEL_INFO ? spdlog::level::debug
                                                                : spdlog::level::warn;
    if (left_out > 0) {
      spdlog::log(spd, "protobuf ({}:{}): {} ({} similar lines left out)", filename, line, message,
                  left_out);
    } else {
      spdlog::log(spd, "protobuf ({}:{}): {}", filename, line, message);
    }
  }

  std::mutex mutex_;
  std::chrono::steady_clock::time_point window_start_{};  // guarded by mutex_
  int written_ = 0;                                       // in this window; guarded by mutex_
  std::size_t suppressed_ = 0;                            // guarded by mutex_
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
  google::protobuf::SetLogHandler(&protobuf_log::handle);
}

}  // namespace colead::app
