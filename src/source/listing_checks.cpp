#include "source/listing_checks.hpp"

#include "core/error.hpp"
#include "core/raw_record.hpp"
#include "core/redact.hpp"

#include <boost/json/serialize.hpp>

namespace wc::source {
namespace json = boost::json;
namespace {

// The item as JSON, on one line, at most `max` characters, redacted.
std::string excerpt(const json::value &item, std::size_t max = 200) {
  std::string text;
  if (item.is_object()) {
    append_record_json(item.as_object(), text);
  } else {
    text = json::serialize(item);
  }
  if (text.size() > max) {
    text = text.substr(0, max) + "...";
  }
  return redact(text);
}

} // namespace

std::vector<std::string> key_members(const StreamDefinition &definition) {
  std::vector<std::string> fields;
  for (const auto &path : definition.primary_key) {
    if (path.empty() || (definition.parent && path.front() == definition.parent->key)) {
      continue;
    }
    fields.push_back(path.front());
  }
  return fields;
}

void require_records(const json::array &items, const std::vector<std::string> &fields,
                     const std::string &label, const std::string &request) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json::value &item = items[i];
    std::string missing;
    if (const auto *obj = item.if_object()) {
      for (const auto &f : fields) {
        const auto *v = obj->if_contains(f);
        if (v == nullptr || v->is_null()) {
          missing = f;
          break;
        }
      }
      if (missing.empty()) {
        continue;
      }
    }
    const std::string what =
        item.is_object() ? "an object without '" + missing + "'" : std::string("not an object");
    throw system_error(label + ": " + request + " answered a list whose item " +
                       std::to_string(i + 1) + " of " + std::to_string(items.size()) +
                       " is not a record (" + what + "): " + excerpt(item) +
                       ". Something other than the store's API answered (a page cache, proxy or "
                       "security plugin?); exclude /wp-json/ from it. Nothing of this page was "
                       "emitted.");
  }
}

std::optional<std::string> totals_contradiction(const Page &page, int page_number, int page_size) {
  if (!page.body.is_array() || page.body.as_array().empty()) {
    return std::nullopt;
  }
  const auto items = static_cast<std::int64_t>(page.body.as_array().size());
  const std::int64_t before = static_cast<std::int64_t>(page_number - 1) * page_size;
  if (page.total_pages >= 0 && page_number > page.total_pages) {
    return "X-WP-TotalPages " + std::to_string(page.total_pages) + " although page " +
           std::to_string(page_number) + " holds " + std::to_string(items) + " record(s)";
  }
  if (page.total >= 0 && page.total < before + items) {
    return "X-WP-Total " + std::to_string(page.total) + " although page " +
           std::to_string(page_number) + " holds records " + std::to_string(before + 1) + " to " +
           std::to_string(before + items);
  }
  return std::nullopt;
}

} // namespace wc::source
