#include "unified/unified_streams.hpp"

#include <boost/json/parse.hpp>

#include "catalog/definition_loader.hpp"
#include "core/embedded_files.hpp"
#include "core/error.hpp"
#include "relational/output.hpp"
#include "unified/catalog_mapping.hpp"
#include "unified/customer_mapping.hpp"
#include "unified/discount_mapping.hpp"
#include "unified/order_mapping.hpp"
#include "unified/refund_mapping.hpp"

namespace wc::unified {
namespace json = boost::json;
namespace {

json::value embedded_json(const std::string &path) {
  auto text = embedded_file(path);
  if (!text) {
    throw system_error(path + " is not compiled into this binary");
  }
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec || !v.is_object()) {
    throw system_error(path + " is not a JSON object");
  }
  return v;
}

std::vector<UnifiedStream> load_streams() {
  const std::string path = "catalog/unified/streams.json";
  const json::value doc = embedded_json(path);
  const auto *streams = doc.as_object().if_contains("streams");
  if (streams == nullptr || !streams->is_object()) {
    throw system_error(path + ": 'streams' is not an object");
  }
  std::vector<UnifiedStream> out;
  for (const auto &kv : streams->as_object()) {
    UnifiedStream s;
    s.name = std::string(kv.key());
    try {
      const json::object &o = kv.value().as_object();
      for (const auto &f : o.at("from").as_array()) {
        s.from.emplace_back(f.as_string());
      }
      for (const auto &path_value : o.at("primary_key").as_array()) {
        std::vector<std::string> p;
        for (const auto &part : path_value.as_array()) {
          p.emplace_back(part.as_string());
        }
        s.primary_key.push_back(std::move(p));
      }
      s.cursor = std::string(o.at("cursor").as_string());
    } catch (const std::exception &e) {
      throw system_error(path + ": stream '" + s.name + "' is malformed (" + e.what() + ")");
    }
    out.push_back(std::move(s));
  }
  return out;
}

} // namespace

const std::vector<UnifiedStream> &unified_streams() {
  static const std::vector<UnifiedStream> streams = load_streams();
  return streams;
}

const UnifiedStream *find_unified_stream(std::string_view name) {
  for (const auto &s : unified_streams()) {
    if (s.name == name) {
      return &s;
    }
  }
  return nullptr;
}

json::object unified_schema(const std::string &name) {
  return embedded_json("catalog/unified/" + name + ".json").as_object();
}

json::object airbyte_stream(const UnifiedStream &s) {
  json::array pk;
  for (const auto &path : s.primary_key) {
    json::array p;
    for (const auto &part : path) {
      p.emplace_back(part);
    }
    pk.push_back(std::move(p));
  }
  // Incremental when every stream that feeds it is (inventory is not: it is read in full).
  bool incremental = true;
  for (const auto &from : s.from) {
    const auto *d = catalog::find_definition(from);
    incremental = incremental && d != nullptr && d->incremental();
  }
  json::array modes{"full_refresh"};
  if (incremental) {
    modes.emplace_back("incremental");
  }
  json::object out{{"name", s.name},
                   {"json_schema", unified_schema(s.name)},
                   {"supported_sync_modes", std::move(modes)},
                   {"source_defined_primary_key", std::move(pk)},
                   {"is_resumable", true}};
  if (incremental) {
    out["source_defined_cursor"] = true;
    out["default_cursor_field"] = json::array{json::string(s.cursor)};
  }
  return out;
}

const std::vector<source::StreamDefinition> &unified_definitions() {
  static const std::vector<source::StreamDefinition> defs = [] {
    std::vector<source::StreamDefinition> out;
    for (const auto &s : unified_streams()) {
      const auto *first = s.from.empty() ? nullptr : catalog::find_definition(s.from[0]);
      if (first == nullptr) {
        throw system_error("catalog/unified/streams.json: " + s.name +
                           " is fed by no stream this connector has");
      }
      source::StreamDefinition d = *first;
      d.name = s.name;
      d.primary_key = s.primary_key;
      d.fed_by = s.from;
      d.parent.reset();
      d.fallback_path.clear();
      d.cursor_field = s.cursor;
      out.push_back(std::move(d));
    }
    return out;
  }();
  return defs;
}

catalog::DefinitionLookup offered_definitions(const ConnectorConfig &cfg) {
  catalog::DefinitionLookup family = relational::offered_definitions(cfg);
  if (!cfg.unified) {
    return family;
  }
  return [family](std::string_view name) -> const source::StreamDefinition * {
    for (const auto &d : unified_definitions()) {
      if (d.name == name) {
        return &d;
      }
    }
    return family ? family(name) : catalog::find_definition(name);
  };
}

json::object offered_catalog(const ConnectorConfig &cfg) {
  json::object catalog = relational::offered_catalog(cfg);
  if (!cfg.unified) {
    return catalog;
  }
  (void)context_from(cfg); // a unified_status_map that maps a WooCommerce status fails here too
  auto &streams = catalog["streams"].as_array();
  for (const auto &s : unified_streams()) {
    streams.push_back(airbyte_stream(s));
  }
  return catalog;
}

Deriver::Deriver(Context ctx, std::set<std::string, std::less<>> selected)
    : ctx_(std::move(ctx)), selected_(std::move(selected)) {}

void Deriver::derive(std::string_view source, const json::object &record, const Emit &emit) {
  auto want = [&](const char *stream) { return selected_.count(stream) != 0; };
  if (source == "orders") {
    if (want("unified_orders") || want("unified_order_lines")) {
      MappedOrder m = map_order(record, ctx_);
      if (want("unified_orders")) {
        emit("unified_orders", m.order);
      }
      if (want("unified_order_lines")) {
        for (const auto &line : m.lines) {
          emit("unified_order_lines", line);
        }
      }
    }
    if (want("unified_customers")) {
      if (auto guest = guest_from_order(record, ctx_)) {
        const std::string id(guest->at("customer_id").as_string());
        bool first = false;
        {
          std::lock_guard lock(mu_);
          first = guests_seen_.insert(id).second;
        }
        if (first) {
          emit("unified_customers", *guest);
        }
      }
    }
  } else if (source == "customers" && want("unified_customers")) {
    emit("unified_customers", map_customer(record, ctx_));
  } else if (source == "products" && want("unified_products")) {
    emit("unified_products", map_product(record, ctx_));
  } else if (source == "product_variations" && want("unified_product_variants")) {
    emit("unified_product_variants", map_variant(record, ctx_));
  } else if (source == "inventory" && want("unified_inventory_levels")) {
    emit("unified_inventory_levels", map_inventory_level(record, ctx_));
  } else if (source == "refunds" && want("unified_refunds")) {
    emit("unified_refunds", map_refund(record, ctx_));
  } else if (source == "coupons" && want("unified_discounts")) {
    emit("unified_discounts", map_discount(record, ctx_));
  }
}

} // namespace wc::unified
