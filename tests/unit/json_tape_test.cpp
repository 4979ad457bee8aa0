// The in-place JSON reader (core/json_tape.hpp) of the relational output: what it reads must be
// what Boost.JSON's parser reads, value for value, and what is not JSON must be refused (a value's
// text is written to the output as it lies).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/json_tape.hpp"
#include "text_mutator.hpp"

namespace json = boost::json;
using wc::JsonTape;
using wc::TapeKind;
using wc::TapeValue;

namespace {

// The tree of a tape's value, built from the tape alone (numbers through their token's text).
json::value tree_of(const TapeValue &v) {
  std::string scratch;
  switch (v.kind()) {
  case TapeKind::kNull:
    return nullptr;
  case TapeKind::kFalse:
  case TapeKind::kTrue:
    return v.get_bool();
  case TapeKind::kNumber:
    return json::parse(v.raw());
  case TapeKind::kString:
    return json::string(v.string(scratch));
  case TapeKind::kArray: {
    json::array a;
    v.for_each_item([&](const TapeValue &item) { a.push_back(tree_of(item)); });
    return a;
  }
  case TapeKind::kObject: {
    json::object o;
    v.for_each_member([&](const TapeValue &key, const TapeValue &value) {
      std::string k;
      o[key.string(k)] = tree_of(value);
    });
    return o;
  }
  }
  return nullptr;
}

// Every value's text() parses to the value itself.
void expect_texts_are_values(const TapeValue &v) {
  EXPECT_EQ(json::parse(v.text()), tree_of(v)) << v.text();
  if (v.is_array()) {
    v.for_each_item([](const TapeValue &item) { expect_texts_are_values(item); });
  } else if (v.is_object()) {
    v.for_each_member(
        [](const TapeValue &, const TapeValue &value) { expect_texts_are_values(value); });
  }
}

bool indexes(const std::string &text) {
  JsonTape tape;
  return tape.index(text);
}

} // namespace

TEST(JsonTape, ReadsWhatBoostJsonReads) {
  const std::vector<std::string> texts{
      R"({"id":727,"status":"processing","total":"29.35","prices_include_tax":false,"parent_id":0,)"
      R"("billing":{"first_name":"Ada","address_2":""},"line_items":[{"id":1,"meta_data":[)"
      R"({"id":9,"key":"_k","value":{"a":[1,2.5,-3e2,null,true]}}],"taxes":[]}],"refunds":[],)"
      R"("x":{}})",
      R"(  [ 1 , -0 , 0.5 , 1E+2 , 2e-3 , 18446744073709551615 , -9223372036854775808 ] )",
      R"("https:\/\/example.com\/a?b=\"c\"\\d\n\t\r\b\f\u00e9\u20ac\ud83d\ude00")",
      "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
      R"({"a":{"b":{"c":{"d":[[[[{"e":"f"}]]]]}}}})",
      R"({"k":"v","k":"w"})",
      "null",
      "true",
      "false",
      "7",
      R"("")",
      "[]",
      "{}",
      "\t{\n\"a\" :\r\n 1 }\n",
  };
  for (const auto &text : texts) {
    JsonTape tape;
    ASSERT_TRUE(tape.index(text)) << text;
    EXPECT_EQ(tree_of(tape.root()), json::parse(text)) << text;
    expect_texts_are_values(tape.root());
  }
}

// A quote, a backslash escape or a control character at every position of strings of 1 to 20
// bytes, so that each lies once in a full eight-byte word and once in the tail: escapes are read
// as Boost.JSON reads them, raw control characters refused as it refuses them.
TEST(JsonTape, EveryStringPositionOfEveryStopCharacter) {
  const std::vector<std::string> escapes{"\\\"", "\\\\", "\\/", "\\n", "\\u0041", "\\u00e9"};
  for (std::size_t len = 1; len <= 20; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      for (const auto &e : escapes) {
        const std::string text =
            "[\"" + std::string(at, 'a') + e + std::string(len - at - 1, 'b') + "\",1]";
        JsonTape tape;
        ASSERT_TRUE(tape.index(text)) << text;
        EXPECT_EQ(tree_of(tape.root()), json::parse(text)) << text;
      }
      for (int c = 0; c < 0x20; ++c) {
        std::string text = "[\"" + std::string(len, 'a') + "\"]";
        text[2 + at] = static_cast<char>(c);
        boost::system::error_code ec;
        json::parse(text, ec);
        ASSERT_TRUE(ec) << "Boost.JSON accepts control character " << c;
        EXPECT_FALSE(indexes(text)) << "control character " << c << " at " << at;
      }
    }
  }
}

