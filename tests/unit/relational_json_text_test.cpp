// The converter's JSON string writer (relational/json_text.hpp): byte for byte
// boost::json::serialize's text, whatever the string, so that writing cells without a serializer
// changes no output.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "relational/json_text.hpp"

namespace json = boost::json;
using wc::relational::append_json_string;

namespace {

std::string written(std::string_view text) {
  std::string out = "prefix:"; // appended, never replaced
  append_json_string(out, text);
  return out;
}

std::string serialized(std::string_view text) {
  return json::serialize(json::string_view(text.data(), text.size()));
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
        ASSERT_EQ(written(text), "prefix:" + serialized(text))
            << "byte " << static_cast<int>(static_cast<unsigned char>(special[0])) << " at " << at
            << " of " << len;
      }
    }
  }
}

TEST(RelationalJsonText, EmptyAndLongStrings) {
  EXPECT_EQ(written(""), "prefix:\"\"");
  const std::string plain(1000, 'x');
  EXPECT_EQ(written(plain), "prefix:\"" + plain + "\"");
  const std::string late = plain + "\n";
  EXPECT_EQ(written(late), "prefix:" + serialized(late));
}
