// Small helpers the integration tests share for the server's HTTP API and its files.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "client/http_request.hpp"
#include "harness/server_process.hpp"

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

// How many rooms the server has created, from /metrics; -1 when it does not say.
inline long rooms_created(const server_process& server) {
  auto result = client::http_request("GET", server.url() + "/metrics", {}, {},
                                     std::chrono::milliseconds(10000));
  const std::string name = "\ncolead_rooms_created_total ";
  auto at = result.response.body.find(name);
  if (at == std::string::npos) return -1;
  return std::stol(result.response.body.substr(at + name.size()));
}

}  // namespace colead::integration
