// The relational output's converter and schema derivation (docs/relational.md). Each test names
// the rule it guards; each was seen failing with that rule broken (see the report of issue #12).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "catalog/definition_loader.hpp"
#include "core/error.hpp"
#include "relational/decimal_text.hpp"
#include "relational/output.hpp"
#include "relational/record_converter.hpp"
#include "relational/relational_schema.hpp"
#include "relational/relational_sink.hpp"
#include "relational/rules.hpp"
#include "relational_support.hpp"

namespace json = boost::json;
using namespace wc::relational;
using wc::JsonTape;

namespace {

// A small raw schema with one field of each kind.
const char *kSchema = R"({
  "type": "object",
  "properties": {
    "id": {"type": "integer"},
    "instance_id": {"type": ["null", "integer", "string"]},
    "parent_id": {"type": ["null", "integer"]},
    "status": {"type": ["null", "string"]},
    "paid": {"type": ["null", "boolean"]},
    "stock": {"type": ["null", "number"]},
    "manage_stock": {"type": ["null", "boolean", "string"]},
    "total": {"type": ["null", "string"]},
    "weight": {"type": ["null", "string"]},
    "date_created": {"type": ["null", "string"], "format": "date-time"},
    "date_created_gmt": {"type": ["null", "string"], "format": "date-time"},
    "billing": {"type": ["null", "object"], "properties": {
      "address_1": {"type": ["null", "string"]},
      "phone": {"type": ["null", "string"]}}},
    "dimensions": {"type": ["null", "object"], "properties": {
      "height": {"type": ["null", "string"]}}},
    "line_items": {"type": ["null", "array"], "items": {"type": "object"}},
    "settings": {"type": ["null", "object"]},
    "avatar_urls": {"type": ["null", "object"]},
    "meta_value": {},
    "_links": {"type": ["null", "object"]}
  }
})";

StreamRules test_rules() {
  return parse_rules(R"(
defaults:
  drop: [_links]
streams:
  things:
    money: [total]
    decimals: [weight, dimensions.height]
    maps: [settings]
)")
      .for_stream("things");
}

StreamPlan plan_of(const Options &o = {}) {
  return derive_plan("things", json::parse(kSchema).as_object(), test_rules(), o);
}

struct Warned {
  std::vector<std::string> columns;
  ConversionWarn fn() {
    return [this](const std::string &column, const std::string &) { columns.push_back(column); };
  }
};

json::object convert(const StreamPlan &plan, const char *raw, Warned *w = nullptr,
                     const Options &o = {}) {
  Warned local;
  Warned &warned = w != nullptr ? *w : local;
  return json::parse(convert_record(plan, o, json::parse(raw).as_object(), warned.fn()))
      .as_object();
}

const json::object &properties(const json::object &schema) {
  return schema.at("properties").as_object();
}

} // namespace

TEST(RelationalConverter, ObjectsWithFixedKeysAreFlattenedWithUnderscore) {
  auto r = convert(plan_of(), R"({"id":1,"billing":{"address_1":"Main St 1","phone":"555"},
                                  "dimensions":{"height":"2.5"}})");
  EXPECT_EQ(r.at("billing_address_1"), "Main St 1");
  EXPECT_EQ(r.at("billing_phone"), "555");
  EXPECT_EQ(r.at("dimensions_height"), "2.5");
  EXPECT_FALSE(r.contains("billing"));
  EXPECT_FALSE(r.contains("dimensions"));
}

TEST(RelationalConverter, PhpEmptyObjectAndNullLeaveTheColumnsAbsent) {
  auto r = convert(plan_of(), R"({"id":1,"billing":[],"dimensions":null})");
  EXPECT_FALSE(r.contains("billing_address_1"));
  EXPECT_FALSE(r.contains("_extra"));
}

TEST(RelationalConverter, ListsMapsAndLinksLeaveTheRecord) {
  auto r =
      convert(plan_of(), R"({"id":1,"line_items":[{"id":5}],"settings":{"secret":{"value":"x"}},
                                  "_links":{"self":[]}})");
  EXPECT_FALSE(r.contains("line_items"));
  EXPECT_FALSE(r.contains("settings"));
  EXPECT_FALSE(r.contains("_links"));
  EXPECT_FALSE(r.contains("_extra")) << "known fields must not land in _extra";
}

