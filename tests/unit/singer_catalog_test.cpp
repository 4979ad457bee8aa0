// Singer catalog: discover's shape, and a Singer catalog's selection turned into read's catalog.
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "catalog/catalog_builder.hpp"
#include "catalog/configured_catalog.hpp"
#include "core/error.hpp"
#include "singer/singer_catalog.hpp"

namespace json = boost::json;
using namespace wc::singer;

namespace {

const json::object &entry(const json::object &catalog, std::string_view name) {
  for (const auto &s : catalog.at("streams").as_array()) {
    if (s.as_object().at("tap_stream_id").as_string() == name) {
      return s.as_object();
    }
  }
  throw std::runtime_error("no stream " + std::string(name));
}

const json::object &top_metadata(const json::object &e) {
  for (const auto &m : e.at("metadata").as_array()) {
    if (m.as_object().at("breadcrumb").as_array().empty()) {
      return m.as_object().at("metadata").as_object();
    }
  }
  throw std::runtime_error("no breadcrumb []");
}

std::string property_inclusion(const json::object &e, std::string_view property) {
  for (const auto &m : e.at("metadata").as_array()) {
    const auto &b = m.as_object().at("breadcrumb").as_array();
    if (b.size() == 2 && b[1].as_string() == property) {
      return std::string(m.as_object().at("metadata").as_object().at("inclusion").as_string());
    }
  }
  return "";
}

std::vector<std::string> ignore_warnings;
auto warn = [](const std::string &m) { ignore_warnings.push_back(m); };

} // namespace

TEST(SingerCatalog, KeyPropertiesAreFlattened) {
  auto keys = key_properties(json::parse(R"([["order_id"],["id"]])"));
  EXPECT_EQ(keys, (std::vector<std::string>{"order_id", "id"}));
  EXPECT_EQ(key_properties(json::parse(R"([["a","b"]])")), std::vector<std::string>{"a.b"});
}

TEST(SingerCatalog, DiscoverDescribesEveryStream) {
  json::object cat = build_singer_catalog(wc::catalog::build_catalog());
  EXPECT_EQ(cat.at("streams").as_array().size(), 22u);
  const auto &orders = entry(cat, "orders");
  EXPECT_EQ(orders.at("stream").as_string(), "orders");
  EXPECT_EQ(orders.at("replication_method").as_string(), "INCREMENTAL");
  EXPECT_EQ(orders.at("replication_key").as_string(), "date_modified_gmt");
  EXPECT_EQ(orders.at("key_properties"), json::parse(R"(["id"])"));
  const auto &md = top_metadata(orders);
  EXPECT_EQ(md.at("valid-replication-keys"), json::parse(R"(["date_modified_gmt"])"));
  EXPECT_EQ(md.at("table-key-properties"), json::parse(R"(["id"])"));
  EXPECT_TRUE(md.at("selected").as_bool());
  EXPECT_EQ(md.at("inclusion").as_string(), "available");
  EXPECT_EQ(property_inclusion(orders, "id"), "automatic");
  EXPECT_EQ(property_inclusion(orders, "date_modified_gmt"), "automatic");
  EXPECT_EQ(property_inclusion(orders, "status"), "available");

  const auto &notes = entry(cat, "order_notes");
  EXPECT_EQ(notes.at("key_properties"), json::parse(R"(["order_id","id"])"));
  EXPECT_EQ(top_metadata(notes).at("table-key-properties"), json::parse(R"(["order_id","id"])"));
  EXPECT_EQ(property_inclusion(notes, "order_id"), "automatic");

  // Every stream: INCREMENTAL exactly when it has a replication key; FULL_TABLE ones are forced.
  int full_table = 0;
  for (const auto &s : cat.at("streams").as_array()) {
    const auto &e = s.as_object();
    const auto &md = top_metadata(e);
    const bool incremental = e.contains("replication_key");
    EXPECT_EQ(e.at("replication_method").as_string(), incremental ? "INCREMENTAL" : "FULL_TABLE");
    EXPECT_EQ(md.at("valid-replication-keys").as_array().size(), incremental ? 1u : 0u);
    if (!incremental) {
      ++full_table;
      EXPECT_EQ(md.at("forced-replication-method").as_string(), "FULL_TABLE");
    }
    EXPECT_FALSE(e.at("key_properties").as_array().empty()) << e.at("stream");
  }
  EXPECT_GT(full_table, 0);
}

