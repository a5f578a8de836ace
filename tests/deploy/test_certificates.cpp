#include "test_certificates.hpp"

#include <fstream>

#include "harness/process.hpp"

namespace colead::deploy_test {

namespace {

using std::chrono::milliseconds;

// Key generation and signing take well under a second; a loaded machine gets more.
constexpr milliseconds openssl_timeout{30000};

bool run_openssl(std::vector<std::string> args, std::string& error) {
  args.insert(args.begin(), "/usr/bin/openssl");
  auto result = integration::run_process(args, "", openssl_timeout);
  if (result.status.exited && result.status.code == 0) return true;
  std::string command;
  for (const auto& arg : args)
    command += (command.empty() ? "" : " ") + arg;
  error = command + " failed (" + result.status.describe() + "): " + result.err + result.out;
  return false;
}

}  // namespace

bool make_test_certificates(const std::filesystem::path& dir, const std::vector<std::string>& names,
                            test_certificates& out, std::string& error) {
  auto ca_key = (dir / "ca.key").string();
  out.ca_file = dir / "ca.pem";
  out.certificate = dir / "server.pem";
  out.key = dir / "server.key";
  auto request = (dir / "server.csr").string();
  auto extensions = dir / "server.ext";

  std::string alt_names;
  for (const auto& name : names)
    alt_names += (alt_names.empty() ? "" : ",") + name;
  {
    std::ofstream ext(extensions);
    ext << "basicConstraints = critical, CA:FALSE\n"
        << "keyUsage = critical, digitalSignature\n"
        << "extendedKeyUsage = serverAuth\n"
        << "subjectAltName = " << alt_names << "\n";
    if (!ext) {
      error = "cannot write " + extensions.string();
      return false;
    }
  }
  const std::vector<std::string> p256 = {"-newkey", "ec", "-pkeyopt",
                                         "ec_paramgen_curve:prime256v1", "-nodes"};
  auto with_key = [&](std::vector<std::string> args) {
    args.insert(args.begin() + 1, p256.begin(), p256.end());
    return args;
  };
  return run_openssl(with_key({"req", "-x509", "-keyout", ca_key, "-out", out.ca_file.string(),
                               "-days", "2", "-subj", "/CN=Colead test authority", "-addext",
                               "basicConstraints=critical,CA:TRUE", "-addext",
                               "keyUsage=critical,keyCertSign,cRLSign"}),
                     error) &&
         run_openssl(with_key({"req", "-keyout", out.key.string(), "-out", request, "-subj",
                               "/CN=Colead test server"}),
                     error) &&
         run_openssl({"x509", "-req", "-in", request, "-CA", out.ca_file.string(), "-CAkey", ca_key,
                      "-CAcreateserial", "-out", out.certificate.string(), "-days", "2", "-extfile",
                      extensions.string()},
                     error);
}

}  // namespace colead::deploy_test
