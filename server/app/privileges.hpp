// Running as a service user: a server started as root (a quickstart on a fresh machine, a
// container's entry point) binds its port and opens its files, then becomes an ordinary
// user so a fault in it cannot act as root. Under systemd the unit's User= does this
// instead.
#pragma once

#include <string>

namespace colead::app {

// When running as root: gives `data_dir` and everything in it to `user` (so the files stay
// usable by that user after a restart), then switches the process's groups, group and user
// to `user`'s for good. When already running as `user`, does nothing. Returns false with
// `error` set when the user does not exist, the process is another non-root user, or a step
// fails (the caller must then stop).
bool become_user(const std::string& user, const std::string& data_dir, std::string& error);

}  // namespace colead::app