TEST(RelationalConverter, UnknownFieldsGoToExtraNeverDropped) {
  auto r = convert(plan_of(), R"({"id":1,"_wc_plugin":{"a":[1,2]},"billing":{"vat":"DE1"}})");
  ASSERT_TRUE(r.contains("_extra"));
  const auto &extra = r.at("_extra").as_object();
  EXPECT_EQ(extra.at("_wc_plugin"), json::parse(R"({"a":[1,2]})"));
  EXPECT_EQ(extra.at("billing_vat"), "DE1");
  EXPECT_FALSE(r.contains("_wc_plugin"));
}

TEST(RelationalConverter, IntegersIncludingDigitStringsAndEmptyAsNull) {
  Warned w;
  auto r = convert(plan_of(), R"({"id":7,"instance_id":"42","parent_id":""})", &w);
  EXPECT_EQ(r.at("id"), 7);
  EXPECT_TRUE(r.at("instance_id").is_int64());
  EXPECT_EQ(r.at("instance_id"), 42);
  EXPECT_TRUE(r.at("parent_id").is_null());
  EXPECT_TRUE(w.columns.empty()) << "\"\" is an absent number, not an error";
  auto bad = convert(plan_of(), R"({"id":7,"instance_id":"flat_rate:3"})", &w);
  EXPECT_TRUE(bad.at("instance_id").is_null());
  EXPECT_EQ(w.columns, std::vector<std::string>{"instance_id"});
}

TEST(RelationalConverter, GmtTimesBecomeAtColumnsWithZAndLocalTimesAreDropped) {
  auto r = convert(
      plan_of(),
      R"({"id":1,"date_created":"2026-01-02T04:05:06","date_created_gmt":"2026-01-02T03:05:06"})");
  EXPECT_EQ(r.at("date_created_at"), "2026-01-02T03:05:06Z");
  EXPECT_FALSE(r.contains("date_created_gmt"));
  EXPECT_FALSE(r.contains("date_created"));
  Options keep;
  keep.keep_local_times = true;
  auto k = convert(
      plan_of(keep),
      R"({"id":1,"date_created":"2026-01-02T04:05:06","date_created_gmt":"2026-01-02T03:05:06"})",
      nullptr, keep);
  EXPECT_EQ(k.at("date_created"), "2026-01-02T04:05:06");
  EXPECT_EQ(k.at("date_created_at"), "2026-01-02T03:05:06Z");
}

TEST(RelationalConverter, TimestampColumnsAreDeclaredWithTimezone) {
  auto schema = relational_schema(plan_of(), "things");
  const auto &at = properties(schema).at("date_created_at").as_object();
  EXPECT_EQ(at.at("format"), "date-time");
  EXPECT_EQ(at.at("airbyte_type"), "timestamp_with_timezone");
  EXPECT_FALSE(properties(schema).contains("date_created"));
}

TEST(RelationalConverter, BooleansStayBooleansAndUnionsAreKeptAsSent) {
  auto r =
      convert(plan_of(), R"({"id":1,"paid":true,"manage_stock":"parent","meta_value":{"k":[1]}})");
  EXPECT_EQ(r.at("paid"), true);
  EXPECT_EQ(r.at("manage_stock"), "parent");
  EXPECT_EQ(r.at("meta_value"), json::parse(R"({"k":[1]})"));
}

TEST(RelationalConverter, MoneyIsADecimalStringByDefault) {
  Warned w;
  auto r = convert(plan_of(), R"({"id":1,"total":"12.50","weight":""})", &w);
  EXPECT_EQ(r.at("total"), "12.50");
  EXPECT_TRUE(r.at("weight").is_null());
  EXPECT_TRUE(w.columns.empty()) << "\"\" is an absent number, not bad text";
}

TEST(RelationalConverter, MoneyAsNumberWritesTheStoresOwnDecimalText) {
  Options o;
  o.money_as_number = true;
  auto plan = plan_of(o);
  const std::string line = convert_record(
      plan, o, json::parse(R"({"id":1,"total":"12.50","weight":"0.10"})").as_object(),
      [](const std::string &, const std::string &) {});
  // The exact token, not a float round trip (12.5) nor a string.
  EXPECT_NE(line.find("\"total\":12.50"), std::string::npos) << line;
  EXPECT_NE(line.find("\"weight\":0.10"), std::string::npos) << line;
  EXPECT_EQ(properties(relational_schema(plan, "things")).at("total").at("type"),
            json::parse(R"(["null","number"])"));
}

