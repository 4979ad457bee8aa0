#pragma once
// A throwaway certificate authority and a server certificate for 127.0.0.1 / localhost,
// generated at start with OpenSSL 3 (EC P-256), so HTTPS clients can verify with --cacert.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace wc::demo {

struct X509Deleter {
  void operator()(X509 *x) const { X509_free(x); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};

struct TlsMaterial {
  std::unique_ptr<X509, X509Deleter> ca_cert;
  std::unique_ptr<EVP_PKEY, PkeyDeleter> ca_key;
  std::unique_ptr<X509, X509Deleter> server_cert;
  std::unique_ptr<EVP_PKEY, PkeyDeleter> server_key;
  std::string ca_pem;
};

// Throws std::runtime_error when OpenSSL fails.
TlsMaterial make_tls_material();

} // namespace wc::demo
