#include "singer/singer_catalog.hpp"

#include <map>

#include "catalog/catalog_builder.hpp"
#include "core/error.hpp"

namespace wc::singer {
namespace json = boost::json;
namespace {

// An Airbyte catalog's streams by name.
std::map<std::string, json::object> by_name(const json::object &airbyte_catalog) {
  std::map<std::string, json::object> out;
  for (const auto &s : airbyte_catalog.at("streams").as_array()) {
    out.emplace(std::string(s.as_object().at("name").as_string()), s.as_object());
  }
  return out;
}

// An Airbyte catalog's stream names in its order.
std::vector<std::string> airbyte_order(const json::object &airbyte_catalog) {
  std::vector<std::string> names;
  for (const auto &s : airbyte_catalog.at("streams").as_array()) {
    names.emplace_back(s.as_object().at("name").as_string());
  }
  return names;
}

std::string cursor_of(const json::object &airbyte_stream) {
  const auto *c = airbyte_stream.if_contains("default_cursor_field");
  if (c != nullptr && c->is_array() && !c->as_array().empty() &&
      c->as_array().front().is_string()) {
    return std::string(c->as_array().front().as_string());
  }
  return "";
}

json::array string_array(const std::vector<std::string> &items) {
  json::array a;
  for (const auto &s : items) {
    a.emplace_back(s);
  }
  return a;
}

const json::object *metadata_at(const json::object &entry, const json::array &breadcrumb) {
  const auto *md = entry.if_contains("metadata");
  if (md == nullptr || !md->is_array()) {
    return nullptr;
  }
  for (const auto &item : md->as_array()) {
    if (!item.is_object()) {
      continue;
    }
    const auto *b = item.as_object().if_contains("breadcrumb");
    const auto *m = item.as_object().if_contains("metadata");
    if (b != nullptr && b->is_array() && b->as_array() == breadcrumb && m != nullptr &&
        m->is_object()) {
      return &m->as_object();
    }
  }
  return nullptr;
}

const json::value *field(const json::object *obj, std::string_view key) {
  return obj == nullptr ? nullptr : obj->if_contains(key);
}

SelectedStream from_airbyte(const json::object &airbyte_stream, bool incremental) {
  SelectedStream s;
  s.name = std::string(airbyte_stream.at("name").as_string());
  s.schema = singer_schema(airbyte_stream.at("json_schema"));
  if (const auto *pk = airbyte_stream.if_contains("source_defined_primary_key")) {
    s.key_properties = key_properties(*pk);
  }
  const std::string cursor = cursor_of(airbyte_stream);
  s.incremental = incremental && !cursor.empty();
  if (s.incremental) {
    s.replication_key = cursor;
  }
  return s;
}

} // namespace

json::object singer_schema(const json::value &airbyte_schema) {
  json::object schema = airbyte_schema.is_object() ? airbyte_schema.as_object() : json::object{};
  if (auto *props = schema.if_contains("properties"); props != nullptr && props->is_object()) {
    auto &p = props->as_object();
    if (auto it = p.find(kAirbyteDeletedAt); it != p.end()) {
      json::value decl = it->value();
      p.erase(it);
      if (decl.is_object()) {
        decl.as_object()["description"] =
            "Set (RFC 3339 UTC) when the record was trashed or deleted; null otherwise.";
      }
      p[kSingerDeletedAt] = std::move(decl);
    }
  }
  if (auto *req = schema.if_contains("required"); req != nullptr && req->is_array()) {
    for (auto &r : req->as_array()) {
      if (r.is_string() && r.as_string() == kAirbyteDeletedAt) {
        r = kSingerDeletedAt;
      }
    }
  }
  return schema;
}

std::vector<std::string> key_properties(const json::value &primary_key) {
  std::vector<std::string> out;
  if (!primary_key.is_array()) {
    return out;
  }
  for (const auto &path : primary_key.as_array()) {
    if (path.is_string()) {
      out.emplace_back(path.as_string());
      continue;
    }
    if (!path.is_array()) {
      continue;
    }
    std::string joined;
    for (const auto &part : path.as_array()) {
      if (part.is_string()) {
        joined += (joined.empty() ? "" : ".") + std::string(part.as_string());
      }
    }
    if (!joined.empty()) {
      out.push_back(joined);
    }
  }
  return out;
}

json::object build_singer_catalog(const json::object &airbyte_catalog) {
  const auto streams_by_name = by_name(airbyte_catalog);
  json::array streams;
  for (const auto &name : airbyte_order(airbyte_catalog)) {
    const json::object &ab = streams_by_name.at(name);
    SelectedStream s = from_airbyte(ab, true);
    const std::string cursor = cursor_of(ab);
    const std::string method = cursor.empty() ? "FULL_TABLE" : "INCREMENTAL";
    json::object top{{"selected", true},
                     {"selected-by-default", true},
                     {"inclusion", "available"},
                     {"table-key-properties", string_array(s.key_properties)},
                     {"valid-replication-keys",
                      cursor.empty() ? json::array{} : json::array{json::string(cursor)}}};
    if (cursor.empty()) {
      top["forced-replication-method"] = "FULL_TABLE";
    } else {
      top["replication-method"] = "INCREMENTAL";
      top["replication-key"] = cursor;
    }
    json::array metadata{json::object{{"breadcrumb", json::array{}}, {"metadata", std::move(top)}}};
    if (const auto *props = s.schema.if_contains("properties"); props && props->is_object()) {
      for (const auto &p : props->as_object()) {
        std::string key(p.key());
        bool automatic = key == cursor;
        for (const auto &k : s.key_properties) {
          automatic = automatic || k == key;
        }
        json::object m{{"inclusion", automatic ? "automatic" : "available"}};
        if (!automatic) {
          m["selected-by-default"] = true;
        }
        metadata.push_back(json::object{{"breadcrumb", json::array{"properties", key}},
                                        {"metadata", std::move(m)}});
      }
    }
    json::object entry{
        {"tap_stream_id", name},        {"stream", name},
        {"schema", s.schema},           {"key_properties", string_array(s.key_properties)},
        {"replication_method", method}, {"metadata", std::move(metadata)}};
    if (!cursor.empty()) {
      entry["replication_key"] = cursor;
    }
    streams.push_back(std::move(entry));
  }
  return json::object{{"streams", std::move(streams)}};
}

std::vector<SelectedStream> selected_streams(const json::value &singer_catalog,
                                             const json::object &airbyte_catalog,
                                             const std::function<void(const std::string &)> &warn) {
  const auto streams_by_name = by_name(airbyte_catalog);
  const json::value *list =
      singer_catalog.is_object() ? singer_catalog.as_object().if_contains("streams") : nullptr;
  if (list == nullptr || !list->is_array()) {
    throw config_error("the Singer catalog must be a JSON object with a \"streams\" list (the "
                       "output of --discover)");
  }
  std::vector<SelectedStream> out;
  std::set<std::string> seen;
  std::size_t index = 0;
  for (const auto &item : list->as_array()) {
    const std::string where = "catalog streams[" + std::to_string(index++) + "]";
    if (!item.is_object()) {
      throw config_error(where + " must be an object");
    }
    const auto &entry = item.as_object();
    const json::value *id = entry.if_contains("tap_stream_id");
    if (id == nullptr || !id->is_string()) {
      id = entry.if_contains("stream");
    }
    if (id == nullptr || !id->is_string()) {
      throw config_error(where + " lacks tap_stream_id");
    }
    const std::string name(id->as_string());
    const json::object *top = metadata_at(entry, json::array{});
    bool selected = false;
    if (const auto *v = field(top, "selected"); v && v->is_bool()) {
      selected = v->as_bool();
    } else if (const auto *d = field(top, "selected-by-default"); d && d->is_bool()) {
      selected = d->as_bool();
    } else if (const auto *l = entry.if_contains("selected"); l && l->is_bool()) {
      selected = l->as_bool();
    }
    if (!selected) {
      continue;
    }
    auto ab = streams_by_name.find(name);
    if (ab == streams_by_name.end()) {
      warn("the catalog selects stream '" + name +
           "', which this connector does not have; it is skipped");
      continue;
    }
    if (!seen.insert(name).second) {
      throw config_error("the catalog selects stream '" + name + "' twice");
    }
    std::string method;
    for (const json::value *v :
         {field(top, "replication-method"), entry.if_contains("replication_method"),
          field(top, "forced-replication-method")}) {
      if (v != nullptr && v->is_string() && !v->as_string().empty()) {
        method = std::string(v->as_string());
        break;
      }
    }
    const std::string cursor = cursor_of(ab->second);
    if (method.empty()) {
      method = cursor.empty() ? "FULL_TABLE" : "INCREMENTAL";
    }
    if (method != "INCREMENTAL" && method != "FULL_TABLE" && method != "LOG_BASED") {
      throw config_error(where + " (" + name +
                         "): replication method must be INCREMENTAL or FULL_TABLE, got \"" +
                         method + "\"");
    }
    if (method != "FULL_TABLE" && cursor.empty()) {
      warn("stream '" + name +
           "' cannot be read incrementally (WooCommerce gives it no date to filter on); it is "
           "read in full");
    }
    SelectedStream s = from_airbyte(ab->second, method != "FULL_TABLE");
    for (const json::value *rk :
         {entry.if_contains("replication_key"), field(top, "replication-key")}) {
      if (s.incremental && rk != nullptr && rk->is_string() && !rk->as_string().empty() &&
          rk->as_string() != s.replication_key) {
        warn("stream '" + name + "': replication key '" + std::string(rk->as_string()) +
             "' ignored; this stream's cursor is " + s.replication_key);
        break;
      }
    }
    if (const auto *schema = entry.if_contains("schema");
        schema && schema->is_object() && schema->as_object().contains("properties")) {
      s.schema = singer_schema(*schema); // the orchestrator may have overridden it
    }
    if (auto *props = s.schema.if_contains("properties"); props && props->is_object()) {
      std::vector<std::string> names;
      for (const auto &p : props->as_object()) {
        names.emplace_back(p.key());
      }
      for (const auto &p : names) {
        const json::object *m = metadata_at(entry, json::array{"properties", json::string(p)});
        const auto *sel = field(m, "selected");
        const auto *inc = field(m, "inclusion");
        bool automatic =
            p == s.replication_key || (inc && inc->is_string() && inc->as_string() == "automatic");
        for (const auto &k : s.key_properties) {
          automatic = automatic || k == p;
        }
        bool unsupported = inc && inc->is_string() && inc->as_string() == "unsupported";
        if (!automatic && (unsupported || (sel && sel->is_bool() && !sel->as_bool()))) {
          s.excluded_fields.insert(p);
          props->as_object().erase(p);
        }
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<SelectedStream> all_streams(const json::object &airbyte_catalog) {
  const auto streams_by_name = by_name(airbyte_catalog);
  std::vector<SelectedStream> out;
  for (const auto &name : airbyte_order(airbyte_catalog)) {
    out.push_back(from_airbyte(streams_by_name.at(name), true));
  }
  return out;
}

json::object airbyte_configured_catalog(const std::vector<SelectedStream> &streams,
                                        const json::object &airbyte_catalog) {
  const auto streams_by_name = by_name(airbyte_catalog);
  json::array list;
  for (const auto &s : streams) {
    json::object ab = streams_by_name.at(s.name);
    list.push_back(
        json::object{{"stream", std::move(ab)},
                     {"sync_mode", s.incremental ? "incremental" : "full_refresh"},
                     {"destination_sync_mode", s.incremental ? "append_dedup" : "overwrite"}});
  }
  return json::object{{"streams", std::move(list)}};
}

} // namespace wc::singer
