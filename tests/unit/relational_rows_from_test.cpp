// Streams whose rows are the items of a list inside another stream's records (rows_from in
// catalog/relational.yaml): countries and states of /data/continents (issue #12).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "catalog/catalog_builder.hpp"
#include "core/error.hpp"
#include "relational/output.hpp"
#include "relational/record_converter.hpp"
#include "relational/relational_schema.hpp"
#include "relational/relational_sink.hpp"
#include "relational/rows_from.hpp"
#include "relational/rules.hpp"
#include "relational_support.hpp"

namespace json = boost::json;
using namespace wc::relational;

namespace {

const char *kContinentSchema = R"({
  "type": "object",
  "required": ["code"],
  "properties": {
    "code": {"type": "string"},
    "name": {"type": ["null", "string"]},
    "countries": {"type": ["null", "array"], "items": {"type": "object", "properties": {
      "code": {"type": ["null", "string"]},
      "name": {"type": ["null", "string"]},
      "num_decimals": {"type": ["null", "integer"]},
      "states": {"type": ["null", "array"], "items": {"type": "object", "properties": {
        "code": {"type": ["null", "string"]},
        "name": {"type": ["null", "string"]}}}}}}}
  }
})";

// A continent: one country with two states, one with none ([]), one with null states.
const char *kContinent = R"({"code": "NA", "name": "North America", "countries": [
  {"code": "US", "name": "United States", "num_decimals": 2,
   "states": [{"code": "CA", "name": "California"}, {"code": "WA", "name": "Washington"}]},
  {"code": "PM", "name": "Saint Pierre", "num_decimals": 2, "states": []},
  {"code": "XX", "name": "Nowhere", "num_decimals": 0, "states": null}]})";

RowsFromRule states_rule() {
  return *parse_rules(R"(
streams:
  states:
    rows_from:
      records_of: continents
      path: "countries[].states[]"
      carry: {continent_code: code, country_code: "countries[].code"}
      primary_key: [[country_code], [code]]
)")
              .for_stream("states")
              .rows_from;
}

RowsFromRule countries_rule() {
  return *parse_rules(R"(
streams:
  countries:
    rows_from: {records_of: continents, path: "countries[]", carry: {continent_code: code},
                primary_key: [[code]]}
)")
              .for_stream("countries")
              .rows_from;
}

std::vector<json::object> expand(const RowsFromRule &rule, const char *record,
                                 std::vector<std::string> *unexpected = nullptr) {
  return expand_rows(rule, json::parse(record).as_object(), "", [&](const std::string &path) {
    if (unexpected != nullptr) {
      unexpected->push_back(path);
    }
  });
}

const json::object &properties(const json::object &schema) {
  return schema.at("properties").as_object();
}

} // namespace

TEST(RelationalRowsFrom, RulesParseListPathsAndCarriedLevels) {
  const auto rule = states_rule();
  EXPECT_EQ(rule.records_of, "continents");
  EXPECT_EQ(rule.lists, (std::vector<std::string>{"countries", "states"}));
  ASSERT_EQ(rule.carry.size(), 2u);
  EXPECT_EQ(rule.carry[0].column, "continent_code");
  EXPECT_EQ(rule.carry[0].level, 0u);
  EXPECT_EQ(rule.carry[0].field, "code");
  EXPECT_EQ(rule.carry[1].column, "country_code");
  EXPECT_EQ(rule.carry[1].level, 1u);
  EXPECT_EQ(rule.carry[1].field, "code");
  EXPECT_EQ(rule.primary_key, (std::vector<std::vector<std::string>>{{"country_code"}, {"code"}}));
}

TEST(RelationalRowsFrom, MalformedRulesAreRefused) {
  const std::vector<std::string> lists{"countries", "states"};
  EXPECT_THROW(parse_list_path("countries", "t"), wc::Error);                // no []
  EXPECT_THROW(parse_list_path("countries[].states", "t"), wc::Error);       // no [] on the last
  EXPECT_THROW(parse_carried("c", "regions[].code", lists, "t"), wc::Error); // not on the path
  EXPECT_THROW(parse_carried("c", "countries[].states[].code", lists, "t"),
               wc::Error); // the rows' own level: not an enclosing one
  EXPECT_THROW(parse_carried("c", "countries[]", lists, "t"), wc::Error);
  EXPECT_THROW(parse_rules("streams:\n  s:\n    rows_from: {records_of: c, path: \"a[]\"}\n"),
               wc::Error); // no primary_key
}

TEST(RelationalRowsFrom, OneRowPerItemOfTheInnermostListWithEnclosingFieldsCarried) {
  std::vector<std::string> unexpected;
  const auto rows = expand(states_rule(), kContinent, &unexpected);
  ASSERT_EQ(rows.size(), 2u); // the countries with [] and null states give no row
  EXPECT_EQ(json::value(rows[0]),
            json::parse(R"({"continent_code":"NA","country_code":"US","code":"CA",
                            "name":"California"})"));
  EXPECT_EQ(json::value(rows[1]),
            json::parse(R"({"continent_code":"NA","country_code":"US","code":"WA",
                            "name":"Washington"})"));
  EXPECT_TRUE(unexpected.empty());

  const auto countries = expand(countries_rule(), kContinent);
  ASSERT_EQ(countries.size(), 3u);
  EXPECT_EQ(countries[1].at("continent_code"), "NA");
  EXPECT_EQ(countries[1].at("code"), "PM");
  EXPECT_EQ(countries[1].at("num_decimals"), 2);
}

