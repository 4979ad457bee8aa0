#include "core/redact.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace wc {
namespace {

std::shared_mutex &secrets_mutex() {
  static std::shared_mutex mu;
  return mu;
}

std::vector<std::string> &secrets() {
  static std::vector<std::string> values;
  return values;
}

std::string percent_encoded(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  return out; // the unpadded prefix is enough to recognise the secret inside a longer blob
}

void add_unique(std::vector<std::string> &values, std::string value) {
  if (value.size() >= 4 && std::find(values.begin(), values.end(), value) == values.end()) {
    values.push_back(std::move(value));
  }
}

} // namespace

void register_secret(std::string_view secret) {
  if (secret.size() < 4) {
    return;
  }
  std::unique_lock lock(secrets_mutex());
  auto &values = secrets();
  add_unique(values, std::string(secret));
  add_unique(values, percent_encoded(secret));
  // JSON-escaped form (a secret holding '/' or '"' is printed escaped in JSON lines).
  std::string escaped;
  for (char c : secret) {
    if (c == '"' || c == '\\' || c == '/') {
      escaped += '\\';
    }
    escaped += c;
  }
  add_unique(values, escaped);
  if (secret.size() >= 12) {
    add_unique(values, base64(secret));
  }
  // Longest first, so a value that contains another is masked whole.
  std::sort(values.begin(), values.end(),
            [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
}

void clear_secrets() {
  std::unique_lock lock(secrets_mutex());
  secrets().clear();
}

bool contains_secret(std::string_view text) {
  std::shared_lock lock(secrets_mutex());
  for (const auto &s : secrets()) {
    if (text.find(s) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

std::string redact(std::string_view text) {
  std::shared_lock lock(secrets_mutex());
  std::string out(text);
  for (const auto &s : secrets()) {
    std::size_t pos = 0;
    while ((pos = out.find(s, pos)) != std::string::npos) {
      out.replace(pos, s.size(), kRedacted);
      pos += kRedacted.size();
    }
  }
  return out;
}

} // namespace wc
