#include "catalog/configured_catalog.hpp"

#include <set>

#include "catalog/definition_loader.hpp"
#include "core/error.hpp"

namespace wc::catalog {
namespace json = boost::json;

std::vector<ConfiguredStream>
parse_configured_catalog(const json::value &catalog,
                         const std::function<void(const std::string &)> &warn,
                         const DefinitionLookup &find) {
  if (!catalog.is_object()) {
    throw config_error("the catalog must be a JSON object with a \"streams\" list");
  }
  const auto *streams = catalog.as_object().if_contains("streams");
  if (streams == nullptr || !streams->is_array()) {
    throw config_error("the catalog has no \"streams\" list: pass a configured catalog (the "
                       "output of discover, with sync_mode set per stream)");
  }
  std::vector<ConfiguredStream> out;
  std::set<std::string> seen;
  std::size_t index = 0;
  for (const auto &item : streams->as_array()) {
    std::string where = "catalog streams[" + std::to_string(index++) + "]";
    if (!item.is_object()) {
      throw config_error(where + " must be an object");
    }
    const auto &obj = item.as_object();
    const json::value *stream = obj.if_contains("stream");
    const json::value *name = nullptr;
    if (stream != nullptr && stream->is_object()) {
      name = stream->as_object().if_contains("name");
    }
    if (name == nullptr || !name->is_string()) {
      throw config_error(where + " lacks stream.name");
    }
    std::string stream_name(name->as_string());
    const auto *def = find ? find(stream_name) : find_definition(stream_name);
    if (def == nullptr) {
      warn("the catalog selects stream '" + stream_name +
           "', which this connector does not have; it is skipped");
      continue;
    }
    if (!seen.insert(stream_name).second) {
      throw config_error("the catalog selects stream '" + stream_name + "' twice");
    }
    ConfiguredStream cs;
    cs.definition = def;
    std::string mode = "full_refresh";
    if (const auto *m = obj.if_contains("sync_mode")) {
      if (!m->is_string()) {
        throw config_error(where + " (" + stream_name + "): sync_mode must be a string");
      }
      mode = std::string(m->as_string());
    }
    if (mode == "incremental") {
      if (def->incremental()) {
        cs.sync_mode = SyncMode::kIncremental;
      } else {
        warn("stream '" + stream_name +
             "' cannot be read incrementally (WooCommerce gives it no date to filter on); it is "
             "read in full");
      }
    } else if (mode != "full_refresh") {
      throw config_error(where + " (" + stream_name +
                         "): sync_mode must be full_refresh or "
                         "incremental, got \"" +
                         mode + "\"");
    }
    if (const auto *dm = obj.if_contains("destination_sync_mode"); dm && dm->is_string()) {
      cs.destination_sync_mode = std::string(dm->as_string());
    }
    out.push_back(cs);
  }
  return out;
}

} // namespace wc::catalog