TEST(JsonTape, RefusesWhatIsNotJson) {
  const std::vector<std::string> bad{
      "",         "   ",      "{",          "}",       "[1,]",        "[,1]",
      "{\"a\"}",  "{\"a\":}", "{\"a\":1,}", "{,}",     "{1:2}",       "{\"a\" 1}",
      "[1 2]",    "[]]",      "[[]",        "1 2",     "01",          "-",
      "1.",       ".5",       "1e",         "1e+",     "+1",          "tru",
      "nul",      "falsey",   "\"abc",      "\"\\x\"", "\"\\u12g4\"", "\"\\u12\"",
      "\"ab\\\"", "[\"a\"",   "{\"a\":1}x", "NaN",     "[1,2",
  };
  for (const auto &text : bad) {
    boost::system::error_code ec;
    json::parse(text, ec);
    ASSERT_TRUE(ec) << "Boost.JSON accepts " << text;
    JsonTape tape;
    EXPECT_FALSE(tape.index(text)) << text;
    EXPECT_FALSE(tape.root()) << "a refused text leaves no value: " << text;
  }
}

TEST(JsonTape, NestingIsBounded) {
  const std::size_t max = JsonTape::kMaxDepth;
  EXPECT_TRUE(indexes(std::string(max, '[') + std::string(max, ']')));
  EXPECT_FALSE(indexes(std::string(max + 1, '[') + std::string(max + 1, ']')));
}

TEST(JsonTape, FindsMembersAndTellsIntegers) {
  JsonTape tape;
  ASSERT_TRUE(tape.index(
      R"({"a":1,"b\u0063":"x","a":2,"n":[],"o":{},"big":18446744073709551615,)"
      R"("over":18446744073709551616,"neg":-9223372036854775808,"under":-9223372036854775809,)"
      R"("f":1.0,"e":1e2})"));
  const TapeValue root = tape.root();
  EXPECT_EQ(root.find("a").raw(), "1") << "the first of a repeated key";
  EXPECT_EQ(root.find("bc").raw(), "x") << "a key written with an escape";
  EXPECT_FALSE(root.find("missing"));
  EXPECT_FALSE(root.find("a").find("a")) << "find on a number";
  EXPECT_TRUE(root.find("n").empty());
  EXPECT_TRUE(root.find("o").empty());
  EXPECT_FALSE(root.empty());
  EXPECT_TRUE(root.find("big").is_integer());
  EXPECT_FALSE(root.find("over").is_integer());
  EXPECT_TRUE(root.find("neg").is_integer());
  EXPECT_FALSE(root.find("under").is_integer());
  EXPECT_FALSE(root.find("f").is_integer());
  EXPECT_FALSE(root.find("e").is_integer());
  EXPECT_FALSE(root.find("bc").is_integer()) << "a string";
}

// One tape reads record after record: nothing of the previous text is left.
TEST(JsonTape, AReusedTapeReadsOnlyItsLastText) {
  JsonTape tape;
  ASSERT_TRUE(tape.index(R"({"a":[1,2,3],"b":"long string value"})"));
  ASSERT_TRUE(tape.index(R"({"c":2})"));
  EXPECT_EQ(tree_of(tape.root()), json::parse(R"({"c":2})"));
  EXPECT_FALSE(tape.index("[1,"));
  ASSERT_TRUE(tape.index("[]"));
  EXPECT_EQ(tree_of(tape.root()), json::array());
}

// Texts near JSON: valid documents with bytes replaced, inserted or removed at random (a fixed
// seed, a bounded number). Whatever Boost.JSON's parser accepts, the tape reads to the same value;
// what the tape accepts and Boost.JSON refuses may only be bytes that are not UTF-8, which the
// tape leaves to its caller (core/encoding.hpp valid_utf8). Nothing crashes (run under the
// sanitizers by scripts/test-sanitize).
TEST(JsonTape, AgreesWithBoostJsonOnMangledText) {
  const std::vector<std::string> seeds{
      R"({"id":727,"status":"processing","total":"29.35","prices_include_tax":false,)"
      R"("billing":{"first_name":"Ada","address_2":""},"line_items":[{"id":1,"meta_data":[)"
      R"({"id":9,"key":"_k","value":{"a":[1,2.5,-3e2,null,true]}}],"taxes":[]}],"x":{}})",
      R"([{"a":"https:\/\/x.test\/p?q=\"1\"","b":"\u00e9\ud83d\ude00","c":[[],{}]},-0.5e+3])",
  };
  wc::test::TextMutator mutator(12345,
                                wc::test::TextMutator::bytes_of(
                                    "{}[]\",:\\/0123456789.-+eEtrufalsn \t\nabcu\x01\xc3\xa9\xff"));
  int accepted = 0, refused = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string text = mutator.mangled(seeds[round % seeds.size()]);
    boost::system::error_code ec;
    const json::value boost_value = json::parse(text, ec);
    JsonTape tape;
    const bool read = tape.index(text);
    if (!ec) {
      ASSERT_TRUE(read) << "Boost.JSON accepts, the tape refuses: " << text;
      ASSERT_EQ(tree_of(tape.root()), boost_value) << text;
      ++accepted;
    } else if (read) {
      const bool non_ascii =
          std::any_of(text.begin(), text.end(), [](char ch) { return (ch & 0x80) != 0; });
      EXPECT_TRUE(non_ascii) << "the tape accepts what Boost.JSON refuses (" << ec.message()
                             << "): " << text;
    } else {
      ++refused;
    }
  }
  EXPECT_GT(accepted, 100) << "the mutations should leave some documents valid";
  EXPECT_GT(refused, 100);
}

