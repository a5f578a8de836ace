// Built-in TLS: the server's certificate and key as an OpenSSL context, reloadable while the
// server runs. A reload (SIGHUP) builds a new context from the files and swaps it in only if
// it loads; connections already open keep the context they started with, so members stay
// connected while the certificate changes under them.
//
// Thread safety: `current` and `reload` may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace colead::net {

class tls_context_source {
 public:
  // Loads `cert_file` (PEM chain) and `key_file` (PEM key); throws std::runtime_error naming
  // the file and what is wrong when they cannot be used.
  tls_context_source(std::string cert_file, std::string key_file);

  tls_context_source(const tls_context_source&) = delete;
  tls_context_source& operator=(const tls_context_source&) = delete;

  // The context new connections use.
  std::shared_ptr<boost::asio::ssl::context> current() const;

  // Reads the files again. On success new connections use them; on failure the current
  // context stays and `error` says why.
  bool reload(std::string& error);

 private:
  const std::string cert_file_;
  const std::string key_file_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> context_;  // guarded by mutex_
};

// True when the two files make a usable server context; `error` says why not.
bool check_tls_files(const std::string& cert_file, const std::string& key_file, std::string& error);

}  // namespace colead::net