TEST(SingerCatalog, DeletionColumnHasTheSingerName) {
  json::object cat = build_singer_catalog(wc::catalog::build_catalog());
  const auto &props = entry(cat, "orders").at("schema").as_object().at("properties").as_object();
  EXPECT_TRUE(props.contains(kSingerDeletedAt));
  EXPECT_FALSE(props.contains(kAirbyteDeletedAt));
}

TEST(SingerCatalog, SelectionBecomesTheConfiguredCatalog) {
  json::object cat = build_singer_catalog(wc::catalog::build_catalog());
  std::string table; // some FULL_TABLE stream
  for (const auto &s : all_streams(wc::catalog::build_catalog())) {
    if (!s.incremental && table.empty()) {
      table = s.name;
    }
  }
  ASSERT_FALSE(table.empty());
  for (auto &s : cat["streams"].as_array()) {
    auto &e = s.as_object();
    std::string name(e.at("tap_stream_id").as_string());
    for (auto &m : e["metadata"].as_array()) {
      auto &obj = m.as_object();
      if (obj.at("breadcrumb").as_array().empty()) {
        obj["metadata"].as_object()["selected"] =
            name == "orders" || name == "coupons" || name == table;
        if (name == "coupons") {
          obj["metadata"].as_object()["replication-method"] = "FULL_TABLE";
        }
      } else if (name == "orders" && obj.at("breadcrumb").as_array()[1].as_string() == "status") {
        obj["metadata"].as_object()["selected"] = false;
      } else if (name == "orders" && obj.at("breadcrumb").as_array()[1].as_string() == "id") {
        obj["metadata"].as_object()["selected"] = false; // automatic: cannot be deselected
      }
    }
  }
  auto streams = selected_streams(cat, wc::catalog::build_catalog(), warn);
  ASSERT_EQ(streams.size(), 3u);
  std::map<std::string, SelectedStream> by;
  for (auto &s : streams) {
    by[s.name] = s;
  }
  EXPECT_TRUE(by["orders"].incremental);
  EXPECT_EQ(by["orders"].replication_key, "date_modified_gmt");
  EXPECT_EQ(by["orders"].excluded_fields, std::set<std::string>{"status"});
  EXPECT_FALSE(by["orders"].schema.at("properties").as_object().contains("status"));
  EXPECT_FALSE(by["coupons"].incremental);
  EXPECT_EQ(by["coupons"].replication_key, "");
  EXPECT_FALSE(by[table].incremental);

  json::object configured = airbyte_configured_catalog(streams, wc::catalog::build_catalog());
  auto parsed = wc::catalog::parse_configured_catalog(configured, warn);
  ASSERT_EQ(parsed.size(), 3u);
  for (const auto &p : parsed) {
    bool inc = p.sync_mode == wc::catalog::SyncMode::kIncremental;
    EXPECT_EQ(inc, p.definition->name == "orders") << p.definition->name;
  }
}

TEST(SingerCatalog, SelectedByDefaultAndLegacySelected) {
  auto cat = json::parse(R"({"streams":[
    {"tap_stream_id":"orders","metadata":[{"breadcrumb":[],"metadata":{"selected-by-default":true}}]},
    {"tap_stream_id":"coupons","selected":true},
    {"tap_stream_id":"products","metadata":[]},
    {"tap_stream_id":"no_such_stream","metadata":[{"breadcrumb":[],"metadata":{"selected":true}}]}
  ]})");
  ignore_warnings.clear();
  auto streams = selected_streams(cat, wc::catalog::build_catalog(), warn);
  ASSERT_EQ(streams.size(), 2u);
  EXPECT_EQ(streams[0].name, "orders");
  EXPECT_TRUE(streams[0].incremental); // the default method of a stream with a cursor
  EXPECT_EQ(streams[1].name, "coupons");
  ASSERT_EQ(ignore_warnings.size(), 1u);
  EXPECT_NE(ignore_warnings[0].find("no_such_stream"), std::string::npos);
}

TEST(SingerCatalog, MalformedCatalogIsAConfigError) {
  try {
    selected_streams(json::parse(R"({"stream": []})"), wc::catalog::build_catalog(), warn);
    FAIL() << "no error";
  } catch (const wc::Error &e) {
    EXPECT_EQ(e.type(), wc::FailureType::kConfig);
  }
  auto bad_method = json::parse(
      R"({"streams":[{"tap_stream_id":"orders","replication_method":"SOMETIMES","selected":true}]})");
  EXPECT_THROW(selected_streams(bad_method, wc::catalog::build_catalog(), warn), wc::Error);
}
