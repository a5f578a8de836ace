// Sets up spdlog for colead-server: plain text or one JSON object per line.
#pragma once

#include <string>

namespace colead::app {

// Installs the default logger on stderr at `level` in `format` ("text" or "json").
void setup_logging(const std::string& level, const std::string& format);

}  // namespace colead::app
