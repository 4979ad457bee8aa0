// Fuzz target: the raw-record page parser (wc::parse_record_page), which every read's listings go
// through, checked against Boost.JSON's own parser as the oracle. The first byte picks which
// members are kept as values (every one, the engine's usual few, or none); the rest is the page.
//  - When the oracle reads a JSON array whose elements are all objects, the page parser must
//    accept it, consume the same text, and give as many records.
//  - Every record it gives must write back (append_record_json) on one line as JSON equal to the
//    oracle's element; every member it kept as a value must equal the oracle's (nested values
//    appear as the placeholder only); with a kept list, no other member is kept.
//  - When it refuses a page, `rest` is left alone.
//  - Read with tokens, every record of a page the oracle reads carries them (the tape takes what
//    the oracle takes), and they describe the record's written text: adopted, they read as
//    indexing that text reads.
#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/json_tape.hpp"
#include "core/page_arena.hpp"
#include "core/raw_record.hpp"
#include "core/record_page.hpp"
#include "fuzz/fuzz_input.hpp"

namespace json = boost::json;

namespace {

const wc::KeptMembers kEngineMembers{"date_created_gmt", "date_modified_gmt", "id", "parent_id"};
const wc::KeptMembers kNoMembers{};

std::string_view skip_space(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  return s;
}

// The keys and values of an object, or the items of an array, in order.
std::vector<wc::TapeValue> children(const wc::TapeValue &v) {
  std::vector<wc::TapeValue> out;
  if (v.is_object()) {
    v.for_each_member([&](const wc::TapeValue &k, const wc::TapeValue &value) {
      out.push_back(k);
      out.push_back(value);
    });
  } else if (v.is_array()) {
    v.for_each_item([&](const wc::TapeValue &item) { out.push_back(item); });
  }
  return out;
}

// Both tapes read the same values, token for token.
void same_values(const wc::TapeValue &a, const wc::TapeValue &b) {
  using wc::fuzz::check;
  check(a.kind() == b.kind() && a.text() == b.text(), "adopted tokens read another value");
  const std::vector<wc::TapeValue> x = children(a), y = children(b);
  check(x.size() == y.size(), "adopted tokens hold another number of values");
  for (std::size_t i = 0; i < x.size(); ++i) {
    same_values(x[i], y[i]);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using wc::fuzz::check;
  if (size == 0) {
    return 0;
  }
  const wc::KeptMembers *kept = nullptr;
  switch (data[0] % 3) {
  case 1:
    kept = &kEngineMembers;
    break;
  case 2:
    kept = &kNoMembers;
    break;
  default:
    break;
  }
  const bool tokens = (data[0] / 3) % 2 == 1;
  std::string_view text = wc::fuzz::as_text(data + 1, size - 1);

  // The oracle: Boost.JSON's parser, same options, reading one value from the start.
  // parser::write_some reads one complete value and stops after it (the rest is not an error).
  json::parser oracle(json::storage_ptr(), json::parse_options{});
  json::error_code ec;
  std::size_t used = oracle.write_some(text.data(), text.size(), ec);
  std::optional<json::value> tree;
  if (!ec) {
    tree = oracle.release();
  }
  bool all_objects = tree && tree->is_array() &&
                     std::all_of(tree->as_array().begin(), tree->as_array().end(),
                                 [](const json::value &v) { return v.is_object(); });

  const std::string_view sentinel = "untouched";
  std::string_view rest = sentinel;
  std::optional<json::value> page;
  // Read with tokens: into an arena of its own, in hand while its records are looked at.
  wc::PageArena arena(4096, true);
  const wc::PageInHand in_hand(&arena);
  page = wc::parse_record_page(text, rest, json::make_shared_resource<json::monotonic_resource>(),
                               kept, tokens ? &arena : nullptr);
  if (!page) {
    check(rest.data() == sentinel.data(), "a refused page changed rest");
    check(!(all_objects && !text.empty() && text.front() == '['),
          "a valid array of objects was refused");
    return 0;
  }
  check(tree.has_value(), "accepted a page the oracle cannot read");
  check(all_objects, "accepted a page that is not an array of objects");
  check(page->is_array(), "a page that is not an array");
  check(skip_space(rest) == skip_space(text.substr(used)), "consumed other text than the oracle");
  const json::array &records = page->as_array();
  const json::array &elements = tree->as_array();
  check(records.size() == elements.size(), "record count differs from the oracle's");
  std::string out;
  for (std::size_t i = 0; i < records.size(); ++i) {
    check(records[i].is_object(), "a record that is not an object");
    const json::object &record = records[i].as_object();
    const json::object &element = elements[i].as_object();
    check(wc::raw_text(record).has_value(), "a record without its text");
    out.clear();
    wc::append_record_json(record, out);
    check(out.find('\n') == std::string::npos, "a written record spans lines");
    json::error_code wec;
    json::value written = json::parse(out, wec);
    check(!wec, "a written record is not valid JSON");
    check(written == elements[i], "a written record differs from the oracle's element");
    const std::string_view record_tokens = wc::raw_tokens(record);
    check(tokens != record_tokens.empty(), "tokens without being asked, or missing when asked");
    if (tokens) {
      wc::JsonTape adopted, indexed;
      check(adopted.adopt(out, record_tokens), "a record's tokens refused for its own text");
      check(indexed.index(out), "a written record the tape cannot index");
      same_values(adopted.root(), indexed.root());
    }
    for (const auto &member : record) {
      std::string_view key = member.key();
      if (key == wc::kRawTextKey || key == wc::kRawTokensKey) {
        continue;
      }
      check(kept == nullptr || std::binary_search(kept->begin(), kept->end(), std::string(key)),
            "kept a member not asked for");
      const json::value *expected = element.if_contains(key);
      check(expected != nullptr, "kept a member the element does not have");
      if (member.value().is_string() && member.value().as_string() == wc::kNestedPlaceholder) {
        check(expected->is_object() || expected->is_array(), "placeholder for a scalar member");
      } else {
        check(member.value() == *expected, "a kept member differs from the oracle's");
      }
    }
  }
  return 0;
}
