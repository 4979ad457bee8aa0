#include "core/raw_record.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serializer.hpp>
#include <boost/json/string.hpp>
#include <cstring>

#include "core/page_arena.hpp"

namespace wc {
namespace json = boost::json;

namespace {

// Serializes `v` (a value or an object) onto `out` with a serializer each thread reuses.
template <class T> void append_serialized(const T &v, std::string &out) {
  thread_local json::serializer serializer;
  char chunk[16384];
  serializer.reset(&v);
  while (!serializer.done()) {
    out.append(serializer.read(chunk, sizeof chunk));
  }
}

void append_key(std::string_view key, std::string &out) {
  thread_local json::serializer serializer;
  char chunk[1024];
  json::string_view k(key.data(), key.size());
  serializer.reset(k);
  while (!serializer.done()) {
    out.append(serializer.read(chunk, sizeof chunk));
  }
}

// True when the object text has no member: "{" and "}" with only whitespace between.
bool empty_object_text(std::string_view text) {
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      return false;
    }
  }
  return true;
}

} // namespace

std::optional<std::string_view> raw_text(const json::object &record) {
  const auto *v = record.if_contains(json::string_view(kRawTextKey.data(), kRawTextKey.size()));
  if (v == nullptr || !v->is_string()) {
    return std::nullopt;
  }
  const json::string &s = v->get_string();
  return std::string_view(s.data(), s.size());
}

void attach_raw_text(json::object &record, std::string_view text, json::string tokens) {
  const json::string_view key(kRawTextKey.data(), kRawTextKey.size());
  json::string stored(json::string_view(text.data(), text.size()), record.storage());
  // Valid JSON has no raw line break inside a string, so every CR or LF lies between tokens.
  if (std::memchr(text.data(), '\n', text.size()) != nullptr ||
      std::memchr(text.data(), '\r', text.size()) != nullptr) {
    for (char &c : stored) {
      if (c == '\n' || c == '\r') {
        c = ' '; // one byte for one: the tokens still lie where they did
      }
    }
  }
  if (!tokens.empty()) {
    // Before the text's key: members after it are the ones added since parsing.
    record.insert_or_assign(json::string_view(kRawTokensKey.data(), kRawTokensKey.size()),
                            std::move(tokens));
  }
  record.insert_or_assign(key, std::move(stored));
}

std::string_view raw_tokens(const json::object &record) {
  // Called for every record emitted, raw output included: one lookup (records read without tokens
  // stop there), then the text's key must be the last member (nothing added after parsing).
  const auto *tokens =
      record.if_contains(json::string_view(kRawTokensKey.data(), kRawTokensKey.size()));
  if (tokens == nullptr || !tokens->is_string()) {
    return {};
  }
  const auto &last = *std::prev(record.end());
  if (std::string_view(last.key().data(), last.key().size()) != kRawTextKey ||
      !last.value().is_string()) {
    return {};
  }
  return resolve_tokens(std::string_view(tokens->get_string().data(), tokens->get_string().size()));
}

namespace {
thread_local std::string_view emitted_line, emitted_tokens;
} // namespace

EmittedTokens::EmittedTokens(std::string_view line, std::string_view tokens)
    : previous_line_(emitted_line), previous_tokens_(emitted_tokens) {
  emitted_line = line;
  emitted_tokens = tokens;
}
EmittedTokens::~EmittedTokens() {
  emitted_line = previous_line_;
  emitted_tokens = previous_tokens_;
}
std::string_view EmittedTokens::of(std::string_view line) {
  return line.data() == emitted_line.data() && line.size() == emitted_line.size()
             ? emitted_tokens
             : std::string_view();
}

void materialize(json::object &record) {
  const json::string_view key(kRawTextKey.data(), kRawTextKey.size());
  auto marker = record.find(key);
  if (marker == record.end() || !marker->value().is_string()) {
    return;
  }
  const json::string &text = marker->value().get_string();
  json::value full = json::parse(json::string_view(text.data(), text.size()), record.storage());
  json::object &tree = full.as_object();
  for (auto it = std::next(marker); it != record.end(); ++it) {
    tree.insert_or_assign(it->key(), it->value());
  }
  record = std::move(tree);
}

void set_member(json::object &record, std::string_view key, json::value value) {
  const json::string_view k(key.data(), key.size());
  if (raw_text(record)) {
    auto existing = record.find(k);
    if (existing != record.end()) {
      const json::string_view marker_key(kRawTextKey.data(), kRawTextKey.size());
      const bool added = std::distance(record.begin(), existing) >
                         std::distance(record.begin(), record.find(marker_key));
      if (added) {
        existing->value() = std::move(value);
        return;
      }
      if (existing->value() == value) {
        return;
      }
      // The raw text holds another value (or a nested object or array under the key).
      materialize(record);
    }
  }
  record.insert_or_assign(k, std::move(value));
}

void append_record_json(const json::object &record, std::string &out) {
  const json::string_view key(kRawTextKey.data(), kRawTextKey.size());
  auto marker = record.find(key);
  if (marker == record.end() || !marker->value().is_string()) {
    append_serialized(record, out);
    return;
  }
  const json::string &text = marker->value().get_string();
  const std::string_view raw(text.data(), text.size());
  if (std::next(marker) == record.end()) {
    out.append(raw);
    return;
  }
  // Members added after parsing go before the closing brace.
  bool first = empty_object_text(raw);
  out.append(raw.substr(0, raw.size() - 1));
  for (auto it = std::next(marker); it != record.end(); ++it) {
    if (!first) {
      out += ',';
    }
    first = false;
    append_key(std::string_view(it->key().data(), it->key().size()), out);
    out += ':';
    append_serialized(it->value(), out);
  }
  out += '}';
}

} // namespace wc
