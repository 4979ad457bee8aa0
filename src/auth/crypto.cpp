#include "auth/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "core/error.hpp"

namespace wc::auth {

std::string hmac_sha256(std::string_view key, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char *>(message.data()), message.size(), digest,
            &length)) {
    throw Error(FailureType::kSystem, "HMAC-SHA256 failed (OpenSSL)");
  }
  return std::string(reinterpret_cast<const char *>(digest), length);
}

std::string random_alnum(std::size_t length) {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  out.reserve(length);
  unsigned char buf[64];
  while (out.size() < length) {
    if (RAND_bytes(buf, sizeof buf) != 1) {
      throw Error(FailureType::kSystem, "no randomness available (OpenSSL RAND_bytes)");
    }
    for (unsigned char b : buf) {
      if (b < 248 && out.size() < length) { // 248 = 4 * 62: no modulo bias
        out += kChars[b % 62];
      }
    }
  }
  return out;
}

} // namespace wc::auth
