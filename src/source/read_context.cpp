#include "source/read_context.hpp"

#include "core/raw_record.hpp"

namespace wc::source {
namespace json = boost::json;

void ReadContext::emit(const StreamDefinition &definition, json::object &record) {
  if (definition.parent && !definition.parent->source_field.empty() &&
      !record.contains(definition.parent->key)) {
    // A store-wide child route (refunds, variations) names the parent in the payload.
    if (const auto *p = record.if_contains(definition.parent->source_field)) {
      set_member(record, definition.parent->key, *p);
    }
  }
  auto it = transforms.find(definition.transform);
  if (!definition.transform.empty() && it != transforms.end()) {
    materialize(record); // transforms see the whole record
    if (!it->second(definition, record)) {
      return;
    }
  }
  // A raw record's own text (with added members), or one serialization, into a buffer each
  // thread reuses.
  thread_local std::string line;
  line.clear();
  append_record_json(record, line);
  const EmittedTokens tokens(line, raw_tokens(record)); // its tokens, when it is its raw text
  out.record(definition.name, line);
  ++emitted;
}

} // namespace wc::source
