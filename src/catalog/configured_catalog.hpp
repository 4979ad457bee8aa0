#pragma once
// The configured catalog given to `read`: which streams, in which sync mode.
#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <vector>

#include "source/stream_definition.hpp"

namespace wc::catalog {

enum class SyncMode { kFullRefresh, kIncremental };

struct ConfiguredStream {
  const source::StreamDefinition *definition = nullptr;
  SyncMode sync_mode = SyncMode::kFullRefresh;
  std::string destination_sync_mode;
};

// Throws wc::Error(kConfig) naming the problem when the catalog is malformed. Unknown streams are
// skipped with a warning (the Airbyte rule: a schema mismatch never fails a sync).
std::vector<ConfiguredStream>
parse_configured_catalog(const boost::json::value &catalog,
                         const std::function<void(const std::string &)> &warn);

} // namespace wc::catalog
