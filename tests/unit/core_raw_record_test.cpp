// Raw records: a listing parsed into top-level scalars plus each record's exact text, written
// back without serialization. Every case checks the written text against Boost.JSON's own
// reading of the same element, so a wrong cut or a lost member fails.
#include <boost/json.hpp>
#include <deque>
#include <future>
#include <gtest/gtest.h>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "core/json_tape.hpp"
#include "core/page_arena.hpp"
#include "core/raw_record.hpp"
#include "core/record_page.hpp"
#include "text_mutator.hpp"

namespace json = boost::json;
using wc::append_record_json;
using wc::parse_record_page;

namespace {

class RawRecordPage : public ::testing::TestWithParam<bool> {};

// Where a page read with tokens is read into (null: read without), a new arena each time, then in
// hand on this thread until the next (its records' token references resolve, page_arena.hpp).
// The last few are kept: older pages' references no longer resolve, as in a read.
wc::PageArena *token_arena(bool tokens) {
  static std::deque<std::unique_ptr<wc::PageArena>> arenas;
  static std::optional<wc::PageInHand> in_hand;
  if (!tokens) {
    return nullptr;
  }
  in_hand.reset();
  arenas.push_back(std::make_unique<wc::PageArena>(4096, true));
  if (arenas.size() > 4) {
    arenas.pop_front();
  }
  in_hand.emplace(arenas.back().get());
  return arenas.back().get();
}

json::value parse_page(std::string_view text, std::string_view &rest, bool tokens) {
  auto v = parse_record_page(text, rest, json::make_shared_resource<json::monotonic_resource>(),
                             nullptr, token_arena(tokens));
  EXPECT_TRUE(v.has_value()) << text;
  return v ? std::move(*v) : json::value();
}

std::string written(const json::object &record) {
  std::string out;
  append_record_json(record, out);
  return out;
}

// The tokens a raw record carries (read with tokens) describe its written text: adopted, they
// read as the text itself does.
void expect_tokens_describe_text(const json::object &record) {
  const std::string_view tokens = wc::raw_tokens(record);
  ASSERT_FALSE(tokens.empty());
  const std::string text = written(record);
  wc::JsonTape adopted, indexed;
  ASSERT_TRUE(adopted.adopt(text, tokens)) << text;
  ASSERT_TRUE(indexed.index(text));
  std::string a, b;
  const auto same = [&](const auto &self, const wc::TapeValue &x, const wc::TapeValue &y) -> void {
    ASSERT_EQ(x.kind(), y.kind());
    ASSERT_EQ(x.text(), y.text());
    ASSERT_EQ(x.string(a), y.string(b));
    if (x.is_object()) {
      std::vector<wc::TapeValue> keys, values;
      x.for_each_member([&](const wc::TapeValue &k, const wc::TapeValue &v) {
        keys.push_back(k);
        values.push_back(v);
      });
      std::size_t i = 0;
      y.for_each_member([&](const wc::TapeValue &k, const wc::TapeValue &v) {
        ASSERT_LT(i, keys.size());
        ASSERT_EQ(keys[i].raw(), k.raw());
        self(self, values[i], v);
        ASSERT_EQ(x.find(std::string(k.string(a))).text(), y.find(std::string(k.string(b))).text());
        ++i;
      });
      ASSERT_EQ(i, keys.size());
    } else if (x.is_array()) {
      std::vector<wc::TapeValue> items;
      x.for_each_item([&](const wc::TapeValue &v) { items.push_back(v); });
      std::size_t i = 0;
      y.for_each_item([&](const wc::TapeValue &v) {
        ASSERT_LT(i, items.size());
        self(self, items[i++], v);
      });
      ASSERT_EQ(i, items.size());
    }
  };
  same(same, adopted.root(), indexed.root());
}

// Every record written from the raw page equals (as JSON) the element Boost.JSON reads.
void expect_round_trip(std::string_view text, bool tokens) {
  std::string_view rest;
  json::value page = parse_page(text, rest, tokens);
  json::value tree = json::parse(text.substr(0, text.size() - rest.size()));
  ASSERT_TRUE(page.is_array());
  ASSERT_EQ(page.as_array().size(), tree.as_array().size()) << text;
  for (std::size_t i = 0; i < tree.as_array().size(); ++i) {
    const json::object &rec = page.as_array()[i].as_object();
    ASSERT_TRUE(wc::raw_text(rec).has_value());
    const std::string out = written(rec);
    EXPECT_EQ(out.find('\n'), std::string::npos);
    EXPECT_EQ(json::parse(out), tree.as_array()[i]) << out;
    if (tokens && out == wc::raw_text(rec)) {
      expect_tokens_describe_text(rec);
    } else {
      EXPECT_TRUE(wc::raw_tokens(rec).empty()) << "tokens only when asked, for the text as it lies";
    }
  }
}

} // namespace

