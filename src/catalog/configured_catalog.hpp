#pragma once
// The configured catalog given to `read`: which streams, in which sync mode.
#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "source/stream_definition.hpp"
#include "source/stream_request.hpp"

namespace wc::catalog {

using SyncMode = source::SyncMode;

// What the engine reads (definition, sync_mode), plus what only the catalog knows.
struct ConfiguredStream : source::StreamRequest {
  std::string destination_sync_mode;
};

// Throws wc::Error(kConfig) naming the problem when the catalog is malformed. Unknown streams are
// skipped with a warning (the Airbyte rule: a schema mismatch never fails a sync).
// `find`: the streams the connector offers (nullptr: catalog::find_definition, the built-in and
// reference streams; the relational output adds its nested-list streams).
using DefinitionLookup = std::function<const source::StreamDefinition *(std::string_view)>;
std::vector<ConfiguredStream>
parse_configured_catalog(const boost::json::value &catalog,
                         const std::function<void(const std::string &)> &warn,
                         const DefinitionLookup &find = nullptr);

} // namespace wc::catalog
