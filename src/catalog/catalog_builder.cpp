#include "catalog/catalog_builder.hpp"

#include <boost/json/parse.hpp>

#include "catalog/definition_loader.hpp"
#include "core/embedded_files.hpp"
#include "core/error.hpp"

namespace wc::catalog {
namespace json = boost::json;

json::value stream_schema(const source::StreamDefinition &d) {
  auto text = embedded_file("catalog/schemas/" + d.name + ".json");
  if (!text) {
    // A stream without a written schema still works: every field passes through.
    return json::object{{"$schema", "http://json-schema.org/draft-07/schema#"},
                        {"type", "object"},
                        {"additionalProperties", true}};
  }
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec) {
    throw system_error("catalog/schemas/" + d.name + ".json is not valid JSON: " + ec.message());
  }
  return v;
}

json::object airbyte_stream(const source::StreamDefinition &d) {
  json::array modes{"full_refresh"};
  if (d.incremental()) {
    modes.push_back("incremental");
  }
  json::array pk;
  for (const auto &path : d.primary_key) {
    json::array p;
    for (const auto &f : path) {
      p.push_back(json::string(f));
    }
    pk.push_back(std::move(p));
  }
  json::object s{{"name", d.name},
                 {"json_schema", stream_schema(d)},
                 {"supported_sync_modes", std::move(modes)},
                 {"source_defined_primary_key", std::move(pk)},
                 {"is_resumable", true}};
  if (d.incremental()) {
    s["source_defined_cursor"] = true;
    s["default_cursor_field"] = json::array{json::string(d.cursor_field)};
  }
  return s;
}

json::object build_catalog() {
  json::array streams;
  for (const auto &d : builtin_definitions()) {
    streams.push_back(airbyte_stream(d));
  }
  return json::object{{"streams", std::move(streams)}};
}

} // namespace wc::catalog
