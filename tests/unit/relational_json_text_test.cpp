// The converter's JSON writer (relational/json_text.hpp): byte for byte boost::json::serialize's
// text, whatever the value, so that writing cells without a serializer changes no output.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "relational/json_text.hpp"

namespace json = boost::json;
using wc::relational::append_json;
using wc::relational::append_json_string;

namespace {

std::string written(const json::value &v) {
  std::string out = "prefix:"; // appended, never replaced
  append_json(out, v);
  return out;
}

} // namespace

// Every character serialize escapes (controls, quote, backslash), and its neighbours that it does
// not (space, DEL, '/', UTF-8), at every position of strings of 1 to 20 bytes: the word-at-a-time
// scan must see each of them wherever it lies, in a full word or in the tail.
TEST(RelationalJsonText, StringsAreSerializesTextAtEveryPosition) {
  std::vector<std::string> specials;
  for (int c = 0; c < 0x20; ++c) {
    specials.emplace_back(1, static_cast<char>(c));
  }
  for (const char *s : {"\"", "\\", " ", "\x7f", "/", "\xc3\xa9", "\xe2\x82\xac", "!", "#", "]"}) {
    specials.emplace_back(s);
  }
  for (const auto &special : specials) {
    for (std::size_t len = 1; len <= 20; ++len) {
      for (std::size_t at = 0; at < len; ++at) {
        std::string text(len, 'a');
        text.replace(at, 1, special);
        const json::value v(text);
        ASSERT_EQ(written(v), "prefix:" + json::serialize(v))
            << "byte " << static_cast<int>(static_cast<unsigned char>(special[0])) << " at " << at
            << " of " << len;
        std::string direct;
        append_json_string(direct, text);
        ASSERT_EQ(direct, json::serialize(v));
      }
    }
  }
}

TEST(RelationalJsonText, EmptyAndLongStrings) {
  EXPECT_EQ(written(json::value("")), "prefix:\"\"");
  const std::string plain(1000, 'x');
  EXPECT_EQ(written(json::value(plain)), "prefix:\"" + plain + "\"");
  const std::string late = plain + "\n";
  EXPECT_EQ(written(json::value(late)), "prefix:" + json::serialize(json::value(late)));
}

TEST(RelationalJsonText, EveryOtherKindIsSerializesText) {
  const std::vector<json::value> values{
      nullptr,
      true,
      false,
      0,
      -1,
      42,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::int64_t>::max(),
      std::numeric_limits<std::uint64_t>::max(),
      json::value(std::uint64_t{7}),
      1.5,
      -0.0,
      1e300,
      json::parse(R"([1,"a\"b",{"k":null}])"),
      json::parse(R"({"a":[],"b":{"c":"d\u0001"}})"),
  };
  for (const auto &v : values) {
    EXPECT_EQ(written(v), "prefix:" + json::serialize(v)) << json::serialize(v);
  }
}
