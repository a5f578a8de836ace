#include "nginx_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "harness/process.hpp"

namespace colead::deploy_test {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Replaces the one occurrence of `from` in `text`; false when it occurs zero or several times.
bool replace_once(std::string& text, const std::string& from, const std::string& to,
                  std::string& error) {
  auto at = text.find(from);
  if (at == std::string::npos || text.find(from, at + from.size()) != std::string::npos) {
    error = "the site configuration should hold '" + from + "' exactly once";
    return false;
  }
  text.replace(at, from.size(), to);
  return true;
}

// True once something accepts a TCP connection on 127.0.0.1:`port`.
bool accepts(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

}  // namespace

std::uint16_t free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  std::uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

std::unique_ptr<nginx_process> nginx_process::start(const nginx_settings& settings,
                                                    milliseconds timeout, std::string& error) {
  std::unique_ptr<nginx_process> nginx(new nginx_process);
  nginx->dir_ = settings.dir;
  auto& site = nginx->site_;
  site = read_file(settings.site_file);
  if (site.empty()) {
    error = "cannot read the site configuration " + settings.site_file.string();
    return nullptr;
  }
  auto https = "127.0.0.1:" + std::to_string(settings.https_port);
  auto http = "127.0.0.1:" + std::to_string(settings.http_port);
  // Loopback only: a test never listens on the machine's other addresses, and IPv6 may be off.
  if (!replace_once(site, "listen 443 ssl http2;", "listen " + https + " ssl http2;", error) ||
      !replace_once(site, "listen [::]:443 ssl http2;", "", error) ||
      !replace_once(site, "listen 80;", "listen " + http + ";", error) ||
      !replace_once(site, "listen [::]:80;", "", error) ||
      !replace_once(site, "/etc/letsencrypt/live/colead.example.org/fullchain.pem",
                    settings.certificate.string(), error) ||
      !replace_once(site, "/etc/letsencrypt/live/colead.example.org/privkey.pem",
                    settings.key.string(), error) ||
      !replace_once(site, "server 127.0.0.1:8080;",
                    "server 127.0.0.1:" + std::to_string(settings.upstream_port) + ";", error)) {
    return nullptr;
  }

  auto dir = settings.dir.string();
  std::ostringstream main;
  main << "# The test's nginx: everything in " << dir << ", in the foreground.\n"
       << "daemon off;\n"
       << "master_process on;\n"
       << "worker_processes 1;\n"
       // As root nginx runs its worker as another user; as anyone else it stays who it is.
       << (::geteuid() == 0 ? "user nobody nogroup;\n" : "") << "pid " << dir << "/nginx.pid;\n"
       << "error_log " << dir << "/error.log notice;\n"
       << "events { worker_connections 256; }\n"
       << "http {\n"
       << "    access_log " << dir << "/access.log;\n"
       << "    client_body_temp_path " << dir << "/client_body;\n"
       << "    proxy_temp_path " << dir << "/proxy;\n"
       << "    fastcgi_temp_path " << dir << "/fastcgi;\n"
       << "    uwsgi_temp_path " << dir << "/uwsgi;\n"
       << "    scgi_temp_path " << dir << "/scgi;\n"
       << "    include " << dir << "/colead.conf;\n"
       << "}\n";
  {
    std::ofstream out(settings.dir / "colead.conf");
    out << site;
    std::ofstream conf(settings.dir / "nginx.conf");
    conf << main.str();
    if (!out || !conf) {
      error = "cannot write nginx's configuration in " + dir;
      return nullptr;
    }
  }

  std::vector<std::string> argv = {nginx_path,         "-p", dir + "/",          "-e",
                                   dir + "/error.log", "-c", dir + "/nginx.conf"};
  auto check = argv;
  check.push_back("-t");
  auto checked = integration::run_process(check, "", timeout);
  if (!checked.status.exited || checked.status.code != 0) {
    error = "nginx -t refused the configuration (" + checked.status.describe() +
            "): " + checked.err + checked.out + "\nthe site as tested:\n" + site;
    return nullptr;
  }

  int log_fd =
      ::open((settings.dir / "nginx.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  nginx->pid_ = integration::spawn(argv, -1, log_fd, log_fd, error);
  if (log_fd >= 0) ::close(log_fd);
  if (nginx->pid_ < 0) return nullptr;

  auto deadline = steady::now() + timeout;
  while (!accepts(settings.https_port)) {
    auto ended = integration::wait_for_exit(nginx->pid_, milliseconds(0));
    if (!ended.timed_out) {
      nginx->pid_ = -1;
      error = "nginx stopped (" + ended.describe() + "): " + nginx->error_log() +
              read_file(settings.dir / "nginx.out");
      return nullptr;
    }
    if (steady::now() >= deadline) {
      error = "nginx did not listen on " + https + " within " + std::to_string(timeout.count()) +
              " ms: " + nginx->error_log();
      return nullptr;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  return nginx;
}

nginx_process::~nginx_process() {
  if (pid_ < 0) return;
  // SIGTERM is nginx's fast shutdown: open WebSockets are cut, not waited for (SIGQUIT).
  ::kill(pid_, SIGTERM);
  auto ended = integration::wait_for_exit(pid_, milliseconds(10000));
  if (ended.timed_out) {
    ::kill(pid_, SIGKILL);
    integration::wait_for_exit(pid_, milliseconds(10000));
  }
}

std::string nginx_process::error_log() const {
  return read_file(dir_ / "error.log");
}

}  // namespace colead::deploy_test
