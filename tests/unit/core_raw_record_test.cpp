// Raw records: a listing parsed into top-level scalars plus each record's exact text, written
// back without serialization. Every case checks the written text against Boost.JSON's own
// reading of the same element, so a wrong cut or a lost member fails.
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <random>
#include <string>

#include "core/raw_record.hpp"
#include "core/record_page.hpp"

namespace json = boost::json;
using wc::append_record_json;
using wc::parse_record_page;

namespace {

json::value parse_page(std::string_view text, std::string_view &rest) {
  auto v = parse_record_page(text, rest, json::make_shared_resource<json::monotonic_resource>());
  EXPECT_TRUE(v.has_value()) << text;
  return v ? std::move(*v) : json::value();
}

std::string written(const json::object &record) {
  std::string out;
  append_record_json(record, out);
  return out;
}

// Every record written from the raw page equals (as JSON) the element Boost.JSON reads.
void expect_round_trip(std::string_view text) {
  std::string_view rest;
  json::value page = parse_page(text, rest);
  json::value tree = json::parse(text.substr(0, text.size() - rest.size()));
  ASSERT_TRUE(page.is_array());
  ASSERT_EQ(page.as_array().size(), tree.as_array().size()) << text;
  for (std::size_t i = 0; i < tree.as_array().size(); ++i) {
    const json::object &rec = page.as_array()[i].as_object();
    ASSERT_TRUE(wc::raw_text(rec).has_value());
    const std::string out = written(rec);
    EXPECT_EQ(out.find('\n'), std::string::npos);
    EXPECT_EQ(json::parse(out), tree.as_array()[i]) << out;
  }
}

} // namespace

TEST(RawRecordPage, KeepsScalarsAndExactText) {
  const std::string text =
      R"([{"id":7,"status":"processing","total":"12.50","paid":true,"note":null,"ratio":0.5,)"
      R"("billing":{"first_name":"Zoë","city":"Köln"},"line_items":[{"id":1,"name":"A"}],)"
      R"("_links":{"self":[{"href":"https:\/\/shop.test\/wp-json\/wc\/v3\/orders\/7"}]}},)"
      R"({"id":8,"status":"completed","big":18446744073709551615,"neg":-3}])";
  std::string_view rest;
  json::value page = parse_page(text, rest);
  EXPECT_TRUE(rest.empty());
  ASSERT_EQ(page.as_array().size(), 2u);
  const json::object &first = page.as_array()[0].as_object();
  EXPECT_EQ(first.at("id").as_int64(), 7);
  EXPECT_EQ(first.at("status").as_string(), "processing");
  EXPECT_EQ(first.at("total").as_string(), "12.50");
  EXPECT_TRUE(first.at("paid").as_bool());
  EXPECT_TRUE(first.at("note").is_null());
  EXPECT_DOUBLE_EQ(first.at("ratio").as_double(), 0.5);
  // Nested values are validated but not built: the key is there, with a placeholder.
  EXPECT_FALSE(first.at("billing").is_object());
  EXPECT_FALSE(first.at("line_items").is_array());
  const json::object &second = page.as_array()[1].as_object();
  EXPECT_EQ(second.at("big").as_uint64(), 18446744073709551615ULL);
  EXPECT_EQ(second.at("neg").as_int64(), -3);
  // The written text is the element's text, byte for byte (escaped slashes kept).
  EXPECT_EQ(written(second),
            R"({"id":8,"status":"completed","big":18446744073709551615,"neg":-3})");
  EXPECT_NE(written(first).find(R"(https:\/\/shop.test)"), std::string::npos);
  expect_round_trip(text);
}