TEST(RelationalRowsFrom, MissingNullOrEmptyListsGiveNoRowAndOtherShapesAreReported) {
  EXPECT_TRUE(expand(countries_rule(), R"({"code":"AN"})").empty());
  EXPECT_TRUE(expand(countries_rule(), R"({"code":"AN","countries":null})").empty());
  EXPECT_TRUE(expand(countries_rule(), R"({"code":"AN","countries":{}})").empty());
  std::vector<std::string> unexpected;
  EXPECT_TRUE(expand(countries_rule(), R"({"code":"AN","countries":"x"})", &unexpected).empty());
  EXPECT_EQ(unexpected, std::vector<std::string>{"countries[]"});
  unexpected.clear();
  EXPECT_TRUE(
      expand(states_rule(), R"({"code":"AN","countries":[{"code":"AQ","states":7}]})", &unexpected)
          .empty());
  EXPECT_EQ(unexpected, std::vector<std::string>{"countries[].states[]"});
}

TEST(RelationalRowsFrom, RowsSchemaHasTheCarriedColumnsTypedAsTheirFieldsThenTheItems) {
  const auto schema =
      rows_schema("states", json::parse(kContinentSchema).as_object(), states_rule());
  std::vector<std::string> names;
  for (const auto &kv : properties(schema)) {
    names.emplace_back(kv.key());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"continent_code", "country_code", "code", "name"}));
  EXPECT_EQ(properties(schema).at("continent_code").at("type"), "string");
  EXPECT_EQ(schema.at("required"), json::array{"continent_code"}); // code is required upstream

  auto bad = states_rule();
  bad.lists = {"countries", "provinces"};
  EXPECT_THROW(rows_schema("states", json::parse(kContinentSchema).as_object(), bad), wc::Error);
  auto clash = states_rule();
  clash.carry[1].column = "name"; // the items have a name
  EXPECT_THROW(rows_schema("states", json::parse(kContinentSchema).as_object(), clash), wc::Error);
}

TEST(RelationalRowsFrom, CatalogOffersCountriesAndStatesKeyedByTheirRowsInRelationalOnly) {
  const auto cat = build_relational_catalog(Options{});
  std::map<std::string, json::object> streams;
  for (const auto &s : cat.at("streams").as_array()) {
    streams.emplace(std::string(s.at("name").as_string()), s.as_object());
  }
  ASSERT_TRUE(streams.count("countries"));
  ASSERT_TRUE(streams.count("states"));
  EXPECT_EQ(streams["countries"].at("source_defined_primary_key"), json::parse(R"([["code"]])"));
  EXPECT_EQ(streams["states"].at("source_defined_primary_key"),
            json::parse(R"([["country_code"],["code"]])"));
  const auto &country = properties(streams["countries"].at("json_schema").as_object());
  for (const char *column :
       {"continent_code", "code", "name", "currency_code", "currency_pos", "decimal_sep",
        "dimension_unit", "num_decimals", "thousand_sep", "weight_unit", "_extra"}) {
    EXPECT_TRUE(country.contains(column)) << column;
  }
  EXPECT_FALSE(country.contains("states"));
  EXPECT_EQ(country.at("num_decimals").at("type"), json::parse(R"(["null","integer"])"));
  const auto &state = properties(streams["states"].at("json_schema").as_object());
  EXPECT_EQ(state.size(), 5u); // continent_code, country_code, code, name, _extra
  EXPECT_EQ(streams["states"].at("json_schema").at("additionalProperties"), false);
  const auto raw = wc::catalog::build_catalog();
  for (const auto &s : raw.at("streams").as_array()) {
    EXPECT_NE(s.at("name"), "countries");
    EXPECT_NE(s.at("name"), "states");
  }
}

TEST(RelationalRowsFrom, SinkWritesEveryRowOfARecordConverted) {
  Recorder out;
  RelationalSink sink(out, relational_plans(Options{}), Options{}, "2026-01-01T00:00:00.000Z");
  sink.record("states", kContinent);
  sink.record("countries", kContinent);
  sink.record("states", R"({"code":"AN","countries":[{"code":"AQ","states":"none"}]})");
  std::vector<std::string> states, countries;
  for (const auto &[stream, data] : out.records) {
    (stream == "states" ? states : countries).push_back(data);
  }
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(json::parse(states[1]),
            json::parse(R"({"continent_code":"NA","country_code":"US","code":"WA",
                            "name":"Washington"})"));
  ASSERT_EQ(countries.size(), 3u);
  EXPECT_EQ(json::parse(countries[0]).at("num_decimals"), 2);
  EXPECT_FALSE(json::parse(countries[0]).as_object().contains("states"));
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_NE(out.warnings[0].find("states.countries[].states[]"), std::string::npos)
      << out.warnings[0];
}
