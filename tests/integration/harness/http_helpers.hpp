// Small helpers the integration tests share for the server's HTTP API and its files.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "client/http_request.hpp"

namespace colead::integration {

// The header that carries a member's invite token, a facilitator's token or the organiser key.
inline client::header_list bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

// The whole file's bytes (empty when it does not exist).
inline std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace colead::integration