// Numbers: an exponent past 2^31 - 1 is refused, as Boost.JSON's parser refuses it.
TEST(JsonTape, ExponentsAsBoostJsonTakesThem) {
  for (const char *number :
       {"1e2147483647", "1e-2147483647", "0.5E+0002147483647", "1e0000000000000001", "1e2147483648",
        "1e-2147483648", "1e9999999999", "-0e99999999999"}) {
    boost::system::error_code ec;
    json::parse(number, ec);
    EXPECT_EQ(indexes(number), !ec) << number;
  }
}

// UTF-16 escapes: a high surrogate must be followed by a low one, and a low one may not stand
// alone (Boost.JSON's parser refuses both too).
TEST(JsonTape, SurrogateEscapesComeInPairs) {
  EXPECT_TRUE(indexes(R"(["\ud83d\ude00","\uD83D\uDE00x","\u00e9"])"));
  for (const char *bad : {R"(["\ud800"])", R"(["\udc00"])", R"(["\ud800x"])", R"(["\ud800\u0041"])",
                          R"(["\ud800\ud800"])", R"(["\ud800\"])"}) {
    EXPECT_FALSE(indexes(bad)) << bad;
    boost::system::error_code ec;
    json::parse(bad, ec);
    EXPECT_TRUE(ec) << bad;
  }
}

// A value at the start of a text, with whatever follows it left alone; nesting bounded as asked.
TEST(JsonTape, IndexesAPrefix) {
  JsonTape tape;
  std::size_t used = 0;
  ASSERT_TRUE(tape.index_prefix(R"([{"a":1},{"b":[2]}]<br />Notice: x)", 32, used));
  EXPECT_EQ(used, 19u);
  EXPECT_EQ(tape.root().text(), R"([{"a":1},{"b":[2]}])");
  ASSERT_TRUE(tape.index_prefix("[1] \r\n x", 32, used));
  EXPECT_EQ(used, 7u) << "the whitespace after the value is its, as Boost.JSON's parser counts";
  EXPECT_FALSE(tape.index_prefix("[[[1]]]", 2, used));
  EXPECT_TRUE(tape.index_prefix("[[[1]]]", 3, used));
  EXPECT_FALSE(tape.index_prefix("[1,", 32, used));
}

// A record's tokens taken from its page's tape read the record as indexing it would, and are
// refused for a text they cannot describe.
TEST(JsonTape, AdoptsARecordsTokensFromItsPage) {
  const std::string page =
      R"([{"id":1,"s":"x\"y","n":[1,{"k":null}]},  {"id":2,"e":{},"a":[]} ,{"id":3}])";
  JsonTape tape;
  std::size_t used = 0;
  ASSERT_TRUE(tape.index_prefix(page, 32, used));
  std::vector<std::pair<std::string, std::string>> records; // text, tokens
  tape.root().for_each_item([&](const TapeValue &item) {
    const std::string_view tokens = tape.tokens_of(item);
    records.emplace_back(std::string(item.text()), std::string(tokens));
  });
  ASSERT_EQ(records.size(), 3u);
  JsonTape adopted;
  for (const auto &[text, tokens] : records) {
    ASSERT_TRUE(adopted.adopt(text, tokens)) << text;
    EXPECT_EQ(tree_of(adopted.root()), json::parse(text)) << text;
    expect_texts_are_values(adopted.root());
    EXPECT_EQ(adopted.root().find("id").raw(), text.substr(6, 1));
  }
  EXPECT_FALSE(adopted.adopt(records[0].first + " ", records[0].second)) << "another size";
  EXPECT_FALSE(adopted.adopt(records[2].first, records[1].second)) << "another record's";
  EXPECT_FALSE(adopted.adopt(records[2].first, records[2].second.substr(1))) << "cut";
  EXPECT_FALSE(adopted.adopt(records[2].first, "")) << "none";
  EXPECT_FALSE(adopted.root());
  // A tape that adopted reads again by indexing.
  ASSERT_TRUE(adopted.index(R"({"c":[3]})"));
  EXPECT_EQ(tree_of(adopted.root()), json::parse(R"({"c":[3]})"));
}