TEST_P(RawRecordPage, KeepsScalarsAndExactText) {
  const std::string text =
      R"([{"id":7,"status":"processing","total":"12.50","paid":true,"note":null,"ratio":0.5,)"
      R"("billing":{"first_name":"Zoë","city":"Köln"},"line_items":[{"id":1,"name":"A"}],)"
      R"("_links":{"self":[{"href":"https:\/\/shop.test\/wp-json\/wc\/v3\/orders\/7"}]}},)"
      R"({"id":8,"status":"completed","big":18446744073709551615,"neg":-3}])";
  std::string_view rest;
  json::value page = parse_page(text, rest, GetParam());
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
  expect_round_trip(text, GetParam());
}

TEST_P(RawRecordPage, KeepsOnlyTheMembersAskedFor) {
  const std::string text =
      R"([{"id":7,"status":"x","parent_id":3,"meta":[1],"refunds":{"a":1},"note":"n"},)"
      R"({"status":"y","id":8}])";
  const wc::KeptMembers kept{"id", "parent_id", "refunds"};
  std::string_view rest;
  auto page = parse_record_page(text, rest, json::make_shared_resource<json::monotonic_resource>(),
                                &kept, token_arena(GetParam()));
  ASSERT_TRUE(page.has_value());
  const json::object &first = page->as_array()[0].as_object();
  EXPECT_EQ(first.at("id").as_int64(), 7);
  EXPECT_EQ(first.at("parent_id").as_int64(), 3);
  EXPECT_TRUE(first.contains("refunds")); // kept, nested: a placeholder
  EXPECT_FALSE(first.at("refunds").is_object());
  EXPECT_FALSE(first.contains("status"));
  EXPECT_FALSE(first.contains("meta"));
  // id, parent_id, refunds, the text, and (read with tokens) the text's tokens
  EXPECT_EQ(first.size(), GetParam() ? 5u : 4u);
  EXPECT_EQ(written(first),
            R"({"id":7,"status":"x","parent_id":3,"meta":[1],"refunds":{"a":1},"note":"n"})");
  const json::object &second = page->as_array()[1].as_object();
  EXPECT_EQ(second.at("id").as_int64(), 8);
  EXPECT_EQ(second.size(), GetParam() ? 3u : 2u);
  EXPECT_EQ(written(second), R"({"status":"y","id":8})");
}

TEST_P(RawRecordPage, PrettyPrintedPagesBecomeOneLinePerRecord) {
  const std::string text = "[\n  {\n    \"id\": 1,\n    \"meta\": [\n      1,\n      2\n    ]\n  },"
                           "\r\n  {\"id\": 2}\n]";
  expect_round_trip(text, GetParam());
}

TEST_P(RawRecordPage, StringsThatLookLikeStructure) {
  expect_round_trip(R"([{"a":"}],{[\"","b":"\\","c":"\\\"}","d":{"e":"]\\\\"}},{"id":2}])",
                    GetParam());
  expect_round_trip(R"([{"x":"\u007d\u005d","y":["}","{",["]"]]}])", GetParam());
}

TEST_P(RawRecordPage, KeysStartingWithAnEscapeAndEmptyRecordsUseTheScan) {
  // The first key begins with an escape: the parser gives it from its own buffer.
  expect_round_trip(R"([{"\u0069d":1,"n":{"a":1}},{"id":2}])", GetParam());
  expect_round_trip(R"([{},{"id":2},{}])", GetParam());
  expect_round_trip(R"([ {} , { } ])", GetParam());
  expect_round_trip("[]", GetParam());
}