TEST(RawRecordPage, KeepsOnlyTheMembersAskedFor) {
  const std::string text =
      R"([{"id":7,"status":"x","parent_id":3,"meta":[1],"refunds":{"a":1},"note":"n"},)"
      R"({"status":"y","id":8}])";
  const wc::KeptMembers kept{"id", "parent_id", "refunds"};
  std::string_view rest;
  auto page =
      parse_record_page(text, rest, json::make_shared_resource<json::monotonic_resource>(), &kept);
  ASSERT_TRUE(page.has_value());
  const json::object &first = page->as_array()[0].as_object();
  EXPECT_EQ(first.at("id").as_int64(), 7);
  EXPECT_EQ(first.at("parent_id").as_int64(), 3);
  EXPECT_TRUE(first.contains("refunds")); // kept, nested: a placeholder
  EXPECT_FALSE(first.at("refunds").is_object());
  EXPECT_FALSE(first.contains("status"));
  EXPECT_FALSE(first.contains("meta"));
  EXPECT_EQ(first.size(), 4u); // id, parent_id, refunds, and the text
  EXPECT_EQ(written(first),
            R"({"id":7,"status":"x","parent_id":3,"meta":[1],"refunds":{"a":1},"note":"n"})");
  const json::object &second = page->as_array()[1].as_object();
  EXPECT_EQ(second.at("id").as_int64(), 8);
  EXPECT_EQ(second.size(), 2u);
  EXPECT_EQ(written(second), R"({"status":"y","id":8})");
}

TEST(RawRecordPage, PrettyPrintedPagesBecomeOneLinePerRecord) {
  const std::string text = "[\n  {\n    \"id\": 1,\n    \"meta\": [\n      1,\n      2\n    ]\n  },"
                           "\r\n  {\"id\": 2}\n]";
  expect_round_trip(text);
}

TEST(RawRecordPage, StringsThatLookLikeStructure) {
  expect_round_trip(R"([{"a":"}],{[\"","b":"\\","c":"\\\"}","d":{"e":"]\\\\"}},{"id":2}])");
  expect_round_trip(R"([{"x":"\u007d\u005d","y":["}","{",["]"]]}])");
}

TEST(RawRecordPage, KeysStartingWithAnEscapeAndEmptyRecordsUseTheScan) {
  // The first key begins with an escape: the parser gives it from its own buffer.
  expect_round_trip(R"([{"\u0069d":1,"n":{"a":1}},{"id":2}])");
  expect_round_trip(R"([{},{"id":2},{}])");
  expect_round_trip(R"([ {} , { } ])");
  expect_round_trip("[]");
}

TEST(RawRecordPage, RestAfterTheArray) {
  std::string_view rest;
  json::value page = parse_page(R"([{"id":1}]<br />Notice: x)", rest);
  EXPECT_EQ(rest, "<br />Notice: x");
  EXPECT_EQ(written(page.as_array()[0].as_object()), R"({"id":1})");
}

TEST(RawRecordPage, RefusesWhatIsNotAListOfObjects) {
  for (std::string_view bad :
       {R"({"id":1})", R"([1,2])", R"([{"id":1},"x"])", R"([[{"id":1}]])", R"([{"id":1})",
        R"([{"id":1,}])", "[{\"id\":\"\xC3\x28\"}]", "", " [{}]", "[{\"a\":tru}]"}) {
    std::string_view rest = "unchanged";
    auto v = parse_record_page(bad, rest, json::make_shared_resource<json::monotonic_resource>());
    EXPECT_FALSE(v.has_value()) << bad;
    EXPECT_EQ(rest, "unchanged");
  }
}

