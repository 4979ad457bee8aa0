#include "auth/oauth1.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <vector>

#include "auth/crypto.hpp"
#include "core/encoding.hpp"
#include "core/redact.hpp"

namespace wc::auth {
namespace {

// PHP's urldecode() as applied to $_GET: "+" is a space, %XX decoded.
std::string form_decode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%' && i + 2 < in.size() && hex_digit_value(in[i + 1]) >= 0 &&
               hex_digit_value(in[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit_value(in[i + 1]) * 16 + hex_digit_value(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

// One top-level PHP parameter: a scalar, or an ordered list of (inner key, value).
struct PhpParam {
  bool is_array = false;
  std::string scalar;
  std::vector<std::pair<std::string, std::string>> members;
  int next_index = 0;
};

} // namespace

std::string oauth1_base_url(const http::Origin &origin, std::string_view path) {
  std::string url = origin.scheme + "://" + origin.host;
  const bool default_port = (origin.scheme == "https" && origin.port == 443) ||
                            (origin.scheme == "http" && origin.port == 80);
  if (!default_port) {
    url += ":" + std::to_string(origin.port);
  }
  if (auto q = path.find('?'); q != std::string_view::npos) {
    path = path.substr(0, q);
  }
  url += path.empty() ? std::string_view("/") : path;
  return url;
}

std::string oauth1_base_string(std::string_view method, const http::Origin &origin,
                               std::string_view path, const http::Params &params) {
  // Parse as PHP builds $_GET: "k[]" appends, "k[x]" sets member x, a repeated scalar wins last.
  std::map<std::string, PhpParam, std::less<>> parsed; // std::less on std::string == strcmp
  for (const auto &[raw_key, value] : params) {
    const auto open = raw_key.find('[');
    const auto close = open == std::string::npos ? std::string::npos : raw_key.find(']', open);
    if (open != std::string::npos && open > 0 && close != std::string::npos) {
      auto &p = parsed[raw_key.substr(0, open)];
      if (!p.is_array) {
        p = PhpParam{};
        p.is_array = true;
      }
      std::string inner = raw_key.substr(open + 1, close - open - 1);
      if (inner.empty()) {
        inner = std::to_string(p.next_index++);
      } else if (std::all_of(inner.begin(), inner.end(),
                             [](char c) { return c >= '0' && c <= '9'; })) {
        p.next_index = std::max(p.next_index, std::stoi(inner) + 1);
      }
      auto existing = std::find_if(p.members.begin(), p.members.end(),
                                   [&](const auto &m) { return m.first == inner; });
      if (existing != p.members.end()) {
        existing->second = value;
      } else {
        p.members.emplace_back(inner, value);
      }
    } else {
      auto &p = parsed[raw_key];
      p = PhpParam{};
      p.scalar = value;
    }
  }
  // WooCommerce's join_with_equals_sign(): each pair is rawurlencode(enc(key) "=" enc(value)),
  // array members as enc(key) "%5B" inner "%5D", pairs joined by "%26".
  std::string joined;
  auto add = [&joined](const std::string &encoded_key, const std::string &value) {
    if (!joined.empty()) {
      joined += "%26";
    }
    joined += http::percent_encode(encoded_key + "=" + http::percent_encode(value));
  };
  for (const auto &[key, p] : parsed) {
    if (key == "oauth_signature") {
      continue;
    }
    if (p.is_array) {
      for (const auto &[inner, value] : p.members) {
        add(http::percent_encode(key) + "%5B" + inner + "%5D", value);
      }
    } else {
      add(http::percent_encode(key), p.scalar);
    }
  }
  std::string upper(method);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return upper + "&" + http::percent_encode(oauth1_base_url(origin, path)) + "&" + joined;
}

std::string oauth1_signature(std::string_view consumer_secret, std::string_view base_string) {
  std::string key(consumer_secret);
  key += '&';
  return base64_encode(hmac_sha256(key, base_string));
}

OAuth1Authenticator::OAuth1Authenticator(std::string consumer_key, std::string consumer_secret,
                                         NonceSource nonce, TimeSource time)
    : key_(std::move(consumer_key)), secret_(std::move(consumer_secret)),
      nonce_(nonce ? std::move(nonce) : NonceSource([] { return random_alnum(32); })),
      time_(time ? std::move(time) : TimeSource([] {
        return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
      })) {
  register_secret(key_);
  register_secret(secret_);
}

void OAuth1Authenticator::apply(http::Request &request, const http::Origin &origin) const {
  // A query string already in the path (e.g. "/?rest_route=/wc/v3/orders") is signed too: move
  // it into params so it is encoded the same way it is signed.
  if (auto q = request.path.find('?'); q != std::string::npos) {
    http::Params moved;
    std::string_view query = std::string_view(request.path).substr(q + 1);
    while (!query.empty()) {
      auto amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      if (!pair.empty()) {
        auto eq = pair.find('=');
        moved.emplace_back(form_decode(pair.substr(0, eq)), eq == std::string_view::npos
                                                                ? std::string()
                                                                : form_decode(pair.substr(eq + 1)));
      }
      if (amp == std::string_view::npos) {
        break;
      }
      query.remove_prefix(amp + 1);
    }
    request.path.resize(q);
    request.params.insert(request.params.begin(), moved.begin(), moved.end());
  }
  // Stale oauth_* from an earlier attempt (or a copied Link URL) must not be re-sent.
  std::erase_if(request.params, [](const auto &p) { return p.first.rfind("oauth_", 0) == 0; });
  request.params.emplace_back("oauth_consumer_key", key_);
  request.params.emplace_back("oauth_nonce", nonce_());
  request.params.emplace_back("oauth_signature_method", "HMAC-SHA256");
  request.params.emplace_back("oauth_timestamp", std::to_string(time_()));
  const std::string base = oauth1_base_string(request.method.empty() ? "GET" : request.method,
                                              origin, request.path, request.params);
  request.params.emplace_back("oauth_signature", oauth1_signature(secret_, base));
}

} // namespace wc::auth