TEST(RelationalConverter, MoneyThatIsNotADecimalBecomesNullWithAWarning) {
  Warned w;
  auto r = convert(plan_of(), R"({"id":1,"total":"12,50"})", &w);
  EXPECT_TRUE(r.at("total").is_null());
  EXPECT_EQ(w.columns, std::vector<std::string>{"total"});
}

TEST(RelationalConverter, SchemaTypesEveryColumnAndAllowsUnknownsOnlyThroughExtra) {
  for (const auto &[name, plan] : relational_plans(Options{})) {
    auto schema = relational_schema(plan, name);
    EXPECT_EQ(schema.at("additionalProperties"), false) << name;
    for (const auto &kv : properties(schema)) {
      EXPECT_TRUE(kv.value().as_object().contains("type")) << name << "." << kv.key();
    }
    EXPECT_TRUE(properties(schema).contains("_extra")) << name;
  }
}

TEST(RelationalConverter, EveryRelationalStreamKeepsItsPrimaryKeyColumns) {
  auto plans = relational_plans(Options{});
  for (const auto *defs :
       {&wc::catalog::builtin_definitions(), &wc::catalog::reference_definitions()}) {
    for (const auto &d : *defs) {
      ASSERT_TRUE(plans.count(d.name)) << d.name;
      auto schema = relational_schema(plans.at(d.name), d.name);
      for (const auto &path : d.primary_key) {
        EXPECT_TRUE(properties(schema).contains(path.front())) << d.name << "." << path.front();
      }
    }
  }
}

TEST(RelationalConverter, RequiredFieldsOfTheRawSchemaStayRequired) {
  auto plans = relational_plans(Options{});
  EXPECT_EQ(relational_schema(plans.at("orders"), "orders").at("required"), json::array{"id"});
  EXPECT_EQ(relational_schema(plans.at("refunds"), "refunds").at("required"),
            (json::array{"id", "order_id"}));
  EXPECT_EQ(relational_schema(plans.at("currencies"), "currencies").at("required"),
            json::array{"code"});
}

TEST(RelationalConverter, RelationalCatalogRenamesCursorsAndKeepsRawCatalogApart) {
  auto cat = build_relational_catalog(Options{});
  bool orders = false, currencies = false;
  for (const auto &s : cat.at("streams").as_array()) {
    const auto &o = s.as_object();
    if (o.at("name") == "orders") {
      orders = true;
      EXPECT_EQ(o.at("default_cursor_field"), json::parse(R"(["date_modified_at"])"));
      EXPECT_TRUE(properties(o.at("json_schema").as_object()).contains("date_modified_at"));
    }
    currencies = currencies || o.at("name") == "currencies";
  }
  EXPECT_TRUE(orders);
  EXPECT_TRUE(currencies);
}

namespace {
const StreamPlan &orders_plan() {
  static const auto plans = relational_plans(Options{});
  return plans.at("orders");
}
} // namespace

TEST(RelationalNetRevenue, NoRefunds) {
  auto r = convert(orders_plan(), R"({"id":1,"total":"40.00","refunds":[]})");
  EXPECT_EQ(r.at("refunded_total"), "0.00"); // the total's decimals
  EXPECT_EQ(r.at("net_total"), "40.00");
}

TEST(RelationalNetRevenue, PartialRefundsAreSubtractedAsPositiveAmounts) {
  auto r = convert(
      orders_plan(),
      R"({"id":1,"total":"40.00","refunds":[{"id":9,"total":"-5.10"},{"id":10,"total":"-4.90"}]})");
  EXPECT_EQ(r.at("refunded_total"), "10.00");
  EXPECT_EQ(r.at("net_total"), "30.00");
}

TEST(RelationalNetRevenue, FullRefundNetsToZero) {
  auto r = convert(orders_plan(),
                   R"({"id":1,"total":"92.48","refunds":[{"id":3653,"total":"-92.48"}]})");
  EXPECT_EQ(r.at("refunded_total"), "92.48");
  EXPECT_EQ(r.at("net_total"), "0.00");
}

TEST(RelationalNetRevenue, AnUnreadableRefundMakesBothNullNotWrong) {
  Warned w;
  auto r =
      convert(orders_plan(), R"({"id":1,"total":"40.00","refunds":[{"id":9,"total":"n/a"}]})", &w);
  EXPECT_TRUE(r.at("refunded_total").is_null());
  EXPECT_TRUE(r.at("net_total").is_null());
  EXPECT_EQ(w.columns, std::vector<std::string>{"refunded_total"});
}

