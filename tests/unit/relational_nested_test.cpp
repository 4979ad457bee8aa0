// Nested-list streams (issue #13): every list of the raw schemas is a stream (or on the short
// kept-as-JSON list), names by the rule, keys with the full parent path, rows of value lists,
// maps and lists inside lists with their parents' ids and the root's version.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog_builder.hpp"
#include "catalog/definition_loader.hpp"
#include "core/error.hpp"
#include "relational/output.hpp"
#include "relational/relational_sink.hpp"
#include "relational/rules.hpp"
#include "relational/version.hpp"
#include "relational_support.hpp"

namespace json = boost::json;
using namespace wc::relational;

namespace {

// Lists that stay one JSON column (or are not lists), each with its reason. Any other array of
// the raw schemas must have a nested-list stream.
const std::map<std::string, std::string> kNotNestedStreams = {
    // object|array in the schema: PHP's [] for "no image"; an object otherwise, flattened.
    {"product_categories.image", "not a list: an object, or [] for none"},
    {"products.cost_of_goods_sold.values", "kept as JSON (relational.yaml json)"},
    {"product_variations.cost_of_goods_sold.values", "kept as JSON (relational.yaml json)"},
    {"payment_gateways.post_install_scripts", "kept as JSON (relational.yaml json)"},
    // a map of three fixed sizes ("24", "48", "96") to URLs: one JSON column by the generic
    // rule for objects without fixed keys (docs/relational.md, Types)
    {"product_reviews.reviewer_avatar_urls", "a JSON column: avatar URL per size"},
};

// Every array of a schema, as nested paths ("line_items[]", "line_items[].taxes[]"), and every
// map (an object without properties but with patternProperties: "settings{}").
void lists_of(const json::object &schema, const std::string &prefix, const std::string &dotted,
              std::vector<std::pair<std::string, std::string>> &out) {
  const auto *props = schema.if_contains("properties");
  if (props == nullptr || !props->is_object()) {
    return;
  }
  for (const auto &kv : props->get_object()) {
    const std::string key(kv.key());
    if (key == "_links" || !kv.value().is_object()) {
      continue;
    }
    const auto &p = kv.value().get_object();
    std::set<std::string> types;
    if (const auto *t = p.if_contains("type")) {
      if (t->is_string()) {
        types.emplace(t->get_string());
      } else if (t->is_array()) {
        for (const auto &x : t->get_array()) {
          types.emplace(x.as_string());
        }
      }
    }
    const std::string path = prefix + key;
    const std::string dot = dotted.empty() ? key : dotted + "." + key;
    if (types.count("array")) {
      out.emplace_back(path + "[]", dot);
      if (const auto *items = p.if_contains("items"); items != nullptr && items->is_object()) {
        lists_of(items->get_object(), path + "[].", dot, out);
      }
    } else if (p.contains("patternProperties")) {
      out.emplace_back(path + "{}", dot);
    } else if (types.count("object")) {
      lists_of(p, path + ".", dot, out);
    }
  }
}

std::map<std::string, json::object> relational_streams() {
  std::map<std::string, json::object> out;
  const json::object cat = build_relational_catalog(Options{});
  for (const auto &s : cat.at("streams").as_array()) {
    out.emplace(std::string(s.at("name").as_string()), s.as_object());
  }
  return out;
}

json::array key_of(const json::object &stream) {
  return stream.at("source_defined_primary_key").as_array();
}

const char *kOrder = R"({"id": 7, "date_modified_gmt": "2026-11-20T10:00:05", "total": "30.00",
  "line_items": [
    {"id": 71, "name": "Mug", "total": "20.00",
     "taxes": [{"id": 1, "total": "1.00", "subtotal": "1.00"}, {"id": 2, "total": "0.50",
               "subtotal": "0.50"}],
     "meta_data": [{"id": 900, "key": "_size", "value": "L"}]},
    {"id": 72, "name": "Cap", "total": "10.00", "taxes": [], "meta_data": []}],
  "meta_data": [{"id": 5, "key": "a", "value": {"x": [1, 2]}}, {"id": 6, "key": "b",
                 "value": true}],
  "refunds": [{"id": 80, "reason": "", "total": "-5.00"}]})";

std::map<std::string, std::vector<json::object>> by_stream(const Recorder &out) {
  std::map<std::string, std::vector<json::object>> m;
  for (const auto &[stream, data] : out.records) {
    m[stream].push_back(json::parse(data).as_object());
  }
  return m;
}

const char *kSync = "2026-12-07T03:16:30.123Z";

} // namespace

