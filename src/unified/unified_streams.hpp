#pragma once
// The unified streams as data (catalog/unified/streams.json: the WooCommerce streams that feed
// each, its key and cursor; catalog/unified/<stream>.json: its versioned JSON Schema), what
// discover offers with `unified: true`, and the Deriver that turns the records of a source
// stream into records of the selected unified streams.
#include <boost/json/object.hpp>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/configured_catalog.hpp"
#include "config/connector_config.hpp"
#include "source/stream_definition.hpp"
#include "unified/context.hpp"

namespace wc::unified {

struct UnifiedStream {
  std::string name;
  std::vector<std::string> from; // the WooCommerce streams whose records feed it
  std::vector<std::vector<std::string>> primary_key;
  std::string cursor;
};

// Every unified stream, in the file's order (read once from the embedded data).
const std::vector<UnifiedStream> &unified_streams();
const UnifiedStream *find_unified_stream(std::string_view name);
// The stream's versioned JSON Schema (catalog/unified/<name>.json).
boost::json::object unified_schema(const std::string &name);
// The stream as an AirbyteStream (full_refresh and incremental, its key and cursor).
boost::json::object airbyte_stream(const UnifiedStream &s);

// The unified streams as derived streams (source/derived_streams.hpp): each the definition of
// the first stream it is fed by, under its own name, key and cursor, fed by its sources.
const std::vector<source::StreamDefinition> &unified_definitions();
// The lookup of the streams a configured catalog may select: the output switch's
// (relational::offered_definitions), plus the unified streams with `unified: true`.
catalog::DefinitionLookup offered_definitions(const ConnectorConfig &cfg);

// What discover offers: the output switch's catalog (relational::offered_catalog), plus every
// unified stream with `unified: true`.
boost::json::object offered_catalog(const ConnectorConfig &cfg);

// Source records -> unified records, for the selected unified streams only. Guest customers are
// emitted once per guest id per Deriver (one read); thread-safe.
class Deriver {
public:
  using Emit = std::function<void(const std::string &stream, const boost::json::object &record)>;
  Deriver(Context ctx, std::set<std::string, std::less<>> selected);
  void derive(std::string_view source, const boost::json::object &record, const Emit &emit);
  bool selected(std::string_view stream) const { return selected_.count(stream) != 0; }

private:
  Context ctx_;
  std::set<std::string, std::less<>> selected_;
  std::mutex mu_;
  std::set<std::string, std::less<>> guests_seen_;
};

} // namespace wc::unified