TEST(RelationalDecimal, ExactSumsAcrossScales) {
  auto a = Decimal::parse("0.1");
  auto b = Decimal::parse("0.20");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->plus(*b)->text(), "0.30");
  EXPECT_EQ(Decimal::parse("-0.05")->minus(*Decimal::parse("1"))->text(), "-1.05");
  EXPECT_FALSE(Decimal::parse("1e3"));
  EXPECT_FALSE(Decimal::parse("12,50"));
  EXPECT_FALSE(Decimal::parse("."));
  EXPECT_TRUE(is_decimal_text("-12.50"));
  EXPECT_FALSE(is_decimal_text("12."));
}

TEST(RelationalRules, UnknownKeysAndFieldsTheSchemaLacksAreRefused) {
  EXPECT_THROW(parse_rules("streams:\n  things:\n    mony: [total]\n"), wc::Error);
  auto rules = parse_rules("streams:\n  things:\n    money: [totl]\n").for_stream("things");
  EXPECT_THROW(derive_plan("things", json::parse(kSchema).as_object(), rules, Options{}),
               wc::Error);
}

TEST(RelationalSinkTest, ConvertsPlannedStreamsWarnsOncePerFieldAndPassesOthersThrough) {
  Recorder out;
  std::map<std::string, StreamPlan, std::less<>> plans;
  plans.emplace("things", plan_of());
  RelationalSink sink(out, std::move(plans), Options{}, "2026-01-01T00:00:00.000Z");
  sink.record("things", R"({"id":1,"total":"x"})");
  sink.record("things", R"({"id":2,"total":"y"})");
  sink.record("other", R"({"id":3,"total":"z","billing":{"a":1}})");
  ASSERT_EQ(out.records.size(), 3u);
  EXPECT_EQ(json::parse(out.records[0].second), json::parse(R"({"id":1,"total":null})"));
  EXPECT_EQ(out.records[2].second, R"({"id":3,"total":"z","billing":{"a":1}})");
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_NE(out.warnings[0].find("things.total"), std::string::npos) << out.warnings[0];
}

// One PlanConverter converts record after record with the lookups of the previous one remembered
// by position (record_converter.cpp): records whose keys come in another order, under another
// object, or not at all, must still give exactly what a fresh conversion gives.
TEST(RelationalConverter, AReusedConverterGivesWhatAFreshOneGives) {
  const StreamPlan plan = plan_of();
  const std::vector<const char *> records{
      R"({"id":1,"billing":{"address_1":"x","phone":"1"},"status":"a","total":"1.50"})",
      R"({"id":2,"billing":null,"address_1":"y","status":"b","total":"2.50"})",
      R"({"status":"c","id":3,"total":"3.50","billing":{"phone":"3","address_1":"z"}})",
      R"({"id":4,"billing":{"address_1":"w","phone":"4"},"status":"d","total":"4.50"})",
      R"({"id":5,"phone":"5","billing":{"id":6},"unknown":true})",
      R"({"id":6,"billing":{"address_1":"v","phone":"6"},"status":"f","total":"6.50"})",
  };
  Warned warned;
  const ConversionWarn warn = warned.fn();
  PlanConverter reused(plan, {}, warn);
  for (int pass = 0; pass < 2; ++pass) {
    for (const char *text : records) {
      const json::object raw = json::parse(text).as_object();
      std::string out = "kept:";
      reused.record(raw, {}, out);
      EXPECT_EQ(out, "kept:" + convert_record(plan, {}, raw, warn)) << text;
    }
  }
  EXPECT_EQ(convert(plan, records[1]).at("_extra").at("address_1"), "y");
}