TEST(RelationalNested, EveryListOfTheRawSchemasHasANestedStreamOrIsKeptAsJson) {
  const Rules &rules = builtin_rules();
  std::set<std::pair<std::string, std::string>> nested; // (root, path)
  for (const auto &ns : rules.nested) {
    nested.emplace(ns.root, ns.path);
  }
  std::size_t lists = 0;
  for (const auto &d : wc::catalog::builtin_definitions()) {
    std::vector<std::pair<std::string, std::string>> found;
    lists_of(wc::catalog::stream_schema(d).as_object(), "", "", found);
    for (const auto &[path, dotted] : found) {
      ++lists;
      const std::string where = d.name + "." + dotted;
      if (kNotNestedStreams.count(where)) {
        if (kNotNestedStreams.at(where).rfind("kept as JSON", 0) == 0) {
          EXPECT_TRUE(rules.for_stream(d.name).json.count(dotted)) << where;
        }
        EXPECT_FALSE(nested.count({d.name, path})) << where;
        continue;
      }
      EXPECT_TRUE(nested.count({d.name, path}))
          << where << " (" << path << ") has no nested-list stream in catalog/relational.yaml "
          << "and is not on the kept-as-JSON list";
    }
  }
  EXPECT_GT(lists, 55u); // the walk found the schemas' lists
  // and no nested stream names a list the schemas do not have (discover derives every one)
  const auto streams = relational_streams();
  for (const auto &ns : rules.nested) {
    EXPECT_TRUE(streams.count(ns.name)) << ns.name;
  }
}

TEST(RelationalNested, NamesFollowTheRuleAndCollideWithNoOtherStream) {
  EXPECT_EQ(nested_stream_name("orders", "line_items[].taxes[]"), "orders_line_items_taxes");
  EXPECT_EQ(nested_stream_name("payment_gateways", "settings{}"), "payment_gateways_settings");
  EXPECT_EQ(nested_stream_name("products", "attributes[].options[]"),
            "products_attributes_options");
  std::set<std::string> others;
  for (const auto &d : wc::catalog::builtin_definitions()) {
    others.insert(d.name);
  }
  for (const auto &d : wc::catalog::reference_definitions()) {
    others.insert(d.name);
  }
  std::set<std::string> names;
  for (const auto &ns : builtin_rules().nested) {
    EXPECT_EQ(ns.name, nested_stream_name(ns.root, ns.path));
    EXPECT_TRUE(names.insert(ns.name).second) << ns.name << " twice";
    EXPECT_FALSE(others.count(ns.name)) << ns.name << " is the name of another stream";
  }
  // The rules refuse a nested stream named like another stream.
  EXPECT_THROW(parse_rules(R"(
streams:
  a_b: {}
  a:
    nested: {lists: {"b[]": {key: [id]}}}
)"),
               wc::Error);
  // Nothing nested in the raw catalog.
  const json::object raw = wc::catalog::build_catalog();
  for (const auto &s : raw.at("streams").as_array()) {
    EXPECT_FALSE(names.count(std::string(s.at("name").as_string()))) << s.at("name");
  }
}

TEST(RelationalNested, KeysAreTheFullParentPathPlusTheItemsOwnIdOrValue) {
  const auto streams = relational_streams();
  auto key = [&](const char *name) { return key_of(streams.at(name)); };
  EXPECT_EQ(key("orders_line_items"), json::parse(R"([["order_id"],["id"]])"));
  EXPECT_EQ(key("orders_line_items_taxes"),
            json::parse(R"([["order_id"],["line_item_id"],["id"]])"));
  EXPECT_EQ(key("orders_shipping_lines_meta_data"),
            json::parse(R"([["order_id"],["shipping_line_id"],["id"]])"));
  EXPECT_EQ(key("refunds_fee_lines_taxes"),
            json::parse(R"([["order_id"],["refund_id"],["fee_line_id"],["id"]])"));
  EXPECT_EQ(key("products_related_ids"), json::parse(R"([["product_id"],["value"]])"));
  EXPECT_EQ(key("products_attributes"), json::parse(R"([["product_id"],["id"],["name"]])"));
  EXPECT_EQ(key("products_attributes_options"),
            json::parse(R"([["product_id"],["attribute_id"],["attribute_name"],["value"]])"));
  EXPECT_EQ(key("coupons_used_by"), json::parse(R"([["coupon_id"],["position"]])"));
  EXPECT_EQ(key("payment_gateways_settings"), json::parse(R"([["gateway_id"],["key"]])"));
  EXPECT_EQ(key("shipping_zone_methods_settings"),
            json::parse(R"([["zone_id"],["instance_id"],["key"]])"));
  // Every key column is a column; every nested stream carries its root's id column; the cursor
  // of an incremental nested stream is _parent_version, which its schema requires.
  std::map<std::string, std::string> root_id;
  for (const auto &ns : builtin_rules().nested) {
    const auto &s = streams.at(ns.name);
    const auto &schema = s.at("json_schema").as_object();
    const auto &props = schema.at("properties").as_object();
    for (const auto &k : key_of(s)) {
      EXPECT_TRUE(props.contains(k.as_array()[0].as_string())) << ns.name << " " << k;
    }
    const std::string first(key_of(s)[0].as_array()[0].as_string());
    if (ns.root != "refunds" && ns.root != "product_variations" &&
        ns.root != "shipping_zone_methods") {
      auto [it, fresh] = root_id.emplace(ns.root, first);
      EXPECT_EQ(it->second, first) << ns.name;
    }
    if (builtin_rules().for_stream(ns.root).version) {
      EXPECT_TRUE(props.contains(kParentVersionColumn)) << ns.name;
      const auto &modes = s.at("supported_sync_modes").as_array();
      if (modes.size() == 2) {
        EXPECT_EQ(s.at("default_cursor_field"), json::array{kParentVersionColumn}) << ns.name;
      }
    }
  }
  EXPECT_EQ(root_id["orders"], "order_id");
  EXPECT_EQ(root_id["products"], "product_id");
  // Roots carry _version.
  EXPECT_TRUE(
      streams.at("orders").at("json_schema").at("properties").as_object().contains(kVersionColumn));
  EXPECT_FALSE(streams.at("order_notes")
                   .at("json_schema")
                   .at("properties")
                   .as_object()
                   .contains(kVersionColumn));
}

