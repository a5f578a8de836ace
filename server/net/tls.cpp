#include "net/tls.hpp"

#include <stdexcept>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>

namespace colead::net {

namespace {

namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> make_context(const std::string& cert, const std::string& key) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cert, ec);
  if (ec) throw std::runtime_error("tls-cert " + cert + ": " + ec.message());
  ctx->use_private_key_file(key, ssl::context::pem, ec);
  if (ec) throw std::runtime_error("tls-key " + key + ": " + ec.message());
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    ERR_clear_error();
    throw std::runtime_error("tls-key " + key + " does not match the certificate in " + cert);
  }
  return ctx;
}

}  // namespace

tls_context_source::tls_context_source(std::string cert_file, std::string key_file)
    : cert_file_(std::move(cert_file)),
      key_file_(std::move(key_file)),
      context_(make_context(cert_file_, key_file_)) {}

std::shared_ptr<ssl::context> tls_context_source::current() const {
  std::lock_guard lock(mutex_);
  return context_;
}

bool tls_context_source::reload(std::string& error) {
  try {
    auto fresh = make_context(cert_file_, key_file_);
    std::lock_guard lock(mutex_);
    context_ = std::move(fresh);
    return true;
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
}

bool check_tls_files(const std::string& cert_file, const std::string& key_file,
                     std::string& error) {
  try {
    make_context(cert_file, key_file);
    return true;
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
}

}  // namespace colead::net
