#include "detail/transport.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace colead::client::detail {

std::shared_ptr<ssl::context> make_tls_context(const std::string& ca_file, std::string& error) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  // TLS 1.0 and 1.1 are broken and every server Colead runs behind speaks 1.2 or 1.3.
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_verify_mode(ssl::verify_peer);
  beast::error_code ec;
  if (ca_file.empty()) {
    context->set_default_verify_paths(ec);
    if (ec) {
      error = "cannot load the system's certificate authorities: " + ec.message();
      return nullptr;
    }
  } else {
    context->load_verify_file(ca_file, ec);
    if (ec) {
      error = "cannot read certificate authorities from " + ca_file + ": " + ec.message();
      return nullptr;
    }
  }
  return context;
}

bool expect_server(tls_stream& stream, const std::string& host, std::string& error) {
  SSL* handle = stream.native_handle();
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  bool is_address = !ec;
  // OpenSSL checks the name (or address) during the handshake, so a mismatch fails it with
  // X509_V_ERR_HOSTNAME_MISMATCH and a reason a person can read.
  int checked = is_address ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), host.c_str())
                           : SSL_set1_host(handle, host.c_str());
  if (checked != 1) {
    error = "cannot ask TLS to check the certificate for " + host;
    return false;
  }
  // RFC 6066 forbids addresses in SNI; a name lets a server with several sites pick ours.
  if (!is_address && SSL_set_tlsext_host_name(handle, host.c_str()) != 1) {
    error = "cannot send the server name " + host + " in the TLS handshake";
    return false;
  }
  return true;
}

std::string describe_tls_failure(tls_stream& stream, const beast::error_code& ec) {
  long verified = SSL_get_verify_result(stream.native_handle());
  if (verified != X509_V_OK) {
    return std::string("the server's certificate is not accepted: ") +
           X509_verify_cert_error_string(verified);
  }
  return "the TLS handshake failed: " + ec.message();
}

}  // namespace colead::client::detail