TEST(RelationalNested, VersionsSortByModificationTimeThenSync) {
  EXPECT_EQ(sync_id(1796613390123), "2026-12-07T03:16:30.123Z");
  EXPECT_EQ(sync_id(1796613390007), "2026-12-07T03:16:30.007Z");
  const VersionRule rule{"date_modified_gmt"};
  const auto v1 = record_version(
      rule, json::parse(R"({"date_modified_gmt":"2026-11-20T10:00:05"})").as_object(), kSync);
  EXPECT_EQ(v1, "2026-11-20T10:00:05Z/2026-12-07T03:16:30.123Z");
  const auto later_sync = record_version(
      rule, json::parse(R"({"date_modified_gmt":"2026-11-20T10:00:05"})").as_object(),
      "2026-12-08T00:00:00.000Z");
  const auto later_edit = record_version(
      rule, json::parse(R"({"date_modified_gmt":"2026-11-21T00:00:00"})").as_object(), kSync);
  EXPECT_LT(v1, later_sync);
  EXPECT_LT(later_sync, later_edit);
  const auto none = record_version(rule, json::parse(R"({"id":3})").as_object(), kSync);
  EXPECT_EQ(none.size(), v1.size());
  EXPECT_LT(none, v1);
  EXPECT_EQ(record_version(VersionRule{}, json::object{}, kSync), kSync);
}

TEST(RelationalNested, OneParseFeedsTheRootAndItsNestedRowsWithParentIdsAndVersion) {
  Recorder out;
  RelationalSink sink(out, relational_plans(Options{}), Options{}, kSync);
  sink.record_for({"orders", "orders_line_items", "orders_line_items_taxes",
                   "orders_line_items_meta_data", "orders_meta_data", "orders_refunds"},
                  kOrder);
  auto m = by_stream(out);
  ASSERT_EQ(m["orders"].size(), 1u);
  const std::string version = "2026-11-20T10:00:05Z/2026-12-07T03:16:30.123Z";
  EXPECT_EQ(m["orders"][0].at("_version"), version.c_str());
  ASSERT_EQ(m["orders_line_items"].size(), 2u);
  EXPECT_EQ(m["orders_line_items"][1].at("order_id"), 7);
  EXPECT_EQ(m["orders_line_items"][1].at("id"), 72);
  EXPECT_EQ(m["orders_line_items"][1].at("total"), "10.00");
  EXPECT_FALSE(m["orders_line_items"][1].contains("taxes"));
  ASSERT_EQ(m["orders_line_items_taxes"].size(), 2u);
  EXPECT_EQ(json::value(m["orders_line_items_taxes"][1]),
            json::parse(R"({"order_id":7,"line_item_id":71,"id":2,"total":"0.50",
                            "subtotal":"0.50","_parent_version":")" +
                        version + R"("})"));
  ASSERT_EQ(m["orders_line_items_meta_data"].size(), 1u);
  EXPECT_EQ(m["orders_line_items_meta_data"][0].at("line_item_id"), 71);
  EXPECT_EQ(m["orders_line_items_meta_data"][0].at("position"), 0);
  ASSERT_EQ(m["orders_meta_data"].size(), 2u);
  EXPECT_EQ(m["orders_meta_data"][1].at("position"), 1);
  EXPECT_EQ(m["orders_meta_data"][0].at("value"), json::parse(R"({"x":[1,2]})"));
  EXPECT_EQ(m["orders_meta_data"][1].at("value"), true);
  ASSERT_EQ(m["orders_refunds"].size(), 1u);
  EXPECT_EQ(m["orders_refunds"][0].at("total"), "-5.00");
  for (const auto &[stream, rows] : m) {
    for (const auto &r : rows) {
      if (stream != "orders") {
        EXPECT_EQ(r.at("_parent_version"), version.c_str()) << stream;
        EXPECT_EQ(r.at("order_id"), 7) << stream;
      }
    }
  }
  EXPECT_TRUE(out.warnings.empty());
}