TEST_P(RawRecordPage, RestAfterTheArray) {
  std::string_view rest;
  json::value page = parse_page(R"([{"id":1}]<br />Notice: x)", rest, GetParam());
  EXPECT_EQ(rest, "<br />Notice: x");
  EXPECT_EQ(written(page.as_array()[0].as_object()), R"({"id":1})");
}

TEST_P(RawRecordPage, RefusesWhatIsNotAListOfObjects) {
  for (std::string_view bad :
       {R"({"id":1})", R"([1,2])", R"([{"id":1},"x"])", R"([[{"id":1}]])", R"([{"id":1})",
        R"([{"id":1,}])", "[{\"id\":\"\xC3\x28\"}]", "", " [{}]", "[{\"a\":tru}]"}) {
    std::string_view rest = "unchanged";
    auto v = parse_record_page(bad, rest, json::make_shared_resource<json::monotonic_resource>(),
                               nullptr, token_arena(GetParam()));
    EXPECT_FALSE(v.has_value()) << bad;
    EXPECT_EQ(rest, "unchanged");
  }
}

TEST_P(RawRecordPage, RandomPagesRoundTrip) {
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
    expect_round_trip(json::serialize(page), GetParam());
  }
}

// Both readings of a page: Boost.JSON's parser, and a JsonTape that keeps each record's tokens.
INSTANTIATE_TEST_SUITE_P(Readers, RawRecordPage, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool> &param) {
                           return param.param ? std::string("Tape") : std::string("BoostJson");
                         });

TEST(RawRecord, AddedMembersAreSplicedIn) {
  std::string_view rest;
  json::value page = parse_page(R"([{"id":5,"items":[1,2]},{}])", rest, false);
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
  json::value page = parse_page(R"([{"id":5,"parent":1,"items":[1,{"a":"b"}]}])", rest, false);
  json::object &rec = page.as_array()[0].as_object();
  wc::set_member(rec, "id", 5); // same value: stays raw
  EXPECT_TRUE(wc::raw_text(rec).has_value());
  wc::set_member(rec, "parent", 2);
  EXPECT_FALSE(wc::raw_text(rec).has_value());
  EXPECT_EQ(json::parse(written(rec)), json::parse(R"({"id":5,"parent":2,"items":[1,{"a":"b"}]})"));
  // A nested member replaced by a scalar.
  json::value page2 = parse_page(R"([{"id":5,"items":[1]}])", rest, false);
  json::object &rec2 = page2.as_array()[0].as_object();
  wc::set_member(rec2, "items", nullptr);
  EXPECT_EQ(json::parse(written(rec2)), json::parse(R"({"id":5,"items":null})"));
}

