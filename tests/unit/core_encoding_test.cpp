// core/encoding.hpp: valid_utf8 must take exactly the bytes Boost.JSON's parser takes inside a
// string (the page reader with tokens relies on it: core/record_page.cpp).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "core/encoding.hpp"

namespace {

bool boost_takes(const std::string &bytes) {
  boost::system::error_code ec;
  boost::json::parse("\"" + bytes + "\"", ec);
  return !ec;
}

// Bytes JSON allows raw in a string, but for what UTF-8 says of them.
bool plain(unsigned char c) { return c >= 0x20 && c != '"' && c != '\\'; }

} // namespace

TEST(Utf8, EveryOneAndTwoByteSequence) {
  for (int a = 0x20; a < 0x100; ++a) {
    if (!plain(static_cast<unsigned char>(a))) {
      continue;
    }
    const std::string one(1, static_cast<char>(a));
    ASSERT_EQ(wc::valid_utf8(one), boost_takes(one)) << a;
    for (int b = 0x20; b < 0x100; ++b) {
      if (!plain(static_cast<unsigned char>(b))) {
        continue;
      }
      const std::string two{static_cast<char>(a), static_cast<char>(b)};
      ASSERT_EQ(wc::valid_utf8(two), boost_takes(two)) << a << " " << b;
    }
  }
}

TEST(Utf8, LongerSequencesAtEveryOffset) {
  // Leads of three and four bytes with every second byte, and random tails; placed after ASCII
  // runs of every length so the sixteen-byte loop meets them at every alignment.
  std::uint32_t state = 7;
  auto next = [&] {
    state = state * 1103515245u + 12345u;
    return static_cast<unsigned char>(state >> 16);
  };
  int valid = 0, invalid = 0;
  for (int lead = 0xE0; lead <= 0xFF; ++lead) {
    for (int second = 0x80; second <= 0xC0; ++second) {
      for (int round = 0; round < 6; ++round) {
        std::string seq{static_cast<char>(lead), static_cast<char>(second)};
        const int tail = 1 + round % 3;
        for (int i = 0; i < tail; ++i) {
          const unsigned char c =
              round < 3 ? static_cast<unsigned char>(0x80 | (next() & 0x3F)) : next();
          seq.push_back(plain(c) ? static_cast<char>(c) : 'x');
        }
        const std::string text = std::string(static_cast<std::size_t>(round * 7 % 19), 'a') + seq +
                                 std::string(static_cast<std::size_t>(round * 5 % 23), 'b');
        const bool ok = wc::valid_utf8(text);
        ASSERT_EQ(ok, boost_takes(text)) << lead << " " << second << " round " << round;
        (ok ? valid : invalid)++;
      }
    }
  }
  EXPECT_GT(valid, 100);
  EXPECT_GT(invalid, 100);
}

TEST(Utf8, KnownCases) {
  EXPECT_TRUE(wc::valid_utf8(""));
  EXPECT_TRUE(wc::valid_utf8("plain ASCII text longer than sixteen bytes, then some"));
  EXPECT_TRUE(wc::valid_utf8("Zo\xc3\xab \xe6\x97\xa5 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"));
  EXPECT_FALSE(wc::valid_utf8("\xc0\x80"));                              // overlong NUL
  EXPECT_FALSE(wc::valid_utf8("\xed\xa0\x80"));                          // a surrogate
  EXPECT_FALSE(wc::valid_utf8("\xf4\x90\x80\x80"));                      // above U+10FFFF
  EXPECT_FALSE(wc::valid_utf8("abcdefghijklmnopqrstuvwxyz\xe6\x97"));    // cut short at the end
  EXPECT_FALSE(wc::valid_utf8("abcdefghijklmnop\x80qrstuvwxyz0123456")); // a lone continuation
}
