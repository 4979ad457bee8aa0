#include "webhook/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <climits>

#include "core/encoding.hpp"
#include "core/error.hpp"

namespace wc::webhook {
namespace {

using Mac = std::array<unsigned char, 32>;

} // namespace

namespace detail {

bool hmac(std::string_view digest_name, std::string_view body, std::string_view key,
          std::array<unsigned char, 32> &out) {
  out.fill(0);
  const EVP_MD *md = EVP_get_digestbyname(std::string(digest_name).c_str());
  // An unknown digest (md == nullptr) is left to HMAC(), whose failure is checked below.
  if ((md != nullptr && EVP_MD_get_size(md) != static_cast<int>(out.size())) ||
      key.size() > static_cast<std::size_t>(INT_MAX)) {
    return false;
  }
  unsigned int len = 0;
  if (HMAC(md, key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char *>(body.data()), body.size(), out.data(),
           &len) == nullptr ||
      len != out.size()) {
    out.fill(0);
    return false;
  }
  return true;
}

} // namespace detail

namespace {

// Strict base64 decoding of a 32-byte MAC (44 characters, one '=' of padding).
bool decode_mac(std::string_view text, Mac &out) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  if (text.size() != 44 || text[43] != '=') {
    return false;
  }
  std::size_t o = 0;
  unsigned acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < 43; ++i) {
    auto pos = kBase64Alphabet.find(text[i]);
    if (pos == std::string_view::npos) {
      return false;
    }
    acc = (acc << 6) | static_cast<unsigned>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (o >= out.size()) {
        return false;
      }
      out[o++] = static_cast<unsigned char>((acc >> bits) & 0xFF);
    }
  }
  return o == out.size();
}

} // namespace

std::string decode_wp_secret(std::string_view secret) {
  struct Entity {
    std::string_view from;
    char to;
  };
  static constexpr std::array<Entity, 8> kEntities{{{"&amp;", '&'},
                                                    {"&lt;", '<'},
                                                    {"&gt;", '>'},
                                                    {"&quot;", '"'},
                                                    {"&#039;", '\''},
                                                    {"&#39;", '\''},
                                                    {"&#x27;", '\''},
                                                    {"&#X27;", '\''}}};
  std::string out;
  out.reserve(secret.size());
  std::size_t i = 0;
  while (i < secret.size()) {
    bool matched = false;
    if (secret[i] == '&') {
      for (const auto &e : kEntities) {
        if (secret.substr(i, e.from.size()) == e.from) {
          out += e.to;
          i += e.from.size();
          matched = true;
          break;
        }
      }
    }
    if (!matched) {
      out += secret[i++];
    }
  }
  return out;
}

std::string compute_signature(std::string_view raw_body, std::string_view secret) {
  Mac mac{};
  if (!detail::hmac("SHA256", raw_body, decode_wp_secret(secret), mac)) {
    throw system_error("HMAC-SHA256 failed in OpenSSL: cannot sign the webhook body.");
  }
  return base64_encode(std::string_view(reinterpret_cast<const char *>(mac.data()), mac.size()));
}

bool verify_signature(std::string_view raw_body, std::string_view header_b64,
                      std::string_view secret) {
  if (secret.empty() || header_b64.empty()) {
    return false;
  }
  Mac given{};
  if (!decode_mac(header_b64, given)) {
    return false;
  }
  Mac expected{};
  if (!detail::hmac("SHA256", raw_body, decode_wp_secret(secret), expected)) {
    return false; // never compare against an unset MAC
  }
  return CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

} // namespace wc::webhook