TEST(RawRecord, MaterializeGivesTheWholeTreeWithAdditions) {
  std::string_view rest;
  json::value page = parse_page(R"([{"id":5,"settings":{"secret":{"value":"x"}}}])", rest, false);
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

namespace {

// A raw record's members but its tokens (which only the tape reading adds).
json::object without_tokens(const json::object &record) {
  json::object out;
  for (const auto &member : record) {
    if (std::string_view(member.key().data(), member.key().size()) != wc::kRawTokensKey) {
      out[member.key()] = member.value();
    }
  }
  return out;
}

} // namespace

// Pages near JSON: valid pages with bytes replaced, inserted or removed at random (a fixed seed, a
// bounded number), among them bytes that are not UTF-8, escaped surrogates and deep nesting. The
// tape must take exactly the pages Boost.JSON's parser takes, and give the same records: same
// kept values, same text, same rest. Run under the sanitizers by scripts/test-sanitize.
TEST(RawRecordPage, TapeAndBoostJsonAgreeOnMangledPages) {
  const std::vector<std::string> seeds{
      R"([{"id":727,"status":"processing","total":"29.35","paid":false,"ratio":-0.5e+3,)"
      R"("date_modified_gmt":"2026-01-02T03:04:05","billing":{"first_name":"Zo\u00eb"},)"
      R"("line_items":[{"id":1,"meta_data":[{"id":9,"value":{"a":[1,2.5,null,true]}}]}],)"
      R"("big":18446744073709551615,"neg":-9223372036854775808,"z":-0,"f":1E2},)"
      R"({"id":728,"name":"\ud83d\ude00 caf\u00e9 \/x","n":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}])"
      "  <br />Notice",
      "[{\"id\":1,\"k\":\"Zo\xc3\xab \xe6\x97\xa5 \xf0\x9f\x98\x80\"},{\"\\u0069d\":2,\"id\":3}]",
  };
  const std::vector<std::string> pieces{"{",
                                        "}",
                                        "[",
                                        "]",
                                        "\"",
                                        ",",
                                        ":",
                                        "\\",
                                        "0",
                                        "-",
                                        ".",
                                        "e",
                                        "t",
                                        "n",
                                        " ",
                                        "\n",
                                        "\x01",
                                        "\xc3",
                                        "\xa9",
                                        "\xff",
                                        "\xc0\x80",
                                        "\xed\xa0\x80",
                                        "\xf4\x90\x80\x80",
                                        "\xe0\x80\xaf",
                                        "\xf0\x9f\x98",
                                        "\\ud800",
                                        "\\udc00",
                                        "\\u00e9",
                                        "[[[[",
                                        "]]]]"};
  const wc::KeptMembers kept{"date_modified_gmt", "f", "id", "k", "neg", "ratio", "z"};
  wc::test::TextMutator mutator(2026, pieces);
  int both = 0, neither = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string text = mutator.mangled(seeds[round % seeds.size()]);
    const wc::KeptMembers *keep = round % 2 == 0 ? &kept : nullptr;
    std::string_view boost_rest = "unchanged", tape_rest = "unchanged";
    auto by_boost = parse_record_page(
        text, boost_rest, json::make_shared_resource<json::monotonic_resource>(), keep, nullptr);
    auto by_tape =
        parse_record_page(text, tape_rest, json::make_shared_resource<json::monotonic_resource>(),
                          keep, token_arena(true));
    ASSERT_EQ(by_boost.has_value(), by_tape.has_value()) << text;
    ASSERT_EQ(boost_rest, tape_rest) << text;
    if (!by_boost) {
      ++neither;
      continue;
    }
    ++both;
    const json::array &b = by_boost->as_array();
    const json::array &t = by_tape->as_array();
    ASSERT_EQ(b.size(), t.size()) << text;
    for (std::size_t i = 0; i < b.size(); ++i) {
      ASSERT_EQ(b[i].as_object(), without_tokens(t[i].as_object())) << text;
      // Read by the tape, not by the parser it falls back on: the two take the same pages.
      expect_tokens_describe_text(t[i].as_object());
    }
  }
  EXPECT_GT(both, 1000) << "the mutations should leave some pages valid";
  EXPECT_GT(neither, 1000);
}

// The nesting limit is Boost.JSON's (32 levels, the page's array included) in both readings.
TEST(RawRecordPage, TapeNestsAsDeepAsBoostJson) {
  for (int depth = 30; depth <= 34; ++depth) {
    // The page's array and its record are two levels; the rest are arrays inside the record.
    const std::string text =
        "[{\"a\":" + std::string(depth - 2, '[') + std::string(depth - 2, ']') + "}]";
    std::string_view rest;
    const bool boost =
        parse_record_page(text, rest, json::make_shared_resource<json::monotonic_resource>(),
                          nullptr, nullptr)
            .has_value();
    const bool tape =
        parse_record_page(text, rest, json::make_shared_resource<json::monotonic_resource>(),
                          nullptr, token_arena(true))
            .has_value();
    EXPECT_EQ(boost, depth <= 32) << depth;
    EXPECT_EQ(tape, boost) << depth;
  }
}

