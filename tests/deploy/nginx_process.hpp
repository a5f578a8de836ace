// Debian's nginx running the site configuration Colead ships (deploy/nginx/colead.conf) for
// one test: on loopback ports, with the test's certificate, in front of the test's server.
//
// Design: the shipped file is read and only its deployment-specific words are replaced (the
// listen addresses, the certificate paths, the upstream port); each must be found exactly
// once, so a change to the shipped file that the test cannot follow fails the test instead of
// testing something else. A small nginx.conf around it puts the pid file, logs and temporary
// folders in a folder of the test's own, and keeps nginx in the foreground (`daemon off`) as a
// child of the test; `nginx -t` checks it first so a bad configuration fails with nginx's words.
//
// Thread-safety: one thread at a time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace colead::deploy_test {

// Where nginx listens and what it serves.
struct nginx_settings {
  std::filesystem::path site_file;    // the shipped site configuration
  std::filesystem::path dir;          // the test's folder: config, logs, pid, temp files
  std::uint16_t https_port = 0;       // on 127.0.0.1, instead of 443
  std::uint16_t http_port = 0;        // on 127.0.0.1, instead of 80
  std::uint16_t upstream_port = 0;    // colead-server's port on 127.0.0.1, instead of 8080
  std::filesystem::path certificate;  // instead of the Let's Encrypt paths
  std::filesystem::path key;
};

class nginx_process {
 public:
  // Writes the configuration, checks it with `nginx -t`, starts nginx and waits up to
  // `timeout` until it accepts TCP connections on the HTTPS port. Returns null and sets
  // `error` (with nginx's own output) when any step fails.
  static std::unique_ptr<nginx_process> start(const nginx_settings& settings,
                                              std::chrono::milliseconds timeout,
                                              std::string& error);

  // Stops nginx (SIGTERM, then SIGKILL after ten seconds).
  ~nginx_process();
  nginx_process(const nginx_process&) = delete;
  nginx_process& operator=(const nginx_process&) = delete;

  // The site configuration as nginx runs it (after the replacements).
  const std::string& site() const { return site_; }
  // nginx's error log so far.
  std::string error_log() const;

 private:
  nginx_process() = default;

  pid_t pid_ = -1;
  std::filesystem::path dir_;
  std::string site_;
};

// The path of Debian's nginx.
inline constexpr const char* nginx_path = "/usr/sbin/nginx";

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick for port 0).
// Returns 0 if no socket could be bound.
std::uint16_t free_loopback_port();

}  // namespace colead::deploy_test
