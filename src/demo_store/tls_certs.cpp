#include "demo_store/tls_certs.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <random>
#include <stdexcept>

namespace wc::demo {
namespace {

void check(bool ok, const char *what) {
  if (!ok) {
    throw std::runtime_error(std::string("TLS setup failed: ") + what);
  }
}

std::unique_ptr<EVP_PKEY, PkeyDeleter> new_key() {
  EVP_PKEY *k = EVP_EC_gen("P-256");
  check(k != nullptr, "EVP_EC_gen");
  return std::unique_ptr<EVP_PKEY, PkeyDeleter>(k);
}

void add_ext(X509 *cert, X509 *issuer, int nid, const char *value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

std::unique_ptr<X509, X509Deleter> new_cert(EVP_PKEY *key, const char *cn, X509 *issuer,
                                            EVP_PKEY *issuer_key, long serial) {
  std::unique_ptr<X509, X509Deleter> cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 30);
  X509_set_pubkey(cert.get(), key);
  X509_NAME *name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char *>("woo-demo-store"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(cn),
                             -1, -1, 0);
  X509 *iss = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(iss));
  if (!issuer) {
    add_ext(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    add_ext(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  } else {
    add_ext(cert.get(), iss, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(cert.get(), iss, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_ext(cert.get(), iss, NID_ext_key_usage, "serverAuth");
    add_ext(cert.get(), iss, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    add_ext(cert.get(), iss, NID_authority_key_identifier, "keyid:always");
  }
  check(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

} // namespace

TlsMaterial make_tls_material() {
  TlsMaterial m;
  std::random_device rd;
  const long serial = static_cast<long>(rd() & 0x7fffffff) + 1;
  m.ca_key = new_key();
  m.ca_cert =
      new_cert(m.ca_key.get(), "woo-demo-store throwaway CA", nullptr, m.ca_key.get(), serial);
  m.server_key = new_key();
  m.server_cert =
      new_cert(m.server_key.get(), "127.0.0.1", m.ca_cert.get(), m.ca_key.get(), serial + 1);
  BIO *bio = BIO_new(BIO_s_mem());
  check(bio != nullptr && PEM_write_bio_X509(bio, m.ca_cert.get()) == 1, "PEM_write_bio_X509");
  char *data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  m.ca_pem.assign(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return m;
}

} // namespace wc::demo
