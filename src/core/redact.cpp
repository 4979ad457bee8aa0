#include "core/redact.hpp"

#include "core/encoding.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
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

// Finds any registered form in one sparse pass (every record line is checked, so this is hot).
// Every form is at least `min_len` long, so any occurrence holds a whole 4-byte window starting at
// a multiple of `stride` = min_len - 3. Only those windows are looked up in a filter of every
// 4-byte window of every form; a hit is confirmed against the forms that hold that window.
struct SecretIndex {
  struct Place {
    std::uint32_t window;
    std::size_t form;
    std::size_t offset;
  };
  std::size_t min_len = 0;
  std::size_t stride = 1;
  std::vector<bool> filter = std::vector<bool>(1 << 16);
  std::vector<Place> places; // sorted by window

  static std::uint32_t window(const char *p) {
    std::uint32_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
  }
  static std::size_t slot(std::uint32_t w) { return (w * 2654435761u) >> 16; }

  void build(const std::vector<std::string> &forms) {
    std::fill(filter.begin(), filter.end(), false);
    places.clear();
    min_len = 0;
    for (std::size_t f = 0; f < forms.size(); ++f) {
      const std::string &form = forms[f];
      min_len = min_len == 0 ? form.size() : std::min(min_len, form.size());
      for (std::size_t i = 0; i + 4 <= form.size(); ++i) {
        const std::uint32_t w = window(form.data() + i);
        filter[slot(w)] = true;
        places.push_back({w, f, i});
      }
    }
    std::sort(places.begin(), places.end(),
              [](const Place &a, const Place &b) { return a.window < b.window; });
    stride = min_len >= 4 ? min_len - 3 : 1;
  }

  bool any_in(std::string_view text, const std::vector<std::string> &forms) const {
    if (min_len < 4 || text.size() < min_len) {
      return false;
    }
    for (std::size_t p = 0; p + 4 <= text.size(); p += stride) {
      const std::uint32_t w = window(text.data() + p);
      if (!filter[slot(w)]) {
        continue;
      }
      auto it = std::lower_bound(places.begin(), places.end(), w,
                                 [](const Place &a, std::uint32_t v) { return a.window < v; });
      for (; it != places.end() && it->window == w; ++it) {
        const std::string &form = forms[it->form];
        if (p >= it->offset && p - it->offset + form.size() <= text.size() &&
            std::memcmp(text.data() + p - it->offset, form.data(), form.size()) == 0) {
          return true;
        }
      }
    }
    return false;
  }
};

SecretIndex &secret_index() {
  static SecretIndex index;
  return index;
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
  add_unique(values, percent_encode(secret));
  add_unique(values, percent_encode_query_value(secret)); // as a query value ("/" kept)
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
    // The unpadded prefix (whole 3-byte groups) is enough to recognise the secret inside a
    // longer blob, such as a Basic auth token.
    add_unique(values, base64_encode(secret.substr(0, secret.size() / 3 * 3)));
  }
  // Longest first, so a value that contains another is masked whole.
  std::sort(values.begin(), values.end(),
            [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
  secret_index().build(values);
}

void clear_secrets() {
  std::unique_lock lock(secrets_mutex());
  secrets().clear();
  secret_index().build(secrets());
}

bool contains_secret(std::string_view text) {
  std::shared_lock lock(secrets_mutex());
  return secret_index().any_in(text, secrets());
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
