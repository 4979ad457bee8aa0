// format_naive_utc / format_rfc3339 (core/time_util.hpp) write the digits themselves for years
// 0 to 9999: the same text as printf's "%04lld-%02u-%02uT%02lld:%02lld:%02lld", which the other
// years still use.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "core/time_util.hpp"

namespace {

std::string printf_text(wc::UnixSeconds t) {
  std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  std::int64_t rem = t - days * 86400;
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  wc::civil_from_days(days, y, m, d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld", static_cast<long long>(y),
                m, d, static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                static_cast<long long>(rem % 60));
  return buf;
}

} // namespace

TEST(CoreTimeFormat, DigitsAsPrintfWritesThem) {
  // year 0 and year 9999's edges, 1970, leap days, and years beyond 9999 or before 0
  std::vector<wc::UnixSeconds> instants{0,
                                        59,
                                        86399,
                                        86400,
                                        951782400,
                                        951868799,
                                        -62167219200,
                                        -62135596800,
                                        253402300799,
                                        253402300800,
                                        -62167219201,
                                        1793491200,
                                        -1};
  std::mt19937_64 rng(20261207);
  std::uniform_int_distribution<std::int64_t> any(-62167219200, 253402300799);
  for (int i = 0; i < 20000; ++i) {
    instants.push_back(any(rng));
  }
  for (const auto t : instants) {
    ASSERT_EQ(wc::format_naive_utc(t), printf_text(t)) << t;
    ASSERT_EQ(wc::format_rfc3339(t), printf_text(t) + "Z") << t;
    // Without allocating, for years 0 to 9999 only (the others have more digits or a sign).
    char out[20];
    const bool four_digit_year = t >= -62167219200 && t <= 253402300799;
    ASSERT_EQ(wc::format_rfc3339_to(t, out), four_digit_year) << t;
    if (four_digit_year) {
      ASSERT_EQ(std::string(out, sizeof out), printf_text(t) + "Z") << t;
    }
  }
  EXPECT_EQ(wc::format_naive_utc(1793491200), "2026-11-01T00:00:00"); // by Python's datetime
}

// is_canonical_naive_utc says exactly when the round trip through parse_utc and format_rfc3339
// gives the text back with a "Z": checked on valid times, and on mangled texts of the same length
// (every character replaced in turn by each of a few that matter: digits at the edges of the
// ranges, other separators, lower case).
TEST(CoreTimeFormat, CanonicalNaiveUtcIsWhatTheRoundTripKeeps) {
  const auto round_trip_keeps = [](const std::string &s) {
    const auto t = wc::parse_utc(s);
    return t.has_value() && wc::format_rfc3339(*t) == s + "Z";
  };
  std::vector<std::string> texts{
      "2024-02-29T23:59:59", "2023-02-29T00:00:00", "2026-12-31T23:59:60", "0000-01-01T00:00:00",
      "0001-01-01T00:00:00", "9999-12-31T23:59:59", "2024-13-01T00:00:00", "2024-04-31T00:00:00",
      "2024-01-01 00:00:00", "2024-01-01t00:00:00", "2024-01-01T24:00:00", "2024-01-01T00:60:00"};
  std::mt19937_64 rng(20261207);
  std::uniform_int_distribution<std::int64_t> any(-62135596800, 253402300799);
  for (int i = 0; i < 3000; ++i) {
    texts.push_back(wc::format_naive_utc(any(rng)));
  }
  const std::string replacements = "0123569:-T tZ+.";
  const std::size_t valid = texts.size();
  for (std::size_t n = 0; n < valid && n < 300; ++n) {
    for (std::size_t at = 0; at < texts[n].size(); ++at) {
      for (char c : replacements) {
        std::string s = texts[n];
        s[at] = c;
        texts.push_back(s);
      }
    }
  }
  int canonical = 0;
  for (const auto &s : texts) {
    ASSERT_EQ(wc::is_canonical_naive_utc(s), round_trip_keeps(s)) << s;
    canonical += wc::is_canonical_naive_utc(s) ? 1 : 0;
  }
  EXPECT_GT(canonical, 3000);
  EXPECT_FALSE(wc::is_canonical_naive_utc("2024-01-01T00:00:00Z")); // not naive
  EXPECT_FALSE(wc::is_canonical_naive_utc("2024-01-01"));
}