TEST(RawRecordPage, RandomPagesRoundTrip) {
  // Random records with nesting, escapes and unicode; each must come back equal.
  std::mt19937 rng(1234);
  const std::vector<std::string> strings = {"",
                                            "plain",
                                            "quote \" inside",
                                            "back\\slash",
                                            "brace } ] [ {",
                                            "Zoë ü 日本",
                                            "tab\tnew\nline",
                                            "\\\\",
                                            "\"",
                                            "/path/x"};
  std::function<json::value(int)> make = [&](int depth) -> json::value {
    switch (rng() % (depth > 2 ? 4 : 6)) {
    case 0:
      return json::value(static_cast<std::int64_t>(rng()) - 1000000);
    case 1:
      return json::value(strings[rng() % strings.size()]);
    case 2:
      return json::value(rng() % 2 == 0);
    case 3:
      return json::value(nullptr);
    case 4: {
      json::array a;
      for (unsigned i = rng() % 4; i > 0; --i) {
        a.push_back(make(depth + 1));
      }
      return a;
    }
    default: {
      json::object o;
      for (unsigned i = rng() % 5; i > 0; --i) {
        o[strings[rng() % strings.size()] + std::to_string(i)] = make(depth + 1);
      }
      return o;
    }
    }
  };
  for (int round = 0; round < 200; ++round) {
    json::array page;
    for (unsigned n = rng() % 6; n > 0; --n) {
      json::object rec;
      for (unsigned m = rng() % 8; m > 0; --m) {
        rec[strings[rng() % strings.size()] + "k" + std::to_string(m)] = make(1);
      }
      page.push_back(std::move(rec));
    }
    expect_round_trip(json::serialize(page));
  }
}

TEST(RawRecord, AddedMembersAreSplicedIn) {
  std::string_view rest;
  json::value page = parse_page(R"([{"id":5,"items":[1,2]},{}])", rest);
  json::object &rec = page.as_array()[0].as_object();
  wc::set_member(rec, "order_id", 42);
  wc::set_member(rec, "_ab_cdc_deleted_at", nullptr);
  EXPECT_EQ(written(rec), R"({"id":5,"items":[1,2],"order_id":42,"_ab_cdc_deleted_at":null})");
  wc::set_member(rec, "order_id", 43); // an added member changes in place
  EXPECT_EQ(written(rec), R"({"id":5,"items":[1,2],"order_id":43,"_ab_cdc_deleted_at":null})");
  json::object &empty = page.as_array()[1].as_object();
  wc::set_member(empty, "x", "y");
  EXPECT_EQ(written(empty), R"({"x":"y"})");
}

TEST(RawRecord, ChangingAMemberOfTheTextMaterializesTheRecord) {
  std::string_view rest;
  json::value page = parse_page(R"([{"id":5,"parent":1,"items":[1,{"a":"b"}]}])", rest);
  json::object &rec = page.as_array()[0].as_object();
  wc::set_member(rec, "id", 5); // same value: stays raw
  EXPECT_TRUE(wc::raw_text(rec).has_value());
  wc::set_member(rec, "parent", 2);
  EXPECT_FALSE(wc::raw_text(rec).has_value());
  EXPECT_EQ(json::parse(written(rec)), json::parse(R"({"id":5,"parent":2,"items":[1,{"a":"b"}]})"));
  // A nested member replaced by a scalar.
  json::value page2 = parse_page(R"([{"id":5,"items":[1]}])", rest);
  json::object &rec2 = page2.as_array()[0].as_object();
  wc::set_member(rec2, "items", nullptr);
  EXPECT_EQ(json::parse(written(rec2)), json::parse(R"({"id":5,"items":null})"));
}

TEST(RawRecord, MaterializeGivesTheWholeTreeWithAdditions) {
  std::string_view rest;
  json::value page = parse_page(R"([{"id":5,"settings":{"secret":{"value":"x"}}}])", rest);
  json::object &rec = page.as_array()[0].as_object();
  wc::set_member(rec, "extra", 1);
  wc::materialize(rec);
  EXPECT_EQ(rec.at("settings").at("secret").at("value").as_string(), "x");
  EXPECT_EQ(rec.at("extra").as_int64(), 1);
  EXPECT_EQ(rec.size(), 3u);
}

TEST(RawRecord, TreeRecordsAreSerialized) {
  json::object rec{{"id", 1}, {"name", "a\"b"}};
  EXPECT_EQ(written(rec), json::serialize(rec));
  EXPECT_FALSE(wc::raw_text(rec).has_value());
}
