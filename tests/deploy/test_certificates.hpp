// Certificates made for one test with the openssl command: a certificate authority and a
// server certificate it signed, so a client that trusts the authority's file (and only that)
// can check the server the way it checks a real one.
//
// Free function; writes only inside the folder it is given. Thread-safe for distinct folders.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace colead::deploy_test {

// The files a test's TLS server and clients use.
struct test_certificates {
  std::filesystem::path ca_file;      // the authority's certificate (PEM): what clients trust
  std::filesystem::path certificate;  // the server's certificate (PEM), signed by the authority
  std::filesystem::path key;          // the server's private key (PEM)
};

// Makes an authority and a server certificate valid for `names` (subjectAltName entries such
// as "DNS:localhost" or "IP:127.0.0.1") in `dir`, with P-256 keys valid for two days.
// Returns false and sets `error` (with openssl's output) if openssl fails.
bool make_test_certificates(const std::filesystem::path& dir, const std::vector<std::string>& names,
                            test_certificates& out, std::string& error);

}  // namespace colead::deploy_test
