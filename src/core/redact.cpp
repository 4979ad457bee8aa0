#include "core/redact.hpp"

#include "core/encoding.hpp"
#include "core/secret_index.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace wc {
namespace {

// One set of registered secrets: every form, longest first, and their index. Never changed once
// published: registering a secret publishes a new set.
struct SecretSet {
  std::vector<std::string> forms;
  SecretIndex index;
};

struct Registry {
  std::shared_mutex mu; // guards `current`
  std::shared_ptr<const SecretSet> current = std::make_shared<const SecretSet>();
  // Bumped (under `mu`) each time a set is published, so a reader knows without the lock
  // whether the set it holds is still the current one.
  std::atomic<std::uint64_t> generation{1};
};

Registry &registry() {
  static Registry r;
  return r;
}

void publish(Registry &r, std::vector<std::string> forms) { // r.mu held exclusively
  auto next = std::make_shared<SecretSet>();
  next->forms = std::move(forms);
  next->index.build(next->forms);
  r.current = std::move(next);
  r.generation.fetch_add(1, std::memory_order_release);
}

// The current set as this thread last saw it, taken again (under the shared lock) only when a
// secret was registered or the set cleared since: every line written is checked, and a lock per
// line cost more than the check of a short line. The reference is valid until this thread's next
// call.
const SecretSet &current_secrets() {
  thread_local std::shared_ptr<const SecretSet> seen;
  thread_local std::uint64_t seen_generation = 0;
  Registry &r = registry();
  if (r.generation.load(std::memory_order_acquire) != seen_generation) {
    std::shared_lock lock(r.mu);
    seen = r.current;
    seen_generation = r.generation.load(std::memory_order_relaxed);
  }
  return *seen;
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
  Registry &r = registry();
  std::unique_lock lock(r.mu);
  std::vector<std::string> values = r.current->forms;
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
  publish(r, std::move(values));
}

void clear_secrets() {
  Registry &r = registry();
  std::unique_lock lock(r.mu);
  publish(r, {});
}

bool contains_secret(std::string_view text) {
  const SecretSet &set = current_secrets();
  return set.index.any_in(text, set.forms);
}

std::string redact(std::string_view text) {
  std::string out(text);
  for (const auto &s : current_secrets().forms) {
    std::size_t pos = 0;
    while ((pos = out.find(s, pos)) != std::string::npos) {
      out.replace(pos, s.size(), kRedacted);
      pos += kRedacted.size();
    }
  }
  return out;
}

} // namespace wc
