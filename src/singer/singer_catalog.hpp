#pragma once
// The Singer catalog (what `--discover` prints) built from our Airbyte catalog, and the way back:
// a Singer catalog's selected streams turned into the Airbyte configured catalog `read` takes.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace wc::singer {

inline constexpr const char *kAirbyteDeletedAt = "_ab_cdc_deleted_at";
inline constexpr const char *kSingerDeletedAt = "_sdc_deleted_at";

// One stream of a sync, as the SCHEMA message and the record filter need it.
struct SelectedStream {
  std::string name;
  bool incremental = false;
  boost::json::object schema; // Singer form (_sdc_deleted_at, deselected properties removed)
  std::vector<std::string> key_properties;
  std::string replication_key;           // "" for FULL_TABLE streams
  std::set<std::string> excluded_fields; // top-level properties deselected in the catalog
};

// An Airbyte json_schema in Singer form: `_ab_cdc_deleted_at` declared as `_sdc_deleted_at`.
boost::json::object singer_schema(const boost::json::value &airbyte_schema);
// Airbyte primary key paths flattened: [["order_id"],["id"]] -> ["order_id","id"].
std::vector<std::string> key_properties(const boost::json::value &primary_key);
// The functions below take the Airbyte catalog the Singer catalog mirrors: what `discover` offers
// for the config at hand (wc::relational::offered_catalog), so the output switch is passed in,
// never held process-wide.
//
// The Singer catalog of every stream of `airbyte_catalog`.
boost::json::object build_singer_catalog(const boost::json::object &airbyte_catalog);
// The selected streams of a Singer catalog (`--catalog`/`--properties`). Honours
// metadata `selected` (else `selected-by-default`, else the legacy top-level `selected`),
// `replication-method` / `forced-replication-method` and top-level `replication_method`, and
// property-level `selected: false`. Streams this connector does not have are skipped with a
// warning. Throws wc::Error(kConfig) on a malformed catalog.
std::vector<SelectedStream> selected_streams(const boost::json::value &singer_catalog,
                                             const boost::json::object &airbyte_catalog,
                                             const std::function<void(const std::string &)> &warn);
// Every stream, incremental where it can be (the sync run without a catalog).
std::vector<SelectedStream> all_streams(const boost::json::object &airbyte_catalog);
// The Airbyte configured catalog for `read`.
boost::json::object airbyte_configured_catalog(const std::vector<SelectedStream> &streams,
                                               const boost::json::object &airbyte_catalog);

} // namespace wc::singer
