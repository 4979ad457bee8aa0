// The demo store's own date handling (src/demo_store/wc_time.*) follows WordPress's REST date
// rule, and agrees with the connector's independent code (src/core/time_util.*) on every
// instant: two implementations that share nothing (the store uses the C library's timegm and
// gmtime_r, the connector its own calendar arithmetic), so a bug in either shows here.
#include <gtest/gtest.h>

#include <random>

#include "core/time_util.hpp"
#include "demo_store/site_time.hpp"
#include "demo_store/wc_time.hpp"

namespace demo = wc::demo;

TEST(DemoStoreTime, WordPressDateRule) {
  EXPECT_EQ(demo::parse_utc("2026-11-20T10:00:00"), 1795168800);
  EXPECT_EQ(demo::parse_utc("2026-11-20t10:00:00"), 1795168800);
  EXPECT_EQ(demo::parse_utc("2026-11-20 10:00:00"), 1795168800);
  EXPECT_EQ(demo::parse_utc("2026-11-20T10:00:00.123456"), 1795168800);
  EXPECT_EQ(demo::parse_utc("2026-11-20T10:00:00Z"), 1795168800);
  EXPECT_EQ(demo::parse_utc("2026-11-20T11:00:00+01:00"), 1795168800);
  EXPECT_EQ(demo::parse_utc("2026-11-20T08:30:00-01:30"), 1795168800);
  EXPECT_EQ(demo::parse_utc("2026-11-20T12:00:00+02"), 1795168800);
  // What WordPress refuses (rest_invalid_date), though other parsers take it.
  for (const char *bad :
       {"2026-11-20", "2026-11-20T10:00", "2026-11-20T10:00:00+0100", "2026-11-20T10:00:00.",
        "2026-13-01T00:00:00", "2026-11-20T25:00:00", "2026-11-20T10:00:00 ", "26-11-20T10:00:00",
        "2026-11-20X10:00:00", "2026-00-10T00:00:00", "2026-11-20T10:00:00Zz", ""}) {
    EXPECT_FALSE(demo::parse_utc(bad).has_value()) << bad;
  }
  // Like PHP's strtotime, a day past the month's end rolls over.
  EXPECT_EQ(demo::parse_utc("2026-02-30T00:00:00"), demo::parse_utc("2026-03-02T00:00:00"));
  EXPECT_TRUE(demo::has_offset("2026-11-20T10:00:00Z"));
  EXPECT_TRUE(demo::has_offset("2026-11-20T10:00:00.5-01:30"));
  EXPECT_FALSE(demo::has_offset("2026-11-20T10:00:00"));
  EXPECT_FALSE(demo::has_offset("2026-11-20 10:00:00.25"));
}

TEST(DemoStoreTime, AgreesWithTheConnectorOnEveryInstant) {
  std::mt19937_64 rng(20261206);
  // 1970 to 2200, plus the edges of leap days and years.
  std::uniform_int_distribution<std::int64_t> any(0, 7258118400);
  std::vector<std::int64_t> instants{0, 951782400, 951868799, 4107542400, 1793491200};
  for (int i = 0; i < 20000; ++i) {
    instants.push_back(any(rng));
  }
  for (std::int64_t t : instants) {
    const std::string store = demo::format_naive_utc(t);
    ASSERT_EQ(store, wc::format_naive_utc(t)) << t;
    ASSERT_EQ(demo::parse_utc(store), t) << store;
    ASSERT_EQ(wc::parse_utc(store), t) << store;
  }
}

// Europe/Berlin's switches, which the store's site-local dates follow: 2026-03-29 01:00 UTC and
// 2026-10-25 01:00 UTC.
TEST(DemoStoreTime, SiteOffsetSwitchesOnTheLastSundays) {
  EXPECT_EQ(demo::site_offset(*demo::parse_utc("2026-03-29T00:59:59")), 3600);
  EXPECT_EQ(demo::site_offset(*demo::parse_utc("2026-03-29T01:00:00")), 7200);
  EXPECT_EQ(demo::site_offset(*demo::parse_utc("2026-10-25T00:59:59")), 7200);
  EXPECT_EQ(demo::site_offset(*demo::parse_utc("2026-10-25T01:00:00")), 3600);
  EXPECT_EQ(demo::site_offset(*demo::parse_utc("2027-03-28T01:00:00")), 7200);
  EXPECT_EQ(demo::format_local(*demo::parse_utc("2026-07-01T12:00:00")), "2026-07-01T14:00:00");
  EXPECT_EQ(demo::format_local(*demo::parse_utc("2026-12-01T12:00:00")), "2026-12-01T13:00:00");
}
