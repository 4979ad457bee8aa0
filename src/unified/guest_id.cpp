#include "unified/guest_id.hpp"

#include <algorithm>
#include <cctype>
#include <openssl/sha.h>

namespace wc::unified {

std::optional<std::string> normalized_email(std::string_view email) {
  auto blank = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!email.empty() && blank(static_cast<unsigned char>(email.front()))) {
    email.remove_prefix(1);
  }
  while (!email.empty() && blank(static_cast<unsigned char>(email.back()))) {
    email.remove_suffix(1);
  }
  if (email.empty() || email.find('@') == std::string_view::npos) {
    return std::nullopt;
  }
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c);
  });
  return out;
}

std::string guest_id(std::string_view store_id, std::string_view normalized) {
  std::string input(store_id);
  input += '|';
  input += normalized;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char *>(input.data()), input.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "guest-";
  for (int i = 0; i < 16; ++i) {
    id += kHex[digest[i] >> 4];
    id += kHex[digest[i] & 0xF];
  }
  return id;
}

} // namespace wc::unified