// A record read in place keeps each value's own text where its column keeps the value as it is:
// a number's token, a JSON column's text with its escapes; money sent as a number is taken when
// its token is decimal text; a string with escapes is written again with JSON's own escapes.
TEST(RelationalConverter, ValuesKeepTheTextTheyHaveInTheRecord) {
  const StreamPlan plan = plan_of();
  JsonTape tape;
  ASSERT_TRUE(
      tape.index(R"({"id":1,"stock":2.50,"total":12.5,"weight":1e3,)"
                 R"("avatar_urls":{"24":"https:\/\/x.test\/a"},"status":"caf\u00e9 \"q\" \/"})"));
  Warned warned;
  const ConversionWarn warn = warned.fn();
  PlanConverter converter(plan, {}, warn);
  const std::string text(converter.record(tape.root(), {}));
  EXPECT_NE(text.find(R"("stock":2.50)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("total":"12.5")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("weight":null)"), std::string::npos) << text;
  EXPECT_EQ(warned.columns, std::vector<std::string>{"weight"}) << "1e3 is not decimal text";
  EXPECT_NE(text.find(R"("avatar_urls":{"24":"https:\/\/x.test\/a"})"), std::string::npos) << text;
  EXPECT_NE(text.find("\"status\":\"caf\xc3\xa9 \\\"q\\\" /\""), std::string::npos) << text;
  EXPECT_EQ(json::parse(text).at("status"), "caf\xc3\xa9 \"q\" /");
}

// The converter writes the usual values itself (record_converter.cpp, usual_cell) and sends the
// others to the general conversion, which a string with escapes always takes: so a value sent
// plain and the same value with every character escaped must give the same cell, for each kind
// of column, with and without money_as_number.
TEST(RelationalConverter, PlainAndEscapedTextsOfAValueGiveTheSameCell) {
  const auto escaped = [](std::string_view plain) {
    std::string out;
    for (const char c : plain) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
      out += buf;
    }
    return out;
  };
  const std::vector<std::pair<std::string, std::string>> values{
      {"status", "processing"},
      {"status", ""},
      {"id", "007"},
      {"id", "12"},
      {"instance_id", "x1"},
      {"total", "12.50"},
      {"total", "-0.5"},
      {"total", ""},
      {"total", "1."},
      {"total", "12,50"},
      {"weight", "3"},
      {"weight", "abc"},
      {"date_created_gmt", "2024-02-29T23:59:59"},
      {"date_created_gmt", "2023-02-29T00:00:00"},
      {"date_created_gmt", "2026-12-31T23:59:60"},
      {"date_created_gmt", "2024-01-01 10:00:00"},
      {"date_created_gmt", "2024-01-01T10:00:00.5"},
      {"date_created_gmt", "2024-01-01"},
      {"date_created_gmt", ""},
      {"meta_value", "free text"},
      {"stock", "2.5"},
      {"paid", "yes"},
  };
  for (const bool money_as_number : {false, true}) {
    Options options;
    options.money_as_number = money_as_number;
    const StreamPlan plan = plan_of(options);
    for (const auto &[field, plain] : values) {
      std::vector<std::string> texts;
      std::vector<std::vector<std::string>> warnings;
      for (const std::string &written : {plain, escaped(plain)}) {
        const std::string record = R"({"id":1,")" + field + R"(":")" + written + R"("})";
        JsonTape tape;
        ASSERT_TRUE(tape.index(record)) << record;
        Warned warned;
        const ConversionWarn warn = warned.fn();
        PlanConverter converter(plan, options, warn);
        texts.emplace_back(converter.record(tape.root(), {}));
        warnings.push_back(warned.columns);
      }
      EXPECT_EQ(json::parse(texts[0]), json::parse(texts[1]))
          << field << " = \"" << plain << "\": " << texts[0] << " / " << texts[1];
      EXPECT_EQ(warnings[0], warnings[1]) << field << " = \"" << plain << "\"";
    }
  }
}

// The remembered lookups compare a key with the one seen at the same position before, a word at
// a time: a key that differs from a field's name in its first or last byte only, at the position
// where that field was seen, must not be taken for it (keys of 2 to 16 bytes).
TEST(RelationalConverter, ARememberedLookupTellsKeysApartByTheirFirstAndLastBytes) {
  const StreamPlan plan = plan_of();
  Warned warned;
  const ConversionWarn warn = warned.fn();
  PlanConverter reused(plan, {}, warn);
  int compared = 0;
  for (const std::string field :
       {"id", "paid", "total", "status", "weight", "billing", "settings", "parent_id", "meta_value",
        "instance_id", "manage_stock", "date_created_gmt"}) {
    std::string last = field, first = field;
    last.back() = last.back() == 'x' ? 'y' : 'x';
    first.front() = first.front() == 'x' ? 'y' : 'x';
    for (const std::string &key : {field, last, field, first, field}) {
      const json::object raw = json::parse(R"({")" + key + R"(":"7"})").as_object();
      std::string out;
      reused.record(raw, {}, out);
      EXPECT_EQ(out, convert_record(plan, {}, raw, warn)) << key;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 60);
}