TEST(RelationalNested, ValueListsAndMapsGiveValueAndKeyRows) {
  Recorder out;
  RelationalSink sink(out, relational_plans(Options{}), Options{}, kSync);
  sink.record_for({"products_related_ids", "products_attributes_options"},
                  R"({"id": 3, "date_modified_gmt": "2026-01-02T03:04:05", "related_ids": [9, 4],
                      "attributes": [{"id": 0, "name": "Size", "options": ["S", "M"]},
                                     {"id": 2, "name": "Color", "options": ["Red"]}]})");
  sink.record_for(
      {"payment_gateways", "payment_gateways_settings", "payment_gateways_method_supports"},
      R"({"id": "bacs", "method_supports": ["products", "refunds"],
                      "settings": {"title": {"id": "title", "label": "Title", "value": "Bank"},
                                   "enabled": {"id": "enabled", "value": "yes"}}})");
  auto m = by_stream(out);
  ASSERT_EQ(m["products_related_ids"].size(), 2u);
  EXPECT_EQ(json::value(m["products_related_ids"][1]), json::parse(R"({"product_id":3,"value":4,
                            "_parent_version":"2026-01-02T03:04:05Z/2026-12-07T03:16:30.123Z"})"));
  ASSERT_EQ(m["products_attributes_options"].size(), 3u);
  EXPECT_EQ(json::value(m["products_attributes_options"][1]),
            json::parse(R"({"product_id":3,"attribute_id":0,"attribute_name":"Size","value":"M",
                            "_parent_version":"2026-01-02T03:04:05Z/2026-12-07T03:16:30.123Z"})"));
  ASSERT_EQ(m["payment_gateways"].size(), 1u);
  EXPECT_EQ(m["payment_gateways"][0].at("_version"), kSync); // full refresh: the sync alone
  ASSERT_EQ(m["payment_gateways_settings"].size(), 2u);
  EXPECT_EQ(m["payment_gateways_settings"][0].at("gateway_id"), "bacs");
  EXPECT_EQ(m["payment_gateways_settings"][0].at("key"), "title");
  EXPECT_EQ(m["payment_gateways_settings"][0].at("value"), "Bank");
  EXPECT_EQ(m["payment_gateways_settings"][1].at("key"), "enabled");
  EXPECT_EQ(m["payment_gateways_settings"][1].at("_parent_version"), kSync);
  ASSERT_EQ(m["payment_gateways_method_supports"].size(), 2u);
  EXPECT_EQ(m["payment_gateways_method_supports"][1].at("value"), "refunds");
}

TEST(RelationalNested, ATombstoneGoesToItsRootOnly) {
  Recorder out;
  RelationalSink sink(out, relational_plans(Options{}), Options{}, kSync);
  json::object trashed = json::parse(kOrder).as_object();
  trashed["_ab_cdc_deleted_at"] = "2026-11-20T10:00:05Z";
  sink.record_for({"orders", "orders_line_items", "orders_meta_data"}, json::serialize(trashed));
  sink.record_for({"orders", "orders_line_items"},
                  R"({"id": 8, "_ab_cdc_deleted_at": "2026-11-21T00:00:00.000Z"})");
  auto m = by_stream(out);
  ASSERT_EQ(m["orders"].size(), 2u);
  EXPECT_TRUE(m["orders_line_items"].empty());
  EXPECT_TRUE(m["orders_meta_data"].empty());
}

TEST(RelationalNested, OfferedOnlyWithOutputRelational) {
  wc::ConnectorConfig cfg;
  EXPECT_FALSE(offered_definitions(cfg)); // raw: the built-in lookup
  cfg.output = wc::OutputShape::kRelational;
  const auto find = offered_definitions(cfg);
  ASSERT_TRUE(find);
  const auto *d = find("orders_line_items_taxes");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->fed_by, std::vector<std::string>{"orders"});
  EXPECT_TRUE(d->incremental());
  EXPECT_EQ(find("orders"), wc::catalog::find_definition("orders"));
  EXPECT_EQ(wc::catalog::find_definition("orders_line_items"), nullptr);
}