TEST(RawRecord, TokensGoWithTheTextAsItLiesOnly) {
  std::string_view rest;
  auto page = parse_record_page(R"([{"id":1,"a":[2]},{"id":2}])", rest,
                                json::make_shared_resource<json::monotonic_resource>(), nullptr,
                                token_arena(true));
  ASSERT_TRUE(page.has_value());
  json::object &first = page->as_array()[0].as_object();
  EXPECT_FALSE(wc::raw_tokens(first).empty());
  wc::set_member(first, "parent", 9); // added: the text written is no longer the text read
  EXPECT_TRUE(wc::raw_tokens(first).empty());
  EXPECT_EQ(written(first), R"({"id":1,"a":[2],"parent":9})");
  // The tokens of the line being emitted, on this thread, for that line only (the same bytes at
  // the same address), for as long as it is being emitted.
  const json::object &second = page->as_array()[1].as_object();
  const std::string line = written(second);
  const std::string copy = line;
  EXPECT_TRUE(wc::EmittedTokens::of(line).empty());
  {
    const wc::EmittedTokens outer(line, wc::raw_tokens(second));
    EXPECT_EQ(wc::EmittedTokens::of(line), wc::raw_tokens(second));
    EXPECT_TRUE(wc::EmittedTokens::of(copy).empty()) << "equal text elsewhere: not the line";
    EXPECT_TRUE(wc::EmittedTokens::of(std::string_view(line).substr(1)).empty());
    {
      const wc::EmittedTokens inner(copy, {});
      EXPECT_TRUE(wc::EmittedTokens::of(copy).empty());
      EXPECT_TRUE(wc::EmittedTokens::of(line).empty());
    }
    EXPECT_FALSE(wc::EmittedTokens::of(line).empty());
  }
  EXPECT_TRUE(wc::EmittedTokens::of(line).empty());
}

// Boost.JSON's conversion of a long fraction depends on how much text follows it: alone, this
// one comes out one unit lower in the last place than inside a page. A kept number read with
// tokens must be the page parser's (found by the fuzz target record_page).
TEST(RawRecordPage, TapeKeepsAFractionAsThePageParserReadsIt) {
  const std::string number = "733333.333316333304";
  const std::string text = "[{\"f\":" + number + ",\"s\":\"" + std::string(200, 'x') + "\"}]";
  const wc::KeptMembers kept{"f"};
  std::string_view rest;
  auto by_boost = parse_record_page(
      text, rest, json::make_shared_resource<json::monotonic_resource>(), &kept, nullptr);
  auto by_tape = parse_record_page(
      text, rest, json::make_shared_resource<json::monotonic_resource>(), &kept, token_arena(true));
  ASSERT_TRUE(by_boost && by_tape);
  const json::value &in_page = by_boost->as_array()[0].as_object().at("f");
  EXPECT_NE(in_page, json::parse(number)) << "the trap this test is about is gone";
  EXPECT_EQ(by_tape->as_array()[0].as_object().at("f"), in_page);
}

// A record read with tokens keeps a reference to them in its page's tape, read only while that
// page is in hand on the reading thread (core/page_arena.hpp): not with another page in hand, not
// with none, not on another thread, and not once the tape serves the next page.
TEST(RawRecord, TokensResolveOnlyWhileTheirPageIsInHand) {
  const std::string text = R"([{"id":1,"a":[2]},{"id":2}])";
  auto arena = std::make_unique<wc::PageArena>(4096, true);
  wc::PageArena other(4096, true);
  EXPECT_NE(arena->id(), other.id());
  std::string_view rest;
  auto page = parse_record_page(text, rest, json::make_shared_resource<json::monotonic_resource>(),
                                nullptr, arena.get());
  ASSERT_TRUE(page.has_value());
  const json::object &first = page->as_array()[0].as_object();
  const wc::PageInHand none(nullptr);
  EXPECT_TRUE(wc::raw_tokens(first).empty());
  {
    const wc::PageInHand in_hand(arena.get());
    ASSERT_FALSE(wc::raw_tokens(first).empty());
    expect_tokens_describe_text(first);
    {
      const wc::PageInHand inner(&other);
      EXPECT_TRUE(wc::raw_tokens(first).empty());
    }
    EXPECT_FALSE(wc::raw_tokens(first).empty()) << "the outer page is in hand again";
    EXPECT_TRUE(
        std::async(std::launch::async, [&] { return wc::raw_tokens(first).empty(); }).get());
  }
  EXPECT_TRUE(wc::raw_tokens(first).empty());
  // The page gone, its tape (from a pool) reads the next page: the old references name a page
  // that is never in hand again.
  arena.reset();
  wc::PageArena next(4096, true);
  auto page2 =
      parse_record_page(R"([{"id":3}])", rest,
                        json::make_shared_resource<json::monotonic_resource>(), nullptr, &next);
  ASSERT_TRUE(page2.has_value());
  const wc::PageInHand in_hand(&next);
  EXPECT_TRUE(wc::raw_tokens(first).empty());
  EXPECT_FALSE(wc::raw_tokens(page2->as_array()[0].as_object()).empty());
}
