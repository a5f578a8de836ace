#include "app/privileges.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace colead::app {

namespace fs = std::filesystem;

bool become_user(const std::string& user, const std::string& data_dir, std::string& error) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    error = "--user " + user + ": there is no such user (create it, e.g. useradd --system " + user +
            ")";
    return false;
  }
  const uid_t uid = found->pw_uid;
  const gid_t gid = found->pw_gid;
  if (::geteuid() == uid) return true;
  if (::geteuid() != 0) {
    error = "--user " + user + ": only a server started as root can become another user";
    return false;
  }
  std::error_code ec;
  auto give = [&](const fs::path& path) {
    if (::lchown(path.c_str(), uid, gid) != 0) {
      error = "cannot give " + path.string() + " to " + user + ": " + std::strerror(errno);
      return false;
    }
    return true;
  };
  if (!give(data_dir)) return false;
  for (auto it = fs::recursive_directory_iterator(data_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!give(it->path())) return false;
  }
  if (ec) {
    error = "cannot list " + data_dir + ": " + ec.message();
    return false;
  }
  // Groups first, then the group, then the user: once the user is dropped, nothing else can.
  if (::initgroups(user.c_str(), gid) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) {
    error = "cannot become " + user + ": " + std::strerror(errno);
    return false;
  }
  if (::setuid(0) == 0) {
    error = "still able to become root after switching to " + user + "; stopping";
    return false;
  }
  return true;
}

}  // namespace colead::app
